// ECDSA signature forms, shared by both flavours of platform.ts so that they accept and write exactly the same
// bytes: legacy UserSigs carry DER, Web Crypto uses IEEE P1363 `r || s`.
import { DerError, DerReader, encode, encodeUnsigned, readUnsigned, Tag } from "./der.js";

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

/** Converts a DER signature into IEEE P1363 `r || s`; null when malformed. */
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

/** secp256k1's group order n. */
const K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function toBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function toBytes32(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--, v >>= 8n) out[i] = Number(v & 255n);
  return out;
}

/**
 * A secp256k1 DER signature with a high S (above n/2) replaced by n - S, the form @noble/curves writes, so
 * that a secp256k1 signature has the same shape whichever flavour made it (both forms verify everywhere).
 * Returns `der` itself when S is already low.
 */
export function secp256k1LowS(der: Uint8Array): Uint8Array {
  const rs = parseDerSignature(der, 32);
  // OpenSSL's output always parses; anything else is handed back as it is, as a signature to be refused.
  const s = rs ? toBigInt(rs.s) : 0n;
  if (!rs || s <= K1_ORDER >> 1n) return der;
  return encode(Tag.SEQUENCE, encodeUnsigned(rs.r), encodeUnsigned(toBytes32(K1_ORDER - s)));
}
