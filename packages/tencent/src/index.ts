/**
 * Tencent Cloud IM and TRTC auth: UserSig v2 issue and verify, PrivateMapKey, and the provider, REST client
 * and callback verification built on them.
 *
 * @packageDocumentation
 */

export type { RefusedAdminUserSig } from "./admin-usersig.js";
export {
  createTencentProvider,
  DEFAULT_ADMIN_USERSIG_TTL_SECONDS,
  MAX_USERSIG_TTL_SECONDS,
  type TencentProvider,
  type TencentProviderOptions,
} from "./provider.js";
export { TENCENT_REGIONS, type TencentRegion } from "./regions.js";
export {
  type HmacUserSigOptions,
  hmacSigner,
  hmacVerifier,
  type UserSigSigner,
  type UserSigSignInput,
  type UserSigVerifier,
  type UserSigVerifyInput,
  type VerifiedUserSig,
} from "./signer.js";
export {
  DEFAULT_EXPIRE_SECONDS,
  decodePrivateMapKeyUserBuf,
  describePrivileges,
  encodePrivateMapKeyUserBuf,
  type GenPrivateMapKeyOptions,
  type GenUserSigOptions,
  genPrivateMapKey,
  genUserSig,
  type PrivateMapKeyUserBuf,
  type PrivateMapKeyUserBufFields,
  TRTC_PRIVILEGE,
  type TrtcPrivileges,
} from "./usersig.js";
export {
  type DecodedUserBuf,
  type DecodedUserSig,
  decodeUserSig,
  MAX_USERSIG_DOCUMENT_BYTES,
  MAX_USERSIG_LENGTH,
  unpackUserSig,
  type VerifyUserSigOptions,
  verifyUserSig,
} from "./verify.js";
export {
  type CallbackReplyOptions,
  callbackReply,
  callbackResponse,
  callbackSign,
  DEFAULT_CALLBACK_MAX_SKEW_SECONDS,
  type SignCallbackOptions,
  signCallback,
  type TencentCallbackReply,
  type VerifyCallbackOptions,
  verifyCallback,
} from "./webhook.js";
