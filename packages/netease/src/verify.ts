import {
  assertNonEmptyString,
  base64Decode,
  type Clock,
  constantTimeEqual,
  ImAuthError,
  isImAuthError,
  readClock,
  tencentBase64Decode,
  utf8Decode,
  zlibDecompress,
} from "@imauth/core";
import {
  assertAccid,
  dynamicTokenSignature,
  MAX_TOKEN_TTL_SECONDS,
  type NertcUid,
  nertcPermissionKeyChecksum,
  nertcPermissionKeyContent,
  nertcTokenSignature,
  nertcUidString,
} from "./token.js";

/** Longest token or permission key accepted for decoding, in characters; real ones are ~150. */
export const MAX_ENCODED_TOKEN_LENGTH = 2048;

// Keeps every derived Date valid (Dates end at 8.64e15 ms): the year 255,000 is late enough.
const MAX_TIME_MS = 8e15;

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
  return value as Record<string, unknown>;
}

function decodeSignedToken(token: unknown, what: string): DecodedNeteaseToken {
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
  if (typeof curTime !== "number" || !Number.isSafeInteger(curTime) || curTime < 0 || curTime > MAX_TIME_MS) {
    throw malformed(what, "has no valid curTime (epoch milliseconds)");
  }
  if (typeof ttl !== "number" || !Number.isSafeInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_TTL_SECONDS) {
    throw malformed(what, "has no valid ttl (seconds)");
  }
  return {
    signature,
    curTimeMs: curTime,
    ttlSeconds: ttl,
    issuedAt: new Date(curTime),
    expiresAt: new Date(curTime + ttl * 1000),
  };
}

function checkExpiry(decoded: DecodedNeteaseToken, clock: Clock | undefined, what: string): void {
  if (readClock(clock) >= decoded.expiresAt.getTime()) {
    throw new ImAuthError("ERR_CREDENTIAL_EXPIRED", `${what} expired at ${decoded.expiresAt.toISOString()}`);
  }
}

function asInput<T>(options: T, what: string): T {
  if (typeof options !== "object" || options === null) {
    throw new ImAuthError("ERR_INVALID_INPUT", `${what} options must be an object`);
  }
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
  return decodeSignedToken(token, "dynamic token");
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
  /** The application's AppSecret. */
  appSecret: string;
  /** The account the token must be for. */
  accid: string;
  /** Source of the current time (epoch milliseconds). Default `Date.now`. */
  clock?: Clock;
}

/**
 * Checks a dynamic login token the way NetEase does: the signature must match appKey, accid, curTime, ttl
 * and appSecret (compared in constant time), and the token must not have expired. Returns the decoded
 * fields. Throws `ImAuthError` `ERR_MALFORMED_CREDENTIAL`, `ERR_SIGNATURE_INVALID` (also for another app or
 * account: both are inside the signature) or `ERR_CREDENTIAL_EXPIRED`.
 *
 * @example
 * ```ts
 * import { verifyDynamicToken } from "@imauth/netease";
 *
 * const { expiresAt } = verifyDynamicToken({ token, appKey, appSecret, accid: "user01" });
 * ```
 */
export function verifyDynamicToken(options: VerifyDynamicTokenOptions): DecodedNeteaseToken {
  const { token, appKey, appSecret, accid, clock } = asInput(options, "verifyDynamicToken");
  assertNonEmptyString(appKey, "appKey");
  assertNonEmptyString(appSecret, "appSecret");
  assertAccid(accid);
  const decoded = decodeSignedToken(token, "dynamic token");
  const expected = dynamicTokenSignature(appKey, appSecret, accid, decoded.curTimeMs, decoded.ttlSeconds);
  if (!constantTimeEqual(expected, decoded.signature)) {
    throw new ImAuthError(
      "ERR_SIGNATURE_INVALID",
      "dynamic token signature does not match (wrong appKey, appSecret or accid)",
    );
  }
  checkExpiry(decoded, clock, "dynamic token");
  return decoded;
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
  return decodeSignedToken(token, "NERTC token");
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
  /** The application's AppSecret. */
  appSecret: string;
  /** The NERTC user ID the token must be for. */
  uid: NertcUid;
  /** The room the token must be for. */
  channelName: string;
  /** Source of the current time (epoch milliseconds). Default `Date.now`. */
  clock?: Clock;
}

/**
 * Checks a NERTC token: signature (constant-time) over appKey, uid, curTime, ttl, channelName and appSecret,
 * then expiry. Throws `ImAuthError` `ERR_MALFORMED_CREDENTIAL`, `ERR_SIGNATURE_INVALID` or
 * `ERR_CREDENTIAL_EXPIRED`.
 *
 * @example
 * ```ts
 * verifyNertcToken({ token, appKey, appSecret, uid: 10000, channelName: "room1" });
 * ```
 */
export function verifyNertcToken(options: VerifyNertcTokenOptions): DecodedNeteaseToken {
  const { token, appKey, appSecret, uid, channelName, clock } = asInput(options, "verifyNertcToken");
  assertNonEmptyString(appKey, "appKey");
  assertNonEmptyString(appSecret, "appSecret");
  assertNonEmptyString(channelName, "channelName", "ERR_INVALID_INPUT");
  const uidText = nertcUidString(uid);
  const decoded = decodeSignedToken(token, "NERTC token");
  const expected = nertcTokenSignature(
    appKey,
    appSecret,
    uidText,
    decoded.curTimeMs,
    decoded.ttlSeconds,
    channelName,
  );
  if (!constantTimeEqual(expected, decoded.signature)) {
    throw new ImAuthError(
      "ERR_SIGNATURE_INVALID",
      "NERTC token signature does not match (wrong appKey, appSecret, uid or channelName)",
    );
  }
  checkExpiry(decoded, clock, "NERTC token");
  return decoded;
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
  /** The permission secret. */
  permSecret: string;
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
  const { key, appKey, permSecret, clock } = asInput(options, "verifyNertcPermissionKey");
  assertNonEmptyString(appKey, "appKey");
  assertNonEmptyString(permSecret, "permSecret");
  const decoded = decodeNertcPermissionKey(key);
  if (decoded.appKey !== appKey) {
    throw new ImAuthError("ERR_APP_MISMATCH", "NERTC permission key was made for another appKey");
  }
  const expected = nertcPermissionKeyChecksum(
    permSecret,
    nertcPermissionKeyContent(
      decoded.appKey,
      decoded.uid,
      decoded.curTimeSeconds,
      decoded.ttlSeconds,
      decoded.channelName,
      decoded.privilege,
    ),
  );
  if (!constantTimeEqual(expected, decoded.checksum)) {
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
