import { ImAuthError } from "@imauth/core";
import { redactable } from "@imauth/core/adapter";
import { ecdsa, weierstrass } from "@noble/curves/abstract/weierstrass.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToNumberBE } from "@noble/curves/utils.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { DerError, DerReader, encode, encodeUnsigned, readUnsigned, Tag } from "./der.js";
import {
  type LegacyCurve,
  type LegacyKeyForm,
  nobleCurve,
  parseLegacyPrivateKey,
  parseLegacyPublicKey,
  toPkcs8,
} from "./keys.js";

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

// The hash as an object: Node normalises it with a little less work than the string form (measured ~10%).
const ECDSA_SHA256 = { name: "ECDSA", hash: { name: "SHA-256" } } as const;
/** Key uses after which a secp256k1 public key gets precomputed multiplication tables (see verifyNoble). */
const PRECOMPUTE_AFTER_USES = 4;

function subtleOrUndefined(): SubtleCrypto | undefined {
  return (globalThis as { crypto?: Crypto }).crypto?.subtle;
}

/** Web Crypto's typings want ArrayBuffer-backed views. */
function view(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

/**
 * Parses a legacy private key — PEM PKCS#8 (`BEGIN PRIVATE KEY`) or SEC1 (`BEGIN EC PRIVATE KEY`),
 * secp256k1 or P-256 as the key's OID says, an `EC PARAMETERS` block in front ignored as OpenSSL does — and
 * prepares it for signing. P-256 signs through Web Crypto (`crypto.subtle`, in every runtime; the imported `CryptoKey` is
 * cached), secp256k1 through @noble/curves (Web Crypto has no secp256k1). Throws `ImAuthError`
 * `ERR_INVALID_CONFIG` for a bad key.
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
  const subtle = curve === "P-256" ? subtleOrUndefined() : undefined;
  let sign: (data: Uint8Array) => Promise<Uint8Array>;
  if (subtle) {
    const load = cachedImport(
      () =>
        subtle.importKey("pkcs8", view(toPkcs8(parsed)), { name: "ECDSA", namedCurve: "P-256" }, false, [
          "sign",
        ]),
      what,
    );
    // Web Crypto signs in IEEE P1363 (r || s); legacy UserSigs carry DER as OpenSSL writes it.
    sign = (data) =>
      load((key) => subtle.sign(ECDSA_SHA256, key, view(data))).then((p1363) =>
        p1363ToDer(new Uint8Array(p1363)),
      );
  } else {
    const { scalar } = parsed;
    const signer = curve === "secp256k1" ? secp256k1Signer() : nobleCurve[curve];
    // noble hashes the message with SHA-256 itself (prehash) and makes RFC 6979 nonces.
    sign = async (data) => signer.sign(data, scalar, { prehash: true, format: "der" });
  }
  return redactable({ curve, form, publicKeyPem, sign }, "LegacySigningKey");
}

/**
 * Imports a `CryptoKey` once, on first use, and then hands it over without another `await` (a resolved
 * promise still costs a tick, which shows on P-256 signing). A refused import is reported as
 * `ERR_INVALID_CONFIG` and retried on the next call.
 */
function cachedImport(
  importKey: () => Promise<CryptoKey>,
  what: string,
): <T>(use: (key: CryptoKey) => Promise<T>) => Promise<T> {
  let key: CryptoKey | undefined;
  let pending: Promise<CryptoKey> | undefined;
  return (use) => {
    if (key) return use(key);
    pending ??= importKey().then(
      (k) => (key = k),
      (cause: unknown) => {
        pending = undefined;
        throw new ImAuthError("ERR_INVALID_CONFIG", `${what} was refused by Web Crypto`, { cause });
      },
    );
    return pending.then(use);
  };
}

type NobleEcdsa = ReturnType<typeof ecdsa>;
let k1Signer: NobleEcdsa | undefined;

/**
 * noble's ECDSA over a Point class of our own for secp256k1, whose base point gets an 8-bit window table
 * (noble's shared secp256k1 keeps a 6-bit one, and we leave that instance alone). Measured on Node 24 with
 * both in one process: signing at about 0.77x node:crypto instead of 0.62x. The table (about 100 ms to build)
 * is made on the first signature.
 */
function secp256k1Signer(): NobleEcdsa {
  if (!k1Signer) {
    const Point = weierstrass(secp256k1.Point.CURVE(), { Fp: secp256k1.Point.Fp });
    Point.BASE.precompute(8);
    k1Signer = ecdsa(Point, sha256);
  }
  return k1Signer;
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
  const { curve, publicPoint } = parseLegacyPublicKey(pem, what);
  const subtle = curve === "P-256" ? subtleOrUndefined() : undefined;
  let verify: (data: Uint8Array, signature: Uint8Array) => Promise<boolean>;
  if (subtle) {
    const load = cachedImport(
      () =>
        subtle.importKey("raw", view(publicPoint), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]),
      what,
    );
    verify = (data, signature) => {
      const p1363 = derToP1363(signature, 32);
      if (!p1363) return Promise.resolve(false);
      return load((key) => subtle.verify(ECDSA_SHA256, key, view(p1363), view(data)));
    };
  } else {
    const point = nobleCurve[curve].Point.fromBytes(publicPoint);
    let uses = 0;
    verify = async (data, signature) => {
      if (++uses === PRECOMPUTE_AFTER_USES) point.precompute(8, false);
      return verifyNoble(curve, point, data, signature);
    };
  }
  return { curve, verify };
}

type NoblePoint = ReturnType<(typeof nobleCurve)[LegacyCurve]["Point"]["fromBytes"]>;

/**
 * ECDSA verification on @noble/curves' point arithmetic. noble's own `verify` re-parses the public key on
 * every call, so it cannot use per-key precomputed tables: measured here at about 0.2x node:crypto for
 * secp256k1, against about 0.7x for this version with an 8-bit window table on the key (the README has the
 * numbers). Tests check it against noble's `verify` and OpenSSL. High S is accepted (OpenSSL never
 * normalised S).
 */
function verifyNoble(curve: LegacyCurve, Q: NoblePoint, data: Uint8Array, signature: Uint8Array): boolean {
  const rs = parseDerSignature(signature, 32);
  if (!rs) return false;
  const { Point } = nobleCurve[curve];
  const { Fn, Fp } = Point;
  const r = bytesToNumberBE(rs.r);
  const s = bytesToNumberBE(rs.s);
  const n = Fn.ORDER;
  if (r <= 0n || r >= n || s <= 0n || s >= n) return false;
  // Both curves have 256-bit orders, so the SHA-256 digest is used whole (bits2int), reduced mod n.
  const h = Fn.create(bytesToNumberBE(sha256(data)));
  const w = Fn.inv(s);
  const R = Point.BASE.multiplyUnsafe(Fn.mul(h, w)).add(
    (Q as typeof Point.BASE).multiplyUnsafe(Fn.mul(r, w)),
  );
  if (R.is0()) return false;
  // x(R) = X/Z in noble's projective coordinates; compare X with r*Z and skip the inversion. x(R) mod n = r
  // means x(R) = r, or r + n when that is still below p.
  if (Fp.eql(R.X, Fp.mul(r, R.Z))) return true;
  return r + n < Fp.ORDER && Fp.eql(R.X, Fp.mul(r + n, R.Z));
}

/** Parses a DER `SEQUENCE { INTEGER r, INTEGER s }` strictly; null when it is not one or too long. */
export function parseDerSignature(der: Uint8Array, size: number): { r: Uint8Array; s: Uint8Array } | null {
  try {
    const outer = new DerReader(der);
    const seq = outer.enter(Tag.SEQUENCE);
    outer.end("the signature");
    const r = readUnsigned(seq);
    const s = readUnsigned(seq);
    seq.end("the signature's integers");
    return r.length > size || s.length > size ? null : { r, s };
  } catch (error) {
    if (error instanceof DerError) return null;
    throw error;
  }
}

/** Converts a DER signature into IEEE P1363 `r || s` (Web Crypto's form); null when malformed. */
export function derToP1363(der: Uint8Array, size: number): Uint8Array | null {
  const rs = parseDerSignature(der, size);
  if (!rs) return null;
  const out = new Uint8Array(2 * size);
  out.set(rs.r, size - rs.r.length);
  out.set(rs.s, 2 * size - rs.s.length);
  return out;
}

/** Converts IEEE P1363 `r || s` into DER. */
export function p1363ToDer(p1363: Uint8Array): Uint8Array {
  const half = p1363.length / 2;
  return encode(Tag.SEQUENCE, encodeUnsigned(p1363.subarray(0, half)), encodeUnsigned(p1363.subarray(half)));
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
