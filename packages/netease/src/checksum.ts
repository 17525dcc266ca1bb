import { type Clock, ImAuthError, type ImAuthErrorCode, type Secret } from "@imauth/core";
import {
  assertNonEmptyString,
  assertOptionsObject,
  hexEncode,
  isWellFormed,
  readClock,
  sha1Hex,
} from "@imauth/core/adapter";
import { revealSecret } from "./token.js";

/** Longest `Nonce` NetEase accepts, in characters. */
export const MAX_NONCE_LENGTH = 128;

/** How long NetEase accepts a CheckSum after its `CurTime`, in milliseconds (5 minutes). */
export const CHECKSUM_VALIDITY_MS = 5 * 60 * 1000;

/**
 * The four headers that authenticate one call to NetEase's server API (a plain object type, so it can be
 * passed as `HeadersInit`).
 *
 * @example
 * ```ts
 * const headers: NeteaseCheckSumHeaders = createCheckSumHeaders({ appKey, appSecret });
 * await fetch(url, { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body });
 * ```
 */
export type NeteaseCheckSumHeaders = {
  /** The application's AppKey. */
  AppKey: string;
  /** A random string of at most 128 characters, new for every request. */
  Nonce: string;
  /** Unix time in SECONDS, as a decimal string. */
  CurTime: string;
  /** Lowercase hex SHA-1 of AppSecret + Nonce + CurTime. */
  CheckSum: string;
};

/**
 * Options of {@link createCheckSumHeaders}.
 *
 * @example
 * ```ts
 * const options: CheckSumHeadersOptions = { appKey, appSecret, clock: () => Date.now() };
 * const headers = createCheckSumHeaders(options);
 * ```
 */
export interface CheckSumHeadersOptions {
  /** The application's AppKey. */
  appKey: string;
  /** The application's AppSecret. */
  appSecret: string | Secret;
  /** Source of the current time (epoch milliseconds). Default `Date.now`. */
  clock?: Clock;
  /** A nonce to use instead of a random one (tests, replays): 1 to 128 visible ASCII characters. */
  nonce?: string;
}

/**
 * NetEase's API CheckSum: lowercase hex SHA-1 of `appSecret + nonce + curTime`, where `curTime` is Unix time
 * in seconds as a string. Pure; prefer {@link createCheckSumHeaders}, which also picks the nonce and time.
 *
 * @example
 * ```ts
 * checkSum("c00000000000", "8dfdb33d2840", "1443592222");
 * // "a93a74f63c4a3c26d97ff6f25f484eb7579dddde"
 * ```
 */
export function checkSum(appSecret: string | Secret, nonce: string, curTime: string): string {
  const secret = appSecret instanceof Object && "reveal" in appSecret ? appSecret.reveal() : appSecret;
  if (typeof secret !== "string" || typeof nonce !== "string" || typeof curTime !== "string") {
    throw new ImAuthError("ERR_INVALID_INPUT", "checkSum(appSecret, nonce, curTime) takes three strings");
  }
  // A lone surrogate hashes as U+FFFD: refuse it rather than sign a text other than the one given.
  if (![secret, nonce, curTime].every(isWellFormed)) {
    throw new ImAuthError("ERR_INVALID_INPUT", "checkSum arguments must be well-formed UTF-16");
  }
  return sha1Hex(secret + nonce + curTime);
}

// Visible ASCII only: Headers refuses CR, LF and anything past U+00FF with a bare TypeError, trims spaces
// at the ends, and would send a Latin-1 byte where the signature hashed its UTF-8.
const HEADER_VALUE = /^[\x21-\x7e]+$/;

/**
 * Checks a value sent as an HTTP header (`AppKey`, `Nonce`): visible ASCII, no spaces. Throws `ImAuthError`
 * with `code`, naming `what` but never echoing the value.
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

// Random bytes are drawn 4 KiB at a time and handed out 16 at a time, each byte once: one
// crypto.getRandomValues call per 256 nonces instead of one per nonce (Node's randomUUID caches the same way).
const POOL_BYTES = 4096;
let pool = new Uint8Array(0);
let poolOffset = 0;

/**
 * A fresh nonce: 16 random bytes from `crypto.getRandomValues` as 32 lowercase hex characters (a UUID's
 * entropy without the dashes, like NetEase's own SDKs).
 *
 * @example
 * ```ts
 * randomNonce(); // "3f2a9c0e5b7d41e8a6c4f0b2d9e87a15"
 * ```
 */
export function randomNonce(): string {
  if (poolOffset + 16 > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    poolOffset = 0;
  }
  const start = poolOffset;
  poolOffset += 16;
  const nonce = hexEncode(pool.subarray(start, start + 16));
  pool.fill(0, start, start + 16);
  return nonce;
}

/**
 * Makes the four headers of one server-API call: `AppKey`, a fresh random `Nonce`, `CurTime` (Unix seconds
 * from `clock`) and `CheckSum`. Call it for every request and every retry: a CheckSum is accepted for only
 * five minutes, and reusing one computed at start-up is the commonest NetEase integration bug. `appKey` (and
 * `nonce`) become header values, so they must be visible ASCII (`ERR_INVALID_CONFIG`, `ERR_INVALID_INPUT`).
 *
 * @example
 * ```ts
 * import { createCheckSumHeaders } from "@imauth/netease";
 *
 * const headers = createCheckSumHeaders({ appKey: process.env.NIM_APP_KEY!, appSecret: process.env.NIM_APP_SECRET! });
 * // { AppKey, Nonce: "9f86d0...", CurTime: "1700000000", CheckSum: "5c1b..." }
 * ```
 */
export function createCheckSumHeaders(options: CheckSumHeadersOptions): NeteaseCheckSumHeaders {
  assertOptionsObject(options, "createCheckSumHeaders options", "ERR_INVALID_CONFIG");
  const { appKey, clock, nonce } = options;
  assertHeaderValue(appKey, "appKey", "ERR_INVALID_CONFIG");
  const appSecret = revealSecret(options.appSecret, "appSecret");
  let Nonce: string;
  if (nonce === undefined) Nonce = randomNonce();
  else {
    assertNonEmptyString(nonce, "nonce", "ERR_INVALID_INPUT", MAX_NONCE_LENGTH);
    assertHeaderValue(nonce, "nonce", "ERR_INVALID_INPUT");
    Nonce = nonce;
  }
  const CurTime = String(Math.floor(readClock(clock) / 1000));
  return { AppKey: appKey, Nonce, CurTime, CheckSum: sha1Hex(appSecret + Nonce + CurTime) };
}
