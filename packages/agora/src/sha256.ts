// HMAC-SHA256 for the short inputs of AccessToken2 (a 4-byte or 32-byte key, a message of a few hundred
// bytes), hand-written instead of @noble/hashes for two measured reasons:
// - size: genRtcToken must stay within 6 KiB gzip in a browser bundle; noble's hmac + sha256 took it over;
// - speed: a token takes three HMACs, where noble's per-call set-up (two hash objects, key padding, buffer
//   copies) dominates; with reused scratch buffers one HMAC of a 120-byte message takes about 3 us on Node 20,
//   as node:crypto's createHmac does. Tests compare it with noble and node:crypto on random keys and messages.

const K = /* @__PURE__ */ Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
// Scratch space reused across calls (the functions are synchronous, so never shared by two calls).
const W = /* @__PURE__ */ new Int32Array(64);
const H = /* @__PURE__ */ new Int32Array(8);
// Larger inputs (callback bodies) get a buffer of their own rather than growing this one for good.
const scratch = /* @__PURE__ */ new Uint8Array(4096);

function compress(data: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++, at += 4) {
    W[i] = (data[at]! << 24) | (data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const a = W[i - 15]!;
    const b = W[i - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = H[0]!;
  let b = H[1]!;
  let c = H[2]!;
  let d = H[3]!;
  let e = H[4]!;
  let f = H[5]!;
  let g = H[6]!;
  let h = H[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  H[0] = (H[0]! + a) | 0;
  H[1] = (H[1]! + b) | 0;
  H[2] = (H[2]! + c) | 0;
  H[3] = (H[3]! + d) | 0;
  H[4] = (H[4]! + e) | 0;
  H[5] = (H[5]! + f) | 0;
  H[6] = (H[6]! + g) | 0;
  H[7] = (H[7]! + h) | 0;
}

/** SHA-256 of `message`, preceded (for HMAC) by the 64-byte block of `key` XOR `pad` when a key is given. */
function digest(key: Uint8Array | undefined, pad: number, message: Uint8Array): Uint8Array {
  const prefix = key === undefined ? 0 : 64;
  const length = prefix + message.length;
  const padded = Math.ceil((length + 9) / 64) * 64;
  const buf = padded <= scratch.length ? scratch : new Uint8Array(padded);
  for (let i = 0; i < prefix; i++) buf[i] = (key![i] ?? 0) ^ pad;
  buf.set(message, prefix);
  buf[length] = 0x80;
  buf.fill(0, length + 1, padded);
  const bits = length * 8;
  const high = Math.floor(bits / 0x1_0000_0000);
  buf[padded - 8] = high >>> 24;
  buf[padded - 7] = high >>> 16;
  buf[padded - 6] = high >>> 8;
  buf[padded - 5] = high;
  buf[padded - 4] = bits >>> 24;
  buf[padded - 3] = bits >>> 16;
  buf[padded - 2] = bits >>> 8;
  buf[padded - 1] = bits;
  H.set(IV);
  for (let at = 0; at < padded; at += 64) compress(buf, at);
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const v = H[i]!;
    out[i * 4] = v >>> 24;
    out[i * 4 + 1] = v >>> 16;
    out[i * 4 + 2] = v >>> 8;
    out[i * 4 + 3] = v;
  }
  return out;
}

/**
 * HMAC-SHA256 (RFC 2104) of `message` with `key`.
 *
 * @example
 * ```ts
 * hmacSha256(new Uint8Array([1, 0, 0, 0]), utf8Encode(appCertificate));
 * ```
 */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  const k = key.length > 64 ? digest(undefined, 0, key) : key;
  return digest(k, 0x5c, digest(k, 0x36, message));
}
