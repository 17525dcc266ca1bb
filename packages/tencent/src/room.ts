import { ImAuthError, type RoomCredential, type RoomPrivilege } from "@imauth/core";
import { type ParsedRoomScope, readRoomScope } from "@imauth/core/adapter";
import { TRTC_PRIVILEGE } from "./usersig.js";

// The room scope of `issueCredential` (core's `RoomScope`) as TRTC understands it: a PrivateMapKey for one
// room, whose privilege map is built from the common privileges. Internal to the provider: applications that
// want other bits call genPrivateMapKey themselves.

/**
 * @internal The TRTC privilege bits each common room privilege grants. `"join"` includes receiving (the core
 * contract), so it is entering (and creating) the room plus receiving every stream; TRTC has no bit for data:
 * custom messages (SEI, `sendCustomCmdMsg`) need only room entry, so `"publishData"` adds nothing and leaving
 * it out withholds nothing.
 *
 * @example
 * ```ts
 * TRTC_ROOM_PRIVILEGE_BITS.publishVideo; // 80: SEND_VIDEO | SEND_SUB_STREAM
 * ```
 */
export const TRTC_ROOM_PRIVILEGE_BITS: Readonly<Record<RoomPrivilege, number>> = Object.freeze({
  join:
    TRTC_PRIVILEGE.CREATE_ROOM |
    TRTC_PRIVILEGE.ENTER_ROOM |
    TRTC_PRIVILEGE.RECEIVE_AUDIO |
    TRTC_PRIVILEGE.RECEIVE_VIDEO |
    TRTC_PRIVILEGE.RECEIVE_SUB_STREAM,
  publishAudio: TRTC_PRIVILEGE.SEND_AUDIO,
  publishVideo: TRTC_PRIVILEGE.SEND_VIDEO | TRTC_PRIVILEGE.SEND_SUB_STREAM,
  publishData: 0,
});

/**
 * @internal The PrivateMapKey privilege map for a list of room privileges (already read by `readRoomScope`).
 *
 * @example
 * ```ts
 * trtcPrivilegeMap(["join"]); // 171: create, enter, receive audio, video and sub-stream
 * trtcPrivilegeMap(["join", "publishAudio", "publishVideo", "publishData"]); // 255
 * ```
 */
export function trtcPrivilegeMap(privileges: readonly RoomPrivilege[]): number {
  let bits = 0;
  for (const privilege of privileges) bits |= TRTC_ROOM_PRIVILEGE_BITS[privilege];
  return bits;
}

/**
 * @internal Reads the `room` option for TRTC: core's rules, and no `rtcUid`, since TRTC knows the users of a
 * room by their userId (the PrivateMapKey is bound to it). Throws `ERR_INVALID_INPUT`.
 *
 * @example
 * ```ts
 * readTrtcRoomScope({ roomId: "room-1" }); // { roomId: "room-1", privileges: [all four] }
 * readTrtcRoomScope({ roomId: 1, rtcUid: 7 }); // throws ERR_INVALID_INPUT
 * ```
 */
export function readTrtcRoomScope(room: unknown): ParsedRoomScope {
  const scope = readRoomScope(room);
  if (scope.rtcUid !== undefined) {
    throw new ImAuthError(
      "ERR_INVALID_INPUT",
      "room.rtcUid is not used by TRTC: rooms know users by their userId, which the PrivateMapKey is bound to",
    );
  }
  return scope;
}

/**
 * @internal What the provider's PrivateMapKey maker is asked to sign.
 *
 * @example
 * ```ts
 * const input: PrivateMapKeyInput = {
 *   userId: "alice", roomId: 1234, privilegeMap: 171, expireSeconds: 600, nowMs: Date.now(),
 * };
 * ```
 */
export interface PrivateMapKeyInput {
  userId: string;
  roomId: number | string;
  privilegeMap: number;
  expireSeconds: number;
  nowMs: number;
}

/**
 * @internal The room part of a credential: a PrivateMapKey for `scope.roomId` (numeric `roomId` or string
 * `strRoomId`) that lasts as long as the UserSig issued with it, with its privilege map in `details`.
 *
 * @example
 * ```ts
 * const room = await issueTrtcRoomCredential(makeKey, readTrtcRoomScope({ roomId: 1234 }), {
 *   userId: "alice", ttlSeconds: 600, nowMs, expiresAt,
 * });
 * ```
 */
export async function issueTrtcRoomCredential(
  makeKey: (input: PrivateMapKeyInput) => string | Promise<string>,
  scope: ParsedRoomScope,
  input: { userId: string; ttlSeconds: number; nowMs: number; expiresAt: Date },
): Promise<RoomCredential> {
  const privilegeMap = trtcPrivilegeMap(scope.privileges);
  const token = await makeKey({
    userId: input.userId,
    roomId: scope.roomId,
    privilegeMap,
    expireSeconds: input.ttlSeconds,
    nowMs: input.nowMs,
  });
  return {
    roomId: scope.roomId,
    token,
    privileges: scope.privileges,
    expiresAt: input.expiresAt,
    details: { privilegeMap: String(privilegeMap) },
  };
}
