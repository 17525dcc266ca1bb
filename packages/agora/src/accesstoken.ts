import { type Clock, ImAuthError, type Secret } from "@imauth/core";
import {
  assertOptionsObject,
  base64Encode,
  keyList,
  readClock,
  utf8Encode,
  zlibStore,
} from "@imauth/core/adapter";
import { type AgoraServiceInput, ByteWriter, writeService } from "./services.js";
import { hmacSha256 } from "./sha256.js";

// AccessToken2 ("007"), as the official builders (AgoraIO/Tools DynamicKey/AgoraDynamicKey, npm agora-token)
// make it:
//   token       = "007" + base64(zlib(content))
//   content     = packString(signature) + signingInfo
//   signingInfo = packString(appId) + u32 issueTs + u32 expire + u32 salt + u16 count + services (by type)
//   signingKey  = HMAC-SHA256(key = u32le(salt), HMAC-SHA256(key = u32le(issueTs), appCertificate))
//   signature   = HMAC-SHA256(key = signingKey, signingInfo)
// The deflate stream is not canonical (it depends on the zlib build), so tokens compare after inflating.
//
// The zlib stream is written with stored (uncompressed) blocks, core's zlibStore: every inflater reads it,
// and tokens are compared and verified after inflating. Measured against fflate at level 6 (what
// zlibCompress gives), that keeps genRtcToken within its 6 KiB bundle budget (fflate's deflate alone took it
// to 9.8 KiB) and saves about 35 us per token; the token is some 20% longer (a 150-byte content does not
// compress much). With the hand-written HMAC (sha256.ts) the portable code is fast enough on Node that no
// Node-only flavour is needed: bench/cases/agora-token.mjs measures genRtcToken at 2.7 times and
// genChatUserToken at 3.2 times the speed of the agora-token package on Node 20 (target 1.5).

/** The version prefix of AccessToken2. */
const VERSION = "007";
/** Largest value of a u32 field (expiries, issue time, salt). */
export const MAX_U32 = 0xffff_ffff;
/** Largest salt the official builders draw (they draw from 1 to 99999999). */
export const MAX_SALT = 99_999_999;

/**
 * The fields every generator takes: the app's ID and certificate, the clock and, for tests, the salt.
 *
 * @example
 * ```ts
 * const common: AgoraTokenBase = { appId, appCertificate, clock: () => 1_700_000_000_000, salt: 1 };
 * ```
 */
export interface AgoraTokenBase {
  /** The App ID: 32 hexadecimal characters. */
  appId: string;
  /** The App Certificate (32 hexadecimal characters), kept out of every message. */
  appCertificate: string | Secret;
  /** Source of the current time (epoch milliseconds); the token's issue time is its whole seconds. Default `Date.now`. */
  clock?: Clock;
  /** The token's salt, 1 to 99999999. Default: random, as the official builders draw it. Give it only in tests. */
  salt?: number;
}

/**
 * Options of {@link buildAccessToken}: any list of services, as the official `AccessToken2` class takes them.
 *
 * @example
 * ```ts
 * const options: AccessTokenOptions = {
 *   appId, appCertificate, expireSeconds: 600,
 *   services: [{ type: 1, channelName: "room-1", uid: 42, privileges: { 1: 600 } }],
 * };
 * ```
 */
export interface AccessTokenOptions extends AgoraTokenBase {
  /** The token's own lifetime in seconds after its issue time (1 to 4294967295). */
  expireSeconds: number;
  /** The services, at least one; written sorted by type (a stable sort, as the official builders do). */
  services: readonly AgoraServiceInput[];
}

function config(message: string): ImAuthError {
  return new ImAuthError("ERR_INVALID_CONFIG", message);
}

const HEX32 = /^[0-9a-fA-F]{32}$/;

/** @internal The App ID, checked as the official builders check it (they return "" for anything else). */
export function readAppId(value: unknown): string {
  if (typeof value !== "string" || !HEX32.test(value)) {
    throw config("appId must be 32 hexadecimal characters (the App ID of the Agora console)");
  }
  return value;
}

/** @internal The App Certificates, current first: each 32 hexadecimal characters. */
export function readCertificates(value: unknown, what = "appCertificate"): readonly string[] {
  const list = keyList(value, what, { maxLength: 32 });
  for (const [i, cert] of list.entries()) {
    if (!HEX32.test(cert)) {
      throw config(`${list.length > 1 ? `${what}[${i}]` : what} must be 32 hexadecimal characters`);
    }
  }
  return list;
}

/** @internal An integer in a range, as per-call input. */
export function readU32(value: unknown, what: string, min: number, max = MAX_U32): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ImAuthError("ERR_INVALID_INPUT", `${what} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** @internal The issue time in seconds, from the clock. */
export function issueSeconds(clock: Clock | undefined): number {
  if (clock !== undefined && typeof clock !== "function") throw config("clock must be a function");
  const seconds = Math.floor(readClock(clock) / 1000);
  if (seconds > MAX_U32) throw config("clock is beyond what a u32 of seconds holds (year 2106)");
  return seconds;
}

// Random words drawn 256 at a time: one crypto.getRandomValues call costs about as much as the rest of a
// token (measured 5 us on Node), and a salt is a nonce, not a key.
const pool = /* @__PURE__ */ new Uint32Array(256);
let poolAt = pool.length;

/** @internal A salt from 1 to 99999999 without modulo bias, from `crypto.getRandomValues`. */
export function randomSalt(): number {
  // Accept only draws below the largest multiple of 99999999 that fits in 32 bits.
  const limit = Math.floor(2 ** 32 / MAX_SALT) * MAX_SALT;
  for (;;) {
    if (poolAt === pool.length) {
      crypto.getRandomValues(pool);
      poolAt = 0;
    }
    const draw = pool[poolAt++]!;
    if (draw < limit) return (draw % MAX_SALT) + 1;
  }
}

function u32le(value: number): Uint8Array {
  return new Uint8Array([value & 255, (value >>> 8) & 255, (value >>> 16) & 255, value >>> 24]);
}

/** @internal The signing key of a token: HMAC over the issue time, then over the salt. */
export function signingKey(appCertificate: string, issueTs: number, salt: number): Uint8Array {
  return hmacSha256(u32le(salt), hmacSha256(u32le(issueTs), utf8Encode(appCertificate)));
}

/** @internal The signature of `signingInfo`. */
export function signInfo(
  appCertificate: string,
  issueTs: number,
  salt: number,
  signingInfo: Uint8Array,
): Uint8Array {
  return hmacSha256(signingKey(appCertificate, issueTs, salt), signingInfo);
}

function sortedServices(services: unknown): AgoraServiceInput[] {
  if (!Array.isArray(services) || services.length === 0 || services.length > 64) {
    throw new ImAuthError("ERR_INVALID_INPUT", "services must be a list of 1 to 64 services");
  }
  // Array.prototype.sort is stable: services of one type keep the order they were given in.
  return [...(services as AgoraServiceInput[])].sort(
    (a, b) => Number((a as { type?: unknown })?.type) - Number((b as { type?: unknown })?.type),
  );
}

/**
 * @internal The token's content (signature and signing info), before compression: what `contentHex` of
 * the vectors holds. Checks nothing but the services; callers check the rest.
 */
export function tokenContent(
  appId: string,
  appCertificate: string,
  issueTs: number,
  expire: number,
  salt: number,
  services: readonly AgoraServiceInput[],
): Uint8Array {
  const info = new ByteWriter().bytes(utf8Encode(appId)).u32(issueTs).u32(expire).u32(salt);
  info.u16(services.length);
  for (const [i, service] of services.entries()) writeService(info, service, `services[${i}]`);
  const signingInfo = info.done();
  const signature = signInfo(appCertificate, issueTs, salt, signingInfo);
  return new ByteWriter().bytes(signature).raw(signingInfo).done();
}

/** @internal "007" + base64 of the zlib stream of `content`. */
export function encodeToken(content: Uint8Array): string {
  return VERSION + base64Encode(zlibStore(content));
}

/** @internal Every check the generators share, then the token. */
export function buildToken(
  base: AgoraTokenBase,
  expireSeconds: number,
  services: readonly AgoraServiceInput[],
): string {
  const appId = readAppId(base.appId);
  const [appCertificate] = readCertificates(base.appCertificate);
  const issueTs = issueSeconds(base.clock);
  const salt = base.salt === undefined ? randomSalt() : readU32(base.salt, "salt", 1, MAX_SALT);
  const expire = readU32(expireSeconds, "expireSeconds", 1);
  return encodeToken(tokenContent(appId, appCertificate!, issueTs, expire, salt, sortedServices(services)));
}

/**
 * Builds an AccessToken2 with any services, like the official `AccessToken2` class (`add_service` then
 * `build`); the product generators ({@link genRtcToken}, {@link genRtmToken}, {@link genChatUserToken},
 * {@link genChatAppToken}) are written on it. Where the official `build()` returns `""` (an App ID or
 * certificate that is not 32 hex characters, no service), this throws: `ERR_INVALID_CONFIG` for the App ID,
 * certificate and clock, `ERR_INVALID_INPUT` for the rest.
 *
 * @example
 * ```ts
 * import { buildAccessToken } from "@imauth/agora";
 *
 * const token = buildAccessToken({
 *   appId: process.env.AGORA_APP_ID!,
 *   appCertificate: process.env.AGORA_APP_CERTIFICATE!,
 *   expireSeconds: 600,
 *   services: [
 *     { type: 1, channelName: "room-1", uid: 42, privileges: { 1: 600 } },
 *     { type: 2, userId: "42", privileges: { 1: 600 } },
 *   ],
 * });
 * ```
 */
export function buildAccessToken(options: AccessTokenOptions): string {
  assertOptionsObject(options, "buildAccessToken options");
  return buildToken(options, options.expireSeconds, options.services);
}
