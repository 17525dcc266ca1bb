import { type Clock, ImAuthError, isImAuthError } from "@imauth/core";
import {
  anyKeyMatches,
  assertOptionsObject,
  base64Decode,
  constantTimeEqual,
  isWellFormed,
  type KeyInput,
  keyList,
  readClock,
  tencentBase64Decode,
  utf8Decode,
  zlibDecompress,
} from "@imauth/core/adapter";
import {
  assertAccid,
  assertChannelName,
  assertSignedConfig,
  dynamicTokenSignature,
  MAX_NERTC_TOKEN_TTL_SECONDS,
  MAX_TOKEN_CURTIME_MS,
  MAX_TOKEN_TTL_SECONDS,
  MIN_TOKEN_CURTIME_MS,
  type NertcUid,
  nertcPermissionKeyChecksum,
  nertcPermissionKeyContent,
  nertcTokenSignature,
  nertcUidString,
  revealSecret,
} from "./token.js";

/** Longest token or permission key accepted for decoding, in characters; real ones are ~150. */
export const MAX_ENCODED_TOKEN_LENGTH = 2048;

// Keeps every derived Date valid (Dates end at 8.64e15 ms): the year 255,000 is late enough.
const MAX_TIME_MS = 8e15;

// How far a token's curTime may run ahead of the clock by default: NetEase's own 5-minute CheckSum window.
const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

// Each millisecond of tolerated skew lets more shifted curTimes pass as "not in the future": cap it at an hour.
const MAX_CLOCK_SKEW_MS = 60 * 60 * 1000;

/** Cap on a permission key's inflated JSON, in bytes (real ones are ~200). */
const MAX_PERMISSION_KEY_JSON_BYTES = 4096;

/**
 * The fields of a dynamic login token or a NERTC token (both have the same layout).
 *
 * @example
 * ```ts
 * const { curTimeMs, ttlSeconds }: DecodedNeteaseToken = decodeDynamicToken(token);
 * ```
 */
export interface DecodedNeteaseToken {
  /** Lowercase hex SHA-1 signature. */
  signature: string;
  /** When the token was made, epoch milliseconds. */
  curTimeMs: number;
  /** Lifetime in seconds. */
  ttlSeconds: number;
  /** `curTimeMs` as a Date. */
  issuedAt: Date;
  /** `curTimeMs + ttlSeconds * 1000` as a Date. */
  expiresAt: Date;
}

function malformed(what: string, detail: string, cause?: unknown): ImAuthError {
  return new ImAuthError("ERR_MALFORMED_CREDENTIAL", `${what} ${detail}`, cause ? { cause } : {});
}

function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw malformed(what, "does not contain JSON", cause);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw malformed(what, "does not contain a JSON object");
  }
  // A JSON escape can spell a lone surrogate ("\ud800") that strict UTF-8 never yields: no genuine document
  // holds one, and a field read back from it would sign like its U+FFFD twin.
  for (const [key, field] of Object.entries(value)) {
    if (!isWellFormed(key) || (typeof field === "string" && !isWellFormed(field))) {
      throw malformed(what, "holds a string that is not well-formed UTF-16");
    }
  }
  return value as Record<string, unknown>;
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max;
}

function decodeSignedToken(token: unknown, what: string, maxTtlSeconds: number): DecodedNeteaseToken {
  if (typeof token !== "string" || token.length === 0) throw malformed(what, "must be a non-empty string");
  if (token.length > MAX_ENCODED_TOKEN_LENGTH) {
    throw malformed(what, `is longer than ${MAX_ENCODED_TOKEN_LENGTH} characters`);
  }
  let text: string;
  try {
    text = utf8Decode(base64Decode(token, what));
  } catch (cause) {
    throw malformed(what, "is not base64 of UTF-8 text", cause);
  }
  const json = parseJsonObject(text, what);
  const { signature, curTime, ttl } = json;
  if (typeof signature !== "string" || !/^[0-9a-f]{40}$/.test(signature)) {
    throw malformed(what, "has no 40-character hex signature");
  }
  // Exactly 13 digits and the generators' ttl range: the signed text is a bare digit run, so fixed widths and
  // ranges are what refuse most readings with digits moved between fields (see verifyDynamicToken).
  if (!isIntegerIn(curTime, MIN_TOKEN_CURTIME_MS, MAX_TOKEN_CURTIME_MS)) {
    throw malformed(what, "has no valid curTime (13-digit epoch milliseconds)");
  }
  if (!isIntegerIn(ttl, 1, maxTtlSeconds)) {
    throw malformed(what, `has no valid ttl (1 to ${maxTtlSeconds} seconds)`);
  }
  return {
    signature,
    curTimeMs: curTime,
    ttlSeconds: ttl,
    issuedAt: new Date(curTime),
    expiresAt: new Date(curTime + ttl * 1000),
  };
}

function maxSkewOf(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_CLOCK_SKEW_MS;
  if (typeof value !== "number" || !(value >= 0 && value <= MAX_CLOCK_SKEW_MS)) {
    throw new ImAuthError(
      "ERR_INVALID_CONFIG",
      `maxClockSkewMs must be a number from 0 to ${MAX_CLOCK_SKEW_MS}`,
    );
  }
  return value;
}

/**
 * @internal One secret or `[current, ...previous]` (rotation), each checked like a single secret (the rules
 * of `revealSecret`: no control characters, well-formed). An empty list is `ERR_INVALID_CONFIG`.
 */
export function readSecretList(value: unknown, what: string): readonly string[] {
  return keyList(value, what).map((secret) => revealSecret(secret, what));
}

/**
 * What a dynamic and a NERTC token check share; `sign` recomputes the signature from the decoded fields with
 * one of `secrets`.
 */
interface SignedTokenCheck {
  token: unknown;
  what: string;
  maxTtlSeconds: number;
  clock: Clock | undefined;
  maxClockSkewMs: unknown;
  secrets: readonly string[];
  sign(decoded: DecodedNeteaseToken, secret: string): string;
  mismatch: string;
}

function verifySignedToken(check: SignedTokenCheck): DecodedNeteaseToken {
  const { what } = check;
  const skewMs = maxSkewOf(check.maxClockSkewMs);
  const decoded = decodeSignedToken(check.token, what, check.maxTtlSeconds);
  const nowMs = readClock(check.clock);
  // No genuine token comes from the future; a shifted one often does (digits moved into curTime).
  if (decoded.curTimeMs > nowMs + skewMs) {
    throw malformed(what, `has a curTime more than ${skewMs} ms ahead of the clock`);
  }
  const matches = (secret: string) => constantTimeEqual(check.sign(decoded, secret), decoded.signature);
  if (!anyKeyMatches(check.secrets, matches)) {
    throw new ImAuthError("ERR_SIGNATURE_INVALID", check.mismatch);
  }
  if (nowMs >= decoded.expiresAt.getTime()) {
    throw new ImAuthError("ERR_CREDENTIAL_EXPIRED", `${what} expired at ${decoded.expiresAt.toISOString()}`);
  }
  return decoded;
}

function asInput<T>(options: T, what: string): T {
  assertOptionsObject(options, `${what} options`);
  return options;
}

/**
 * Decodes a dynamic login token without checking its signature (for logging or routing; use
 * {@link verifyDynamicToken} to trust it). Throws `ImAuthError` `ERR_MALFORMED_CREDENTIAL` on anything that
 * is not a token.
 *
 * @example
 * ```ts
 * const { expiresAt } = decodeDynamicToken(token);
 * ```
 */
export function decodeDynamicToken(token: string): DecodedNeteaseToken {
  return decodeSignedToken(token, "dynamic token", MAX_TOKEN_TTL_SECONDS);
}

/**
 * Options of {@link verifyDynamicToken}.
 *
 * @example
 * ```ts
 * const options: VerifyDynamicTokenOptions = { token, appKey, appSecret, accid: "user01" };
 * verifyDynamicToken(options);
 * ```
 */
export interface VerifyDynamicTokenOptions {
  /** The token to check. */
  token: string;
  /** The application's AppKey. */
  appKey: string;
  /** The application's AppSecret, or `[current, ...previous]` while it is being changed. */
  appSecret: KeyInput;
  /** The account the token must be for. */
  accid: string;
  /** Source of the current time (epoch milliseconds). Default `Date.now`. */
  clock?: Clock;
  /** How far `curTime` may be ahead of the clock, in ms: 0 to 3600000 (one hour). Default 300000 (5 minutes). */
  maxClockSkewMs?: number;
}

/**
 * Checks a dynamic login token the way NetEase does: the signature must match appKey, accid, curTime, ttl
 * and appSecret (compared in constant time), and the token must not have expired. Returns the decoded
 * fields. Throws `ImAuthError` `ERR_MALFORMED_CREDENTIAL`, `ERR_SIGNATURE_INVALID` (also for another app or
 * account: both are inside the signature) or `ERR_CREDENTIAL_EXPIRED`.
 *
 * NetEase signs the bare text `appKey + accid + curTime + ttl + appSecret`, so the signature cannot tell
 * where the accid ends. What no genuine token has is refused as malformed: a `curTime` that is not 13 digits
 * (before 2001-09-09, or in seconds) or is more than `maxClockSkewMs` ahead of the clock, and a `ttl` outside
 * 1 to 2^31 - 1. That stops the plain shift (a token for `alice1` read for `alice` needs a 14-digit,
 * far-future curTime) but not every shift: moving k digits across the end of the accid also moves k digits
 * between curTime and ttl, and the result passes when it reads as a past curTime whose new ttl reaches now.
 * A 600 s token issued at 1765432109876 for `bob1765` verifies for `bob` (as curTime 1765176543210, ttl
 * 9876600); a token for `alice` issued at 1717650000000 with ttl 1086400 verifies for `alice17` from
 * 1765000000010 (as ttl 86400). One accid is always the other plus trailing digits: when no accid of the app
 * ends in a digit, or all accids have the same length, no shift remains.
 *
 * @example
 * ```ts
 * import { verifyDynamicToken } from "@imauth/netease";
 *
 * const { expiresAt } = verifyDynamicToken({ token, appKey, appSecret, accid: "user01" });
 * ```
 */
export function verifyDynamicToken(options: VerifyDynamicTokenOptions): DecodedNeteaseToken {
  const { token, appKey, accid, clock, maxClockSkewMs } = asInput(options, "verifyDynamicToken");
  assertSignedConfig(appKey, "appKey");
  const secrets = readSecretList(options.appSecret, "appSecret");
  assertAccid(accid);
  return verifySignedToken({
    token,
    what: "dynamic token",
    maxTtlSeconds: MAX_TOKEN_TTL_SECONDS,
    clock,
    maxClockSkewMs,
    secrets,
    sign: (d, appSecret) => dynamicTokenSignature(appKey, appSecret, accid, d.curTimeMs, d.ttlSeconds),
    mismatch: "dynamic token signature does not match (wrong appKey, appSecret or accid)",
  });
}

/**
 * Decodes a NERTC token without checking its signature. Throws `ImAuthError` `ERR_MALFORMED_CREDENTIAL` on
 * anything that is not a token.
 *
 * @example
 * ```ts
 * const { curTimeMs, ttlSeconds } = decodeNertcToken(token);
 * ```
 */
export function decodeNertcToken(token: string): DecodedNeteaseToken {
  return decodeSignedToken(token, "NERTC token", MAX_NERTC_TOKEN_TTL_SECONDS);
}

/**
 * Options of {@link verifyNertcToken}.
 *
 * @example
 * ```ts
 * const options: VerifyNertcTokenOptions = { token, appKey, appSecret, uid: 10000, channelName: "room1" };
 * verifyNertcToken(options);
 * ```
 */
export interface VerifyNertcTokenOptions {
  /** The token to check. */
  token: string;
  /** The application's AppKey. */
  appKey: string;
  /** The application's AppSecret, or `[current, ...previous]` while it is being changed. */
  appSecret: KeyInput;
  /** The NERTC user ID the token must be for. */
  uid: NertcUid;
  /** The room the token must be for. */
  channelName: string;
  /** Source of the current time (epoch milliseconds). Default `Date.now`. */
  clock?: Clock;
  /** How far `curTime` may be ahead of the clock, in ms: 0 to 3600000 (one hour). Default 300000 (5 minutes). */
  maxClockSkewMs?: number;
}

/**
 * Checks a NERTC token: signature (constant-time) over appKey, uid, curTime, ttl, channelName and appSecret,
 * then expiry. Throws `ImAuthError` `ERR_MALFORMED_CREDENTIAL`, `ERR_SIGNATURE_INVALID` or
 * `ERR_CREDENTIAL_EXPIRED` (`ERR_INVALID_INPUT` for a bad uid or channel name).
 *
 * NetEase signs the bare text `appKey + uid + curTime + ttl + channelName + appSecret`. As in
 * {@link verifyDynamicToken}, a `curTime` that is not 13 digits or is more than `maxClockSkewMs` ahead of the
 * clock, and a `ttl` outside 1 to 86399, are refused as malformed, so a token for uid `12` no longer reads
 * for uid `1` with a curTime `2…`. What remains: the ttl trades digits freely with a channel name that starts
 * with one (a 1800 s token for `room` verifies for `0room` as ttl 180, a 600 s token for `5room` for `room`
 * as ttl 6005), so use channel names that never start with a digit. Then the uid can still trade up to 4
 * trailing digits with curTime, but only at moments when the shifted curTime falls within the day before now
 * (the ttl cap); uids that all have the same number of digits rule that out too.
 *
 * @example
 * ```ts
 * verifyNertcToken({ token, appKey, appSecret, uid: 10000, channelName: "room1" });
 * ```
 */
export function verifyNertcToken(options: VerifyNertcTokenOptions): DecodedNeteaseToken {
  const { token, appKey, uid, channelName, clock, maxClockSkewMs } = asInput(options, "verifyNertcToken");
  assertSignedConfig(appKey, "appKey");
  const secrets = readSecretList(options.appSecret, "appSecret");
  assertChannelName(channelName);
  const uidText = nertcUidString(uid);
  return verifySignedToken({
    token,
    what: "NERTC token",
    maxTtlSeconds: MAX_NERTC_TOKEN_TTL_SECONDS,
    clock,
    maxClockSkewMs,
    secrets,
    sign: (d, appSecret) =>
      nertcTokenSignature(appKey, appSecret, uidText, d.curTimeMs, d.ttlSeconds, channelName),
    mismatch: "NERTC token signature does not match (wrong appKey, appSecret, uid or channelName)",
  });
}

/**
 * The fields of a NERTC permission key.
 *
 * @example
 * ```ts
 * const { privilege, expiresAt }: DecodedNertcPermissionKey = decodeNertcPermissionKey(key);
 * ```
 */
export interface DecodedNertcPermissionKey {
  /** The AppKey the key is for. */
  appKey: string;
  /** Standard base64 HMAC-SHA256 checksum. */
  checksum: string;
  /** The room name. */
  channelName: string;
  /** When the key was made, Unix seconds. */
  curTimeSeconds: number;
  /** Lifetime in seconds (`expireTime` in the JSON). */
  ttlSeconds: number;
  /** Privilege bits. */
  privilege: number;
  /** The user ID as a decimal string (exact even beyond 2^53). */
  uid: string;
  /** `curTimeSeconds` as a Date. */
  issuedAt: Date;
  /** `(curTimeSeconds + ttlSeconds) * 1000` as a Date. */
  expiresAt: Date;
}

/**
 * Decodes a NERTC permission key (Tencent base64, zlib, JSON) without checking its checksum. The inflated
 * size is capped, so a zlib bomb is refused without being allocated. Throws `ImAuthError`
 * `ERR_MALFORMED_CREDENTIAL` on anything that is not a permission key.
 *
 * @example
 * ```ts
 * import { decodeNertcPermissionKey } from "@imauth/netease";
 *
 * const { uid, channelName, privilege } = decodeNertcPermissionKey(permissionKey);
 * ```
 */
export function decodeNertcPermissionKey(key: string): DecodedNertcPermissionKey {
  const what = "NERTC permission key";
  if (typeof key !== "string" || key.length === 0) throw malformed(what, "must be a non-empty string");
  if (key.length > MAX_ENCODED_TOKEN_LENGTH) {
    throw malformed(what, `is longer than ${MAX_ENCODED_TOKEN_LENGTH} characters`);
  }
  let text: string;
  try {
    const zipped = tencentBase64Decode(key, what);
    text = utf8Decode(zlibDecompress(zipped, { maxBytes: MAX_PERMISSION_KEY_JSON_BYTES, what }));
  } catch (cause) {
    if (isImAuthError(cause, "ERR_MALFORMED_CREDENTIAL")) throw cause;
    throw malformed(what, "is not Tencent base64 of zlib-compressed UTF-8 text", cause);
  }
  const json = parseJsonObject(text, what);
  const { appkey, checksum, cname, curTime, expireTime, privilege } = json;
  if (typeof appkey !== "string" || appkey.length === 0) throw malformed(what, "has no appkey");
  if (typeof checksum !== "string" || checksum.length === 0) throw malformed(what, "has no checksum");
  if (typeof cname !== "string" || cname.length === 0) throw malformed(what, "has no cname");
  for (const [name, value, max] of [
    ["curTime", curTime, MAX_TIME_MS / 1000],
    ["expireTime", expireTime, MAX_TOKEN_TTL_SECONDS],
    ["privilege", privilege, MAX_TOKEN_TTL_SECONDS],
  ] as const) {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value > max) {
      throw malformed(what, `has no valid ${name}`);
    }
  }
  // JSON.parse rounds integers beyond 2^53: read the uid's digits from the text itself.
  const uidMatch = /"uid"\s*:\s*(\d{1,19})\s*[,}]/.exec(text);
  if (!uidMatch || typeof json.uid !== "number") throw malformed(what, "has no valid uid");
  const curTimeSeconds = curTime as number;
  const ttlSeconds = expireTime as number;
  return {
    appKey: appkey,
    checksum,
    channelName: cname,
    curTimeSeconds,
    ttlSeconds,
    privilege: privilege as number,
    uid: uidMatch[1]!,
    issuedAt: new Date(curTimeSeconds * 1000),
    expiresAt: new Date((curTimeSeconds + ttlSeconds) * 1000),
  };
}

/**
 * Options of {@link verifyNertcPermissionKey}.
 *
 * @example
 * ```ts
 * const options: VerifyNertcPermissionKeyOptions = { key, appKey, permSecret };
 * verifyNertcPermissionKey(options);
 * ```
 */
export interface VerifyNertcPermissionKeyOptions {
  /** The permission key to check. */
  key: string;
  /** The application's AppKey. */
  appKey: string;
  /** The permission secret, or `[current, ...previous]` while it is being changed. */
  permSecret: KeyInput;
  /** Source of the current time (epoch milliseconds). Default `Date.now`. */
  clock?: Clock;
}

/**
 * Checks a NERTC permission key: it names `appKey`, its checksum matches (constant-time) and it has not
 * expired. Returns the decoded fields. Throws `ImAuthError` `ERR_MALFORMED_CREDENTIAL`, `ERR_APP_MISMATCH`,
 * `ERR_SIGNATURE_INVALID` or `ERR_CREDENTIAL_EXPIRED`.
 *
 * @example
 * ```ts
 * const { uid, privilege } = verifyNertcPermissionKey({ key, appKey, permSecret });
 * ```
 */
export function verifyNertcPermissionKey(
  options: VerifyNertcPermissionKeyOptions,
): DecodedNertcPermissionKey {
  const { key, appKey, clock } = asInput(options, "verifyNertcPermissionKey");
  assertSignedConfig(appKey, "appKey");
  const permSecrets = readSecretList(options.permSecret, "permSecret");
  const decoded = decodeNertcPermissionKey(key);
  if (decoded.appKey !== appKey) {
    throw new ImAuthError("ERR_APP_MISMATCH", "NERTC permission key was made for another appKey");
  }
  const content = nertcPermissionKeyContent(
    decoded.appKey,
    decoded.uid,
    decoded.curTimeSeconds,
    decoded.ttlSeconds,
    decoded.channelName,
    decoded.privilege,
  );
  const matches = (permSecret: string) =>
    constantTimeEqual(nertcPermissionKeyChecksum(permSecret, content), decoded.checksum);
  if (!anyKeyMatches(permSecrets, matches)) {
    throw new ImAuthError("ERR_SIGNATURE_INVALID", "NERTC permission key checksum does not match");
  }
  if (readClock(clock) >= decoded.expiresAt.getTime()) {
    throw new ImAuthError(
      "ERR_CREDENTIAL_EXPIRED",
      `NERTC permission key expired at ${decoded.expiresAt.toISOString()}`,
    );
  }
  return decoded;
}
