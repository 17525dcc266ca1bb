/**
 * Tencent Cloud IM and TRTC auth: UserSig v2 issue and verify, PrivateMapKey, the provider and callback
 * verification built on them. The REST client is in `@imauth/tencent/client`, the emulator and signed test
 * callbacks in `@imauth/tencent/testing`, the `tls-sig-api-v2` drop-in in `@imauth/tencent/compat`.
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
  type HmacVerifierOptions,
  hmacSigner,
  hmacVerifier,
  type UserSigSigner,
  type UserSigSignInput,
  type UserSigVerifier,
  type UserSigVerifyInput,
  type VerifiedUserSig,
} from "./signer.js";
export {
  DEFAULT_TRTC_WEBHOOK_MAX_SKEW_SECONDS,
  trtcCallbackResponse,
  type VerifyTrtcCallbackOptions,
  verifyTrtcCallback,
} from "./trtc-callback.js";
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
  TENCENT_USERSIG_ERROR_CODES,
  // The raw container reader that @imauth/legacy-ecdsa builds its decoder on; applications use decodeUserSig.
  unpackUserSig,
  type VerifyUserSigOptions,
  verifyUserSig,
} from "./verify.js";
export {
  DEFAULT_WEBHOOK_MAX_SKEW_SECONDS,
  type TencentCallbackReply,
  type TencentCallbackReplyOptions,
  tencentCallbackReply,
  tencentCallbackResponse,
  type VerifyTencentCallbackOptions,
  verifyTencentCallback,
} from "./webhook.js";
