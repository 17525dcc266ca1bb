import { unzlibSync, zlibSync } from "fflate";
import { ImAuthError, type ImAuthErrorCode } from "./errors.js";

/**
 * Compresses bytes into a zlib stream (RFC 1950), as UserSigs and NERTC permission keys carry them.
 * Level 0 writes stored blocks (fastest; every zlib reader accepts them), 6 is zlib's default.
 *
 * @example
 * ```ts
 * const stream = zlibCompress(utf8Encode(json), 6);
 * ```
 */
export function zlibCompress(data: Uint8Array, level: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 = 6): Uint8Array {
  return zlibSync(data, { level });
}

/** Options of {@link zlibDecompress}. */
export interface ZlibDecompressOptions {
  /** Largest accepted output in bytes; larger output (a zlib bomb) is refused without being allocated. */
  maxBytes: number;
  /** Error code to throw on bad input. Default `ERR_MALFORMED_CREDENTIAL`. */
  code?: ImAuthErrorCode;
  /** What the input is called in messages. Default `credential`. */
  what?: string;
}

/**
 * Decompresses a zlib stream (RFC 1950) from untrusted input: the header and the Adler-32 checksum are
 * checked, and the output is capped at `maxBytes` (the buffer is allocated once at that size, never at a size
 * the stream claims). Throws `ImAuthError` (`ERR_MALFORMED_CREDENTIAL` by default) on any failure.
 *
 * @example
 * ```ts
 * const json = utf8Decode(zlibDecompress(bytes, { maxBytes: 16_384 }));
 * ```
 */
export function zlibDecompress(data: Uint8Array, options: ZlibDecompressOptions): Uint8Array {
  const { maxBytes, code = "ERR_MALFORMED_CREDENTIAL", what = "credential" } = options;
  if (data.length < 6) throw new ImAuthError(code, `${what} is too short to be a zlib stream`);
  const cmf = data[0]!;
  const flg = data[1]!;
  if ((cmf & 15) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0 || flg & 32) {
    throw new ImAuthError(code, `${what} is not a zlib stream (bad header)`);
  }
  // fflate never grows a caller-supplied buffer, so one byte of slack tells us the cap was exceeded.
  const out = new Uint8Array(maxBytes + 1);
  let result: Uint8Array;
  try {
    result = unzlibSync(data, { out });
  } catch (cause) {
    throw new ImAuthError(code, `${what} is not a valid zlib stream`, { cause });
  }
  if (result.length > maxBytes)
    throw new ImAuthError(code, `${what} inflates to more than ${maxBytes} bytes`);
  const n = data.length;
  const expected = ((data[n - 4]! << 24) | (data[n - 3]! << 16) | (data[n - 2]! << 8) | data[n - 1]!) >>> 0;
  if (adler32(result) !== expected) throw new ImAuthError(code, `${what} fails its zlib checksum`);
  return result;
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  // 5552 is the largest block for which b cannot overflow 2^53 before the modulo (zlib uses the same bound).
  for (let i = 0; i < data.length; ) {
    const end = Math.min(i + 5552, data.length);
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}
