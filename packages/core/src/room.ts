import { ImAuthError } from "./errors.js";
import type { RoomPrivilege, RoomScope } from "./types.js";
import { assertOptionsObject, assertUserId, typeName } from "./validate.js";

/** Every room privilege, in their one canonical order. */
// Marked pure so bundles that never read it (most of them: it shares a chunk with readWebhook) drop it.
export const ROOM_PRIVILEGES: readonly RoomPrivilege[] = /* @__PURE__ */ Object.freeze([
  "join",
  "publishAudio",
  "publishVideo",
  "publishData",
]);

/** Largest numeric room ID (unsigned 32 bits: TRTC's `roomId`, the common ground of the vendors). */
const MAX_NUMERIC_ROOM_ID = 0xffff_ffff;
/** Longest string room ID in UTF-8 bytes (Tencent's `strRoomId`, Agora's channel name, NERTC's `cname`). */
const MAX_ROOM_ID_BYTES = 64;
/** Largest numeric RTC uid: unsigned 64 bits (NERTC), as a decimal string when beyond 2^53. */
const MAX_RTC_UID_DIGITS = 20;

/**
 * A room scope after {@link readRoomScope}: the room ID as given, the privileges deduplicated in canonical
 * order, and the RTC uid as a decimal string when one was given.
 *
 * @example
 * ```ts
 * const room: ParsedRoomScope = { roomId: 1234, privileges: ["join"] };
 * ```
 */
export interface ParsedRoomScope {
  roomId: number | string;
  privileges: RoomPrivilege[];
  rtcUid?: string;
}

/**
 * Reads the `room` option of `issueCredential` (untrusted input): `roomId` an integer from 1 to 4294967295 or
 * a string of 1 to 64 UTF-8 bytes without control characters, `privileges` a non-empty list of known
 * privileges that includes `"join"` (default: all), `rtcUid` a non-negative integer or a decimal string of up to
 * 20 digits. Throws `ERR_INVALID_INPUT` naming the field; vendors add their own rules on top.
 *
 * @example
 * ```ts
 * const room = options?.room === undefined ? undefined : readRoomScope(options.room);
 * ```
 */
export function readRoomScope(value: unknown): ParsedRoomScope {
  assertOptionsObject(value, "room");
  const scope = value as Partial<RoomScope>;
  const parsed: ParsedRoomScope = {
    roomId: readRoomId(scope.roomId),
    privileges: readPrivileges(scope.privileges),
  };
  if (scope.rtcUid !== undefined) parsed.rtcUid = readRtcUid(scope.rtcUid);
  return parsed;
}

function readRoomId(value: unknown): number | string {
  if (typeof value === "number") {
    if (Number.isInteger(value) && value >= 1 && value <= MAX_NUMERIC_ROOM_ID) return value;
    throw new ImAuthError(
      "ERR_INVALID_INPUT",
      `room.roomId must be an integer from 1 to ${MAX_NUMERIC_ROOM_ID}`,
    );
  }
  if (typeof value !== "string")
    throw new ImAuthError(
      "ERR_INVALID_INPUT",
      `room.roomId must be a number or a string, got ${typeName(value)}`,
    );
  // Non-empty, well-formed, at most 64 UTF-8 bytes, no control characters: the rules of a user ID.
  assertUserId(value, { maxBytes: MAX_ROOM_ID_BYTES, what: "room.roomId" });
  return value;
}

function readPrivileges(value: unknown): RoomPrivilege[] {
  if (value === undefined) return [...ROOM_PRIVILEGES];
  if (!Array.isArray(value) || value.length === 0 || value.length > ROOM_PRIVILEGES.length * 4)
    throw new ImAuthError(
      "ERR_INVALID_INPUT",
      `room.privileges must be a non-empty array, got ${typeName(value)}`,
    );
  for (const p of value) {
    if (!ROOM_PRIVILEGES.includes(p as RoomPrivilege))
      throw new ImAuthError(
        "ERR_INVALID_INPUT",
        `room.privileges holds an unknown privilege; known: ${ROOM_PRIVILEGES.join(", ")}`,
      );
  }
  if (!value.includes("join"))
    throw new ImAuthError("ERR_INVALID_INPUT", 'room.privileges must include "join"');
  return ROOM_PRIVILEGES.filter((p) => value.includes(p));
}

function readRtcUid(value: unknown): string {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === "string" && /^(0|[1-9][0-9]*)$/.test(value) && value.length <= MAX_RTC_UID_DIGITS)
    return value;
  throw new ImAuthError(
    "ERR_INVALID_INPUT",
    `room.rtcUid must be a non-negative integer or a decimal string of up to ${MAX_RTC_UID_DIGITS} digits`,
  );
}

/**
 * Throws `ERR_INVALID_INPUT` when `issueCredential` options carry a room scope the provider cannot honour: a
 * vendor without room-scoped credentials says so instead of silently issuing an unscoped one. The scope is
 * validated first, so a malformed one gets the same message on every vendor.
 *
 * @example
 * ```ts
 * refuseRoomScope(options?.room, "rongcloud", "RongCloud IM tokens are not scoped to a room");
 * ```
 */
export function refuseRoomScope(room: unknown, vendor: string, reason: string): void {
  if (room === undefined) return;
  readRoomScope(room);
  throw new ImAuthError("ERR_INVALID_INPUT", `${vendor} cannot scope a credential to a room: ${reason}`);
}
