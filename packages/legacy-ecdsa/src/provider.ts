import { ImAuthError } from "@imauth/core";
import { assertOptionsObject } from "@imauth/core/adapter";
import { createTencentProvider, type TencentProvider, type TencentProviderOptions } from "@imauth/tencent";
import { parseLegacyPublicKey } from "./keys.js";
import { ecdsaSigner } from "./signer.js";

/** The vendor name of providers made by {@link createLegacyTencentProvider}. */
export const LEGACY_VENDOR = "tencent-legacy";

/**
 * Options of {@link createLegacyTencentProvider}: those of @imauth/tencent's `createTencentProvider`, with
 * the ECDSA private key instead of `secretKey`.
 *
 * @example
 * ```ts
 * const options: LegacyTencentProviderOptions = {
 *   sdkAppId: 1400000000,
 *   privateKey: process.env.TENCENT_IM_PRIVATE_KEY!,
 * };
 * ```
 */
export interface LegacyTencentProviderOptions
  extends Omit<TencentProviderOptions, "secretKey" | "signer" | "vendor"> {
  /** The ECDSA private key as PEM: PKCS#8 `BEGIN PRIVATE KEY` or SEC1 `BEGIN EC PRIVATE KEY`. */
  privateKey: string;
  /**
   * The matching public key (PEM SPKI). Optional: it is derived from the private key. When given, it must
   * belong to the private key, which catches a mixed-up key pair at start-up.
   */
  publicKey?: string;
}

/**
 * A Tencent Cloud IM provider for applications created before 19 July 2019 that still sign UserSigs with
 * an ECDSA private key: @imauth/tencent's `createTencentProvider` with {@link ecdsaSigner} plugged in, so
 * `issueCredential`, the REST signing (with the cached admin UserSig), `verifyWebhook` and the REST client
 * (`createTencentImClient` from `@imauth/tencent/client`) are Tencent's own. Its `vendor` is
 * `"tencent-legacy"` and its `algorithm` `"ecdsa-sha256"`. Bad options throw `ImAuthError`
 * `ERR_INVALID_CONFIG` without echoing the key.
 *
 * @example
 * ```ts
 * import { createLegacyTencentProvider } from "@imauth/legacy-ecdsa";
 * import { createTencentImClient } from "@imauth/tencent/client";
 *
 * const provider = createLegacyTencentProvider({
 *   sdkAppId: 1400000000,
 *   privateKey: fs.readFileSync("private_key", "utf8"),
 *   callbackToken: process.env.TENCENT_IM_CALLBACK_TOKEN,
 * });
 * const { token } = await provider.issueCredential("alice"); // a legacy UserSig, 180 days
 * const client = createTencentImClient(provider);
 * await client.importAccount({ userId: "alice" });
 * ```
 */
export function createLegacyTencentProvider(options: LegacyTencentProviderOptions): TencentProvider {
  assertOptionsObject(options as unknown, "createLegacyTencentProvider options", "ERR_INVALID_CONFIG");
  const { privateKey, publicKey, ...rest } = options;
  for (const name of ["secretKey", "signer", "vendor"]) {
    if (Object.hasOwn(rest, name)) {
      throw new ImAuthError(
        "ERR_INVALID_CONFIG",
        `createLegacyTencentProvider does not take ${name}; it signs with privateKey`,
      );
    }
  }
  const signer = ecdsaSigner({ privateKey });
  if (publicKey !== undefined) {
    const given = parseLegacyPublicKey(publicKey);
    const derived = parseLegacyPublicKey(signer.publicKeyPem);
    if (given.curve !== derived.curve || !given.publicPoint.every((b, i) => b === derived.publicPoint[i])) {
      throw new ImAuthError("ERR_INVALID_CONFIG", "publicKey does not belong to privateKey");
    }
  }
  return createTencentProvider({ ...rest, signer, vendor: LEGACY_VENDOR });
}
