import { type Clock, ImAuthError, type Secret } from "@imauth/core";
import {
  assertInteger,
  assertNonEmptyString,
  assertOptionsObject,
  assertUserId,
  assertWellFormed,
  base64Encode,
  readClock,
  typeName,
  utf8Decode,
  utf8Encode,
} from "@imauth/core/adapter";
import { encodeUserSigDocument, hmacSha256Base64 } from "#platform";

/** @internal Largest value of an unsigned 32-bit field (SDKAppID, room ID, times in a PrivateMapKey). */
export const U32_MAX = 0xffff_ffff;

/** Default lifetime of a UserSig or PrivateMapKey: 180 days, as in Tencent's official libraries. */
export const DEFAULT_EXPIRE_SECONDS = 15_552_000;

/**
 * The TRTC room privileges of a PrivateMapKey, one bit each; combine with `|` (e.g. `ENTER_ROOM |
 * RECEIVE_AUDIO | RECEIVE_VIDEO` is 42). `ALL` (255) grants everything.
 */
export const TRTC_PRIVILEGE = Object.freeze({
  CREATE_ROOM: 1,
  ENTER_ROOM: 2,
  SEND_AUDIO: 4,
  RECEIVE_AUDIO: 8,
  SEND_VIDEO: 16,
  RECEIVE_VIDEO: 32,
  SEND_SUB_STREAM: 64,
  RECEIVE_SUB_STREAM: 128,
  ALL: 255,
} as const);

/**
 * The privileges of a PrivateMapKey as named flags.
 *
 * @example
 * ```ts
 * const { enterRoom, sendVideo }: TrtcPrivileges = describePrivileges(privilegeMap);
 * ```
 */
export interface TrtcPrivileges {
  /** Bit 1: create the room. */
  createRoom: boolean;
  /** Bit 2: enter the room. */
  enterRoom: boolean;
  /** Bit 4: send audio. */
  sendAudio: boolean;
  /** Bit 8: receive audio. */
  receiveAudio: boolean;
  /** Bit 16: send video. */
  sendVideo: boolean;
  /** Bit 32: receive video. */
  receiveVideo: boolean;
  /** Bit 64: send the sub-stream (screen sharing). */
  sendSubStream: boolean;
  /** Bit 128: receive the sub-stream (screen sharing). */
  receiveSubStream: boolean;
}

/**
 * Names the bits of a privilege map.
 *
 * @example
 * ```ts
 * describePrivileges(42); // { enterRoom: true, receiveAudio: true, receiveVideo: true, others false }
 * ```
 */
export function describePrivileges(privilegeMap: number): TrtcPrivileges {
  return {
    createRoom: (privilegeMap & TRTC_PRIVILEGE.CREATE_ROOM) !== 0,
    enterRoom: (privilegeMap & TRTC_PRIVILEGE.ENTER_ROOM) !== 0,
    sendAudio: (privilegeMap & TRTC_PRIVILEGE.SEND_AUDIO) !== 0,
    receiveAudio: (privilegeMap & TRTC_PRIVILEGE.RECEIVE_AUDIO) !== 0,
    sendVideo: (privilegeMap & TRTC_PRIVILEGE.SEND_VIDEO) !== 0,
    receiveVideo: (privilegeMap & TRTC_PRIVILEGE.RECEIVE_VIDEO) !== 0,
    sendSubStream: (privilegeMap & TRTC_PRIVILEGE.SEND_SUB_STREAM) !== 0,
    receiveSubStream: (privilegeMap & TRTC_PRIVILEGE.RECEIVE_SUB_STREAM) !== 0,
  };
}

/**
 * Options of {@link genUserSig}.
 *
 * @example
 * ```ts
 * const options: GenUserSigOptions = { sdkAppId: 1400000000, secretKey, userId: "alice", expireSeconds: 86400 };
 * ```
 */
export interface GenUserSigOptions {
  /** The SDKAppID (console: Application management). */
  sdkAppId: number;
  /** The application's secret key, used as it appears in the console (its UTF-8 bytes key the HMAC). */
  secretKey: string | Secret;
  /**
   * The user: at most 32 bytes of UTF-8, no control characters, well-formed UTF-16 (UTF-8 encoding would sign
   * an unpaired surrogate as U+FFFD, the same as another ID).
   */
  userId: string;
  /** Lifetime in seconds. Default 180 days ({@link DEFAULT_EXPIRE_SECONDS}). */
  expireSeconds?: number;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  clock?: Clock;
  /**
   * Bytes to carry in `TLS.userbuf` (signed with the rest), as the official `genSigWithUserbuf` does; a
   * string is taken as its UTF-8 bytes. At most 1024 bytes. Default: no userbuf.
   */
  userBuf?: Uint8Array | string;
}

/** Largest `userBuf` {@link genUserSig} signs, in bytes: the UserSig must stay under verifiers' length cap. */
export const MAX_USERBUF_BYTES = 1024;

/**
 * Options of {@link genPrivateMapKey}.
 *
 * @example
 * ```ts
 * const options: GenPrivateMapKeyOptions = { sdkAppId, secretKey, userId: "alice", roomId: "room-1", privilegeMap: 255 };
 * ```
 */
export interface GenPrivateMapKeyOptions extends Omit<GenUserSigOptions, "userBuf"> {
  /** The TRTC room: a number (1 to 4294967295) or a string room ID (at most 64 bytes, well-formed UTF-16). */
  roomId: number | string;
  /** The granted privileges, e.g. `TRTC_PRIVILEGE.ALL`; an unsigned 32-bit integer. */
  privilegeMap: number;
}

/**
 * The fields of a PrivateMapKey userbuf, as {@link decodePrivateMapKeyUserBuf} reads them.
 *
 * @example
 * ```ts
 * const room: PrivateMapKeyUserBuf | undefined = decodeUserSig(privateMapKey).userBuf?.privateMapKey;
 * ```
 */
export interface PrivateMapKeyUserBuf {
  /** 0 for a numeric room, 1 for a string room. */
  version: 0 | 1;
  /** The user (UTF-8; invalid sequences, as the official Node library writes for non-ASCII, become U+FFFD). */
  userId: string;
  /** The SDKAppID. */
  sdkAppId: number;
  /** The room: a number for version 0, a string for version 1. */
  roomId: number | string;
  /** The key's own expiry in epoch seconds (issue time + lifetime). */
  expiresAtSeconds: number;
  /** The same as a `Date`. */
  expiresAt: Date;
  /** The privilege bits. */
  privilegeMap: number;
  /** The privilege bits by name. */
  privileges: TrtcPrivileges;
  /** The account type; always 0 in what the official libraries write. */
  accountType: number;
}

/**
 * Fields for {@link encodePrivateMapKeyUserBuf}.
 *
 * @example
 * ```ts
 * const fields: PrivateMapKeyUserBufFields = { userId: "alice", sdkAppId, roomId: 10000, expiresAtSeconds, privilegeMap: 255 };
 * ```
 */
export interface PrivateMapKeyUserBufFields {
  /** The user (at most 32 bytes of UTF-8). */
  userId: string;
  /** The SDKAppID. */
  sdkAppId: number;
  /** A numeric room (version 0) or a string room (version 1). */
  roomId: number | string;
  /** Absolute expiry in epoch seconds. */
  expiresAtSeconds: number;
  /** The privilege bits. */
  privilegeMap: number;
  /** Default 0. */
  accountType?: number;
}

/**
 * Generates a UserSig (v2, HMAC-SHA256) for Tencent Cloud IM and TRTC, with a signed `userBuf` when given
 * (the official `genSigWithUserbuf`). Synchronous; the clock is injectable. Throws `ImAuthError`
 * `ERR_INVALID_CONFIG` (sdkAppId, secretKey, clock) or `ERR_INVALID_INPUT` (userId, expireSeconds, userBuf).
 *
 * @example
 * ```ts
 * import { genUserSig } from "@imauth/tencent";
 *
 * const userSig = genUserSig({ sdkAppId: 1400000000, secretKey: process.env.TENCENT_SECRET_KEY!, userId: "alice" });
 * const withUserBuf = genUserSig({ sdkAppId: 1400000000, secretKey, userId: "alice", userBuf: new Uint8Array([1, 2]) });
 * ```
 */
export function genUserSig(options: GenUserSigOptions): string {
  const o = readOptions(options, "genUserSig");
  const userBuf = options.userBuf === undefined ? undefined : base64Encode(readUserBuf(options.userBuf));
  return signUserSig(o.sdkAppId, o.secretKey, o.userId, o.nowSeconds, o.expireSeconds, userBuf);
}

/** A userbuf to sign: bytes as given, a string as its UTF-8 bytes (well-formed, so one string, one bytes). */
function readUserBuf(value: unknown): Uint8Array {
  let bytes: Uint8Array;
  if (value instanceof Uint8Array) bytes = value;
  else if (typeof value === "string") {
    assertWellFormed(value, "userBuf");
    bytes = utf8Encode(value);
  } else {
    throw new ImAuthError(
      "ERR_INVALID_INPUT",
      `userBuf must be a Uint8Array or a string, got ${typeName(value)}`,
    );
  }
  if (bytes.length > MAX_USERBUF_BYTES) {
    throw new ImAuthError("ERR_INVALID_INPUT", `userBuf must be at most ${MAX_USERBUF_BYTES} bytes`);
  }
  return bytes;
}

/**
 * Generates a TRTC PrivateMapKey: a UserSig whose userbuf grants `privilegeMap` in one room until
 * now + `expireSeconds`. A string `roomId` gives the string-room layout. User and room IDs are written as UTF-8
 * (as Tencent's Go, C++ and PHP libraries do; the official Node library writes UTF-16 low bytes instead,
 * which differs for non-ASCII IDs).
 *
 * @example
 * ```ts
 * import { genPrivateMapKey, TRTC_PRIVILEGE } from "@imauth/tencent";
 *
 * const privateMapKey = genPrivateMapKey({
 *   sdkAppId: 1400000000,
 *   secretKey,
 *   userId: "alice",
 *   roomId: 10000,
 *   privilegeMap: TRTC_PRIVILEGE.ENTER_ROOM | TRTC_PRIVILEGE.RECEIVE_AUDIO | TRTC_PRIVILEGE.RECEIVE_VIDEO,
 *   expireSeconds: 300,
 * });
 * ```
 */
export function genPrivateMapKey(options: GenPrivateMapKeyOptions): string {
  const o = readOptions(options, "genPrivateMapKey");
  const { roomId, privilegeMap } = options;
  const expiresAtSeconds = o.nowSeconds + o.expireSeconds;
  if (expiresAtSeconds > U32_MAX) {
    throw new ImAuthError("ERR_INVALID_INPUT", "expireSeconds: the expiry must be before 2106 (a u32)");
  }
  const userBuf = encodePrivateMapKeyUserBuf({
    userId: o.userId,
    sdkAppId: o.sdkAppId,
    roomId,
    expiresAtSeconds,
    privilegeMap,
  });
  return signUserSig(o.sdkAppId, o.secretKey, o.userId, o.nowSeconds, o.expireSeconds, base64Encode(userBuf));
}

/**
 * Encodes a PrivateMapKey userbuf (big-endian): u8 version (0 numeric room, 1 string room), u16 userId length,
 * userId, u32 sdkAppId, u32 numeric room (0 for a string room), u32 expiry, u32 privilegeMap, u32 account type,
 * and for a string room u16 room length and room. Strings are UTF-8.
 *
 * @example
 * ```ts
 * const userBuf = encodePrivateMapKeyUserBuf({
 *   userId: "xiaojun", sdkAppId: 1400000000, roomId: 10000, expiresAtSeconds: 1715552000, privilegeMap: 255,
 * });
 * ```
 */
export function encodePrivateMapKeyUserBuf(fields: PrivateMapKeyUserBufFields): Uint8Array {
  const { roomId, accountType = 0 } = fields;
  assertUserId(fields.userId);
  assertInteger(fields.sdkAppId, "sdkAppId", { min: 1, max: U32_MAX, code: "ERR_INVALID_CONFIG" });
  assertInteger(fields.expiresAtSeconds, "expiresAtSeconds", { min: 0, max: U32_MAX });
  assertInteger(fields.privilegeMap, "privilegeMap", { min: 0, max: U32_MAX });
  assertInteger(accountType, "accountType", { min: 0, max: U32_MAX });
  const user = utf8Encode(fields.userId);
  let room: Uint8Array | undefined;
  if (typeof roomId === "string") {
    assertUserId(roomId, { maxBytes: 64, what: "roomId" });
    room = utf8Encode(roomId);
  } else if (typeof roomId === "number") {
    assertInteger(roomId, "roomId", { min: 1, max: U32_MAX });
  } else {
    throw new ImAuthError(
      "ERR_INVALID_INPUT",
      `roomId must be a number or a string, got ${typeName(roomId)}`,
    );
  }
  const out = new Uint8Array(3 + user.length + 20 + (room ? 2 + room.length : 0));
  const view = new DataView(out.buffer);
  out[0] = room ? 1 : 0;
  view.setUint16(1, user.length);
  out.set(user, 3);
  let p = 3 + user.length;
  view.setUint32(p, fields.sdkAppId);
  view.setUint32(p + 4, room ? 0 : (roomId as number));
  view.setUint32(p + 8, fields.expiresAtSeconds);
  view.setUint32(p + 12, fields.privilegeMap);
  view.setUint32(p + 16, accountType);
  p += 20;
  if (room) {
    view.setUint16(p, room.length);
    out.set(room, p + 2);
  }
  return out;
}

/**
 * Decodes a PrivateMapKey userbuf (see {@link encodePrivateMapKeyUserBuf}). Throws `ImAuthError`
 * `ERR_MALFORMED_CREDENTIAL` when the bytes do not have that layout exactly.
 *
 * @example
 * ```ts
 * const { roomId, privileges, expiresAt } = decodePrivateMapKeyUserBuf(userBufBytes);
 * ```
 */
export function decodePrivateMapKeyUserBuf(bytes: Uint8Array): PrivateMapKeyUserBuf {
  const bad = (reason: string): never => {
    throw new ImAuthError("ERR_MALFORMED_CREDENTIAL", `userbuf is not a PrivateMapKey userbuf (${reason})`);
  };
  if (!(bytes instanceof Uint8Array)) bad("not bytes");
  if (bytes.length < 23) bad("too short");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[0]!;
  if (version !== 0 && version !== 1) bad(`unknown version ${version}`);
  const userLength = view.getUint16(1);
  let p = 3 + userLength;
  const fixedEnd = p + 20;
  if (version === 0 ? bytes.length !== fixedEnd : bytes.length < fixedEnd + 2) bad("bad length");
  const userId = utf8Decode(bytes.subarray(3, p), false);
  const sdkAppId = view.getUint32(p);
  const numericRoom = view.getUint32(p + 4);
  const expiresAtSeconds = view.getUint32(p + 8);
  const privilegeMap = view.getUint32(p + 12);
  const accountType = view.getUint32(p + 16);
  p = fixedEnd;
  let roomId: number | string = numericRoom;
  if (version === 1) {
    const roomLength = view.getUint16(p);
    if (bytes.length !== p + 2 + roomLength) bad("bad room length");
    roomId = utf8Decode(bytes.subarray(p + 2), false);
  }
  return {
    version: version as 0 | 1,
    userId,
    sdkAppId,
    roomId,
    expiresAtSeconds,
    expiresAt: new Date(expiresAtSeconds * 1000),
    privilegeMap,
    privileges: describePrivileges(privilegeMap),
    accountType,
  };
}

/** @internal The text the HMAC of a v2 UserSig covers. Every line ends in `\n`. */
export function userSigHmacContent(
  userId: string,
  sdkAppId: number,
  time: number,
  expire: number,
  userBufBase64: string | undefined,
): string {
  let content =
    "TLS.identifier:" +
    userId +
    "\nTLS.sdkappid:" +
    sdkAppId +
    "\nTLS.time:" +
    time +
    "\nTLS.expire:" +
    expire +
    "\n";
  if (userBufBase64 !== undefined) content += "TLS.userbuf:" + userBufBase64 + "\n";
  return content;
}

/** @internal Signs and encodes a v2 document, keys in the official Node library's order. Inputs are validated. */
export function signUserSig(
  sdkAppId: number,
  secretKey: string,
  userId: string,
  time: number,
  expire: number,
  userBufBase64: string | undefined,
): string {
  const sig = hmacSha256Base64(secretKey, userSigHmacContent(userId, sdkAppId, time, expire, userBufBase64));
  // Concatenated in the official key order; the bytes equal JSON.stringify of the official document object.
  let json =
    '{"TLS.ver":"2.0","TLS.identifier":' +
    JSON.stringify(userId) +
    ',"TLS.sdkappid":' +
    sdkAppId +
    ',"TLS.time":' +
    time +
    ',"TLS.expire":' +
    expire;
  if (userBufBase64 !== undefined) json += ',"TLS.userbuf":"' + userBufBase64 + '"';
  return encodeUserSigDocument(json + ',"TLS.sig":"' + sig + '"}');
}

interface CommonOptions {
  sdkAppId: number;
  secretKey: string;
  userId: string;
  expireSeconds: number;
  nowSeconds: number;
}

/**
 * @internal A secret option (`string | Secret`): revealed, and checked to be a non-empty string of at most
 * 4096 characters without echoing it (`ERR_INVALID_CONFIG`).
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
  assertNonEmptyString(revealed, what, "ERR_INVALID_CONFIG");
  return revealed;
}

function readOptions(options: GenUserSigOptions, what: string): CommonOptions {
  assertOptionsObject(options, `${what} options`);
  const { sdkAppId, userId, expireSeconds = DEFAULT_EXPIRE_SECONDS } = options;
  assertInteger(sdkAppId, "sdkAppId", { min: 1, max: U32_MAX, code: "ERR_INVALID_CONFIG" });
  const secretKey = revealSecret(options.secretKey, "secretKey");
  assertUserId(userId);
  assertInteger(expireSeconds, "expireSeconds", { min: 1, max: U32_MAX });
  const nowSeconds = Math.floor(readClock(options.clock) / 1000);
  if (nowSeconds > U32_MAX) throw new ImAuthError("ERR_INVALID_CONFIG", "clock is beyond the year 2106");
  return { sdkAppId, secretKey, userId, expireSeconds, nowSeconds };
}
