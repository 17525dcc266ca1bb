import { type Clock, ImAuthError, type ImAuthErrorCode, isImAuthError } from "@imauth/core";
import {
  anyKeyMatches,
  assertInteger,
  assertOptionsObject,
  assertWellFormed,
  base64Decode,
  constantTimeEqual,
  isWellFormed,
  type KeyInput,
  keyList,
  readClock,
  tencentBase64Decode,
  typeName,
  utf8Decode,
  utf8Encode,
  zlibDecompress,
} from "@imauth/core/adapter";
import { hmacSha256 } from "#platform";
import {
  decodePrivateMapKeyUserBuf,
  type PrivateMapKeyUserBuf,
  U32_MAX,
  userSigHmacContent,
} from "./usersig.js";

/**
 * The error code Tencent's servers answer for each reason {@link verifyUserSig} refuses a UserSig, which it
 * puts in the error's `vendorCode`: 70001 expired, 70003 malformed (70002 for an empty UserSig), 70009 wrong
 * key (signature), 70013 issued for another UserID, 70014 issued for another SDKAppID. From Tencent's error
 * code documentation, "account error codes" of the server side:
 * https://cloud.tencent.com/document/product/269/1671 (also REST API common error codes,
 * https://cloud.tencent.com/document/product/679/131708). A userbuf mismatch has no documented code.
 *
 * @example
 * ```ts
 * TENCENT_USERSIG_ERROR_CODES.ERR_CREDENTIAL_EXPIRED; // 70001
 * ```
 */
export const TENCENT_USERSIG_ERROR_CODES: Readonly<Partial<Record<ImAuthErrorCode, number>>> = Object.freeze({
  ERR_CREDENTIAL_EXPIRED: 70001,
  ERR_MALFORMED_CREDENTIAL: 70003,
  ERR_SIGNATURE_INVALID: 70009,
  ERR_USER_MISMATCH: 70013,
  ERR_APP_MISMATCH: 70014,
});

/** Tencent's code for an empty UserSig ("the length of userSig is 0"). */
const EMPTY_USERSIG_CODE = 70002;

/** A refusal of {@link verifyUserSig}, with the code Tencent's server gives for the same fault. */
function refuse(code: ImAuthErrorCode, message: string): ImAuthError {
  const vendorCode = TENCENT_USERSIG_ERROR_CODES[code];
  return new ImAuthError(code, message, vendorCode === undefined ? {} : { vendorCode });
}

/**
 * Longest accepted UserSig in characters; longer input is rejected before any decoding. Official UserSigs are
 * 150 to 450 characters.
 */
export const MAX_USERSIG_LENGTH = 4096;

/** Largest accepted inflated UserSig document in bytes (a zlib bomb stops here). */
export const MAX_USERSIG_DOCUMENT_BYTES = 4096;

/**
 * The userbuf of a UserSig, raw and, when it is a PrivateMapKey userbuf, decoded.
 *
 * @example
 * ```ts
 * const userBuf: DecodedUserBuf | undefined = decodeUserSig(privateMapKey).userBuf;
 * console.log(userBuf?.base64, userBuf?.privateMapKey?.roomId);
 * ```
 */
export interface DecodedUserBuf {
  /** The userbuf bytes. */
  bytes: Uint8Array;
  /** The userbuf as the document carries it (standard base64). */
  base64: string;
  /** The PrivateMapKey fields, or `undefined` when the userbuf has another layout. */
  privateMapKey: PrivateMapKeyUserBuf | undefined;
}

/**
 * What a UserSig says about itself. {@link decodeUserSig} returns it without checking anything but the
 * format; {@link verifyUserSig} returns it once the signature, app, user and expiry are checked.
 *
 * @example
 * ```ts
 * const { userId, expiresAt }: DecodedUserSig = verifyUserSig(userSig, { sdkAppId, secretKey });
 * ```
 */
export interface DecodedUserSig {
  /** `TLS.ver`, always `"2.0"`. */
  version: "2.0";
  /** `TLS.identifier`. */
  userId: string;
  /** `TLS.sdkappid`. */
  sdkAppId: number;
  /** `TLS.time`, epoch seconds. */
  issuedAtSeconds: number;
  /** `TLS.expire`, seconds. */
  expireSeconds: number;
  /** `TLS.time` as a `Date`. */
  issuedAt: Date;
  /** Last valid moment, `TLS.time + TLS.expire` (valid while now <= expiresAt). */
  expiresAt: Date;
  /** `TLS.sig`, standard base64 of the HMAC-SHA256. */
  signature: string;
  /** `TLS.userbuf`, when present (PrivateMapKeys and `genSig` with a userbuf). */
  userBuf: DecodedUserBuf | undefined;
}

/**
 * Options of {@link verifyUserSig}.
 *
 * @example
 * ```ts
 * const options: VerifyUserSigOptions = { sdkAppId: 1400000000, secretKey, userId: "alice", userBuf: null };
 * ```
 */
export interface VerifyUserSigOptions {
  /** The SDKAppID the UserSig must be for. */
  sdkAppId: number;
  /**
   * The application's secret key, or `[current, ...previous]` while it is being changed: a UserSig made with
   * any of them is accepted.
   */
  secretKey: KeyInput;
  /** The user the UserSig must be for, when known. */
  userId?: string;
  /**
   * The userbuf the UserSig must carry: bytes, or a string taken as UTF-8 text (its UTF-8 bytes; the same
   * meaning as in @imauth/legacy-ecdsa); `null` requires that it carries none. Omitted: any.
   */
  userBuf?: Uint8Array | string | null;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  clock?: Clock;
}

const malformed = (message: string, cause?: unknown): ImAuthError =>
  new ImAuthError("ERR_MALFORMED_CREDENTIAL", message, cause === undefined ? {} : { cause });

/**
 * The container every UserSig shares, for adapters: unpacks any UserSig (v2 or the legacy ECDSA form) into its
 * raw JSON object without checking a single field (Tencent base64, then the strict capped zlib reader, then
 * `JSON.parse`). Input is untrusted: it is length-checked before inflating and every failure is `ImAuthError`
 * `ERR_MALFORMED_CREDENTIAL`. Applications want {@link decodeUserSig} (v2, typed fields) or
 * {@link verifyUserSig}; @imauth/legacy-ecdsa builds its decoder on this.
 *
 * @example
 * ```ts
 * const fields = unpackUserSig(userSig);
 * console.log(fields["TLS.ver"] ?? fields["TLS.version"]);
 * ```
 */
export function unpackUserSig(
  userSig: string,
  limits: { maxLength?: number; maxDocumentBytes?: number } = {},
): Record<string, unknown> {
  const { maxLength = MAX_USERSIG_LENGTH, maxDocumentBytes = MAX_USERSIG_DOCUMENT_BYTES } = limits;
  if (typeof userSig !== "string") throw malformed(`userSig must be a string, got ${typeName(userSig)}`);
  if (userSig.length === 0) throw malformed("userSig must not be empty");
  if (userSig.length > maxLength) throw malformed(`userSig is longer than ${maxLength} characters`);
  let packed: Uint8Array;
  try {
    packed = tencentBase64Decode(userSig, "userSig");
  } catch (cause) {
    throw malformed("userSig is not valid Tencent base64", cause);
  }
  const bytes = zlibDecompress(packed, { maxBytes: maxDocumentBytes, what: "userSig" });
  let doc: unknown;
  try {
    doc = JSON.parse(utf8Decode(bytes));
  } catch (cause) {
    throw malformed("userSig does not hold a UTF-8 JSON document", cause);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw malformed("userSig does not hold a JSON object");
  }
  return doc as Record<string, unknown>;
}

/**
 * Decodes a v2 UserSig without a key, like the console's UserSig check tool. Accepts what every official
 * library writes (any key order, spaces, `\/` escapes, a trailing newline, zlib levels 0 to 9) and nothing
 * malformed (an identifier with an unpaired UTF-16 surrogate included): throws `ImAuthError`
 * `ERR_MALFORMED_CREDENTIAL`. Nothing is authenticated: use {@link verifyUserSig} before trusting the result.
 *
 * @example
 * ```ts
 * import { decodeUserSig } from "@imauth/tencent";
 *
 * const { userId, sdkAppId, expiresAt, userBuf } = decodeUserSig(userSig);
 * console.log(userBuf?.privateMapKey?.roomId);
 * ```
 */
export function decodeUserSig(userSig: string): DecodedUserSig {
  const fields = unpackUserSig(userSig);
  const version = field(fields, "TLS.ver");
  if (version !== "2.0") {
    // The pre-2019 ECDSA form has TLS.expire_after and no TLS.ver "2.0": say what it is, not only what is wrong.
    if (Object.hasOwn(fields, "TLS.expire_after")) {
      throw malformed(
        "userSig is a legacy ECDSA UserSig, not a v2 (HMAC) one: verify it with @imauth/legacy-ecdsa",
      );
    }
    throw malformed('userSig field TLS.ver must be "2.0"');
  }
  const userId = field(fields, "TLS.identifier");
  if (typeof userId !== "string" || userId.length === 0) {
    throw malformed("userSig field TLS.identifier must be a non-empty string");
  }
  // A JSON escape can spell a lone surrogate, which the HMAC input's UTF-8 encoding turns into U+FFFD:
  // without this, a UserSig for "a\uFFFD" would also pass as one for "a\uDFFF".
  if (!isWellFormed(userId)) throw malformed("userSig field TLS.identifier must be well-formed UTF-16");
  const sdkAppId = u32(fields, "TLS.sdkappid");
  const time = u32(fields, "TLS.time");
  const expire = u32(fields, "TLS.expire");
  const signature = field(fields, "TLS.sig");
  if (typeof signature !== "string") throw malformed("userSig field TLS.sig must be a string");
  let sigBytes: Uint8Array | undefined;
  try {
    sigBytes = base64Decode(signature);
  } catch {}
  if (sigBytes?.length !== 32) throw malformed("userSig field TLS.sig must be base64 of 32 bytes");
  let userBuf: DecodedUserBuf | undefined;
  const userBufText = field(fields, "TLS.userbuf");
  if (userBufText !== undefined) {
    if (typeof userBufText !== "string") throw malformed("userSig field TLS.userbuf must be a string");
    let raw: Uint8Array;
    try {
      raw = base64Decode(userBufText);
    } catch (cause) {
      throw malformed("userSig field TLS.userbuf is not valid base64", cause);
    }
    let privateMapKey: PrivateMapKeyUserBuf | undefined;
    try {
      privateMapKey = decodePrivateMapKeyUserBuf(raw);
    } catch {}
    userBuf = { bytes: raw, base64: userBufText, privateMapKey };
  }
  return {
    version,
    userId,
    sdkAppId,
    issuedAtSeconds: time,
    expireSeconds: expire,
    issuedAt: new Date(time * 1000),
    expiresAt: new Date((time + expire) * 1000),
    signature,
    userBuf,
  };
}

/**
 * Verifies a v2 UserSig and returns what it says. Checks, in order: the format (`ERR_MALFORMED_CREDENTIAL`),
 * the SDKAppID (`ERR_APP_MISMATCH`), the HMAC in constant time (`ERR_SIGNATURE_INVALID`), the user
 * (`ERR_USER_MISMATCH`), the userbuf (`ERR_USERBUF_MISMATCH`), and the expiry (`ERR_CREDENTIAL_EXPIRED`): valid
 * while now <= time + expire, as Tencent's Go verifier decides; a PrivateMapKey's own expiry counts too.
 * Each refusal carries in `vendorCode` the code Tencent's server answers for the same fault
 * ({@link TENCENT_USERSIG_ERROR_CODES}: 70001 expired, 70003 malformed, 70009 wrong key, 70013 another user,
 * 70014 another SDKAppID). `secretKey` may be a list `[current, ...previous]` during a key rotation.
 * Synchronous.
 *
 * @example
 * ```ts
 * import { verifyUserSig } from "@imauth/tencent";
 *
 * try {
 *   const { userId, expiresAt } = verifyUserSig(userSig, { sdkAppId: 1400000000, secretKey, userId: "alice" });
 * } catch (error) {
 *   if (isImAuthError(error, "ERR_CREDENTIAL_EXPIRED")) {
 *     // ask the client to fetch a new UserSig
 *   }
 * }
 * ```
 */
export function verifyUserSig(userSig: string, options: VerifyUserSigOptions): DecodedUserSig {
  assertOptionsObject(options, "verifyUserSig options");
  const { sdkAppId, userId } = options;
  assertInteger(sdkAppId, "sdkAppId", { min: 1, max: U32_MAX, code: "ERR_INVALID_CONFIG" });
  const secretKeys = keyList(options.secretKey, "secretKey");
  if (userId !== undefined && typeof userId !== "string") {
    throw new ImAuthError("ERR_INVALID_INPUT", `userId must be a string, got ${typeName(userId)}`);
  }
  const expectedUserBuf = readExpectedUserBuf(options.userBuf);
  const nowMs = readClock(options.clock);

  const decoded = decodeForVerify(userSig);
  if (decoded.sdkAppId !== sdkAppId) {
    throw refuse("ERR_APP_MISMATCH", "userSig was issued for another SDKAppID");
  }
  const content = userSigHmacContent(
    decoded.userId,
    decoded.sdkAppId,
    decoded.issuedAtSeconds,
    decoded.expireSeconds,
    decoded.userBuf?.base64,
  );
  const signature = base64Decode(decoded.signature);
  if (!anyKeyMatches(secretKeys, (key) => constantTimeEqual(hmacSha256(key, content), signature))) {
    throw refuse("ERR_SIGNATURE_INVALID", "userSig signature does not match (wrong secret key?)");
  }
  if (userId !== undefined && decoded.userId !== userId) {
    throw refuse("ERR_USER_MISMATCH", "userSig was issued for another user");
  }
  if (expectedUserBuf !== undefined) {
    const actual = decoded.userBuf?.bytes;
    const same =
      expectedUserBuf === null
        ? actual === undefined
        : actual !== undefined && constantTimeEqual(actual, expectedUserBuf);
    if (!same) throw new ImAuthError("ERR_USERBUF_MISMATCH", "userSig carries another userbuf than expected");
  }
  const nowSeconds = Math.floor(nowMs / 1000);
  if (nowSeconds > decoded.issuedAtSeconds + decoded.expireSeconds) {
    throw refuse("ERR_CREDENTIAL_EXPIRED", `userSig expired at ${decoded.expiresAt.toISOString()}`);
  }
  const privateMapKey = decoded.userBuf?.privateMapKey;
  if (privateMapKey && nowSeconds > privateMapKey.expiresAtSeconds) {
    throw refuse(
      "ERR_CREDENTIAL_EXPIRED",
      `PrivateMapKey userbuf expired at ${privateMapKey.expiresAt.toISOString()}`,
    );
  }
  return decoded;
}

/** {@link decodeUserSig}, its refusals carrying Tencent's code for an unparsable (70003) or empty (70002) UserSig. */
function decodeForVerify(userSig: string): DecodedUserSig {
  try {
    return decodeUserSig(userSig);
  } catch (error) {
    if (!isImAuthError(error, "ERR_MALFORMED_CREDENTIAL") || error.vendorCode !== undefined) throw error;
    const vendorCode =
      userSig === "" ? EMPTY_USERSIG_CODE : TENCENT_USERSIG_ERROR_CODES.ERR_MALFORMED_CREDENTIAL;
    throw new ImAuthError("ERR_MALFORMED_CREDENTIAL", error.message, { vendorCode, cause: error });
  }
}

/** The expected userbuf: bytes as given, a string as its UTF-8 bytes (well-formed, so one string, one bytes). */
function readExpectedUserBuf(value: Uint8Array | string | null | undefined): Uint8Array | null | undefined {
  if (value === undefined || value === null || value instanceof Uint8Array) return value;
  if (typeof value === "string") {
    assertWellFormed(value, "userBuf");
    return utf8Encode(value);
  }
  throw new ImAuthError(
    "ERR_INVALID_INPUT",
    `userBuf must be a Uint8Array or a string, got ${typeName(value)}`,
  );
}

// Own properties only, so a `__proto__` key in the document (an own property after JSON.parse) is just an
// unknown field and nothing is read through the prototype chain.
function field(doc: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(doc, name) ? doc[name] : undefined;
}

function u32(doc: Record<string, unknown>, name: string): number {
  const value = field(doc, name);
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > U32_MAX) {
    throw malformed(`userSig field ${name} must be an integer from 0 to ${U32_MAX}`);
  }
  return value;
}
