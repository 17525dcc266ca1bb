import { ImAuthError } from "@imauth/core";
import { assertInteger, assertUserId, keyList, readClock, redactable, typeName } from "@imauth/core/adapter";
import type { UserSigSigner, UserSigSignInput, UserSigVerifier, UserSigVerifyInput } from "@imauth/tencent";
import { importLegacyPrivateKey, importLegacyPublicKey } from "./ecdsa.js";
import type { LegacyCurve, LegacyKeyForm } from "./keys.js";
import {
  assertLegacyNow,
  assertSdkAppId,
  MAX_LEGACY_EXPIRE_SECONDS,
  MAX_USER_ID_BYTES,
  signLegacyUserSig,
} from "./usersig.js";
import { checkLegacyUserSig, type DecodedLegacyUserSig } from "./verify.js";

/**
 * The ECDSA `UserSigSigner` (from @imauth/tencent) made by {@link ecdsaSigner}, with what it learnt from the key.
 *
 * @example
 * ```ts
 * const signer: EcdsaUserSigSigner = ecdsaSigner({ privateKey: pem });
 * signer.curve; // "secp256k1" or "P-256"
 * ```
 */
export interface EcdsaUserSigSigner extends UserSigSigner {
  /** Always `"ecdsa-sha256"`. */
  readonly algorithm: "ecdsa-sha256";
  /** The curve named by the (first) key's OID. */
  readonly curve: LegacyCurve;
  /** The PEM form the private key came in. */
  readonly form: LegacyKeyForm;
  /** The matching public key as SPKI PEM, e.g. for {@link ecdsaVerifier}. */
  readonly publicKeyPem: string;
}

/**
 * The ECDSA `UserSigVerifier` (from @imauth/tencent) made by {@link ecdsaVerifier}.
 *
 * @example
 * ```ts
 * const verifier: EcdsaUserSigVerifier = ecdsaVerifier({ publicKey: pem });
 * ```
 */
export interface EcdsaUserSigVerifier extends UserSigVerifier {
  /** Always `"ecdsa-sha256"`. */
  readonly algorithm: "ecdsa-sha256";
  /** The curve named by the key's OID. */
  readonly curve: LegacyCurve;
  /** Verifies a UserSig; resolves to the decoded UserSig (see `verifyLegacyUserSig` for the errors). */
  verify(userSig: string, expected: UserSigVerifyInput): Promise<DecodedLegacyUserSig>;
}

function optionsObject<T>(options: T, what: string): T {
  if (typeof options !== "object" || options === null) {
    throw new ImAuthError(
      "ERR_INVALID_CONFIG",
      `${what} options must be an object, got ${typeName(options)}`,
    );
  }
  return options;
}

/**
 * The legacy ECDSA-SHA256 UserSig strategy for @imauth/tencent: pass it as `signer` to `createTencentProvider`
 * and the provider issues legacy UserSigs and signs REST calls with them. The key is parsed at once
 * (`ERR_INVALID_CONFIG`, never echoing the key) and kept inside.
 *
 * @example
 * ```ts
 * import { createTencentProvider } from "@imauth/tencent";
 * import { ecdsaSigner } from "@imauth/legacy-ecdsa";
 *
 * const provider = createTencentProvider({
 *   sdkAppId: 1400000000,
 *   signer: ecdsaSigner({ privateKey: process.env.TENCENT_IM_PRIVATE_KEY! }),
 *   vendor: "tencent-legacy",
 * });
 * ```
 */
export function ecdsaSigner(options: { privateKey: string }): EcdsaUserSigSigner {
  const key = importLegacyPrivateKey(optionsObject(options, "ecdsaSigner").privateKey);
  return redactable(
    {
      algorithm: "ecdsa-sha256" as const,
      curve: key.curve,
      form: key.form,
      publicKeyPem: key.publicKeyPem,
      async sign(input: UserSigSignInput): Promise<string> {
        const { sdkAppId, userId, expireSeconds, nowMs } = optionsObject(input, "sign");
        assertSdkAppId(sdkAppId);
        assertUserId(userId, { maxBytes: MAX_USER_ID_BYTES });
        assertInteger(expireSeconds, "expireSeconds", { min: 1, max: MAX_LEGACY_EXPIRE_SECONDS });
        if (typeof nowMs !== "number" || !Number.isFinite(nowMs) || nowMs < 0) {
          throw new ImAuthError(
            "ERR_INVALID_INPUT",
            "nowMs must be a finite, non-negative epoch in milliseconds",
          );
        }
        assertLegacyNow(nowMs, "ERR_INVALID_INPUT");
        return signLegacyUserSig(key, { sdkAppId, userId, expireSeconds, nowMs });
      },
    },
    "EcdsaUserSigSigner",
  );
}

/**
 * The counterpart of {@link ecdsaSigner} for @imauth/tencent's emulator (`createTencentEmulator({ verifier })`)
 * or your own checks: verifies legacy UserSigs with the public key, with the rules and error codes of
 * `verifyLegacyUserSig`. During a key rotation `publicKey` may be a list `[current, ...previous]`: every key
 * is tried, with no early exit.
 *
 * @example
 * ```ts
 * import { createTencentEmulator } from "@imauth/tencent/testing";
 * import { ecdsaVerifier } from "@imauth/legacy-ecdsa";
 *
 * const emulator = createTencentEmulator({ sdkAppId: 1400000000, verifier: ecdsaVerifier({ publicKey }) });
 * ```
 */
export function ecdsaVerifier(options: { publicKey: string | readonly string[] }): EcdsaUserSigVerifier {
  const pems = keyList(optionsObject(options, "ecdsaVerifier").publicKey, "publicKey");
  const keys = pems.map((pem) => importLegacyPublicKey(pem));
  return redactable(
    {
      algorithm: "ecdsa-sha256" as const,
      curve: keys[0]!.curve,
      async verify(userSig: string, expected: UserSigVerifyInput): Promise<DecodedLegacyUserSig> {
        const { sdkAppId, userId, clock } = optionsObject(expected, "verify");
        assertSdkAppId(sdkAppId);
        return checkLegacyUserSig(keys, userSig, { sdkAppId, userId, nowMs: readClock(clock) });
      },
    },
    "EcdsaUserSigVerifier",
  );
}
