/**
 * Tencent's pre-2019 ECDSA-SHA256 UserSig (secp256k1 and P-256): issue, verify and decode legacy UserSigs,
 * and plug the ECDSA signer and verifier into @imauth/tencent's provider, REST client and emulator.
 *
 * @packageDocumentation
 */
export {
  importLegacyPrivateKey,
  importLegacyPublicKey,
  type LegacySigningKey,
  type LegacyVerifyingKey,
} from "./ecdsa.js";
export type { LegacyCurve, LegacyKeyForm } from "./keys.js";
export {
  createLegacyTencentProvider,
  LEGACY_VENDOR,
  type LegacyTencentProviderOptions,
} from "./provider.js";
export {
  type EcdsaUserSigSigner,
  type EcdsaUserSigVerifier,
  ecdsaSigner,
  ecdsaVerifier,
} from "./signer.js";
export {
  DEFAULT_LEGACY_EXPIRE_SECONDS,
  type GenLegacyUserSigOptions,
  genLegacyUserSig,
} from "./usersig.js";
export {
  type DecodedLegacyUserSig,
  decodeLegacyUserSig,
  type VerifyLegacyUserSigOptions,
  verifyLegacyUserSig,
} from "./verify.js";
