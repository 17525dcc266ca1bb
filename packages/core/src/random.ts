import { hexEncode } from "./encoding/hex.js";

/**
 * A uniformly random unsigned 32-bit integer from `crypto.getRandomValues`.
 *
 * @example
 * ```ts
 * url.searchParams.set("random", String(randomUint32()));
 * ```
 */
export function randomUint32(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

/**
 * `byteLength` random bytes from `crypto.getRandomValues`, as lowercase hex (twice as many characters).
 *
 * @example
 * ```ts
 * randomHex(16); // "9f86d081884c7d659a2feaa0c55ad015", like a UUID without dashes
 * ```
 */
export function randomHex(byteLength: number): string {
  return hexEncode(crypto.getRandomValues(new Uint8Array(byteLength)));
}
