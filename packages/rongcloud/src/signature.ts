import { type Clock, ImAuthError, type ImAuthErrorCode, type Secret } from "@imauth/core";
import {
  assertNonEmptyString,
  assertOptionsObject,
  hexEncode,
  isWellFormed,
  keyList,
  readClock,
  sha1Hex,
  typeName,
} from "@imauth/core/adapter";

/** Longest `Nonce` RongCloud documents, in characters. */
export const MAX_NONCE_LENGTH = 18;

/**
 * The four headers that authenticate one call to RongCloud's server API (a plain object type, so it can be
 * passed as `HeadersInit`).
 *
 * @example
 * ```ts
 * const headers: RongCloudHeaders = createRongCloudHeaders({ appKey, appSecret });
 * await fetch(url, { method: "POST", headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" }, body });
 * ```
 */
export type RongCloudHeaders = {
  /** The application's App Key. */
  "App-Key": string;
  /** A random string of at most 18 characters, new for every request. */
  Nonce: string;
  /** Epoch time as a decimal string: milliseconds (documented), or seconds with `timestampUnit: "seconds"`. */
  Timestamp: string;
  /** Lowercase hex SHA-1 of AppSecret + Nonce + Timestamp. */
  Signature: string;
};

/**
 * Options of {@link createRongCloudHeaders}.
 *
 * @example
 * ```ts
 * const options: RongCloudHeadersOptions = { appKey, appSecret, clock: () => Date.now() };
 * const headers = createRongCloudHeaders(options);
 * ```
 */
export interface RongCloudHeadersOptions {
  /** The application's App Key (visible ASCII: it is a header value). */
  appKey: string;
  /** The application's App Secret. */
  appSecret: string | Secret;
  /** Source of the current time (epoch milliseconds). Default `Date.now`. */
  clock?: Clock;
  /** A nonce to use instead of a random one (tests, replays): 1 to 18 visible ASCII characters. */
  nonce?: string;
  /**
   * Unit of `Timestamp`: `"ms"` (default, as RongCloud documents) or `"seconds"` (what the official Node SDK
   * sends; the server accepts either, as it checks the value that was signed).
   */
  timestampUnit?: "ms" | "seconds";
}

/**
 * @internal Reveals an App Secret (`string | Secret`) for signing. One with a control character (a newline
 * read from a file) or a lone surrogate never signs what RongCloud expects. Throws `ERR_INVALID_CONFIG`,
 * never echoing the value.
 */
export function revealSecret(value: unknown, what: string): string {
  const [secret] = keyList(value, what);
  assertSecretText(secret!, what);
  return secret!;
}

/** @internal Checks a revealed secret: no control characters, well-formed UTF-16 (`ERR_INVALID_CONFIG`). */
export function assertSecretText(secret: string, what: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(secret)) {
    throw new ImAuthError(
      "ERR_INVALID_CONFIG",
      `${what} must not contain control characters (a line break?)`,
    );
  }
  if (!isWellFormed(secret)) {
    throw new ImAuthError("ERR_INVALID_CONFIG", `${what} must be well-formed UTF-16`);
  }
}

// Visible ASCII only: Headers refuses CR, LF and anything past U+00FF with a bare TypeError, trims spaces at
// the ends, and would send a Latin-1 byte where the signature hashed its UTF-8.
const HEADER_VALUE = /^[\x21-\x7e]+$/;

/**
 * @internal Checks a value sent as an HTTP header (`App-Key`, `Nonce`): visible ASCII, no spaces. Throws
 * `ImAuthError` with `code`, naming `what` but never echoing the value.
 */
export function assertHeaderValue(
  value: unknown,
  what: string,
  code: ImAuthErrorCode,
): asserts value is string {
  assertNonEmptyString(value, what, code);
  if (!HEADER_VALUE.test(value)) {
    throw new ImAuthError(
      code,
      `${what} must be visible ASCII without spaces (it is sent as an HTTP header)`,
    );
  }
}

/**
 * RongCloud's API signature: lowercase hex SHA-1 of the plain concatenation `appSecret + nonce + timestamp`
 * (UTF-8, no separator, no HMAC). The strings are hashed as given: a timestamp is never re-formatted. Pure;
 * prefer {@link createRongCloudHeaders}, which also picks the nonce and the time.
 *
 * @example
 * ```ts
 * rongCloudSignature("Y1W2MeFwwwRxa0", "14314", "1408710653000");
 * // "30be0bbca9c9b2e27578701e9fda2358a814c88f"
 * ```
 */
export function rongCloudSignature(appSecret: string | Secret, nonce: string, timestamp: string): string {
  const secret = typeof appSecret === "object" && appSecret !== null ? appSecret.reveal() : appSecret;
  if (typeof secret !== "string" || typeof nonce !== "string" || typeof timestamp !== "string") {
    throw new ImAuthError(
      "ERR_INVALID_INPUT",
      `rongCloudSignature(appSecret, nonce, timestamp) takes three strings, got ${typeName(nonce)} nonce`,
    );
  }
  // A lone surrogate hashes as U+FFFD: refuse it rather than sign a text other than the one given.
  if (!isWellFormed(secret) || !isWellFormed(nonce) || !isWellFormed(timestamp)) {
    throw new ImAuthError("ERR_INVALID_INPUT", "rongCloudSignature arguments must be well-formed UTF-16");
  }
  return sha1Hex(secret + nonce + timestamp);
}

// Random bytes are drawn 4 KiB at a time and handed out 8 at a time, each byte once: one
// crypto.getRandomValues call per 512 nonces instead of one per nonce.
const POOL_BYTES = 4096;
const NONCE_BYTES = 8;
let pool = new Uint8Array(0);
let poolOffset = 0;

/**
 * @internal A fresh nonce: 8 random bytes from `crypto.getRandomValues` as 16 lowercase hex characters
 * (RongCloud allows at most 18 characters; 64 bits make a repeat within the timestamp window unlikely).
 */
export function randomNonce(): string {
  if (poolOffset + NONCE_BYTES > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    poolOffset = 0;
  }
  const start = poolOffset;
  poolOffset += NONCE_BYTES;
  const nonce = hexEncode(pool.subarray(start, start + NONCE_BYTES));
  pool.fill(0, start, start + NONCE_BYTES);
  return nonce;
}

/** @internal A nonce given by the caller: 1 to 18 visible ASCII characters (`ERR_INVALID_INPUT`). */
export function readNonce(nonce: unknown): string {
  assertNonEmptyString(nonce, "nonce", "ERR_INVALID_INPUT", MAX_NONCE_LENGTH);
  assertHeaderValue(nonce, "nonce", "ERR_INVALID_INPUT");
  return nonce;
}

// The App Key and App Secret last checked: headers are made for every request with the same pair, and the
// checks (two regular expressions and a key-list read) cost as much as the SHA-1 itself on inputs this short.
let checkedAppKey: string | undefined;
let checkedSecret: string | undefined;

function checkedCredentials(appKey: unknown, appSecret: unknown): string {
  if (typeof appSecret === "string" && appKey === checkedAppKey && appSecret === checkedSecret)
    return appSecret;
  assertHeaderValue(appKey, "appKey", "ERR_INVALID_CONFIG");
  const secret = revealSecret(appSecret, "appSecret");
  if (typeof appSecret === "string") {
    checkedAppKey = appKey;
    checkedSecret = secret;
  }
  return secret;
}

/**
 * Makes the four headers of one server-API call: `App-Key`, a fresh random `Nonce` (16 hex characters),
 * `Timestamp` (epoch milliseconds from `clock`, as RongCloud documents) and `Signature`. Call it for every
 * request and every retry: the official Node SDK (`rongcloud-sdk` 3.x) computes its Nonce, Timestamp and
 * Signature once, when it is loaded, and sends the same three values with every request for the life of the
 * process, so one captured request replays forever. `timestampUnit: "seconds"` reproduces that SDK's
 * seconds (both units are accepted by the server). `appKey` and `nonce` become header values, so they must be
 * visible ASCII (`ERR_INVALID_CONFIG`, `ERR_INVALID_INPUT`).
 *
 * @example
 * ```ts
 * import { createRongCloudHeaders } from "@imauth/rongcloud";
 *
 * const headers = createRongCloudHeaders({ appKey: process.env.RONGCLOUD_APP_KEY!, appSecret: process.env.RONGCLOUD_APP_SECRET! });
 * // { "App-Key", Nonce: "9f86d081884c7d65", Timestamp: "1700000000000", Signature: "5c1b..." }
 * ```
 */
export function createRongCloudHeaders(options: RongCloudHeadersOptions): RongCloudHeaders {
  assertOptionsObject(options, "createRongCloudHeaders options", "ERR_INVALID_CONFIG");
  const { appKey, clock, nonce, timestampUnit = "ms" } = options;
  const appSecret = checkedCredentials(appKey, options.appSecret);
  if (timestampUnit !== "ms" && timestampUnit !== "seconds") {
    throw new ImAuthError("ERR_INVALID_CONFIG", 'timestampUnit must be "ms" or "seconds"');
  }
  const Nonce = nonce === undefined ? randomNonce() : readNonce(nonce);
  return signedHeaders(appKey as string, appSecret, readClock(clock), timestampUnit, Nonce);
}

/**
 * @internal The four headers from values already checked (the provider checks its App Key and Secret once,
 * when it is made): a fresh random nonce unless one is given.
 */
export function signedHeaders(
  appKey: string,
  appSecret: string,
  nowMs: number,
  timestampUnit: "ms" | "seconds" = "ms",
  Nonce: string = randomNonce(),
): RongCloudHeaders {
  const Timestamp = String(Math.floor(timestampUnit === "ms" ? nowMs : nowMs / 1000));
  return { "App-Key": appKey, Nonce, Timestamp, Signature: sha1Hex(appSecret + Nonce + Timestamp) };
}
