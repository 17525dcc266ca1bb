/**
 * NetEase YunXin (CommsEase) IM and NERTC authentication: API CheckSum headers, callback verification,
 * dynamic login tokens, NERTC tokens and permission keys, and the `ImAuthProvider`.
 * The REST client is in `@imauth/netease/client`, the emulator in `@imauth/netease/testing`.
 *
 * @packageDocumentation
 */
export {
  CHECKSUM_VALIDITY_MS,
  type CheckSumHeadersOptions,
  checkSum,
  createCheckSumHeaders,
  MAX_NONCE_LENGTH,
  type NeteaseCheckSumHeaders,
  randomNonce,
} from "./checksum.js";
export {
  createNeteaseProvider,
  DEFAULT_CREDENTIAL_TTL_SECONDS,
  MAX_STATIC_TOKEN_LENGTH,
  type NeteaseProvider,
  type NeteaseProviderOptions,
  type NeteaseStaticTokenSource,
} from "./provider.js";
export { NETEASE_REGIONS, type NeteaseRegion } from "./regions.js";
export {
  assertAccid,
  type DynamicTokenOptions,
  genDynamicToken,
  genNertcPermissionKey,
  genNertcToken,
  MAX_ACCID_LENGTH,
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
  bodyMd5,
  callbackCheckSum,
  DEFAULT_CALLBACK_MAX_SKEW_MS,
  type NeteaseCallbackReply,
  neteaseCallbackReply,
  type VerifyNeteaseCallbackOptions,
  verifyNeteaseCallback,
} from "./webhook.js";
