import { ImAuthError } from "../errors.js";

/**
 * A base64 alphabet: 64 distinct ASCII characters for the values 0 to 63, and a padding character.
 * {@link STANDARD_BASE64} and {@link TENCENT_BASE64} are the two imauth needs; make one with
 * {@link base64Alphabet}.
 */
export interface Base64Alphabet {
  /** The 64 characters, value 0 first. */
  readonly chars: string;
  /** The padding character. */
  readonly pad: string;
  /** Character code to value (-1: not in the alphabet), for decoding. */
  readonly decode: Int16Array;
}

/**
 * Builds a {@link Base64Alphabet} from its 64 characters and its padding character.
 *
 * @example
 * ```ts
 * const URL_SAFE = base64Alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", "=");
 * ```
 */
export function base64Alphabet(chars: string, pad: string): Base64Alphabet {
  const decode = new Int16Array(128).fill(-1);
  for (let i = 0; i < chars.length; i++) decode[chars.charCodeAt(i)] = i;
  if (
    chars.length !== 64 ||
    /[^\u0021-\u007e]/.test(chars + pad) ||
    decode.filter((v) => v >= 0).length !== 64
  ) {
    throw new ImAuthError(
      "ERR_INVALID_CONFIG",
      "a base64 alphabet must be 64 distinct printable ASCII characters",
    );
  }
  if (pad.length !== 1 || decode[pad.charCodeAt(0)] !== -1) {
    throw new ImAuthError(
      "ERR_INVALID_CONFIG",
      "a base64 padding character must be one character outside the alphabet",
    );
  }
  return { chars, pad, decode };
}

/** Standard base64 (RFC 4648 section 4): `A-Z a-z 0-9 + /`, padded with `=`. */
export const STANDARD_BASE64: Base64Alphabet = /* @__PURE__ */ base64Alphabet(
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
  "=",
);

/**
 * Tencent's base64 variant, used by UserSigs and NetEase's NERTC permission key: standard base64 with
 * `+` -> `*`, `/` -> `-`, `=` -> `_` (padding kept). This is not RFC 4648 base64url.
 */
export const TENCENT_BASE64: Base64Alphabet = /* @__PURE__ */ base64Alphabet(
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-",
  "_",
);

/**
 * Encodes bytes as base64 in the given alphabet, padded, in one pass (no second pass to swap characters).
 *
 * @example
 * ```ts
 * base64EncodeWith(new Uint8Array([251, 255]), TENCENT_BASE64); // "*-8_"
 * ```
 */
export function base64EncodeWith(bytes: Uint8Array, alphabet: Base64Alphabet): string {
  const { chars, pad } = alphabet;
  let out = "";
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += chars[v >> 18]! + chars[(v >> 12) & 63]! + chars[(v >> 6) & 63]! + chars[v & 63]!;
  }
  if (i < n) {
    const v = (bytes[i]! << 16) | ((i + 1 < n ? bytes[i + 1]! : 0) << 8);
    out += chars[v >> 18]! + chars[(v >> 12) & 63]!;
    out += i + 1 < n ? chars[(v >> 6) & 63]! + pad : pad + pad;
  }
  return out;
}

/**
 * Decodes base64 in the given alphabet strictly: only the alphabet's characters, correct padding (padding may
 * be omitted), zero trailing bits. Throws `ImAuthError` `ERR_INVALID_INPUT` on anything else; `what` names the
 * value in the message.
 *
 * @example
 * ```ts
 * base64DecodeWith("*-8_", TENCENT_BASE64); // Uint8Array [251, 255]
 * ```
 */
export function base64DecodeWith(
  text: string,
  alphabet: Base64Alphabet,
  what = "base64 input",
): Uint8Array<ArrayBuffer> {
  const pad = alphabet.pad.charCodeAt(0);
  let end = text.length;
  if (end % 4 === 0 && end > 0) {
    if (text.charCodeAt(end - 1) === pad) end--;
    if (text.charCodeAt(end - 1) === pad) end--;
  }
  const rem = end % 4;
  if (rem === 1 || (text.length !== end && text.length % 4 !== 0)) {
    throw new ImAuthError("ERR_INVALID_INPUT", `${what} is not valid base64 (bad length or padding)`);
  }
  const table = alphabet.decode;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? table[c]! : -1;
    if (v < 0) throw new ImAuthError("ERR_INVALID_INPUT", `${what} is not valid base64 (character ${i})`);
    acc = ((acc << 6) | v) & 0xffffff;
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
 * Encodes bytes as standard base64 (RFC 4648 section 4, with padding).
 *
 * @example
 * ```ts
 * base64Encode(new Uint8Array([104, 105])); // "aGk="
 * ```
 */
export function base64Encode(bytes: Uint8Array): string {
  return base64EncodeWith(bytes, STANDARD_BASE64);
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
  return base64DecodeWith(text, STANDARD_BASE64, what);
}

/**
 * Encodes bytes in Tencent's base64 variant ({@link TENCENT_BASE64}): standard base64 with `+` -> `*`,
 * `/` -> `-`, `=` -> `_` (padding kept). Used by UserSigs and NetEase's NERTC permission key.
 *
 * @example
 * ```ts
 * tencentBase64Encode(new Uint8Array([251, 255])); // "*-8_"
 * ```
 */
export function tencentBase64Encode(bytes: Uint8Array): string {
  return base64EncodeWith(bytes, TENCENT_BASE64);
}

/**
 * Decodes Tencent's base64 variant (see {@link tencentBase64Encode}) strictly; standard base64 characters
 * (`+`, `/`, `=`) are refused. Throws `ImAuthError` `ERR_INVALID_INPUT` on invalid input.
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
  return base64DecodeWith(text, TENCENT_BASE64, what);
}
