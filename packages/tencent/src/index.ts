/**
 * Tencent Cloud IM and TRTC auth: UserSig v2 issue and verify, PrivateMapKey, and the provider, REST client
 * and callback verification built on them.
 *
 * @packageDocumentation
 */
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
  type VerifyUserSigOptions,
  verifyUserSig,
} from "./verify.js";
