/**
 * Agora AccessToken2 ("007") for RTC, RTM and Chat: generators with the official builders' content, decoding,
 * verification with expiry, Notification Center callback verification and the `ImAuthProvider`. The Chat REST
 * client is in `@imauth/agora/client`, the emulator and signed test callbacks in `@imauth/agora/testing`,
 * builders with the `agora-token` package's signatures in `@imauth/agora/compat`.
 *
 * @packageDocumentation
 */
export { type AccessTokenOptions, type AgoraTokenBase, buildAccessToken } from "./accesstoken.js";
export {
  type AgoraChatUserTokens,
  agoraChatUserTokens,
  type ChatAppTokenOptions,
  type ChatUserTokenOptions,
  genChatAppToken,
  genChatUserToken,
  genRtcToken,
  genRtmToken,
  type RtcPrivilegeExpiries,
  type RtcTokenOptions,
  type RtmTokenOptions,
} from "./products.js";
export {
  type AgoraProduct,
  type AgoraProvider,
  type AgoraProviderOptions,
  createAgoraProvider,
  DEFAULT_CREDENTIAL_TTL_SECONDS,
} from "./provider.js";
export { AGORA_CHAT_REGIONS, type AgoraChatRegion } from "./regions.js";
export {
  AGORA_SERVICES,
  type AgoraPrivilegeExpiries,
  type AgoraServiceInput,
  type AgoraServiceName,
  type DecodedAgoraPrivilege,
  type DecodedAgoraService,
} from "./services.js";
export {
  type DecodedAccessToken,
  decodeAccessToken,
  type VerifyAccessTokenOptions,
  verifyAccessToken,
} from "./verify.js";
export {
  agoraCallbackReply,
  agoraCallbackResponse,
  DEFAULT_WEBHOOK_MAX_SKEW_SECONDS,
  type VerifyAgoraCallbackOptions,
  verifyAgoraCallback,
} from "./webhook.js";
