import { type Clock, ImAuthError, type Secret } from "@imauth/core";
import {
  assertInteger,
  assertNonEmptyString,
  assertOptionsObject,
  assertUserId,
  assertWellFormed,
  base64Encode,
  readClock,
  sha1Hex,
  tencentBase64Encode,
  typeName,
  utf8Encode,
} from "@imauth/core/adapter";
import { zlibCompress } from "@imauth/core/deflate";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";

/** Longest accid NetEase accepts, in characters. */
export const MAX_ACCID_LENGTH = 32;

/** Longest lifetime accepted for login tokens and permission keys, in seconds (2^31 - 1). */
export const MAX_TOKEN_TTL_SECONDS = 2 ** 31 - 1;

/** NERTC tokens must live less than a day: the longest accepted lifetime in seconds. */
export const MAX_NERTC_TOKEN_TTL_SECONDS = 86_399;

/**
 * Earliest `curTime` of a dynamic or NERTC token: the first 13-digit epoch in milliseconds (2001-09-09).
 * Tokens are signed over bare digit concatenations, so a fixed width is what keeps most shifts of digits
 * between the accid or uid and `curTime` from verifying (and it rules out seconds, and anything before 2000;
 * `verifyDynamicToken` documents what remains).
 */
export const MIN_TOKEN_CURTIME_MS = 1_000_000_000_000;

/** Latest `curTime` of a dynamic or NERTC token: the last 13-digit epoch in milliseconds (2286-11-20). */
export const MAX_TOKEN_CURTIME_MS = 9_999_999_999_999;

/** Bits of a NERTC permission key's `privilege`; combine them with `|`. */
export const NERTC_PRIVILEGE = Object.freeze({
  /** Publish audio. */
  SEND_AUDIO: 1,
  /** Publish video. */
  SEND_VIDEO: 2,
  /** Subscribe to audio. */
  RECEIVE_AUDIO: 4,
  /** Subscribe to video. */
  RECEIVE_VIDEO: 8,
  /** Create the room. */
  CREATE_ROOM: 16,
  /** Join the room. */
  JOIN_ROOM: 32,
  /** Every bit above. */
  ALL: 63,
} as const);

/**
 * A NERTC user ID: a non-negative 64-bit integer as a number, bigint or decimal string.
 *
 * @example
 * ```ts
 * const uids: NertcUid[] = [10000, 9007199254740993n, "9223372036854775807"];
 * ```
 */
export type NertcUid = number | bigint | string;

const ACCID_PATTERN = /^[A-Za-z0-9_@.-]+$/;
const MAX_UINT63 = (1n << 63n) - 1n;

/**
 * Checks an accid: 1 to 32 characters among letters, digits, `_`, `@`, `.` and `-`, as NetEase requires.
 * Throws `ImAuthError` `ERR_INVALID_INPUT` naming `what` otherwise.
 *
 * @example
 * ```ts
 * assertAccid("user01"); // ok
 * assertAccid("user 01"); // throws ERR_INVALID_INPUT
 * ```
 */
export function assertAccid(value: unknown, what = "accid"): asserts value is string {
  assertUserId(value, { maxBytes: MAX_ACCID_LENGTH, what });
  if (!ACCID_PATTERN.test(value)) {
    throw new ImAuthError(
      "ERR_INVALID_INPUT",
      `${what} may contain only letters, digits, "_", "@", "." and "-"`,
    );
  }
}

/** Normalises a NERTC uid to its decimal string (JSON and signatures use the number's digits). */
export function nertcUidString(uid: unknown, what = "uid"): string {
  let digits: string;
  if (typeof uid === "number") {
    assertInteger(uid, what, { min: 0 });
    digits = String(uid);
  } else if (typeof uid === "bigint") {
    digits = uid.toString();
  } else if (typeof uid === "string") {
    if (!/^(0|[1-9][0-9]{0,18})$/.test(uid)) {
      throw new ImAuthError("ERR_INVALID_INPUT", `${what} must be a decimal integer without leading zeros`);
    }
    digits = uid;
  } else {
    throw new ImAuthError(
      "ERR_INVALID_INPUT",
      `${what} must be a number, bigint or decimal string, got ${typeName(uid)}`,
    );
  }
  const value = BigInt(digits);
  if (value < 0n || value > MAX_UINT63) {
    throw new ImAuthError("ERR_INVALID_INPUT", `${what} must be between 0 and 2^63 - 1`);
  }
  return digits;
}

/**
 * Checks a room name: 1 to 64 characters of well-formed UTF-16 (a lone surrogate would sign as U+FFFD, so
 * two names would share every token). Throws `ImAuthError` `ERR_INVALID_INPUT`.
 */
export function assertChannelName(value: unknown): asserts value is string {
  assertNonEmptyString(value, "channelName", "ERR_INVALID_INPUT", 64);
  assertWellFormed(value, "channelName");
}

/**
 * Checks an AppKey or a secret that gets signed: non-empty, well-formed UTF-16 (see
 * {@link assertChannelName}). Throws `ImAuthError` `ERR_INVALID_CONFIG`, like every other check of them.
 */
export function assertSignedConfig(value: unknown, what: string): asserts value is string {
  assertNonEmptyString(value, what);
  assertWellFormed(value, what, "ERR_INVALID_CONFIG");
}

/**
 * A secret given as a string or a core `Secret`, revealed and checked as {@link assertSignedConfig} checks
 * it (`ERR_INVALID_CONFIG`, naming `what`, never echoing the value).
 */
export function revealSecret(value: unknown, what: string): string {
  const revealed =
    typeof value === "object" && value !== null && typeof (value as Secret).reveal === "function"
      ? (value as Secret).reveal()
      : value;
  if (typeof revealed !== "string") {
    throw new ImAuthError(
      "ERR_INVALID_CONFIG",
      `${what} must be a string or a Secret, got ${typeName(revealed)}`,
    );
  }
  assertSignedConfig(revealed, what);
  return revealed;
}

/** The clock as a token `curTime`, refusing what verifiers would refuse (see {@link MIN_TOKEN_CURTIME_MS}). */
function tokenCurTime(clock: Clock | undefined): number {
  const nowMs = Math.floor(readClock(clock));
  if (nowMs < MIN_TOKEN_CURTIME_MS || nowMs > MAX_TOKEN_CURTIME_MS) {
    throw new ImAuthError(
      "ERR_INVALID_CONFIG",
      "clock must read a 13-digit epoch in milliseconds (2001-09-09 to 2286-11-20) to make a token",
    );
  }
  return nowMs;
}

/**
 * Options of {@link genDynamicToken}.
 *
 * @example
 * ```ts
 * const options: DynamicTokenOptions = { appKey, appSecret, accid: "user01", ttlSeconds: 600 };
 * const token = genDynamicToken(options);
 * ```
 */
export interface DynamicTokenOptions {
  /** The application's AppKey. */
  appKey: string;
  /** The application's AppSecret. */
  appSecret: string | Secret;
  /** The user's account ID (accid). */
  accid: string;
  /** Lifetime in seconds, 1 to 2^31 - 1. */
  ttlSeconds: number;
  /** Source of the current time (epoch milliseconds, 13 digits). Default `Date.now`. */
  clock?: Clock;
}

/** The signature of a dynamic login token (also used to verify one). */
export function dynamicTokenSignature(
  appKey: string,
  appSecret: string,
  accid: string,
  curTimeMs: number,
  ttlSeconds: number,
): string {
  return sha1Hex(appKey + accid + curTimeMs + ttlSeconds + appSecret);
}

/**
 * Makes a dynamic login token for NetEase IM (the app must have dynamic-token login enabled): the standard
 * base64 of `{"signature","curTime","ttl"}`, where `signature` is the SHA-1 hex of
 * appKey + accid + curTime (ms) + ttl (s) + appSecret. Computed locally, no API call.
 *
 * @example
 * ```ts
 * import { genDynamicToken } from "@imauth/netease";
 *
 * const token = genDynamicToken({ appKey, appSecret, accid: "user01", ttlSeconds: 600 });
 * // client: nim.login({ account: "user01", token, authType: 1 })
 * ```
 */
export function genDynamicToken(options: DynamicTokenOptions): string {
  assertOptionsObject(options, "genDynamicToken options");
  const { appKey, accid, ttlSeconds, clock } = options;
  assertSignedConfig(appKey, "appKey");
  const appSecret = revealSecret(options.appSecret, "appSecret");
  assertAccid(accid);
  assertInteger(ttlSeconds, "ttlSeconds", { max: MAX_TOKEN_TTL_SECONDS });
  const curTime = tokenCurTime(clock);
  const signature = dynamicTokenSignature(appKey, appSecret, accid, curTime, ttlSeconds);
  return base64Encode(utf8Encode(JSON.stringify({ signature, curTime, ttl: ttlSeconds })));
}

/**
 * Options of {@link genNertcToken}.
 *
 * @example
 * ```ts
 * const options: NertcTokenOptions = { appKey, appSecret, uid: 10000, channelName: "room1", ttlSeconds: 1800 };
 * const token = genNertcToken(options);
 * ```
 */
export interface NertcTokenOptions {
  /** The application's AppKey. */
  appKey: string;
  /** The application's AppSecret. */
  appSecret: string | Secret;
  /** The NERTC user ID. */
  uid: NertcUid;
  /** The room (channel) name, 1 to 64 characters. */
  channelName: string;
  /** Lifetime in seconds, 1 to 86399 (NERTC tokens last less than a day). */
  ttlSeconds: number;
  /** Source of the current time (epoch milliseconds, 13 digits). Default `Date.now`. */
  clock?: Clock;
}

/** The signature of a NERTC token (also used to verify one). */
export function nertcTokenSignature(
  appKey: string,
  appSecret: string,
  uid: string,
  curTimeMs: number,
  ttlSeconds: number,
  channelName: string,
): string {
  return sha1Hex(appKey + uid + curTimeMs + ttlSeconds + channelName + appSecret);
}

/**
 * Makes a NERTC (audio/video) token for joining a room in secure mode: standard base64 of
 * `{"signature","curTime","ttl"}`, where `signature` is the SHA-1 hex of
 * appKey + uid + curTime (ms) + ttl (s) + channelName + appSecret.
 *
 * @example
 * ```ts
 * import { genNertcToken } from "@imauth/netease";
 *
 * const token = genNertcToken({ appKey, appSecret, uid: 10000, channelName: "room1", ttlSeconds: 1800 });
 * // client: rtc.joinChannel({ channelName: "room1", uid: 10000, token })
 * ```
 */
export function genNertcToken(options: NertcTokenOptions): string {
  assertOptionsObject(options, "genNertcToken options");
  const { appKey, uid, channelName, ttlSeconds, clock } = options;
  assertSignedConfig(appKey, "appKey");
  const appSecret = revealSecret(options.appSecret, "appSecret");
  const uidText = nertcUidString(uid);
  assertChannelName(channelName);
  assertInteger(ttlSeconds, "ttlSeconds", { max: MAX_NERTC_TOKEN_TTL_SECONDS });
  const curTime = tokenCurTime(clock);
  const signature = nertcTokenSignature(appKey, appSecret, uidText, curTime, ttlSeconds, channelName);
  return base64Encode(utf8Encode(JSON.stringify({ signature, curTime, ttl: ttlSeconds })));
}

/**
 * Options of {@link genNertcPermissionKey}.
 *
 * @example
 * ```ts
 * const options: NertcPermissionKeyOptions = {
 *   appKey, permSecret, uid: 10000, channelName: "room1", privilege: NERTC_PRIVILEGE.ALL, ttlSeconds: 1000,
 * };
 * const key = genNertcPermissionKey(options);
 * ```
 */
export interface NertcPermissionKeyOptions {
  /** The application's AppKey. */
  appKey: string;
  /** The permission secret from the NERTC console (not the AppSecret). */
  permSecret: string | Secret;
  /** The NERTC user ID. */
  uid: NertcUid;
  /** The room (channel) name, 1 to 64 characters. */
  channelName: string;
  /** Bits of {@link NERTC_PRIVILEGE}, 1 to 63. */
  privilege: number;
  /** Lifetime in seconds, 1 to 2^31 - 1. */
  ttlSeconds: number;
  /** Source of the current time (epoch milliseconds). Default `Date.now`. */
  clock?: Clock;
}

/** The text the permission key's checksum signs, exactly as NERTC's reference implementations build it. */
export function nertcPermissionKeyContent(
  appKey: string,
  uid: string,
  curTimeSeconds: number,
  ttlSeconds: number,
  channelName: string,
  privilege: number,
): string {
  return `appkey:${appKey}\nuid:${uid}\ncurTime:${curTimeSeconds}\nexpireTime:${ttlSeconds}\ncname:${channelName}\nprivilege:${privilege}\n`;
}

/** Standard base64 of HMAC-SHA256(permSecret, content): the permission key's checksum. */
export function nertcPermissionKeyChecksum(permSecret: string, content: string): string {
  return base64Encode(hmac(sha256, utf8Encode(permSecret), utf8Encode(content)));
}

/**
 * The JSON document of a permission key, built by hand so a uid beyond 2^53 keeps all its digits, with the keys
 * in the reference implementations' order.
 */
export function nertcPermissionKeyJson(
  appKey: string,
  checksum: string,
  channelName: string,
  curTimeSeconds: number,
  ttlSeconds: number,
  privilege: number,
  uid: string,
): string {
  return (
    `{"appkey":${JSON.stringify(appKey)},"checksum":${JSON.stringify(checksum)},` +
    `"cname":${JSON.stringify(channelName)},"curTime":${curTimeSeconds},"expireTime":${ttlSeconds},` +
    `"privilege":${privilege},"uid":${uid}}`
  );
}

/** Checks a privilege value: an integer made of the bits of {@link NERTC_PRIVILEGE}. */
export function assertPrivilege(value: unknown): asserts value is number {
  assertInteger(value, "privilege", { min: 1, max: NERTC_PRIVILEGE.ALL });
}

/**
 * Makes a NERTC permission key (advanced permissions): the JSON
 * `{appkey, checksum, cname, curTime, expireTime, privilege, uid}` with an HMAC-SHA256 checksum keyed with the
 * permission secret, zlib-compressed and encoded with Tencent's base64 variant (`*`, `-`, `_`).
 *
 * @example
 * ```ts
 * import { genNertcPermissionKey, NERTC_PRIVILEGE } from "@imauth/netease";
 *
 * const permissionKey = genNertcPermissionKey({
 *   appKey, permSecret, uid: 10000, channelName: "room1", ttlSeconds: 1000,
 *   privilege: NERTC_PRIVILEGE.JOIN_ROOM | NERTC_PRIVILEGE.SEND_AUDIO | NERTC_PRIVILEGE.RECEIVE_AUDIO,
 * });
 * ```
 */
export function genNertcPermissionKey(options: NertcPermissionKeyOptions): string {
  assertOptionsObject(options, "genNertcPermissionKey options");
  const { appKey, uid, channelName, privilege, ttlSeconds, clock } = options;
  assertSignedConfig(appKey, "appKey");
  const permSecret = revealSecret(options.permSecret, "permSecret");
  const uidText = nertcUidString(uid);
  assertChannelName(channelName);
  assertPrivilege(privilege);
  assertInteger(ttlSeconds, "ttlSeconds", { max: MAX_TOKEN_TTL_SECONDS });
  const curTime = Math.floor(readClock(clock) / 1000);
  const checksum = nertcPermissionKeyChecksum(
    permSecret,
    nertcPermissionKeyContent(appKey, uidText, curTime, ttlSeconds, channelName, privilege),
  );
  const json = nertcPermissionKeyJson(appKey, checksum, channelName, curTime, ttlSeconds, privilege, uidText);
  return tencentBase64Encode(zlibCompress(utf8Encode(json)));
}
