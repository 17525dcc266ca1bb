import { ImAuthError, type RoomCredential, type RoomPrivilege } from "@imauth/core";
import {
  base64Encode,
  type ParsedRoomScope,
  tencentBase64Encode,
  utf8Encode,
  zlibStore,
} from "@imauth/core/adapter";
import {
  genNertcToken,
  MAX_NERTC_TOKEN_TTL_SECONDS,
  NERTC_PRIVILEGE,
  nertcPermissionKeyContent,
  nertcPermissionKeyJson,
  nertcUidString,
} from "./token.js";

// The room scope of `issueCredential` (core's `RoomScope`) as NERTC understands it: a NERTC token for the
// channel, and a permission key when the privileges are narrower than what a token alone grants.

/**
 * @internal The NERTC permission-key bits each common room privilege grants. `"join"` includes receiving
 * (the core contract). NERTC has no bit for data: `"publishData"` adds nothing, and leaving it out withholds
 * nothing.
 *
 * @example
 * ```ts
 * NERTC_ROOM_PRIVILEGE_BITS.publishAudio; // 1 (SEND_AUDIO)
 * ```
 */
export const NERTC_ROOM_PRIVILEGE_BITS: Readonly<Record<RoomPrivilege, number>> = Object.freeze({
  join:
    NERTC_PRIVILEGE.CREATE_ROOM |
    NERTC_PRIVILEGE.JOIN_ROOM |
    NERTC_PRIVILEGE.RECEIVE_AUDIO |
    NERTC_PRIVILEGE.RECEIVE_VIDEO,
  publishAudio: NERTC_PRIVILEGE.SEND_AUDIO,
  publishVideo: NERTC_PRIVILEGE.SEND_VIDEO,
  publishData: 0,
});

/**
 * @internal The permission-key `privilege` for a list of room privileges (already read by `readRoomScope`).
 *
 * @example
 * ```ts
 * nertcPrivilege(["join"]); // 60: create, join, receive audio and video
 * nertcPrivilege(["join", "publishAudio", "publishVideo"]); // 63, NERTC_PRIVILEGE.ALL
 * ```
 */
export function nertcPrivilege(privileges: readonly RoomPrivilege[]): number {
  let bits = 0;
  for (const privilege of privileges) bits |= NERTC_ROOM_PRIVILEGE_BITS[privilege];
  return bits;
}

/**
 * @internal The NERTC uid of a room credential, as decimal text: `room.rtcUid`, or the accid when it is
 * itself a NERTC uid (a decimal number without leading zeros, below 2^63). Throws `ERR_INVALID_INPUT`.
 *
 * @example
 * ```ts
 * nertcRoomUid("10001", undefined); // "10001"
 * nertcRoomUid("alice", "42"); // "42"
 * ```
 */
export function nertcRoomUid(accid: string, rtcUid: string | undefined): string {
  if (rtcUid !== undefined) {
    // Core allows unsigned 64-bit uids (20 digits); NERTC's are signed: say so rather than "bad digits".
    if (rtcUid.length > 19)
      throw new ImAuthError("ERR_INVALID_INPUT", "room.rtcUid must be below 2^63 for NERTC");
    return nertcUidString(rtcUid, "room.rtcUid");
  }
  try {
    return nertcUidString(accid);
  } catch {
    throw new ImAuthError(
      "ERR_INVALID_INPUT",
      "NERTC needs a numeric uid: pass room.rtcUid (the accid is not a decimal number below 2^63)",
    );
  }
}

/**
 * @internal What {@link issueNertcRoomCredential} signs with: the AppKey and AppSecret for the token, the
 * permission secret (when configured) for permission keys.
 *
 * @example
 * ```ts
 * const keys: NertcRoomKeys = { appKey, appSecret, permSecret: undefined };
 * ```
 */
export interface NertcRoomKeys {
  appKey: string;
  appSecret: string;
  permSecret: string | undefined;
}

/**
 * @internal The room part of a credential: a NERTC token for channel `String(roomId)` and the uid, lasting
 * `ttlSeconds` (at most 86399: a longer one is refused, never shortened), and a permission key in
 * `details.permissionKey` when the privileges withhold a bit (which needs `permSecret`).
 *
 * @example
 * ```ts
 * const room = await issueNertcRoomCredential(keys, "10001", scope, 3600, nowMs);
 * ```
 */
export async function issueNertcRoomCredential(
  keys: NertcRoomKeys,
  accid: string,
  scope: ParsedRoomScope,
  ttlSeconds: number,
  nowMs: number,
): Promise<RoomCredential> {
  const uid = nertcRoomUid(accid, scope.rtcUid);
  if (ttlSeconds > MAX_NERTC_TOKEN_TTL_SECONDS) {
    throw new ImAuthError(
      "ERR_INVALID_INPUT",
      `ttlSeconds must be at most ${MAX_NERTC_TOKEN_TTL_SECONDS} with a room scope: NERTC tokens last less than a day`,
    );
  }
  const privilege = nertcPrivilege(scope.privileges);
  if (privilege !== NERTC_PRIVILEGE.ALL && keys.permSecret === undefined) {
    throw new ImAuthError(
      "ERR_INVALID_INPUT",
      "room.privileges withhold publishing, which NERTC enforces only with a permission key: configure the provider's permSecret",
    );
  }
  const channelName = String(scope.roomId);
  const { appKey, appSecret, permSecret } = keys;
  const token = genNertcToken({ appKey, appSecret, uid, channelName, ttlSeconds, clock: () => nowMs });
  const details: Record<string, string> = { uid };
  if (privilege !== NERTC_PRIVILEGE.ALL) {
    const curTimeSeconds = Math.floor(nowMs / 1000);
    const key = { appKey, uid, channelName, privilege, ttlSeconds, curTimeSeconds };
    details.permissionKey = await permissionKey(permSecret!, key);
  }
  return {
    roomId: scope.roomId,
    token,
    privileges: scope.privileges,
    expiresAt: new Date(nowMs + ttlSeconds * 1000),
    details,
  };
}

/**
 * @internal A permission key as `genNertcPermissionKey` makes it (same JSON, same checksum), built from what
 * the provider bundle already holds: HMAC-SHA256 from Web Crypto, and zlib stored blocks (every zlib reader
 * accepts them, as for Tencent's UserSigs). @noble/hashes' SHA-256 and fflate took createNeteaseProvider's
 * browser bundle from 9.6 to 14.2 KB gzip (esbuild, minified), over its 12 KB budget.
 *
 * @example
 * ```ts
 * const key = await permissionKey(permSecret, {
 *   appKey, uid: "10001", channelName: "1234", privilege: 60, ttlSeconds: 600, curTimeSeconds,
 * });
 * ```
 */
export async function permissionKey(
  permSecret: string,
  k: {
    appKey: string;
    uid: string;
    channelName: string;
    privilege: number;
    ttlSeconds: number;
    curTimeSeconds: number;
  },
): Promise<string> {
  const content = nertcPermissionKeyContent(
    k.appKey,
    k.uid,
    k.curTimeSeconds,
    k.ttlSeconds,
    k.channelName,
    k.privilege,
  );
  const hmac = { name: "HMAC", hash: "SHA-256" };
  const secret = await crypto.subtle.importKey("raw", utf8Encode(permSecret), hmac, false, ["sign"]);
  const checksum = base64Encode(
    new Uint8Array(await crypto.subtle.sign("HMAC", secret, utf8Encode(content))),
  );
  const json = nertcPermissionKeyJson(
    k.appKey,
    checksum,
    k.channelName,
    k.curTimeSeconds,
    k.ttlSeconds,
    k.privilege,
    k.uid,
  );
  return tencentBase64Encode(zlibStore(utf8Encode(json)));
}
