import { type Clock, ImAuthError, type ImAuthErrorCode } from "@imauth/core";
import {
  anyKeyMatches,
  assertInteger,
  assertOptionsObject,
  constantTimeEqual,
  type KeyInput,
  keyList,
  readClock,
  sha1Hex,
} from "@imauth/core/adapter";
import { assertHeaderValue, assertSecretText, MAX_NONCE_LENGTH } from "./signature.js";

/** Default largest accepted |Timestamp - now| of a signed API request, in seconds (5 minutes). */
export const DEFAULT_REQUEST_MAX_SKEW_SECONDS = 300;

/**
 * Options of {@link verifyRongCloudHeaders}.
 *
 * @example
 * ```ts
 * const options: VerifyRongCloudHeadersOptions = { appKey, appSecret: [current, previous], requestMaxSkewSeconds: 60 };
 * ```
 */
export interface VerifyRongCloudHeadersOptions {
  /** When given, the `App-Key` header must equal it (`ERR_APP_MISMATCH`). */
  appKey?: string;
  /** The App Secret, or `[current, ...previous]` during a rotation: a signature made with any is accepted. */
  appSecret: KeyInput;
  /** Largest accepted |Timestamp - now|, in seconds (1 to 86400). Default 300. */
  requestMaxSkewSeconds?: number;
  /** Source of the current time (epoch milliseconds). Default `Date.now`. */
  clock?: Clock;
}

/**
 * The checked signature headers of one request.
 *
 * @example
 * ```ts
 * const { appKey, nonce, signedAt }: VerifiedRongCloudHeaders = verifyRongCloudHeaders(request.headers, options);
 * ```
 */
export interface VerifiedRongCloudHeaders {
  /** The `App-Key` header. */
  appKey: string;
  /** The `Nonce` header. */
  nonce: string;
  /** The `Timestamp` header, as sent. */
  timestamp: string;
  /** How the timestamp was read: 12 digits or more are milliseconds, fewer are seconds. */
  timestampUnit: "ms" | "seconds";
  /** The timestamp as a Date. */
  signedAt: Date;
  /** Whether the request used the `RC-` prefixed header names. */
  prefixed: boolean;
}

/**
 * @internal Reads an epoch timestamp as RongCloud sends it: up to 11 digits are seconds (the official Node
 * SDK's `Timestamp`, the older callbacks' `rc-timestamp`), 12 to 16 digits milliseconds (what the documents
 * specify). Returns undefined for anything else.
 */
export function readEpochMs(text: string): { ms: number; unit: "ms" | "seconds" } | undefined {
  if (!/^[0-9]{1,16}$/.test(text)) return undefined;
  return text.length <= 11 ? { ms: Number(text) * 1000, unit: "seconds" } : { ms: Number(text), unit: "ms" };
}

/**
 * @internal One secret or `[current, ...previous]` (rotation), each checked like a signing secret (no control
 * characters, well-formed). An empty list is `ERR_INVALID_CONFIG`.
 */
export function readSecretList(value: unknown, what: string): readonly string[] {
  const secrets = keyList(value, what);
  for (const secret of secrets) assertSecretText(secret, what);
  return secrets;
}

/** @internal Reads a `webhookMaxSkewSeconds`-like option: an integer from 1 to 86400 (`ERR_INVALID_CONFIG`). */
export function readMaxSkew(value: unknown, what: string, fallback: number): number {
  const seconds = value ?? fallback;
  assertInteger(seconds, what, { min: 1, max: 86_400, code: "ERR_INVALID_CONFIG" });
  return seconds;
}

function fail(code: ImAuthErrorCode, message: string): ImAuthError {
  return new ImAuthError(code, message);
}

/**
 * The headers {@link verifyRongCloudHeaders} reads: a `Headers` object or a plain record (names matched
 * case-insensitively).
 *
 * @example
 * ```ts
 * const headers: HeaderSource = { "App-Key": appKey, Nonce: nonce, Timestamp: timestamp, Signature: signature };
 * ```
 */
export type HeaderSource = Headers | Record<string, string | undefined>;

function headerGetter(headers: HeaderSource): (name: string) => string | undefined {
  if (typeof Headers !== "undefined" && headers instanceof Headers) {
    return (name) => headers.get(name) ?? undefined;
  }
  if (typeof headers !== "object" || headers === null) {
    throw fail("ERR_INVALID_INPUT", "headers must be a Headers or a plain object");
  }
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === "string") lower.set(name.toLowerCase(), value);
  }
  return (name) => lower.get(name.toLowerCase());
}

/** The four signature headers, by their plain names or all by their `RC-` names. */
function readSignatureHeaders(headers: HeaderSource) {
  const get = headerGetter(headers);
  const prefixed = get("Signature") === undefined && get("RC-Signature") !== undefined;
  const p = prefixed ? "RC-" : "";
  const value = (name: string) => {
    const found = get(p + name)?.trim();
    if (!found) throw fail("ERR_MALFORMED_CREDENTIAL", `request has no ${p}${name} header`);
    return found;
  };
  const fields = { appKey: value("App-Key"), nonce: value("Nonce"), timestamp: value("Timestamp") };
  return { ...fields, signature: value("Signature").toLowerCase(), prefixed };
}

/**
 * Verifies the signature headers of a server-API request as RongCloud does (what the emulator uses, and what
 * a proxy in front of RongCloud can use): `App-Key`, `Nonce` (at most 18 characters), `Timestamp` and
 * `Signature`, or all four with the `RC-` prefix; `Signature` must be SHA-1(AppSecret + Nonce + Timestamp)
 * for one of the secrets (compared in constant time, every secret tried); `Timestamp` may be milliseconds or
 * seconds (12 or more digits are read as milliseconds) and must be within `requestMaxSkewSeconds` of the clock.
 * Throws `ImAuthError`: `ERR_MALFORMED_CREDENTIAL` (missing or malformed header), `ERR_SIGNATURE_INVALID`,
 * `ERR_APP_MISMATCH`, `ERR_CREDENTIAL_EXPIRED` (timestamp out of the window).
 *
 * @example
 * ```ts
 * import { verifyRongCloudHeaders } from "@imauth/rongcloud";
 *
 * const { appKey, signedAt } = verifyRongCloudHeaders(request.headers, { appKey: key, appSecret: secret });
 * ```
 */
export function verifyRongCloudHeaders(
  headers: HeaderSource,
  options: VerifyRongCloudHeadersOptions,
): VerifiedRongCloudHeaders {
  assertOptionsObject(options, "verifyRongCloudHeaders options", "ERR_INVALID_CONFIG");
  const secrets = readSecretList(options.appSecret, "appSecret");
  if (options.appKey !== undefined) assertHeaderValue(options.appKey, "appKey", "ERR_INVALID_CONFIG");
  const requestMaxSkewSeconds = readMaxSkew(
    options.requestMaxSkewSeconds,
    "requestMaxSkewSeconds",
    DEFAULT_REQUEST_MAX_SKEW_SECONDS,
  );
  const h = readSignatureHeaders(headers);
  if (h.nonce.length > MAX_NONCE_LENGTH) {
    throw fail("ERR_MALFORMED_CREDENTIAL", `Nonce is longer than ${MAX_NONCE_LENGTH} characters`);
  }
  const epoch = readEpochMs(h.timestamp);
  if (epoch === undefined)
    throw fail("ERR_MALFORMED_CREDENTIAL", "Timestamp is not an epoch in ms or seconds");
  if (!/^[0-9a-f]{40}$/.test(h.signature)) {
    throw fail("ERR_MALFORMED_CREDENTIAL", "Signature is not 40 hex characters");
  }
  const matches = (secret: string) => constantTimeEqual(sha1Hex(secret + h.nonce + h.timestamp), h.signature);
  if (!anyKeyMatches(secrets, matches)) {
    throw fail("ERR_SIGNATURE_INVALID", "Signature does not match (wrong App Secret?)");
  }
  if (options.appKey !== undefined && h.appKey !== options.appKey) {
    throw fail("ERR_APP_MISMATCH", "request is signed for another App Key");
  }
  if (Math.abs(readClock(options.clock) - epoch.ms) > requestMaxSkewSeconds * 1000) {
    throw fail(
      "ERR_CREDENTIAL_EXPIRED",
      `Timestamp is more than ${requestMaxSkewSeconds} s away from the clock`,
    );
  }
  return {
    appKey: h.appKey,
    nonce: h.nonce,
    timestamp: h.timestamp,
    timestampUnit: epoch.unit,
    signedAt: new Date(epoch.ms),
    prefixed: h.prefixed,
  };
}
