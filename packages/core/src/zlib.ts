import { ImAuthError, type ImAuthErrorCode } from "./errors.js";

// zlib (RFC 1950) over deflate (RFC 1951), only as much as credentials need. The public surface is
// zlibStore, zlibDecompress and adler32 (compression levels 1 to 9 live in `deflate.ts`, its own entry, so
// that making or reading a UserSig never loads fflate: importing it costs a cold start about 20 ms on Node,
// see bench/README.md); both halves here are hand-written:
// - writing: stored blocks (level 0). Measured on Node 24 against fflate's `zlibSync(data, { level: 0 })`,
//   this writer makes the whole portable genUserSig about 1.5 times faster (2.4x vs 1.6x the official
//   package), and level 0 is what the official Go library has emitted since v1.4.0.
// - reading: a strict inflater. fflate (and zlib itself) ignore the padding bits after a stored-block header
//   and after the final block, and the bytes between the deflate end and the checksum, so a UserSig with one
//   character changed there still inflates to the same document. This reader insists those bits are zero
//   and that nothing trails the checksum, so every single-character change is rejected.

/**
 * Adler-32 of `data[start, end)` (RFC 1950 section 8.2), the checksum that ends a zlib stream.
 *
 * @example
 * ```ts
 * adler32(utf8Encode("Wikipedia")); // 0x11e60398
 * ```
 */
export function adler32(data: Uint8Array, start = 0, end = data.length): number {
  let a = 1;
  let b = 0;
  // 5552 is the largest run for which b cannot exceed 2^53 before the modulo (zlib's NMAX).
  for (let i = start; i < end; ) {
    const stop = Math.min(i + 5552, end);
    for (; i < stop; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/**
 * Options of {@link zlibDecompress}.
 *
 * @example
 * ```ts
 * zlibDecompress(bytes, { maxBytes: 4096, what: "permission key", code: "ERR_MALFORMED_CREDENTIAL" });
 * ```
 */
export interface ZlibDecompressOptions {
  /** Largest accepted output in bytes; larger output (a zlib bomb) is refused without being allocated. */
  maxBytes: number;
  /** Error code to throw on bad input. Default `ERR_MALFORMED_CREDENTIAL`. */
  code?: ImAuthErrorCode;
  /** What the input is called in messages. Default `credential`. */
  what?: string;
}

/**
 * Decompresses a zlib stream (RFC 1950) from untrusted input, strictly: a valid header without a preset
 * dictionary, well-formed deflate blocks, zero padding bits, the right Adler-32 and nothing after it, so a
 * credential with any bit changed outside its document is refused rather than silently read. Output is capped
 * at `maxBytes` (the buffer is allocated once at that size, never at a size the stream claims). Throws
 * `ImAuthError` (`ERR_MALFORMED_CREDENTIAL` by default) on any failure.
 *
 * fflate and zlib itself ignore padding bits and trailing bytes, which is why this reader is hand-written.
 *
 * @example
 * ```ts
 * const json = utf8Decode(zlibDecompress(bytes, { maxBytes: 16_384 }));
 * ```
 */
export function zlibDecompress(data: Uint8Array, options: ZlibDecompressOptions): Uint8Array {
  const { maxBytes, code = "ERR_MALFORMED_CREDENTIAL", what = "credential" } = options;
  return zlibInflateStrict(data, maxBytes, what, code);
}

/**
 * Wraps `data` in a zlib stream (RFC 1950) of stored, uncompressed deflate blocks: `78 01`, blocks of at most
 * 65,535 bytes, then the big-endian Adler-32. Every zlib reader accepts it, and it is what the official Go
 * UserSig library has emitted since v1.4.0. For real compression use `zlibCompress` from
 * `@imauth/core/deflate`.
 *
 * @example
 * ```ts
 * const stream = zlibStore(utf8Encode(json)); // 78 01 01 …
 * ```
 */
export function zlibStore(data: Uint8Array): Uint8Array {
  const n = data.length;
  const blocks = Math.max(1, Math.ceil(n / 65535));
  const out = new Uint8Array(n + 5 * blocks + 6);
  out[0] = 0x78;
  out[1] = 0x01;
  let o = 2;
  for (let i = 0, b = 0; b < blocks; b++) {
    const len = Math.min(65535, n - i);
    out[o] = b === blocks - 1 ? 1 : 0;
    out[o + 1] = len & 255;
    out[o + 2] = len >>> 8;
    out[o + 3] = ~len & 255;
    out[o + 4] = (~len >>> 8) & 255;
    out.set(data.subarray(i, i + len), o + 5);
    o += 5 + len;
    i += len;
  }
  const adler = adler32(data);
  out[o] = adler >>> 24;
  out[o + 1] = (adler >>> 16) & 255;
  out[o + 2] = (adler >>> 8) & 255;
  out[o + 3] = adler & 255;
  return out;
}

const LEN_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
  227, 258,
];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
  6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
const CODE_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** A canonical Huffman code: how many codes of each length, and the symbols in code order. */
interface Huffman {
  count: Uint16Array;
  symbol: Uint16Array;
}

class Malformed extends Error {}

/** Builds a code from lengths; returns the number of unused codes (0 when complete). Over-full codes throw. */
function buildHuffman(lengths: Uint8Array, n: number, h: Huffman): number {
  h.count.fill(0);
  for (let s = 0; s < n; s++) h.count[lengths[s]!]!++;
  if (h.count[0] === n) return 0;
  let left = 1;
  for (let len = 1; len <= 15; len++) {
    left = left * 2 - h.count[len]!;
    if (left < 0) throw new Malformed("over-subscribed Huffman code");
  }
  const offs = new Uint16Array(16);
  for (let len = 1; len < 15; len++) offs[len + 1] = offs[len]! + h.count[len]!;
  for (let s = 0; s < n; s++) if (lengths[s] !== 0) h.symbol[offs[lengths[s]!]!++] = s;
  return left;
}

function newHuffman(size: number): Huffman {
  return { count: new Uint16Array(16), symbol: new Uint16Array(size) };
}

let fixed: { lit: Huffman; dist: Huffman } | undefined;
function fixedCodes(): { lit: Huffman; dist: Huffman } {
  if (fixed) return fixed;
  const lengths = new Uint8Array(288);
  lengths.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
  const lit = newHuffman(288);
  buildHuffman(lengths, 288, lit);
  const dist = newHuffman(30);
  buildHuffman(new Uint8Array(30).fill(5), 30, dist);
  fixed = { lit, dist };
  return fixed;
}

/** Bit reader over `data[pos, end)`, least significant bit first (RFC 1951 section 3.1.1). */
class Bits {
  bitBuf = 0;
  bitCount = 0;
  constructor(
    readonly data: Uint8Array,
    public pos: number,
    readonly end: number,
  ) {}
  need(n: number): number {
    let v = this.bitBuf;
    while (this.bitCount < n) {
      if (this.pos >= this.end) throw new Malformed("truncated deflate stream");
      v |= this.data[this.pos++]! << this.bitCount;
      this.bitCount += 8;
    }
    this.bitBuf = v >>> n;
    this.bitCount -= n;
    return v & ((1 << n) - 1);
  }
  /** Skips to the next byte boundary; the skipped bits must be zero (zlib writes them so). */
  align(): void {
    if (this.bitBuf !== 0) throw new Malformed("non-zero padding bits");
    this.bitBuf = 0;
    this.bitCount = 0;
  }
  decode(h: Huffman): number {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= 15; len++) {
      code |= this.need(1);
      const count = h.count[len]!;
      if (code - count < first) return h.symbol[index + (code - first)]!;
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw new Malformed("invalid Huffman code");
  }
}

/**
 * Inflates a zlib stream from untrusted input, strictly: valid header without a preset dictionary, every
 * deflate block well-formed, padding bits zero, the Adler-32 right, nothing after it, and at most `maxBytes`
 * of output (allocated once, never at a size the stream claims). Throws `ImAuthError`
 * (`ERR_MALFORMED_CREDENTIAL` unless `code` says otherwise) naming `what`.
 */
function zlibInflateStrict(
  data: Uint8Array,
  maxBytes: number,
  what: string,
  code: ImAuthErrorCode = "ERR_MALFORMED_CREDENTIAL",
): Uint8Array {
  const fail = (reason: string): never => {
    throw new ImAuthError(code, `${what} is not a valid zlib stream (${reason})`);
  };
  const n = data.length;
  if (n < 7) fail("too short");
  const cmf = data[0]!;
  const flg = data[1]!;
  if ((cmf & 15) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0) fail("bad header");
  if (flg & 32) fail("preset dictionary");
  const out = new Uint8Array(maxBytes);
  let o = 0;
  const bits = new Bits(data, 2, n - 4);
  try {
    let last = 0;
    while (!last) {
      last = bits.need(1);
      const type = bits.need(2);
      if (type === 0) {
        bits.align();
        if (bits.pos + 4 > bits.end) throw new Malformed("truncated stored block");
        const p = bits.pos;
        const len = data[p]! | (data[p + 1]! << 8);
        const nlen = data[p + 2]! | (data[p + 3]! << 8);
        if ((len ^ 0xffff) !== nlen) throw new Malformed("stored block length check");
        if (p + 4 + len > bits.end) throw new Malformed("truncated stored block");
        if (o + len > maxBytes) throw new Malformed(`inflates to more than ${maxBytes} bytes`);
        out.set(data.subarray(p + 4, p + 4 + len), o);
        o += len;
        bits.pos = p + 4 + len;
      } else if (type === 1) {
        const f = fixedCodes();
        o = inflateBlock(bits, f.lit, f.dist, out, o);
      } else if (type === 2) {
        const { lit, dist } = readDynamicCodes(bits);
        o = inflateBlock(bits, lit, dist, out, o);
      } else {
        throw new Malformed("reserved block type");
      }
    }
    bits.align();
  } catch (error) {
    if (error instanceof Malformed) fail(error.message);
    throw error;
  }
  if (bits.pos !== n - 4) fail("data after the deflate stream");
  const expected = ((data[n - 4]! << 24) | (data[n - 3]! << 16) | (data[n - 2]! << 8) | data[n - 1]!) >>> 0;
  if (adler32(out, 0, o) !== expected) fail("checksum mismatch");
  return out.subarray(0, o);
}

function readDynamicCodes(bits: Bits): { lit: Huffman; dist: Huffman } {
  const nlen = bits.need(5) + 257;
  const ndist = bits.need(5) + 1;
  const ncode = bits.need(4) + 4;
  if (nlen > 286 || ndist > 30) throw new Malformed("too many length or distance codes");
  const lengths = new Uint8Array(320);
  for (let i = 0; i < ncode; i++) lengths[CODE_ORDER[i]!] = bits.need(3);
  const codeCode = newHuffman(19);
  if (buildHuffman(lengths, 19, codeCode) !== 0) throw new Malformed("incomplete code-length code");
  lengths.fill(0);
  for (let i = 0; i < nlen + ndist; ) {
    const sym = bits.decode(codeCode);
    if (sym < 16) {
      lengths[i++] = sym;
      continue;
    }
    let value = 0;
    let repeat: number;
    if (sym === 16) {
      if (i === 0) throw new Malformed("repeat with no previous length");
      value = lengths[i - 1]!;
      repeat = 3 + bits.need(2);
    } else if (sym === 17) {
      repeat = 3 + bits.need(3);
    } else {
      repeat = 11 + bits.need(7);
    }
    if (i + repeat > nlen + ndist) throw new Malformed("too many code lengths");
    lengths.fill(value, i, i + repeat);
    i += repeat;
  }
  if (lengths[256] === 0) throw new Malformed("no end-of-block code");
  const lit = newHuffman(286);
  const litLeft = buildHuffman(lengths, nlen, lit);
  // zlib accepts an incomplete code only when it is a single code of length 1.
  if (litLeft !== 0 && !singleCode(lit, nlen)) throw new Malformed("incomplete literal/length code");
  const dist = newHuffman(30);
  const distLengths = lengths.subarray(nlen, nlen + ndist);
  const distLeft = buildHuffman(distLengths, ndist, dist);
  if (distLeft !== 0 && !singleCode(dist, ndist)) throw new Malformed("incomplete distance code");
  return { lit, dist };
}

function singleCode(h: Huffman, n: number): boolean {
  return h.count[1] === 1 && n - h.count[0]! === 1;
}

function inflateBlock(bits: Bits, lit: Huffman, dist: Huffman, out: Uint8Array, start: number): number {
  let o = start;
  const max = out.length;
  for (;;) {
    const sym = bits.decode(lit);
    if (sym < 256) {
      if (o >= max) throw new Malformed(`inflates to more than ${max} bytes`);
      out[o++] = sym;
    } else if (sym === 256) {
      return o;
    } else {
      const li = sym - 257;
      if (li >= 29) throw new Malformed("invalid length symbol");
      const len = LEN_BASE[li]! + bits.need(LEN_EXTRA[li]!);
      const di = bits.decode(dist);
      if (di >= 30) throw new Malformed("invalid distance symbol");
      const d = DIST_BASE[di]! + bits.need(DIST_EXTRA[di]!);
      if (d > o) throw new Malformed("distance too far back");
      if (o + len > max) throw new Malformed(`inflates to more than ${max} bytes`);
      for (let k = 0; k < len; k++, o++) out[o] = out[o - d]!;
    }
  }
}
