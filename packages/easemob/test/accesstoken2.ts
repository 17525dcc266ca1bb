import { createHmac } from "node:crypto";
import { inflateSync } from "node:zlib";
import { base64Decode, utf8Decode } from "@imauth/core/adapter";
import { expect } from "vitest";

// Test-only: enough of Agora's AccessToken2 to check a Chat user token independently of any generator.

/** A minimal reader of an Agora AccessToken2 (test-only): version, zlib-inflated content, fields. */
export function readAccessToken2(token: string) {
  expect(token.slice(0, 3)).toBe("007");
  // Inflated with node:zlib, independently of the package and of core.
  const content = new Uint8Array(inflateSync(base64Decode(token.slice(3))));
  const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
  let at = 0;
  const u16 = () => {
    at += 2;
    return view.getUint16(at - 2, true);
  };
  const u32 = () => {
    at += 4;
    return view.getUint32(at - 4, true);
  };
  const bytes = () => {
    const n = u16();
    at += n;
    return content.subarray(at - n, at);
  };
  const signature = bytes();
  const signedStart = at;
  const appId = utf8Decode(bytes());
  const issueTs = u32();
  const expire = u32();
  const salt = u32();
  const services = [];
  for (let n = u16(); n > 0; n--) {
    const type = u16();
    const privileges: Record<number, number> = {};
    for (let p = u16(); p > 0; p--) privileges[u16()] = u32();
    services.push({ type, privileges, userId: utf8Decode(bytes()) });
  }
  expect(at).toBe(content.length);
  return {
    content,
    signature,
    signed: content.subarray(signedStart),
    appId,
    issueTs,
    expire,
    salt,
    services,
  };
}

export function hmac(key: Uint8Array | string, data: Uint8Array | string): Uint8Array {
  return createHmac("sha256", key).update(data).digest();
}

export function le32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}
