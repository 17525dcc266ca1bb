import { utf8Encode } from "./utf8.js";

/**
 * Compares two byte strings (or strings, as UTF-8) in time that depends only on their lengths, so a
 * signature check leaks nothing about where the first difference is.
 *
 * @example
 * ```ts
 * constantTimeEqual(expectedSignature, receivedSignature); // true or false
 * ```
 */
export function constantTimeEqual(a: Uint8Array | string, b: Uint8Array | string): boolean {
  const x = typeof a === "string" ? utf8Encode(a) : a;
  const y = typeof b === "string" ? utf8Encode(b) : b;
  // Lengths of signatures are public; bail out early only on them.
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}
