/**
 * NetEase YunXin (CommsEase) IM and NERTC authentication: API CheckSum headers, callback verification,
 * dynamic login tokens, NERTC tokens and permission keys, and the `ImAuthProvider`.
 * The REST client is in `@imauth/netease/client`, the emulator and signed test callbacks in
 * `@imauth/netease/testing`.
 *
 * @packageDocumentation
 */
export {
  type CheckSumHeadersOptions,
  checkSum,
  createCheckSumHeaders,
  type NeteaseCheckSumHeaders,
} from "./checksum.js";
export {
  createNeteaseProvider,
  DEFAULT_CREDENTIAL_TTL_SECONDS,
  type NeteaseProvider,
  type NeteaseProviderOptions,
  type NeteaseStaticTokenSource,
} from "./provider.js";
export { NETEASE_REGIONS, type NeteaseRegion } from "./regions.js";
export {
  type DynamicTokenOptions,
  genDynamicToken,
  genNertcPermissionKey,
  genNertcToken,
  MAX_NERTC_TOKEN_TTL_SECONDS,
  MAX_TOKEN_TTL_SECONDS,
  NERTC_PRIVILEGE,
  type NertcPermissionKeyOptions,
  type NertcTokenOptions,
  type NertcUid,
} from "./token.js";
export {
  type DecodedNertcPermissionKey,
  type DecodedNeteaseToken,
  decodeDynamicToken,
  decodeNertcPermissionKey,
  decodeNertcToken,
  type VerifyDynamicTokenOptions,
  type VerifyNertcPermissionKeyOptions,
  type VerifyNertcTokenOptions,
  verifyDynamicToken,
  verifyNertcPermissionKey,
  verifyNertcToken,
} from "./verify.js";
export {
  DEFAULT_WEBHOOK_MAX_SKEW_SECONDS,
  type NeteaseCallbackReply,
  type NeteaseCallbackReplyOptions,
  neteaseCallbackReply,
  neteaseCallbackResponse,
  type VerifyNeteaseCallbackOptions,
  verifyNeteaseCallback,
} from "./webhook.js";
