import { redactable } from "@imauth/core/adapter";
import { ecdsaSign, ecdsaVerify } from "#ecdsa-platform";
import { type LegacyCurve, type LegacyKeyForm, parseLegacyPrivateKey, parseLegacyPublicKey } from "./keys.js";

/**
 * A legacy UserSig private key, ready to sign: ECDSA with SHA-256, signatures in ASN.1 DER as OpenSSL writes
 * them. Made by {@link importLegacyPrivateKey}; the private scalar stays inside.
 *
 * @example
 * ```ts
 * const key = importLegacyPrivateKey(pem);
 * const der = await key.sign(new TextEncoder().encode("text"));
 * ```
 */
export interface LegacySigningKey {
  /** The curve named by the key's OID. */
  readonly curve: LegacyCurve;
  /** The PEM form the key came in. */
  readonly form: LegacyKeyForm;
  /** The matching public key as SPKI PEM (`BEGIN PUBLIC KEY`). */
  readonly publicKeyPem: string;
  /** Signs `data` (hashed with SHA-256 here) and returns the DER signature. */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/**
 * A legacy UserSig public key, ready to verify DER ECDSA-SHA256 signatures (high S accepted, as OpenSSL does).
 * Made by {@link importLegacyPublicKey}.
 *
 * @example
 * ```ts
 * const key = importLegacyPublicKey(publicKeyPem);
 * const ok = await key.verify(data, derSignature); // true or false
 * ```
 */
export interface LegacyVerifyingKey {
  /** The curve named by the key's OID. */
  readonly curve: LegacyCurve;
  /** Whether `signature` (DER) is a valid signature of `data` (hashed with SHA-256 here). */
  verify(data: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

/**
 * Parses a legacy private key — PEM PKCS#8 (`BEGIN PRIVATE KEY`) or SEC1 (`BEGIN EC PRIVATE KEY`),
 * secp256k1 or P-256 as the key's OID says, an `EC PARAMETERS` block in front ignored as OpenSSL does — and
 * prepares it for signing, once: on Node through node:crypto (a cached `KeyObject`), elsewhere P-256 through
 * Web Crypto (a cached `CryptoKey`) and secp256k1 through @noble/curves (Web Crypto has no secp256k1). Both
 * write DER; secp256k1 signatures always have a low S. Throws `ImAuthError` `ERR_INVALID_CONFIG` for a bad key.
 *
 * @example
 * ```ts
 * const key = importLegacyPrivateKey(fs.readFileSync("private_key", "utf8"));
 * console.log(key.curve, key.form); // e.g. "secp256k1" "sec1"
 * ```
 */
export function importLegacyPrivateKey(pem: string, what = "privateKey"): LegacySigningKey {
  const parsed = parseLegacyPrivateKey(pem, what);
  const { curve, form, publicKeyPem } = parsed;
  return redactable({ curve, form, publicKeyPem, sign: ecdsaSign(parsed, what) }, "LegacySigningKey");
}

/**
 * Parses a legacy public key (PEM SPKI, `BEGIN PUBLIC KEY`, secp256k1 or P-256) and prepares it for
 * verification. Throws `ImAuthError` `ERR_INVALID_CONFIG` for a bad key.
 *
 * @example
 * ```ts
 * const key = importLegacyPublicKey(fs.readFileSync("public_key", "utf8"));
 * key.curve; // "secp256k1" or "P-256"
 * ```
 */
export function importLegacyPublicKey(pem: string, what = "publicKey"): LegacyVerifyingKey {
  const parsed = parseLegacyPublicKey(pem, what);
  return { curve: parsed.curve, verify: ecdsaVerify(parsed, what) };
}

const CACHE_SIZE = 16;
const signingKeys = new Map<string, LegacySigningKey>();
const verifyingKeys = new Map<string, LegacyVerifyingKey>();

function remember<K>(cache: Map<string, K>, pem: string, make: () => K): K {
  let key = cache.get(pem);
  if (key === undefined) {
    key = make();
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(pem, key);
  }
  return key;
}

/**
 * The imported key for a PEM string, from a small cache: the functional API (`genLegacyUserSig` with the PEM
 * on every call) then parses and imports each key once, like the factories do.
 */
export function signingKeyFor(pem: string, what = "privateKey"): LegacySigningKey {
  return typeof pem === "string"
    ? remember(signingKeys, pem, () => importLegacyPrivateKey(pem, what))
    : importLegacyPrivateKey(pem, what);
}

/** The imported public key for a PEM string, from a small cache (see {@link signingKeyFor}). */
export function verifyingKeyFor(pem: string, what = "publicKey"): LegacyVerifyingKey {
  return typeof pem === "string"
    ? remember(verifyingKeys, pem, () => importLegacyPublicKey(pem, what))
    : importLegacyPublicKey(pem, what);
}
