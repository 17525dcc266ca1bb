import { type Clock, ImAuthError, type ImAuthErrorCode } from "@imauth/core";
import {
  assertInteger,
  assertOptionsObject,
  assertUserId,
  assertWellFormed,
  readClock,
  typeName,
  utf8Encode,
} from "@imauth/core/adapter";
import { base64, packUserSig, utf8 } from "#ecdsa-platform";
import { type LegacySigningKey, signingKeyFor } from "./ecdsa.js";

/** Default lifetime of a legacy UserSig in seconds: 180 days, as the official libraries use. */
export const DEFAULT_LEGACY_EXPIRE_SECONDS = 15_552_000;
/** Longest accepted lifetime: the largest signed 32-bit integer, which every official verifier parses. */
export const MAX_LEGACY_EXPIRE_SECONDS = 2 ** 31 - 1;
/**
 * Largest `TLS.time` and `TLS.expire_after`: Tencent's C++ verifier stores both in a `uint32_t`, and with
 * both in range `TLS.time + TLS.expire_after` is a valid `Date`.
 */
export const MAX_LEGACY_TIME_SECONDS = 0xffff_ffff;
/** Largest accepted `userBuf`, in bytes. */
export const MAX_LEGACY_USERBUF_BYTES = 1024;
/** Tencent's longest user ID, in UTF-8 bytes. */
export const MAX_USER_ID_BYTES = 32;
/** The `TLS.version` the official Node v1 library writes (not covered by the signature). */
export const LEGACY_VERSION = "201610110000";

/**
 * Options of {@link genLegacyUserSig}.
 *
 * @example
 * ```ts
 * const options: GenLegacyUserSigOptions = { sdkAppId: 1400000000, privateKey: pem, userId: "alice" };
 * ```
 */
export interface GenLegacyUserSigOptions {
  /** The application's SDKAppID. */
  sdkAppId: number;
  /** The ECDSA private key as PEM: PKCS#8 `BEGIN PRIVATE KEY` or SEC1 `BEGIN EC PRIVATE KEY`. */
  privateKey: string;
  /** The user the UserSig is for (at most 32 UTF-8 bytes, well-formed UTF-16). */
  userId: string;
  /** Lifetime in seconds. Default 15552000 (180 days). */
  expireSeconds?: number;
  /** Extra bytes bound into the signature (`TLS.userbuf`); a string (well-formed) is taken as UTF-8. */
  userBuf?: Uint8Array | string;
  /** Source of the current time (epoch ms). Default `Date.now`. */
  clock?: Clock;
}

/** The signed fields of a legacy UserSig document, as strings exactly as the JSON carries them. */
export interface LegacySignedFields {
  appIdAt3rd?: string | undefined;
  accountType: string;
  identifier: string;
  sdkAppId: string;
  time: string;
  expireAfter: string;
  userBuf?: string | undefined;
}

/**
 * The text a legacy UserSig's signature covers: `TLS.appid_at_3rd` (only when present), `TLS.account_type`,
 * `TLS.identifier`, `TLS.sdk_appid`, `TLS.time`, `TLS.expire_after`, then `TLS.userbuf` when present, each
 * as `name:value\n`.
 */
export function legacySignedText(f: LegacySignedFields): string {
  return (
    (f.appIdAt3rd === undefined ? "" : `TLS.appid_at_3rd:${f.appIdAt3rd}\n`) +
    `TLS.account_type:${f.accountType}\n` +
    `TLS.identifier:${f.identifier}\n` +
    `TLS.sdk_appid:${f.sdkAppId}\n` +
    `TLS.time:${f.time}\n` +
    `TLS.expire_after:${f.expireAfter}\n` +
    (f.userBuf === undefined ? "" : `TLS.userbuf:${f.userBuf}\n`)
  );
}

/** Checks and normalises a `userBuf` option into bytes. */
export function userBufBytes(value: unknown): Uint8Array {
  const code = "ERR_INVALID_INPUT";
  // UTF-8 encoding turns a lone surrogate into U+FFFD: two different strings would carry the same bytes.
  if (typeof value === "string") assertWellFormed(value, "userBuf", code);
  const bytes = typeof value === "string" ? utf8Encode(value) : value;
  if (!(bytes instanceof Uint8Array)) {
    throw new ImAuthError(code, `userBuf must be a Uint8Array or a string, got ${typeName(value)}`);
  }
  if (bytes.length > MAX_LEGACY_USERBUF_BYTES) {
    throw new ImAuthError(code, `userBuf must be at most ${MAX_LEGACY_USERBUF_BYTES} bytes`);
  }
  return bytes;
}

/** Checks an SDKAppID option. */
export function assertSdkAppId(value: unknown): asserts value is number {
  assertInteger(value, "sdkAppId", { min: 1, max: 0xffff_ffff, code: "ERR_INVALID_CONFIG" });
}

/** Checks that `nowMs` is before 2106, so the `TLS.time` written fits {@link MAX_LEGACY_TIME_SECONDS}. */
export function assertLegacyNow(nowMs: number, code: ImAuthErrorCode): void {
  if (Math.floor(nowMs / 1000) > MAX_LEGACY_TIME_SECONDS) {
    throw new ImAuthError(code, "the current time is beyond the year 2106 (TLS.time is a u32)");
  }
}

/** What {@link signLegacyUserSig} needs besides the key; inputs are already validated. */
export interface LegacyUserSigInput {
  sdkAppId: number;
  userId: string;
  expireSeconds: number;
  nowMs: number;
  userBuf?: Uint8Array | undefined;
}

/**
 * Makes a legacy UserSig with an imported key: the JSON document in the official Node v1 library's key order
 * (all values strings), signed, then zlib and Tencent's base64.
 */
export async function signLegacyUserSig(key: LegacySigningKey, input: LegacyUserSigInput): Promise<string> {
  const fields: LegacySignedFields = {
    appIdAt3rd: "0",
    accountType: "0",
    identifier: input.userId,
    sdkAppId: String(input.sdkAppId),
    time: String(Math.floor(input.nowMs / 1000)),
    expireAfter: String(input.expireSeconds),
    userBuf: input.userBuf === undefined ? undefined : base64(input.userBuf),
  };
  const signature = await key.sign(utf8(legacySignedText(fields)));
  const document: Record<string, string> = {
    "TLS.account_type": fields.accountType,
    "TLS.identifier": fields.identifier,
    "TLS.appid_at_3rd": fields.appIdAt3rd!,
    "TLS.sdk_appid": fields.sdkAppId,
    "TLS.expire_after": fields.expireAfter,
    "TLS.version": LEGACY_VERSION,
    "TLS.time": fields.time,
  };
  if (fields.userBuf !== undefined) document["TLS.userbuf"] = fields.userBuf;
  document["TLS.sig"] = base64(signature);
  // zlib in stored blocks (level 0): every zlib decoder reads them, the official verifiers included, and
  // writing them is a copy and a checksum instead of deflate's search.
  return packUserSig(JSON.stringify(document));
}

/**
 * Makes a legacy (pre-2019, ECDSA-SHA256) UserSig, as Tencent's official v1 libraries did: the same JSON
 * document, signed text, zlib and base64 variant, so Tencent's servers and every official verifier accept it.
 * The curve (secp256k1 or P-256) comes from the key. Throws `ImAuthError`: `ERR_INVALID_CONFIG` for a bad
 * `sdkAppId` or key (the message never contains the key), `ERR_INVALID_INPUT` for a bad `userId`,
 * `expireSeconds` or `userBuf`.
 *
 * @example
 * ```ts
 * import { genLegacyUserSig } from "@imauth/legacy-ecdsa";
 *
 * const userSig = await genLegacyUserSig({
 *   sdkAppId: 1400000000,
 *   privateKey: fs.readFileSync("private_key", "utf8"),
 *   userId: "alice",
 *   expireSeconds: 86400,
 * });
 * ```
 */
export async function genLegacyUserSig(options: GenLegacyUserSigOptions): Promise<string> {
  assertOptionsObject(options as unknown, "genLegacyUserSig options");
  const { sdkAppId, privateKey, userId, expireSeconds = DEFAULT_LEGACY_EXPIRE_SECONDS, clock } = options;
  assertSdkAppId(sdkAppId);
  const key = signingKeyFor(privateKey);
  assertUserId(userId, { maxBytes: MAX_USER_ID_BYTES });
  assertInteger(expireSeconds, "expireSeconds", { min: 1, max: MAX_LEGACY_EXPIRE_SECONDS });
  const userBuf = options.userBuf === undefined ? undefined : userBufBytes(options.userBuf);
  const nowMs = readClock(clock);
  assertLegacyNow(nowMs, "ERR_INVALID_CONFIG");
  return signLegacyUserSig(key, { sdkAppId, userId, expireSeconds, nowMs, userBuf });
}
