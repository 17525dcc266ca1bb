/**
 * Drop-ins for the builders of the `agora-token` npm package (`RtcTokenBuilder`, `RtmTokenBuilder`,
 * `ChatTokenBuilder`, `RtcRole`): the same arguments, the same token content (strings differ only in the
 * zlib stream, which no two zlib builds write alike; compare tokens after inflating). Where the official
 * builders return `""` (an App ID or certificate that is not 32 hex characters) or sign input Agora refuses
 * later (a channel name outside Agora's character set, a uid beyond 32 bits, a role other than 1 or 2), these
 * throw an `ImAuthError`. The clock is the wall clock and the salt random, as in the official package; for
 * injected time use `genRtcToken` and friends from `@imauth/agora`.
 *
 * @example
 * ```ts
 * import { RtcRole, RtcTokenBuilder } from "@imauth/agora/compat";
 *
 * const token = RtcTokenBuilder.buildTokenWithUid(
 *   process.env.AGORA_APP_ID!, process.env.AGORA_APP_CERTIFICATE!, "room-1", 42, RtcRole.PUBLISHER, 3600, 3600,
 * );
 * ```
 *
 * @packageDocumentation
 */
import { ImAuthError } from "@imauth/core";
import { buildToken, readU32 } from "../accesstoken.js";
import { genChatAppToken, genChatUserToken, genRtcToken, genRtmToken } from "../products.js";
import { assertAccount, assertChannelName, assertRtmUserId, assertUid } from "../rules.js";

/**
 * The RTC roles of the official builders: `PUBLISHER` (1) joins and publishes, `SUBSCRIBER` (2) only joins.
 *
 * @example
 * ```ts
 * RtcRole.PUBLISHER; // 1
 * ```
 */
export const RtcRole = Object.freeze({ PUBLISHER: 1, SUBSCRIBER: 2 } as const);

function role(value: unknown): "publisher" | "subscriber" {
  if (value === 1) return "publisher";
  if (value === 2) return "subscriber";
  throw new ImAuthError("ERR_INVALID_INPUT", "role must be RtcRole.PUBLISHER (1) or RtcRole.SUBSCRIBER (2)");
}

/** The official builders take a number as a uid (0 is any user) and a string as an account. */
function who(value: unknown, what: string): { uid: number } | { account: string } {
  return typeof value === "number"
    ? { uid: assertUid(value, what) }
    : { account: assertAccount(value, what) };
}

function rtcToken(
  appId: string,
  appCertificate: string,
  channelName: string,
  user: unknown,
  rtcRole: number,
  tokenExpire: number,
  privilegeExpire: number,
  withRtm: boolean,
): string {
  return genRtcToken({
    appId,
    appCertificate,
    channelName,
    ...who(user, withRtm ? "account" : "uid"),
    role: role(rtcRole),
    tokenExpireSeconds: tokenExpire,
    privilegeExpireSeconds: privilegeExpire,
    withRtm,
  });
}

function rtcTokenWithPrivileges(
  appId: string,
  appCertificate: string,
  channelName: string,
  user: unknown,
  tokenExpire: number,
  expiries: readonly [number, number, number, number],
): string {
  const [joinChannel, publishAudioStream, publishVideoStream, publishDataStream] = expiries;
  return genRtcToken({
    appId,
    appCertificate,
    channelName,
    ...who(user, "uid"),
    tokenExpireSeconds: tokenExpire,
    privileges: { joinChannel, publishAudioStream, publishVideoStream, publishDataStream },
  });
}

/**
 * `RtcTokenBuilder` of the `agora-token` package (RtcTokenBuilder2): RTC tokens, optionally with RTM login.
 *
 * @example
 * ```ts
 * const token = RtcTokenBuilder.buildTokenWithUserAccount(appId, appCertificate, "room-1", "alice", RtcRole.SUBSCRIBER, 600);
 * ```
 */
export const RtcTokenBuilder = Object.freeze({
  /** An RTC token for a numeric uid (0: any uid); a publisher gets the three publish privileges too. */
  buildTokenWithUid(
    appId: string,
    appCertificate: string,
    channelName: string,
    uid: number | string,
    role: number,
    tokenExpire: number,
    privilegeExpire = 0,
  ): string {
    return rtcToken(appId, appCertificate, channelName, uid, role, tokenExpire, privilegeExpire, false);
  },
  /** An RTC token for a string user account. */
  buildTokenWithUserAccount(
    appId: string,
    appCertificate: string,
    channelName: string,
    account: string | number,
    role: number,
    tokenExpire: number,
    privilegeExpire = 0,
  ): string {
    return rtcToken(appId, appCertificate, channelName, account, role, tokenExpire, privilegeExpire, false);
  },
  /** An RTC token with each privilege's own expiry (all four are written). */
  buildTokenWithUidAndPrivilege(
    appId: string,
    appCertificate: string,
    channelName: string,
    uid: number | string,
    tokenExpire: number,
    joinChannelPrivilegeExpire: number,
    pubAudioPrivilegeExpire: number,
    pubVideoPrivilegeExpire: number,
    pubDataStreamPrivilegeExpire: number,
  ): string {
    return rtcTokenWithPrivileges(appId, appCertificate, channelName, uid, tokenExpire, [
      joinChannelPrivilegeExpire,
      pubAudioPrivilegeExpire,
      pubVideoPrivilegeExpire,
      pubDataStreamPrivilegeExpire,
    ]);
  },
  /** `buildTokenWithUidAndPrivilege` for a string account (the official spelling). */
  BuildTokenWithUserAccountAndPrivilege(
    appId: string,
    appCertificate: string,
    channelName: string,
    account: string | number,
    tokenExpire: number,
    joinChannelPrivilegeExpire: number,
    pubAudioPrivilegeExpire: number,
    pubVideoPrivilegeExpire: number,
    pubDataStreamPrivilegeExpire: number,
  ): string {
    return rtcTokenWithPrivileges(appId, appCertificate, channelName, account, tokenExpire, [
      joinChannelPrivilegeExpire,
      pubAudioPrivilegeExpire,
      pubVideoPrivilegeExpire,
      pubDataStreamPrivilegeExpire,
    ]);
  },
  /** An RTC token that also grants RTM login to the same (string) account until the token expires. */
  buildTokenWithRtm(
    appId: string,
    appCertificate: string,
    channelName: string,
    account: string,
    role: number,
    tokenExpire: number,
    privilegeExpire = 0,
  ): string {
    return rtcToken(appId, appCertificate, channelName, account, role, tokenExpire, privilegeExpire, true);
  },
  /** An RTC token for `rtcAccount` plus RTM login for `rtmUserId` with its own expiry. */
  buildTokenWithRtm2(
    appId: string,
    appCertificate: string,
    channelName: string,
    rtcAccount: string | number,
    rtcRole: number,
    rtcTokenExpire: number,
    joinChannelPrivilegeExpire: number,
    pubAudioPrivilegeExpire: number,
    pubVideoPrivilegeExpire: number,
    pubDataStreamPrivilegeExpire: number,
    rtmUserId: string,
    rtmTokenExpire: number,
  ): string {
    const user = who(rtcAccount, "rtcAccount");
    const privileges: Record<number, number> = {
      1: readU32(joinChannelPrivilegeExpire, "joinChannelPrivilegeExpire", 0),
    };
    if (role(rtcRole) === "publisher") {
      privileges[2] = readU32(pubAudioPrivilegeExpire, "pubAudioPrivilegeExpire", 0);
      privileges[3] = readU32(pubVideoPrivilegeExpire, "pubVideoPrivilegeExpire", 0);
      privileges[4] = readU32(pubDataStreamPrivilegeExpire, "pubDataStreamPrivilegeExpire", 0);
    }
    const uid = "uid" in user ? user.uid : user.account;
    return buildToken({ appId, appCertificate }, rtcTokenExpire, [
      { type: 1, channelName: assertChannelName(channelName), uid, privileges },
      {
        type: 2,
        userId: assertRtmUserId(rtmUserId, "rtmUserId"),
        privileges: { 1: readU32(rtmTokenExpire, "rtmTokenExpire", 0) },
      },
    ]);
  },
});

/**
 * `RtmTokenBuilder` of the `agora-token` package (RtmTokenBuilder2).
 *
 * @example
 * ```ts
 * const token = RtmTokenBuilder.buildToken(appId, appCertificate, "alice", 3600);
 * ```
 */
export const RtmTokenBuilder = Object.freeze({
  /** An RTM token with the login privilege; both expire after `expire` seconds. */
  buildToken(appId: string, appCertificate: string, userId: string, expire: number): string {
    return genRtmToken({ appId, appCertificate, userId, expireSeconds: expire });
  },
});

/**
 * `ChatTokenBuilder` of the `agora-token` package.
 *
 * @example
 * ```ts
 * const userToken = ChatTokenBuilder.buildUserToken(appId, appCertificate, "alice", 3600);
 * const appToken = ChatTokenBuilder.buildAppToken(appId, appCertificate, 3600);
 * ```
 */
export const ChatTokenBuilder = Object.freeze({
  /** A Chat user token (what a Chat client logs in with). */
  buildUserToken(appId: string, appCertificate: string, userId: string, expire: number): string {
    return genChatUserToken({ appId, appCertificate, userId, expireSeconds: expire });
  },
  /** A Chat app token (what the Chat REST API takes as bearer). */
  buildAppToken(appId: string, appCertificate: string, expire: number): string {
    return genChatAppToken({ appId, appCertificate, expireSeconds: expire });
  },
});
