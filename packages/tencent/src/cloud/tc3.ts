import { type Clock, ImAuthError, type ImAuthErrorCode, Secret } from "@imauth/core";
import { assertWellFormed, hexEncode, readClock, typeName, utf8Encode } from "@imauth/core/adapter";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";

/** The algorithm name Tencent Cloud API 3.0 puts in front of every `Authorization` header. */
export const TC3_ALGORITHM = "TC3-HMAC-SHA256";

/**
 * What {@link tc3Sign} signs: the parts of one HTTP request that enter the canonical request, and the key.
 *
 * @example
 * ```ts
 * const input: Tc3SignInput = {
 *   secretId, secretKey, service: "trtc", host: "trtc.tencentcloudapi.com",
 *   contentType: "application/json", body: '{"SdkAppId":1400000001,"RoomId":1}', clock: () => Date.now(),
 * };
 * ```
 */
export interface Tc3SignInput {
  /** The SecretId (`AKID...`); it is sent in the clear in `Authorization`. */
  secretId: string;
  /** The SecretKey. */
  secretKey: string | Secret;
  /** The product's service name, the first label of its domain (`trtc` for `trtc.tencentcloudapi.com`). */
  service: string;
  /** The host name the request goes to, without port (`trtc.tencentcloudapi.com`). */
  host: string;
  /** HTTP method. Default `POST`. */
  method?: string;
  /** The canonical URI: the URL's path. Default `/`. */
  path?: string;
  /** The query string exactly as sent, without `?` (GET requests). Default empty. */
  query?: string;
  /** The `Content-Type` header exactly as sent. */
  contentType: string;
  /** The body exactly as sent (a string is signed as UTF-8). Default empty. */
  body?: string | Uint8Array;
  /**
   * More headers to sign besides `content-type` and `host` (names in any case; values are trimmed and
   * lower-cased as Tencent's documentation prescribes), e.g. `{ "x-tc-action": "DismissRoom" }`.
   */
  headers?: Readonly<Record<string, string>>;
  /** The request time in seconds (`X-TC-Timestamp`). Default: `clock` read and floored. */
  timestampSeconds?: number;
  /** Source of the current time (epoch ms) when `timestampSeconds` is not given. Default `Date.now`. */
  clock?: Clock;
}

/**
 * The result of {@link tc3Sign}. `signature` and `authorization` are not enumerable, so `JSON.stringify`
 * and `console.log` of the result never show them.
 *
 * @example
 * ```ts
 * const { authorization, timestampSeconds } = tc3Sign(input);
 * headers.set("Authorization", authorization);
 * headers.set("X-TC-Timestamp", String(timestampSeconds));
 * ```
 */
export interface Tc3Signature {
  /** `X-TC-Timestamp`, in seconds. */
  timestampSeconds: number;
  /** The UTC date of the timestamp, `YYYY-MM-DD`. */
  date: string;
  /** `<date>/<service>/tc3_request`. */
  credentialScope: string;
  /** The signed header names, lower case, sorted, joined with `;`. */
  signedHeaders: string;
  /** The canonical request (it holds no secret). */
  canonicalRequest: string;
  /** The string to sign (it holds no secret). */
  stringToSign: string;
  /** Lowercase hex HMAC-SHA256 of the string to sign under the derived key. */
  readonly signature: string;
  /** The whole `Authorization` header value. */
  readonly authorization: string;
}

// Characters that would change the canonical request's line structure, or split a header.
const LINE_BREAK = /[\r\n]/;
const SERVICE = /^[a-z][a-z0-9-]{0,63}$/;
// SecretIds are printable ASCII; `/`, `,` and spaces would make the Credential field ambiguous.
const SECRET_ID = /^[\x21-\x2b\x2d\x2e\x30-\x7e]{1,256}$/;
const HEADER_NAME = /^[A-Za-z0-9-]{1,64}$/;

/** Reads a secret as a string, refusing empty or non-string ones without showing them. */
export function revealSecret(value: unknown, what: string): string {
  const raw = value instanceof Secret ? value.reveal() : value;
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 4096) {
    throw new ImAuthError("ERR_INVALID_CONFIG", `${what} must be a non-empty string or Secret`);
  }
  assertWellFormed(raw, what, "ERR_INVALID_CONFIG");
  return raw;
}

/** Checks a SecretId (configuration). */
export function assertSecretId(value: unknown): asserts value is string {
  if (typeof value !== "string" || !SECRET_ID.test(value)) {
    throw new ImAuthError(
      "ERR_INVALID_CONFIG",
      "secretId must be printable ASCII without spaces, '/' or ','",
    );
  }
}

/** Checks a service name such as `trtc` (configuration). */
export function assertService(value: unknown): asserts value is string {
  if (typeof value !== "string" || !SERVICE.test(value)) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "service must be a product name such as trtc");
  }
}

function canonicalPart(value: unknown, what: string, code: ImAuthErrorCode = "ERR_INVALID_INPUT"): string {
  if (typeof value !== "string")
    throw new ImAuthError(code, `${what} must be a string, got ${typeName(value)}`);
  if (LINE_BREAK.test(value)) throw new ImAuthError(code, `${what} must not contain a line break`);
  assertWellFormed(value, what, code);
  return value;
}

/** `YYYY-MM-DD` in UTC of a time in seconds. */
export function tc3Date(timestampSeconds: number): string {
  return new Date(timestampSeconds * 1000).toISOString().slice(0, 10);
}

function timestampOf(input: Tc3SignInput): number {
  const given = input.timestampSeconds;
  if (given === undefined) return Math.floor(readClock(input.clock) / 1000);
  // Up to the year 9999: the date in the credential scope has four digits.
  if (!Number.isInteger(given) || given < 0 || given > 253_402_300_799) {
    throw new ImAuthError("ERR_INVALID_INPUT", "timestampSeconds must be an integer from 0 to 253402300799");
  }
  return given;
}

/** The signed headers: content-type and host as the official SDK signs them, plus `extra`, sorted. */
function canonicalHeaders(input: Tc3SignInput): { names: string; lines: string } {
  const entries = new Map<string, string>([
    ["content-type", canonicalPart(input.contentType, "contentType")],
    ["host", canonicalPart(input.host, "host")],
  ]);
  if (entries.get("host") === "") throw new ImAuthError("ERR_INVALID_INPUT", "host must not be empty");
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (!HEADER_NAME.test(name)) throw new ImAuthError("ERR_INVALID_INPUT", "headers must have token names");
    const key = name.toLowerCase();
    if (key === "content-type" || key === "host") continue;
    entries.set(key, canonicalPart(value, `header ${key}`).trim().toLowerCase());
  }
  const names = [...entries.keys()].sort();
  return { names: names.join(";"), lines: names.map((n) => `${n}:${entries.get(n)}\n`).join("") };
}

function bodyBytes(body: unknown): Uint8Array {
  if (body === undefined) return new Uint8Array(0);
  if (body instanceof Uint8Array) return body;
  if (typeof body === "string") {
    assertWellFormed(body, "body");
    return utf8Encode(body);
  }
  throw new ImAuthError("ERR_INVALID_INPUT", `body must be a string or Uint8Array, got ${typeName(body)}`);
}

const hmacOf = (key: Uint8Array, message: string) => hmac(sha256, key, utf8Encode(message));

/**
 * Signs one Tencent Cloud API 3.0 request with TC3-HMAC-SHA256: canonical request (method, path, query,
 * `content-type` and `host` headers as the official SDK signs them plus any `headers`, SHA-256 of the
 * body), string to sign, the key chain `TC3`+SecretKey → date → service → `tc3_request`, and the
 * `Authorization` header. Pure: the time comes from `timestampSeconds` or `clock`. Throws `ImAuthError`
 * (`ERR_INVALID_CONFIG` for keys and the service, `ERR_INVALID_INPUT` for the request's parts).
 *
 * @example
 * ```ts
 * import { tc3Sign } from "@imauth/tencent/cloud";
 *
 * const { authorization, timestampSeconds } = tc3Sign({
 *   secretId: "AKID...", secretKey, service: "trtc", host: "trtc.tencentcloudapi.com",
 *   contentType: "application/json", body: '{"SdkAppId":1400000001,"RoomId":1234}',
 * });
 * ```
 */
export function tc3Sign(input: Tc3SignInput): Tc3Signature {
  if (typeof input !== "object" || input === null) {
    throw new ImAuthError("ERR_INVALID_INPUT", "tc3Sign needs an options object");
  }
  assertSecretId(input.secretId);
  const secretKey = revealSecret(input.secretKey, "secretKey");
  assertService(input.service);
  const timestampSeconds = timestampOf(input);
  const method = canonicalPart(input.method ?? "POST", "method").toUpperCase();
  const path = canonicalPart(input.path ?? "/", "path");
  const query = canonicalPart(input.query ?? "", "query");
  const headers = canonicalHeaders(input);
  const hashedPayload = hexEncode(sha256(bodyBytes(input.body)));
  const canonicalRequest = `${method}\n${path}\n${query}\n${headers.lines}\n${headers.names}\n${hashedPayload}`;
  const date = tc3Date(timestampSeconds);
  const credentialScope = `${date}/${input.service}/tc3_request`;
  const stringToSign = `${TC3_ALGORITHM}\n${timestampSeconds}\n${credentialScope}\n${hexEncode(sha256(utf8Encode(canonicalRequest)))}`;
  const kDate = hmacOf(utf8Encode(`TC3${secretKey}`), date);
  const kSigning = hmacOf(hmacOf(kDate, input.service), "tc3_request");
  const signature = hexEncode(hmacOf(kSigning, stringToSign));
  const authorization = `${TC3_ALGORITHM} Credential=${input.secretId}/${credentialScope}, SignedHeaders=${headers.names}, Signature=${signature}`;
  const result = {
    timestampSeconds,
    date,
    credentialScope,
    signedHeaders: headers.names,
    canonicalRequest,
    stringToSign,
  };
  // Not enumerable: a logged or serialised result must not carry what authenticates the request.
  return Object.defineProperties(result, {
    signature: { value: signature, enumerable: false },
    authorization: { value: authorization, enumerable: false },
  }) as Tc3Signature;
}
