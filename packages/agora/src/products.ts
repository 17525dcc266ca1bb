import { type Clock, ImAuthError } from "@imauth/core";
import { assertOptionsObject } from "@imauth/core/adapter";
import { type AgoraTokenBase, buildToken, readAppId, readCertificates, readU32 } from "./accesstoken.js";
import { assertAccount, assertChannelName, assertChatUserId, assertRtmUserId, assertUid } from "./rules.js";
import { AGORA_SERVICES, type AgoraServiceInput } from "./services.js";

const RTC = AGORA_SERVICES.rtc.privileges;

/**
 * Per-privilege expiries of an RTC token in seconds after its issue time (0 to 4294967295 each), as the
 * official `buildTokenWithUidAndPrivilege` takes them: all four are written.
 *
 * @example
 * ```ts
 * const privileges: RtcPrivilegeExpiries = {
 *   joinChannel: 3600, publishAudioStream: 3600, publishVideoStream: 0, publishDataStream: 0,
 * };
 * ```
 */
export interface RtcPrivilegeExpiries {
  joinChannel: number;
  publishAudioStream: number;
  publishVideoStream: number;
  publishDataStream: number;
}

/**
 * Options of {@link genRtcToken}. Give `uid` (a number, 0 for any user) or `account` (a string user
 * account), and `role` or per-privilege `privileges`.
 *
 * @example
 * ```ts
 * const options: RtcTokenOptions = {
 *   appId, appCertificate, channelName: "room-1", uid: 42, role: "publisher", tokenExpireSeconds: 3600,
 * };
 * ```
 */
export interface RtcTokenOptions extends AgoraTokenBase {
  /** The channel: 1 to 63 bytes of letters, digits, space and `!#$%&()+-:;<=.>?@[]^_{}|~,`. */
  channelName: string;
  /** The user's numeric uid, 0 to 4294967295; 0 lets any uid join. */
  uid?: number;
  /** The user's string account (1 to 255 bytes, same characters as channel names), instead of `uid`. */
  account?: string;
  /** `"publisher"`: join and publish audio, video and data; `"subscriber"`: join only. */
  role?: "publisher" | "subscriber";
  /** Instead of `role`: each privilege's own expiry (all four are written, as the official builder does). */
  privileges?: RtcPrivilegeExpiries;
  /** The token's lifetime in seconds after its issue time (1 to 4294967295; Agora accepts up to 86400). */
  tokenExpireSeconds: number;
  /**
   * With `role`: the privileges' expiry in seconds after the issue time (0 to 4294967295). Default
   * `tokenExpireSeconds` (the official builders default to 0, a value they never explain).
   */
  privilegeExpireSeconds?: number;
  /**
   * Also grant RTM login to the same account, expiring with the token (the official `buildTokenWithRtm`);
   * needs `account`.
   */
  withRtm?: boolean;
}

function rtcUid(o: RtcTokenOptions): number | string {
  if ((o.uid === undefined) === (o.account === undefined)) {
    throw new ImAuthError("ERR_INVALID_INPUT", "give either uid (a number) or account (a string)");
  }
  return o.uid !== undefined ? assertUid(o.uid) : assertAccount(o.account);
}

function rtcPrivileges(o: RtcTokenOptions): Record<number, number> {
  if (o.privileges !== undefined) {
    if (o.role !== undefined || o.privilegeExpireSeconds !== undefined) {
      throw new ImAuthError(
        "ERR_INVALID_INPUT",
        "give either role (and privilegeExpireSeconds) or privileges",
      );
    }
    assertOptionsObject(o.privileges, "privileges");
    const p = o.privileges;
    return {
      [RTC.joinChannel]: readU32(p.joinChannel, "privileges.joinChannel", 0),
      [RTC.publishAudioStream]: readU32(p.publishAudioStream, "privileges.publishAudioStream", 0),
      [RTC.publishVideoStream]: readU32(p.publishVideoStream, "privileges.publishVideoStream", 0),
      [RTC.publishDataStream]: readU32(p.publishDataStream, "privileges.publishDataStream", 0),
    };
  }
  if (o.role !== "publisher" && o.role !== "subscriber") {
    throw new ImAuthError(
      "ERR_INVALID_INPUT",
      'role must be "publisher" or "subscriber" (or give privileges)',
    );
  }
  const expire = readU32(o.privilegeExpireSeconds ?? o.tokenExpireSeconds, "privilegeExpireSeconds", 0);
  if (o.role === "subscriber") return { [RTC.joinChannel]: expire };
  return {
    [RTC.joinChannel]: expire,
    [RTC.publishAudioStream]: expire,
    [RTC.publishVideoStream]: expire,
    [RTC.publishDataStream]: expire,
  };
}

/**
 * Generates an RTC token (AccessToken2 with the RTC service) with the content of the official
 * `RtcTokenBuilder` (`buildTokenWithUid`, `buildTokenWithUserAccount`, with `privileges`
 * `buildTokenWithUidAndPrivilege`, with `withRtm` `buildTokenWithRtm`): a publisher gets join and the three
 * publish privileges, a subscriber join only. Where the official builders return `""` or sign whatever they
 * get, this throws: `ERR_INVALID_CONFIG` for the App ID and certificate (32 hex characters), the clock;
 * `ERR_INVALID_INPUT` for the channel name, uid (0 to 4294967295), account, role and expiries.
 *
 * @example
 * ```ts
 * import { genRtcToken } from "@imauth/agora";
 *
 * const token = genRtcToken({
 *   appId: process.env.AGORA_APP_ID!,
 *   appCertificate: process.env.AGORA_APP_CERTIFICATE!,
 *   channelName: "room-1",
 *   uid: 42,
 *   role: "publisher",
 *   tokenExpireSeconds: 3600,
 * });
 * ```
 */
export function genRtcToken(options: RtcTokenOptions): string {
  assertOptionsObject(options, "genRtcToken options");
  const channelName = assertChannelName(options.channelName);
  const uid = rtcUid(options);
  const services: AgoraServiceInput[] = [{ type: 1, channelName, uid, privileges: rtcPrivileges(options) }];
  if (options.withRtm !== undefined && typeof options.withRtm !== "boolean") {
    throw new ImAuthError("ERR_INVALID_INPUT", "withRtm must be a boolean");
  }
  if (options.withRtm) {
    if (typeof uid !== "string") throw new ImAuthError("ERR_INVALID_INPUT", "withRtm needs account, not uid");
    const login = readU32(options.tokenExpireSeconds, "tokenExpireSeconds", 1);
    services.push({ type: 2, userId: uid, privileges: { [AGORA_SERVICES.rtm.privileges.login]: login } });
  }
  return buildToken(options, options.tokenExpireSeconds, services);
}

/**
 * Options of {@link genRtmToken}.
 *
 * @example
 * ```ts
 * const options: RtmTokenOptions = { appId, appCertificate, userId: "alice", expireSeconds: 3600 };
 * ```
 */
export interface RtmTokenOptions extends AgoraTokenBase {
  /** The RTM user ID: 1 to 64 bytes of visible ASCII or space. */
  userId: string;
  /** Lifetime of the token and its login privilege, in seconds (1 to 4294967295). */
  expireSeconds: number;
}

/**
 * Generates an RTM token with the content of the official `RtmTokenBuilder.buildToken`: the RTM service with
 * the login privilege, both expiring after `expireSeconds`.
 *
 * @example
 * ```ts
 * import { genRtmToken } from "@imauth/agora";
 *
 * const token = genRtmToken({
 *   appId: process.env.AGORA_APP_ID!,
 *   appCertificate: process.env.AGORA_APP_CERTIFICATE!,
 *   userId: "alice",
 *   expireSeconds: 3600,
 * });
 * ```
 */
export function genRtmToken(options: RtmTokenOptions): string {
  assertOptionsObject(options, "genRtmToken options");
  const userId = assertRtmUserId(options.userId);
  const expire = readU32(options.expireSeconds, "expireSeconds", 1);
  return buildToken(options, expire, [
    { type: 2, userId, privileges: { [AGORA_SERVICES.rtm.privileges.login]: expire } },
  ]);
}

/**
 * Options of {@link genChatUserToken}.
 *
 * @example
 * ```ts
 * const options: ChatUserTokenOptions = { appId, appCertificate, userId: "alice", expireSeconds: 3600 };
 * ```
 */
export interface ChatUserTokenOptions extends AgoraTokenBase {
  /** The Agora Chat user ID: 1 to 64 bytes of letters, digits, `_`, `-`, `.`. */
  userId: string;
  /** Lifetime in seconds (1 to 4294967295; Agora Chat accepts up to 86400). */
  expireSeconds: number;
}

/**
 * Generates an Agora Chat user token with the content of the official `ChatTokenBuilder.buildUserToken`:
 * the Chat service for `userId` with the user privilege (1). What a Chat client SDK logs in with.
 *
 * @example
 * ```ts
 * import { genChatUserToken } from "@imauth/agora";
 *
 * const token = genChatUserToken({
 *   appId: process.env.AGORA_APP_ID!,
 *   appCertificate: process.env.AGORA_APP_CERTIFICATE!,
 *   userId: "alice",
 *   expireSeconds: 3600,
 * });
 * ```
 */
export function genChatUserToken(options: ChatUserTokenOptions): string {
  assertOptionsObject(options, "genChatUserToken options");
  const userId = assertChatUserId(options.userId);
  const expire = readU32(options.expireSeconds, "expireSeconds", 1);
  return buildToken(options, expire, [
    { type: 5, userId, privileges: { [AGORA_SERVICES.chat.privileges.user]: expire } },
  ]);
}

/**
 * Options of {@link genChatAppToken}.
 *
 * @example
 * ```ts
 * const options: ChatAppTokenOptions = { appId, appCertificate, expireSeconds: 86_400 };
 * ```
 */
export interface ChatAppTokenOptions extends AgoraTokenBase {
  /** Lifetime in seconds (1 to 4294967295). */
  expireSeconds: number;
}

/**
 * Generates an Agora Chat app token with the content of the official `ChatTokenBuilder.buildAppToken`: the
 * Chat service with an empty user ID and the app privilege (2). It authenticates the Chat REST API
 * (`Authorization: Bearer <token>`); keep it on the server.
 *
 * @example
 * ```ts
 * import { genChatAppToken } from "@imauth/agora";
 *
 * const token = genChatAppToken({
 *   appId: process.env.AGORA_APP_ID!,
 *   appCertificate: process.env.AGORA_APP_CERTIFICATE!,
 *   expireSeconds: 86_400,
 * });
 * ```
 */
export function genChatAppToken(options: ChatAppTokenOptions): string {
  assertOptionsObject(options, "genChatAppToken options");
  const expire = readU32(options.expireSeconds, "expireSeconds", 1);
  return buildToken(options, expire, [
    { type: 5, userId: "", privileges: { [AGORA_SERVICES.chat.privileges.app]: expire } },
  ]);
}

/**
 * What {@link agoraChatUserTokens} returns: a Chat user token maker bound to one app, the strategy shape a
 * provider of another vendor (Easemob's Agora-realm apps) accepts without depending on this package.
 *
 * @example
 * ```ts
 * const userTokens: AgoraChatUserTokens = agoraChatUserTokens({ appId, appCertificate });
 * userTokens("alice", 3600);
 * ```
 */
export type AgoraChatUserTokens = (userId: string, expireSeconds: number, clock?: Clock) => string;

/**
 * Binds {@link genChatUserToken} to one app: the App ID and certificate are checked once, here
 * (`ERR_INVALID_CONFIG`), and the returned function makes a Chat user token per call. Hand it to a provider
 * that issues Agora Chat user tokens as a strategy (e.g. Easemob's `userTokens` option).
 *
 * @example
 * ```ts
 * import { agoraChatUserTokens } from "@imauth/agora";
 *
 * const userTokens = agoraChatUserTokens({
 *   appId: process.env.AGORA_APP_ID!,
 *   appCertificate: process.env.AGORA_APP_CERTIFICATE!,
 * });
 * const token = userTokens("alice", 3600);
 * ```
 */
export function agoraChatUserTokens(
  options: Pick<AgoraTokenBase, "appId" | "appCertificate">,
): AgoraChatUserTokens {
  assertOptionsObject(options, "agoraChatUserTokens options", "ERR_INVALID_CONFIG");
  const appId = readAppId(options.appId);
  const [appCertificate] = readCertificates(options.appCertificate);
  return (userId, expireSeconds, clock) =>
    genChatUserToken({
      appId,
      appCertificate: appCertificate!,
      userId,
      expireSeconds,
      ...(clock ? { clock } : {}),
    });
}
