/**
 * SHA-1 of a short string, as lowercase hex: the hash behind every NetEase CheckSum and token signature.
 *
 * Hand-written instead of `@noble/hashes` because CheckSum headers are made once per API call, retries
 * included, and the inputs are tiny (usually one 64-byte block): a measured 2.5x over noble's `sha1` (whose
 * per-call setup dominates at this size) is what lets `createCheckSumHeaders` beat `node:crypto`'s
 * `createHash` (see bench/cases/netease-checksum.mjs). Tests compare it with noble and `node:crypto` on
 * random inputs. SHA-1 is used here only because NetEase's protocol fixes it.
 *
 * @internal
 * @module
 */
import { utf8Encode } from "@imauth/core";

const HEX = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
// Scratch space reused across calls (the function is synchronous, so never shared by two calls).
const W = /* @__PURE__ */ new Int32Array(80);
let scratch = /* @__PURE__ */ new Uint8Array(256);

function wordHex(h: number): string {
  return HEX[h >>> 24]! + HEX[(h >>> 16) & 255]! + HEX[(h >>> 8) & 255]! + HEX[h & 255]!;
}

/** Lowercase hex SHA-1 of `text` encoded as UTF-8. */
export function sha1Hex(text: string): string {
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 127) {
      ascii = false;
      break;
    }
  }
  const utf8 = ascii ? undefined : utf8Encode(text);
  const n = utf8 ? utf8.length : text.length;
  // Message, 0x80, zero padding and the 64-bit length, rounded up to whole 64-byte blocks.
  const len = (((n + 8) >>> 6) + 1) * 64;
  if (len > scratch.length) scratch = new Uint8Array(len * 2);
  const bytes = scratch;
  if (utf8) bytes.set(utf8);
  else for (let i = 0; i < n; i++) bytes[i] = text.charCodeAt(i);
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
    let t = 0;
    let i = 0;
    // Four loops, one per round function, so none of them branches.
    for (; i < 20; i++) {
      t = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + W[i]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    for (; i < 40; i++) {
      t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + W[i]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    for (; i < 60; i++) {
      t = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + (0x8f1bbcdc | 0) + W[i]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    for (; i < 80; i++) {
      t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + (0xca62c1d6 | 0) + W[i]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  return wordHex(h0) + wordHex(h1) + wordHex(h2) + wordHex(h3) + wordHex(h4);
}
