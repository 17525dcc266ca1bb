import { zlibSync } from "fflate";
import { zlibStore } from "./zlib.js";

/**
 * zlib compression at a chosen level, for adapters whose credentials are usually compressed (NetEase's NERTC
 * permission keys, legacy UserSigs). Its own entry, `@imauth/core/deflate`, because it loads fflate: the
 * UserSig path uses `zlibStore` from `@imauth/core/adapter` and never pays for it.
 *
 * @packageDocumentation
 */

/** A zlib compression level: 0 stores, 1 is fastest, 9 is smallest. */
export type ZlibLevel = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

/**
 * Compresses bytes into a zlib stream (RFC 1950). Level 0 writes stored blocks with core's own writer (see
 * `zlibStore`); levels 1 to 9 use fflate. The default, 6, is zlib's own default and what the official Java
 * and Node libraries use.
 *
 * @example
 * ```ts
 * import { zlibCompress } from "@imauth/core/deflate";
 *
 * const stream = zlibCompress(new TextEncoder().encode("{}"), 9);
 * ```
 */
export function zlibCompress(data: Uint8Array, level: ZlibLevel = 6): Uint8Array {
  return level === 0 ? zlibStore(data) : zlibSync(data, { level });
}
