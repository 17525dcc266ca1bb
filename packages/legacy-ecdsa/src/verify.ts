import { type Clock, ImAuthError } from "@imauth/core";
import {
  assertOptionsObject,
  base64Decode,
  constantTimeEqual,
  isWellFormed,
  keyList,
  readClock,
  typeName,
} from "@imauth/core/adapter";
import { unpackUserSig } from "@imauth/tencent";
import { utf8 } from "#ecdsa-platform";
import { type LegacyVerifyingKey, verifyingKeyFor } from "./ecdsa.js";
import { assertSdkAppId, legacySignedText, MAX_LEGACY_TIME_SECONDS, userBufBytes } from "./usersig.js";

/** Longest UserSig accepted for decoding, in characters; checked before anything is decoded. */
export const MAX_LEGACY_USERSIG_LENGTH = 4096;
/** Largest inflated JSON document accepted, in bytes. */
export const MAX_LEGACY_DOCUMENT_BYTES = 4096;

/**
 * A decoded legacy UserSig. {@link decodeLegacyUserSig} returns it unverified; {@link verifyLegacyUserSig}
 * returns it once the application, signature, user, user buffer and expiry have been checked.
 *
 * @example
 * ```ts
 * const { userId, sdkAppId, expiresAt } = decodeLegacyUserSig(userSig);
 * ```
 */
export interface DecodedLegacyUserSig {
  /** Always `"ecdsa-sha256"`. */
  algorithm: "ecdsa-sha256";
  /** `TLS.sdk_appid` as a number. */
  sdkAppId: number;
  /** `TLS.identifier`. */
  userId: string;
  /** `TLS.time`: when the UserSig was made, in epoch seconds (the same field name as @imauth/tencent's). */
  issuedAtSeconds: number;
  /** `TLS.expire_after`: lifetime in seconds. */
  expireSeconds: number;
  /** `TLS.time` as a Date. */
  issuedAt: Date;
  /** `TLS.time + TLS.expire_after` as a Date; the UserSig is accepted up to and including this second. */
  expiresAt: Date;
  /** `TLS.account_type` (`"0"` from the v1 libraries, `"116"` in old UserSigs). */
  accountType: string;
  /** `TLS.appid_at_3rd`, absent in the oldest format. */
  appIdAt3rd?: string;
  /** `TLS.version` (not covered by the signature). */
  version?: string;
  /** `TLS.userbuf` decoded, when present. */
  userBuf?: Uint8Array;
  /** The DER ECDSA signature from `TLS.sig`. */
  signature: Uint8Array;
  /** The text the signature covers, rebuilt from the fields present. */
  signedText: string;
}

/**
 * Options of {@link verifyLegacyUserSig}.
 *
 * @example
 * ```ts
 * const options: VerifyLegacyUserSigOptions = { sdkAppId: 1400000000, publicKey: pem, userId: "alice" };
 * ```
 */
export interface VerifyLegacyUserSigOptions {
  /** The SDKAppID the UserSig must be for. */
  sdkAppId: number;
  /**
   * The ECDSA public key as PEM SPKI (`BEGIN PUBLIC KEY`), or `[current, ...previous]` while the key pair is
   * being replaced: a UserSig made with any of the matching private keys is accepted.
   */
  publicKey: string | readonly string[];
  /** The user the UserSig must be for; not checked when omitted. */
  userId?: string;
  /**
   * The `TLS.userbuf` the UserSig must carry: bytes, or a string taken as UTF-8 text (as the official v1
   * `genSigWithUserbuf` takes it, and as @imauth/tencent's `verifyUserSig` reads a string too); `null`
   * requires that it carries none. Omitted: any.
   */
  userBuf?: Uint8Array | string | null;
  /** Source of the current time (epoch ms). Default `Date.now`. */
  clock?: Clock;
}

function malformed(message: string, cause?: unknown): ImAuthError {
  return new ImAuthError("ERR_MALFORMED_CREDENTIAL", message, { cause });
}

const NUMBER = /^(?:0|[1-9][0-9]{0,14})$/;

/** A decimal field: digits only, no sign, exponent, fraction or leading zeros, at most 15 digits. */
function integerField(value: string, name: string): number {
  if (!NUMBER.test(value)) throw malformed(`userSig field ${name} is not a non-negative decimal integer`);
  return Number(value);
}

/** `TLS.time` or `TLS.expire_after`, a u32 as the C++ verifier keeps it (beyond, the Dates go invalid). */
function secondsField(value: string, name: string): number {
  const seconds = integerField(value, name);
  if (seconds > MAX_LEGACY_TIME_SECONDS) {
    throw malformed(`userSig field ${name} is out of range (0 to ${MAX_LEGACY_TIME_SECONDS})`);
  }
  return seconds;
}

/**
 * Decodes a legacy UserSig without checking its signature: Tencent base64, zlib (size-capped, checksum
 * checked), then the JSON document. Every failure is an `ImAuthError` `ERR_MALFORMED_CREDENTIAL` naming what
 * is wrong. Useful to see which app, user and lifetime a UserSig claims, and to tell a legacy UserSig from a
 * v2 (HMAC) one; never trust the result without {@link verifyLegacyUserSig}.
 *
 * @example
 * ```ts
 * import { decodeLegacyUserSig } from "@imauth/legacy-ecdsa";
 *
 * const { sdkAppId, userId, expiresAt, appIdAt3rd } = decodeLegacyUserSig(userSig);
 * ```
 */
export function decodeLegacyUserSig(userSig: string): DecodedLegacyUserSig {
  const doc = unpackUserSig(userSig, {
    maxLength: MAX_LEGACY_USERSIG_LENGTH,
    maxDocumentBytes: MAX_LEGACY_DOCUMENT_BYTES,
  });
  // Only own fields are read, so a "__proto__" key in the JSON is just an ignored field.
  const field = (name: string, required: boolean, lineBreaks = false): string | undefined => {
    if (!Object.hasOwn(doc, name)) {
      if (required) throw malformed(`userSig lacks the field ${name}`);
      return undefined;
    }
    const value = doc[name];
    if (typeof value !== "string")
      throw malformed(`userSig field ${name} must be a string, got ${typeName(value)}`);
    // A line break would let one field pose as another in the signed text.
    if (!lineBreaks && value.includes("\n")) throw malformed(`userSig field ${name} contains a line break`);
    // A JSON escape can spell a lone surrogate, which the signed text's UTF-8 encoding turns into U+FFFD:
    // without this, a UserSig for "a\uFFFD" would also pass as one for "a\uDFFF".
    if (!isWellFormed(value)) throw malformed(`userSig field ${name} is not well-formed UTF-16`);
    return value;
  };
  if (Object.hasOwn(doc, "TLS.ver") && !Object.hasOwn(doc, "TLS.expire_after")) {
    throw malformed(
      "userSig is a v2 (HMAC-SHA256) UserSig, not a legacy one; verify it with @imauth/tencent",
    );
  }
  const identifier = field("TLS.identifier", true)!;
  const sdkAppIdText = field("TLS.sdk_appid", true)!;
  const timeText = field("TLS.time", true)!;
  const expireText = field("TLS.expire_after", true)!;
  const accountType = field("TLS.account_type", true)!;
  const appIdAt3rd = field("TLS.appid_at_3rd", false);
  const version = field("TLS.version", false);
  const userBufText = field("TLS.userbuf", false);
  const sigText = field("TLS.sig", true, true)!;
  if (identifier.length === 0) throw malformed("userSig field TLS.identifier is empty");
  const sdkAppId = integerField(sdkAppIdText, "TLS.sdk_appid");
  const issuedAtSeconds = secondsField(timeText, "TLS.time");
  const expireSeconds = secondsField(expireText, "TLS.expire_after");
  let userBuf: Uint8Array | undefined;
  if (userBufText !== undefined) {
    try {
      userBuf = base64Decode(userBufText, "userSig field TLS.userbuf");
    } catch (cause) {
      throw malformed("userSig field TLS.userbuf is not valid base64", cause);
    }
  }
  let signature: Uint8Array;
  try {
    // One official UserSig carries "\r\n" inside TLS.sig (a line-wrapped base64 encoder).
    signature = base64Decode(sigText.replace(/\s+/g, ""), "userSig field TLS.sig");
  } catch (cause) {
    throw malformed("userSig field TLS.sig is not valid base64", cause);
  }
  if (signature.length === 0) throw malformed("userSig field TLS.sig is empty");
  const signedText = legacySignedText({
    appIdAt3rd,
    accountType,
    identifier,
    sdkAppId: sdkAppIdText,
    time: timeText,
    expireAfter: expireText,
    userBuf: userBufText,
  });
  const decoded: DecodedLegacyUserSig = {
    algorithm: "ecdsa-sha256",
    sdkAppId,
    userId: identifier,
    issuedAtSeconds,
    expireSeconds,
    issuedAt: new Date(issuedAtSeconds * 1000),
    expiresAt: new Date((issuedAtSeconds + expireSeconds) * 1000),
    accountType,
    signature,
    signedText,
  };
  if (appIdAt3rd !== undefined) decoded.appIdAt3rd = appIdAt3rd;
  if (version !== undefined) decoded.version = version;
  if (userBuf !== undefined) decoded.userBuf = userBuf;
  return decoded;
}

/** What {@link checkLegacyUserSig} compares a decoded UserSig with; inputs are already validated. */
export interface LegacyExpectations {
  sdkAppId: number;
  userId?: string | undefined;
  /** Bytes the UserSig must carry; `null`: it must carry none; `undefined`: not checked. */
  userBuf?: Uint8Array | null | undefined;
  nowMs: number;
}

/**
 * Verifies a UserSig with an imported key. The checks run in the order of @imauth/tencent's `verifyUserSig`:
 * format, SDKAppID, signature, user, user buffer, expiry (so "expired" is only said of authentic UserSigs).
 */
export async function checkLegacyUserSig(
  key: LegacyVerifyingKey | readonly LegacyVerifyingKey[],
  userSig: string,
  expected: LegacyExpectations,
): Promise<DecodedLegacyUserSig> {
  const decoded = decodeLegacyUserSig(userSig);
  if (decoded.sdkAppId !== expected.sdkAppId) {
    throw new ImAuthError("ERR_APP_MISMATCH", "userSig was issued for another SDKAppID");
  }
  // Every key is tried (no early exit), so the time taken does not tell which key signed.
  const keys = Array.isArray(key) ? key : [key as LegacyVerifyingKey];
  const text = utf8(decoded.signedText);
  const results = await Promise.all(keys.map((k) => k.verify(text, decoded.signature)));
  if (!results.includes(true)) {
    throw new ImAuthError("ERR_SIGNATURE_INVALID", "userSig signature does not match the public key");
  }
  if (expected.userId !== undefined && decoded.userId !== expected.userId) {
    throw new ImAuthError("ERR_USER_MISMATCH", "userSig was issued for another user");
  }
  if (expected.userBuf !== undefined) {
    const actual = decoded.userBuf;
    const same =
      expected.userBuf === null
        ? actual === undefined
        : actual !== undefined && constantTimeEqual(actual, expected.userBuf);
    if (!same) throw new ImAuthError("ERR_USERBUF_MISMATCH", "userSig carries another userbuf than expected");
  }
  if (Math.floor(expected.nowMs / 1000) > decoded.issuedAtSeconds + decoded.expireSeconds) {
    throw new ImAuthError("ERR_CREDENTIAL_EXPIRED", `userSig expired at ${decoded.expiresAt.toISOString()}`);
  }
  return decoded;
}

/**
 * Verifies a legacy (ECDSA-SHA256) UserSig the way Tencent's servers do. Checks, in the order of
 * @imauth/tencent's `verifyUserSig`: the format (`ERR_MALFORMED_CREDENTIAL`), the SDKAppID
 * (`ERR_APP_MISMATCH`), the signature over the text rebuilt from the fields present, so the oldest format
 * without `TLS.appid_at_3rd` verifies too, high S accepted as OpenSSL does (`ERR_SIGNATURE_INVALID`), the user
 * (`ERR_USER_MISMATCH`), the userbuf (`ERR_USERBUF_MISMATCH`) and the expiry: valid while
 * now <= time + expire_after (`ERR_CREDENTIAL_EXPIRED`). Bad options: `ERR_INVALID_CONFIG` (sdkAppId,
 * publicKey, clock) or `ERR_INVALID_INPUT` (userId, userBuf).
 *
 * @example
 * ```ts
 * import { verifyLegacyUserSig } from "@imauth/legacy-ecdsa";
 *
 * const { userId, expiresAt } = await verifyLegacyUserSig(userSig, {
 *   sdkAppId: 1400000000,
 *   publicKey: fs.readFileSync("public_key", "utf8"),
 *   userId: "alice",
 * });
 * ```
 */
export async function verifyLegacyUserSig(
  userSig: string,
  options: VerifyLegacyUserSigOptions,
): Promise<DecodedLegacyUserSig> {
  assertOptionsObject(options as unknown, "verifyLegacyUserSig options");
  const { sdkAppId, publicKey, userId, clock } = options;
  assertSdkAppId(sdkAppId);
  const key = keyList(publicKey, "publicKey").map((pem) => verifyingKeyFor(pem));
  if (userId !== undefined && typeof userId !== "string") {
    throw new ImAuthError("ERR_INVALID_INPUT", `userId must be a string, got ${typeName(userId)}`);
  }
  const userBuf =
    options.userBuf === undefined || options.userBuf === null
      ? options.userBuf
      : userBufBytes(options.userBuf);
  return checkLegacyUserSig(key, userSig, { sdkAppId, userId, userBuf, nowMs: readClock(clock) });
}
