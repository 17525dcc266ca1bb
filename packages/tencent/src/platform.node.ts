// The Node flavour of platform.ts, what `#platform` resolves to under the `node` condition (package.json
// `imports`): node:crypto's HMAC and Buffer's native base64 (bench/README.md has the speed-up over the portable
// flavour). Same exports, same outputs.
import { Buffer } from "node:buffer";
import { createHmac } from "node:crypto";
import { ImAuthError } from "@imauth/core";
import { adler32 } from "@imauth/core/adapter";

/** Which flavour of the primitives this build carries. */
export const PLATFORM = "node";

/** HMAC-SHA256 keyed with the key string's UTF-8 bytes. */
export function hmacSha256(key: string, message: string): Uint8Array {
  return createHmac("sha256", key).update(message, "utf8").digest();
}

/** Standard base64 of HMAC-SHA256, as `TLS.sig` carries it. */
export function hmacSha256Base64(key: string, message: string): string {
  return createHmac("sha256", key).update(message, "utf8").digest("base64");
}

/** The UserSig wire form of a JSON document: zlib (stored blocks) then Tencent's base64. */
export function encodeUserSigDocument(json: string): string {
  const n = Buffer.byteLength(json, "utf8");
  // A UserSig document is a few hundred bytes, far below one stored block's 65,535.
  if (n > 65535) throw new ImAuthError("ERR_INVALID_INPUT", "UserSig document is too large");
  const out = Buffer.allocUnsafe(n + 11);
  out[0] = 0x78;
  out[1] = 0x01;
  out[2] = 1;
  out[3] = n & 255;
  out[4] = n >>> 8;
  out[5] = ~n & 255;
  out[6] = (~n >>> 8) & 255;
  out.write(json, 7, "utf8");
  out.writeUInt32BE(adler32(out, 7, n + 7), n + 7);
  return out.toString("base64").replace(/[+/=]/g, (c) => (c === "+" ? "*" : c === "/" ? "-" : "_"));
}
