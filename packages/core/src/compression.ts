import { zlibSync } from "fflate";
import type { ImAuthErrorCode } from "./errors.js";
import { zlibInflateStrict, zlibStore } from "./zlib.js";

export { adler32 } from "./zlib.js";

/**
 * Compresses bytes into a zlib stream (RFC 1950), as UserSigs and NERTC permission keys carry them.
 * Level 0 writes stored blocks with a hand-written writer (fastest; every zlib reader accepts them, and the
 * official Go UserSig library has emitted them since v1.4.0); levels 1 to 9 use fflate.
 *
 * @example
 * ```ts
 * const stream = zlibCompress(utf8Encode(json), 6);
 * ```
 */
export function zlibCompress(data: Uint8Array, level: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 = 6): Uint8Array {
  return level === 0 ? zlibStore(data) : zlibSync(data, { level });
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
