// The two primitives genUserSig spends its time in, portable flavour (no `node:` APIs): what Bun, Deno,
// Workers and browsers load. `platform.node.ts` is the Node flavour; package.json `imports` maps `#platform` to
// one or the other (the `node` condition picks platform.node.ts), and both pass the same tests.
import {
  base64EncodeWith,
  STANDARD_BASE64,
  TENCENT_BASE64,
  utf8Encode,
  zlibStore,
} from "@imauth/core/adapter";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";

/** Which flavour of the primitives this build carries. */
export const PLATFORM = "portable";

// @noble/hashes is synchronous, and much faster than an awaited Web Crypto HMAC on inputs this small
// (bench/README.md).
/** HMAC-SHA256 keyed with the key string's UTF-8 bytes. */
export function hmacSha256(key: string, message: string): Uint8Array {
  return hmac(sha256, utf8Encode(key), utf8Encode(message));
}

/** Standard base64 of HMAC-SHA256, as `TLS.sig` carries it. */
export function hmacSha256Base64(key: string, message: string): string {
  return base64EncodeWith(hmacSha256(key, message), STANDARD_BASE64);
}

/** The UserSig wire form of a JSON document: zlib (stored blocks) then Tencent's base64. */
export function encodeUserSigDocument(json: string): string {
  return base64EncodeWith(zlibStore(utf8Encode(json)), TENCENT_BASE64);
}
