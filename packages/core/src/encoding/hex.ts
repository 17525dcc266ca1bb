import { ImAuthError } from "../errors.js";

const HEX = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * Encodes bytes as lowercase hexadecimal.
 *
 * @example
 * ```ts
 * hexEncode(new Uint8Array([1, 171])); // "01ab"
 * ```
 */
export function hexEncode(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!]!;
  return out;
}

/**
 * Decodes hexadecimal (either case). Throws `ImAuthError` `ERR_INVALID_INPUT` on odd length or a non-hex
 * character.
 *
 * @example
 * ```ts
 * hexDecode("01AB"); // Uint8Array [1, 171]
 * ```
 */
export function hexDecode(text: string, what = "hex input"): Uint8Array<ArrayBuffer> {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new ImAuthError("ERR_INVALID_INPUT", `${what} is not valid hexadecimal`);
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}
