const encoder = /* @__PURE__ */ new TextEncoder();
const decoder = /* @__PURE__ */ new TextDecoder("utf-8", { fatal: true });
const lenientDecoder = /* @__PURE__ */ new TextDecoder("utf-8");

/**
 * Encodes a string as UTF-8 bytes.
 *
 * @example
 * ```ts
 * utf8Encode("好"); // Uint8Array [229, 165, 189]
 * ```
 */
export function utf8Encode(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

/**
 * Decodes UTF-8 bytes. With `strict` (the default) invalid UTF-8 throws a `TypeError`; without it, invalid
 * sequences become U+FFFD.
 *
 * @example
 * ```ts
 * utf8Decode(new Uint8Array([229, 165, 189])); // "好"
 * ```
 */
export function utf8Decode(bytes: Uint8Array, strict = true): string {
  return (strict ? decoder : lenientDecoder).decode(bytes);
}
