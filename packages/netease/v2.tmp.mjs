import { createHash } from "node:crypto";
import { checkSum } from "./dist/index.js";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const W = new Int32Array(80);
let scratch = new Uint8Array(256);
const wh = (h) => HEX[h >>> 24] + HEX[(h >>> 16) & 255] + HEX[(h >>> 8) & 255] + HEX[h & 255];
function sha1v2(text) {
  const n = text.length;
  const len = (((n + 8) >>> 6) + 1) * 64;
  if (len > scratch.length) scratch = new Uint8Array(len * 2);
  const bytes = scratch;
  for (let i = 0; i < n; i++) bytes[i] = text.charCodeAt(i);
  bytes[n] = 0x80;
  for (let i = n + 1; i < len - 4; i++) bytes[i] = 0;
  const bits = n * 8;
  bytes[len - 4] = bits >>> 24;
  bytes[len - 3] = (bits >>> 16) & 255;
  bytes[len - 2] = (bits >>> 8) & 255;
  bytes[len - 1] = bits & 255;
  let h0 = 0x67452301,
    h1 = 0xefcdab89 | 0,
    h2 = 0x98badcfe | 0,
    h3 = 0x10325476,
    h4 = 0xc3d2e1f0 | 0;
  for (let off = 0; off < len; off += 64) {
    for (let i = 0, o = off; i < 16; i++, o += 4)
      W[i] = (bytes[o] << 24) | (bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3];
    for (let i = 16; i < 80; i++) {
      const x = W[i - 3] ^ W[i - 8] ^ W[i - 14] ^ W[i - 16];
      W[i] = (x << 1) | (x >>> 31);
    }
    let a = h0,
      b = h1,
      c = h2,
      d = h3,
      e = h4,
      i = 0;
    for (; i < 20; i += 5) {
      e = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + W[i]) | 0;
      b = (b << 30) | (b >>> 2);
      d = (((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + d + 0x5a827999 + W[i + 1]) | 0;
      a = (a << 30) | (a >>> 2);
      c = (((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + c + 0x5a827999 + W[i + 2]) | 0;
      e = (e << 30) | (e >>> 2);
      b = (((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + b + 0x5a827999 + W[i + 3]) | 0;
      d = (d << 30) | (d >>> 2);
      a = (((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + a + 0x5a827999 + W[i + 4]) | 0;
      c = (c << 30) | (c >>> 2);
    }
    for (; i < 40; i += 5) {
      e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + W[i]) | 0;
      b = (b << 30) | (b >>> 2);
      d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + 0x6ed9eba1 + W[i + 1]) | 0;
      a = (a << 30) | (a >>> 2);
      c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + 0x6ed9eba1 + W[i + 2]) | 0;
      e = (e << 30) | (e >>> 2);
      b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + 0x6ed9eba1 + W[i + 3]) | 0;
      d = (d << 30) | (d >>> 2);
      a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + 0x6ed9eba1 + W[i + 4]) | 0;
      c = (c << 30) | (c >>> 2);
    }
    for (; i < 60; i += 5) {
      e = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e - 0x70e44324 + W[i]) | 0;
      b = (b << 30) | (b >>> 2);
      d = (((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + d - 0x70e44324 + W[i + 1]) | 0;
      a = (a << 30) | (a >>> 2);
      c = (((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + c - 0x70e44324 + W[i + 2]) | 0;
      e = (e << 30) | (e >>> 2);
      b = (((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + b - 0x70e44324 + W[i + 3]) | 0;
      d = (d << 30) | (d >>> 2);
      a = (((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + a - 0x70e44324 + W[i + 4]) | 0;
      c = (c << 30) | (c >>> 2);
    }
    for (; i < 80; i += 5) {
      e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e - 0x359d3e2a + W[i]) | 0;
      b = (b << 30) | (b >>> 2);
      d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d - 0x359d3e2a + W[i + 1]) | 0;
      a = (a << 30) | (a >>> 2);
      c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c - 0x359d3e2a + W[i + 2]) | 0;
      e = (e << 30) | (e >>> 2);
      b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b - 0x359d3e2a + W[i + 3]) | 0;
      d = (d << 30) | (d >>> 2);
      a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a - 0x359d3e2a + W[i + 4]) | 0;
      c = (c << 30) | (c >>> 2);
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  return wh(h0) + wh(h1) + wh(h2) + wh(h3) + wh(h4);
}
for (const t of [
  "",
  "abc",
  "x".repeat(55),
  "x".repeat(56),
  "x".repeat(64),
  "x".repeat(1000),
  "c00000000000" + "8dfdb33d2840" + "1443592222",
])
  if (sha1v2(t) !== createHash("sha1").update(t).digest("hex")) console.log("MISMATCH", t.length);
function bench(name, fn, ms = 400) {
  for (let i = 0; i < 50000; i++) fn();
  let n = 0;
  const t0 = performance.now();
  let t;
  do {
    for (let i = 0; i < 1000; i++) fn();
    n += 1000;
    t = performance.now();
  } while (t - t0 < ms);
  return n / ((t - t0) / 1000);
}
const s = "c00000000000",
  N = "8dfdb33d28408dfdb33d28408dfdb33d";
let i = 1700000000;
for (let k = 0; k < 4; k++) {
  const a = bench("cur", () => checkSum(s, N, String(i++)));
  const b = bench("v2", () => sha1v2(s + N + String(i++)));
  console.log(Math.round(a), Math.round(b), (b / a).toFixed(2));
}
