/**
 * RongCloud (融云) IM server-API authentication: signature headers, their verification, callback
 * verification and the `ImAuthProvider` (whose tokens come from RongCloud's `user/getToken.json`). The REST
 * client is in `@imauth/rongcloud/client`, the emulator and signed test callbacks in
 * `@imauth/rongcloud/testing`.
 *
 * @packageDocumentation
 */
export {
  createRongCloudProvider,
  DEFAULT_CREDENTIAL_TTL_SECONDS,
  MAX_CREDENTIAL_TTL_SECONDS,
  type RongCloudProvider,
  type RongCloudProviderOptions,
  type RongCloudTokenSource,
} from "./provider.js";
export { RONGCLOUD_REGIONS, type RongCloudRegion } from "./regions.js";
export {
  createRongCloudHeaders,
  MAX_NONCE_LENGTH,
  type RongCloudHeaders,
  type RongCloudHeadersOptions,
  rongCloudSignature,
} from "./signature.js";
export { MAX_USER_ID_LENGTH, type RongCloudUserProfile } from "./token.js";
export {
  DEFAULT_REQUEST_MAX_SKEW_SECONDS,
  type HeaderSource,
  type VerifiedRongCloudHeaders,
  type VerifyRongCloudHeadersOptions,
  verifyRongCloudHeaders,
} from "./verify.js";
export {
  DEFAULT_WEBHOOK_MAX_SKEW_SECONDS,
  type RongCloudCallbackReply,
  type RongCloudCallbackReplyOptions,
  rongCloudCallbackReply,
  rongCloudCallbackResponse,
  type VerifyRongCloudCallbackOptions,
  verifyRongCloudCallback,
} from "./webhook.js";
