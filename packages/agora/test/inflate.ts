import { base64Decode, hexEncode, zlibDecompress } from "@imauth/core/adapter";

/** The inflated content of a "007" token, as hex: tokens compare after inflating. */
export function contentHex(token: string): string {
  return hexEncode(zlibDecompress(base64Decode(token.slice(3)), { maxBytes: 65_536 }));
}
