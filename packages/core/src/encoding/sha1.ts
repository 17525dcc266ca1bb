/**
 * SHA-1 of a short string, as lowercase hex: the hash behind NetEase's CheckSum and token signatures and
 * RongCloud's request Signature.
 *
 * Hand-written instead of `@noble/hashes` because CheckSum headers are made for every API call, retries
 * included, and the inputs are tiny (usually one 64-byte block), where noble's per-call setup dominates:
 * the benchmark (bench/cases/netease-checksum.mjs, row "CheckSum SHA-1 vs @noble/hashes sha1") measures
 * this one at 2 to 3 times noble's `sha1` + hex, which is what puts `createCheckSumHeaders` ahead of
 * `node:crypto`'s `createHash` without a Node-only build. Tests compare it with noble and `node:crypto` on
 * random inputs. SHA-1 is used only because NetEase's protocol fixes it.
 *
 * @module
 */
import { utf8Encode } from "./utf8.js";

const HEX = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
// Scratch space reused across calls (the function is synchronous, so never shared by two calls).
const W = /* @__PURE__ */ new Int32Array(80);
let scratch = /* @__PURE__ */ new Uint8Array(256);

function wordHex(h: number): string {
  return HEX[h >>> 24]! + HEX[(h >>> 16) & 255]! + HEX[(h >>> 8) & 255]! + HEX[h & 255]!;
}

/**
 * Lowercase hex SHA-1 of `text` encoded as UTF-8.
 *
 * @example
 * ```ts
 * sha1Hex("abc"); // "a9993e364706816aba3e25717850c26c9cd0d89d"
 * ```
 */
export function sha1Hex(text: string): string {
  // Copy ASCII straight into the scratch buffer; fall back to TextEncoder at the first non-ASCII unit.
  let n = text.length;
  let len = (((n + 8) >>> 6) + 1) * 64;
  if (len > scratch.length) scratch = new Uint8Array(len * 2);
  let bytes = scratch;
  for (let i = 0; i < n; i++) {
    const unit = text.charCodeAt(i);
    if (unit > 127) {
      const utf8 = utf8Encode(text);
      n = utf8.length;
      len = (((n + 8) >>> 6) + 1) * 64;
      if (len > scratch.length) scratch = new Uint8Array(len * 2);
      bytes = scratch;
      bytes.set(utf8);
      break;
    }
    bytes[i] = unit;
  }
  bytes[n] = 0x80;
  bytes.fill(0, n + 1, len - 8);
  const bitsHigh = Math.floor(n / 0x20000000);
  const bitsLow = (n * 8) >>> 0;
  bytes[len - 8] = bitsHigh >>> 24;
  bytes[len - 7] = (bitsHigh >>> 16) & 255;
  bytes[len - 6] = (bitsHigh >>> 8) & 255;
  bytes[len - 5] = bitsHigh & 255;
  bytes[len - 4] = bitsLow >>> 24;
  bytes[len - 3] = (bitsLow >>> 16) & 255;
  bytes[len - 2] = (bitsLow >>> 8) & 255;
  bytes[len - 1] = bitsLow & 255;
  let h0 = 0x67452301;
  let h1 = 0xefcdab89 | 0;
  let h2 = 0x98badcfe | 0;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0 | 0;
  for (let off = 0; off < len; off += 64) {
    for (let i = 0, o = off; i < 16; i++, o += 4) {
      W[i] = (bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!;
    }
    for (let i = 16; i < 80; i++) {
      const x = W[i - 3]! ^ W[i - 8]! ^ W[i - 14]! ^ W[i - 16]!;
      W[i] = (x << 1) | (x >>> 31);
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    let i = 0;
    // Five rounds per iteration with the roles of a..e rotated, instead of shuffling five variables each
    // round; one loop per round function, so none of them branches.
    for (; i < 20; i += 5) {
      e = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + W[i]!) | 0;
      b = (b << 30) | (b >>> 2);
      d = (((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + d + 0x5a827999 + W[i + 1]!) | 0;
      a = (a << 30) | (a >>> 2);
      c = (((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + c + 0x5a827999 + W[i + 2]!) | 0;
      e = (e << 30) | (e >>> 2);
      b = (((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + b + 0x5a827999 + W[i + 3]!) | 0;
      d = (d << 30) | (d >>> 2);
      a = (((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + a + 0x5a827999 + W[i + 4]!) | 0;
      c = (c << 30) | (c >>> 2);
    }
    for (; i < 40; i += 5) {
      e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + W[i]!) | 0;
      b = (b << 30) | (b >>> 2);
      d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + 0x6ed9eba1 + W[i + 1]!) | 0;
      a = (a << 30) | (a >>> 2);
      c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + 0x6ed9eba1 + W[i + 2]!) | 0;
      e = (e << 30) | (e >>> 2);
      b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + 0x6ed9eba1 + W[i + 3]!) | 0;
      d = (d << 30) | (d >>> 2);
      a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + 0x6ed9eba1 + W[i + 4]!) | 0;
      c = (c << 30) | (c >>> 2);
    }
    for (; i < 60; i += 5) {
      e = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e - 0x70e44324 + W[i]!) | 0;
      b = (b << 30) | (b >>> 2);
      d = (((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + d - 0x70e44324 + W[i + 1]!) | 0;
      a = (a << 30) | (a >>> 2);
      c = (((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + c - 0x70e44324 + W[i + 2]!) | 0;
      e = (e << 30) | (e >>> 2);
      b = (((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + b - 0x70e44324 + W[i + 3]!) | 0;
      d = (d << 30) | (d >>> 2);
      a = (((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + a - 0x70e44324 + W[i + 4]!) | 0;
      c = (c << 30) | (c >>> 2);
    }
    for (; i < 80; i += 5) {
      e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e - 0x359d3e2a + W[i]!) | 0;
      b = (b << 30) | (b >>> 2);
      d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d - 0x359d3e2a + W[i + 1]!) | 0;
      a = (a << 30) | (a >>> 2);
      c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c - 0x359d3e2a + W[i + 2]!) | 0;
      e = (e << 30) | (e >>> 2);
      b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b - 0x359d3e2a + W[i + 3]!) | 0;
      d = (d << 30) | (d >>> 2);
      a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a - 0x359d3e2a + W[i + 4]!) | 0;
      c = (c << 30) | (c >>> 2);
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  return wordHex(h0) + wordHex(h1) + wordHex(h2) + wordHex(h3) + wordHex(h4);
}
