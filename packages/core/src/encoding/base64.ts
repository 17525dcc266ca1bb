import { ImAuthError } from "../errors.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE = /* @__PURE__ */ (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/**
 * Encodes bytes as standard base64 (RFC 4648 section 4, with padding).
 *
 * @example
 * ```ts
 * base64Encode(new Uint8Array([104, 105])); // "aGk="
 * ```
 */
export function base64Encode(bytes: Uint8Array): string {
  let out = "";
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + ALPHABET[v & 63]!;
  }
  if (i < n) {
    const v = (bytes[i]! << 16) | ((i + 1 < n ? bytes[i + 1]! : 0) << 8);
    out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]!;
    out += i + 1 < n ? ALPHABET[(v >> 6) & 63]! + "=" : "==";
  }
  return out;
}

/**
 * Decodes standard base64 strictly: only the standard alphabet, correct padding (padding may be omitted).
 * Throws `ImAuthError` `ERR_INVALID_INPUT` on anything else; `what` names the value in the message.
 *
 * @example
 * ```ts
 * base64Decode("aGk="); // Uint8Array [104, 105]
 * ```
 */
export function base64Decode(text: string, what = "base64 input"): Uint8Array<ArrayBuffer> {
  let end = text.length;
  if (end % 4 === 0 && end > 0) {
    if (text.charCodeAt(end - 1) === 61) end--;
    if (text.charCodeAt(end - 1) === 61) end--;
  }
  const rem = end % 4;
  if (rem === 1 || (text.length !== end && text.length % 4 !== 0)) {
    throw new ImAuthError("ERR_INVALID_INPUT", `${what} is not valid base64 (bad length or padding)`);
  }
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? DECODE[c]! : -1;
    if (v < 0) throw new ImAuthError("ERR_INVALID_INPUT", `${what} is not valid base64 (character ${i})`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) {
    throw new ImAuthError("ERR_INVALID_INPUT", `${what} is not valid base64 (non-zero trailing bits)`);
  }
  return out;
}

/**
 * Encodes bytes in Tencent's base64 variant: standard base64 with `+` -> `*`, `/` -> `-`, `=` -> `_`
 * (padding kept). This is not RFC 4648 base64url. Used by UserSigs and NetEase's NERTC permission key.
 *
 * @example
 * ```ts
 * tencentBase64Encode(new Uint8Array([251, 255])); // "*-8_"
 * ```
 */
export function tencentBase64Encode(bytes: Uint8Array): string {
  return base64Encode(bytes).replace(/[+/=]/g, (c) => (c === "+" ? "*" : c === "/" ? "-" : "_"));
}

/**
 * Decodes Tencent's base64 variant (see {@link tencentBase64Encode}) strictly.
 * Throws `ImAuthError` `ERR_INVALID_INPUT` on invalid input.
 *
 * @example
 * ```ts
 * tencentBase64Decode("*-8_"); // Uint8Array [251, 255]
 * ```
 */
export function tencentBase64Decode(text: string, what = "Tencent base64 input"): Uint8Array<ArrayBuffer> {
  if (/[+/=]/.test(text)) {
    throw new ImAuthError("ERR_INVALID_INPUT", `${what} contains standard base64 characters (+, / or =)`);
  }
  return base64Decode(
    text.replace(/[*\-_]/g, (c) => (c === "*" ? "+" : c === "-" ? "/" : "=")),
    what,
  );
}
