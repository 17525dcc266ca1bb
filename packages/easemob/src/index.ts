/**
 * Easemob (环信) IM authentication: the `ImAuthProvider` (cached OAuth app token for server calls, user
 * tokens through the `inherit` grant or an offline strategy for the Agora realm), callback verification and
 * replies, and the REST hosts. The REST client is in `@imauth/easemob/client`, the emulator and signed test
 * callbacks in `@imauth/easemob/testing`.
 *
 * @packageDocumentation
 */
export type { EasemobTtlUnit } from "./apptoken.js";
export {
  createEasemobProvider,
  DEFAULT_CREDENTIAL_TTL_SECONDS,
  type EasemobProvider,
  type EasemobProviderOptions,
  type EasemobUserTokenStrategy,
  MAX_TOKEN_TTL_SECONDS,
} from "./provider.js";
export { EASEMOB_REGIONS, type EasemobRegion } from "./regions.js";
export { isEasemobUserId, MAX_USER_ID_LENGTH } from "./userid.js";
export { type EasemobSecurityFields, easemobCallbackSecurity, verifyEasemobSecurity } from "./verify.js";
export {
  DEFAULT_WEBHOOK_MAX_SKEW_SECONDS,
  type EasemobCallbackReply,
  type EasemobCallbackReplyOptions,
  easemobCallbackReply,
  easemobCallbackResponse,
  type VerifyEasemobCallbackOptions,
  verifyEasemobCallback,
} from "./webhook.js";
