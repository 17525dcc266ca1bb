// What a legacy UserSig spends its time in — ECDSA-SHA256 signing and verification, UTF-8, base64 and the
// zlib wrapping — portable flavour (no `node:` APIs): what Workers and browsers load. `platform.node.ts` is the Node flavour (node:crypto); package.json `imports` maps
// `#ecdsa-platform` to one or the other (the `node` condition picks platform.node.ts). Both write DER with the
// same S policy and accept exactly the same signatures, and the tests run every suite on both.
import { ImAuthError } from "@imauth/core";
import { base64Encode, tencentBase64Encode, utf8Encode, zlibStore } from "@imauth/core/adapter";
import { ecdsa, weierstrass } from "@noble/curves/abstract/weierstrass.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToNumberBE } from "@noble/curves/utils.js";
import { sha256 } from "@noble/hashes/sha2.js";
import {
  type LegacyCurve,
  nobleCurve,
  type ParsedLegacyPrivateKey,
  type ParsedLegacyPublicKey,
  toPkcs8,
} from "./keys.js";
import { derToP1363, p1363ToDer, parseDerSignature } from "./signature.js";

/** Which flavour of the primitives this build carries. */
export const PLATFORM: "portable" | "node" = "portable";

/** Signs `data` (hashed with SHA-256 inside) and resolves to the DER signature. */
export type EcdsaSign = (data: Uint8Array) => Promise<Uint8Array>;
/** Whether `signature` (DER) is a valid signature of `data` (hashed with SHA-256 inside). */
export type EcdsaVerify = (data: Uint8Array, signature: Uint8Array) => Promise<boolean>;

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return utf8Encode(text);
}

/** Standard base64 (`TLS.sig`, `TLS.userbuf`). */
export function base64(bytes: Uint8Array): string {
  return base64Encode(bytes);
}

/** The UserSig wire form of a JSON document: zlib in stored blocks (level 0), then Tencent's base64. */
export function packUserSig(json: string): string {
  return tencentBase64Encode(zlibStore(utf8Encode(json)));
}

// The hash as an object: Node normalises it with a little less work than the string form (bench/README.md).
const ECDSA_SHA256 = { name: "ECDSA", hash: { name: "SHA-256" } } as const;
/** Key uses after which a public key gets precomputed multiplication tables (see verifyNoble). */
const PRECOMPUTE_AFTER_USES = 4;

function subtleOrUndefined(): SubtleCrypto | undefined {
  return (globalThis as { crypto?: Crypto }).crypto?.subtle;
}

/** Web Crypto's typings want ArrayBuffer-backed views. */
function view(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

/**
 * The signing function of a parsed private key. P-256 signs through Web Crypto (the imported `CryptoKey` is
 * cached; signatures as Web Crypto makes them, S unnormalised like OpenSSL's), secp256k1 through
 * @noble/curves (no Web Crypto has it; RFC 6979 nonces, low S), and P-256 too where `crypto.subtle` is missing.
 */
export function ecdsaSign(parsed: ParsedLegacyPrivateKey, what: string): EcdsaSign {
  const subtle = parsed.curve === "P-256" ? subtleOrUndefined() : undefined;
  if (subtle) {
    const load = cachedImport(
      () =>
        subtle.importKey("pkcs8", view(toPkcs8(parsed)), { name: "ECDSA", namedCurve: "P-256" }, false, [
          "sign",
        ]),
      what,
    );
    // Web Crypto signs in IEEE P1363 (r || s); legacy UserSigs carry DER as OpenSSL writes it.
    return (data) =>
      load((key) => subtle.sign(ECDSA_SHA256, key, view(data))).then((p1363) =>
        p1363ToDer(new Uint8Array(p1363)),
      );
  }
  const { scalar } = parsed;
  const signer = parsed.curve === "secp256k1" ? secp256k1Signer() : nobleCurve[parsed.curve];
  // noble hashes the message with SHA-256 itself (prehash) and makes RFC 6979 nonces.
  return async (data) => signer.sign(data, scalar, { prehash: true, format: "der" });
}

/**
 * The verification function of a parsed public key: Web Crypto for P-256 (the `CryptoKey` imported once),
 * @noble/curves' point arithmetic otherwise. High S is accepted (OpenSSL never normalised S).
 */
export function ecdsaVerify(parsed: ParsedLegacyPublicKey, what: string): EcdsaVerify {
  const { curve, publicPoint } = parsed;
  const subtle = curve === "P-256" ? subtleOrUndefined() : undefined;
  if (subtle) {
    const load = cachedImport(
      () =>
        subtle.importKey("raw", view(publicPoint), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]),
      what,
    );
    return (data, signature) => {
      const p1363 = derToP1363(signature, 32);
      if (!p1363) return Promise.resolve(false);
      return load((key) => subtle.verify(ECDSA_SHA256, key, view(p1363), view(data)));
    };
  }
  const point = nobleCurve[curve].Point.fromBytes(publicPoint);
  let uses = 0;
  return async (data, signature) => {
    if (++uses === PRECOMPUTE_AFTER_USES) point.precompute(8, false);
    return verifyNoble(curve, point, data, signature);
  };
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
 * (noble's shared secp256k1 keeps a 6-bit one, and we leave that instance alone): faster signing
 * (bench/README.md). The table is made on the first signature.
 */
function secp256k1Signer(): NobleEcdsa {
  if (!k1Signer) {
    const Point = weierstrass(secp256k1.Point.CURVE(), { Fp: secp256k1.Point.Fp });
    Point.BASE.precompute(8);
    k1Signer = ecdsa(Point, sha256);
  }
  return k1Signer;
}

type NoblePoint = ReturnType<(typeof nobleCurve)[LegacyCurve]["Point"]["fromBytes"]>;

/**
 * ECDSA verification on @noble/curves' point arithmetic. noble's own `verify` re-parses the public key on
 * every call, so it cannot use per-key precomputed tables, which this version keeps (bench/README.md has the
 * speed-up). Tests check it against noble's `verify` and OpenSSL. High S is accepted (OpenSSL never
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
