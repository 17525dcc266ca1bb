// The Node flavour of platform.ts, what `#ecdsa-platform` resolves to under the `node` condition (package.json
// `imports`): node:crypto (OpenSSL) with a KeyObject made once per key, synchronous, where Web Crypto on Node
// is a thread-pool job per call, and Buffer's native UTF-8 and base64 around it (bench/README.md has the
// speed-up). Same exports, same outputs, same signature forms and S policy, same accepted signatures as the
// portable flavour. A runtime whose node:crypto lacks a curve (Bun's has no secp256k1) gets the portable code
// for that key.
import { Buffer } from "node:buffer";
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto";
import { zlibStore } from "@imauth/core/adapter";
import { type ParsedLegacyPrivateKey, type ParsedLegacyPublicKey, toPkcs8, toSpki } from "./keys.js";
import * as portable from "./platform.js";
import { parseDerSignature, secp256k1LowS } from "./signature.js";

export type { EcdsaSign, EcdsaVerify } from "./platform.js";

/** Which flavour of the primitives this build carries. */
export const PLATFORM: "portable" | "node" = "node";

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return Buffer.from(text, "utf8");
}

/** Standard base64 (`TLS.sig`, `TLS.userbuf`). */
export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("base64");
}

/** The UserSig wire form of a JSON document: zlib in stored blocks (level 0), then Tencent's base64. */
export function packUserSig(json: string): string {
  // Tencent's alphabet: `+` `/` `=` written as `*` `-` `_`.
  return base64(zlibStore(utf8(json)))
    .replaceAll("+", "*")
    .replaceAll("/", "-")
    .replaceAll("=", "_");
}

/** DER `SEQUENCE { INTEGER 1, INTEGER 1 }`, a signature of nothing: enough to see that verify runs. */
const PROBE_SIGNATURE = new Uint8Array([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]);
const PROBE_DATA = new Uint8Array(0);

/**
 * The signing function of a parsed private key: `crypto.sign` with a cached KeyObject. P-256 signatures are
 * OpenSSL's DER as they come (Web Crypto, the portable flavour's P-256, is the same OpenSSL on Node);
 * secp256k1 ones get a low S, as @noble/curves writes them in the portable flavour.
 */
export function ecdsaSign(parsed: ParsedLegacyPrivateKey, what: string): portable.EcdsaSign {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(toPkcs8(parsed)), format: "der", type: "pkcs8" });
    sign("sha256", PROBE_DATA, key);
  } catch {
    return portable.ecdsaSign(parsed, what);
  }
  const lowS = parsed.curve === "secp256k1";
  return async (data) => {
    const der = sign("sha256", data, key);
    return lowS ? secp256k1LowS(der) : der;
  };
}

/**
 * The verification function of a parsed public key: `crypto.verify` with a cached KeyObject. The DER is first
 * checked by the same strict reader as in the portable flavour, so both accept exactly the same signatures
 * whatever OpenSSL's own DER parser would tolerate. High S is accepted: a secp256k1 signature reaches
 * node:crypto in its low-S form, which verifies exactly when the high-S one does, because Deno's node:crypto
 * (RustCrypto's k256) refuses high S where OpenSSL accepts both.
 */
export function ecdsaVerify(parsed: ParsedLegacyPublicKey, what: string): portable.EcdsaVerify {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(toSpki(parsed)), format: "der", type: "spki" });
    verify("sha256", PROBE_DATA, key, PROBE_SIGNATURE);
  } catch {
    return portable.ecdsaVerify(parsed, what);
  }
  const lowS = parsed.curve === "secp256k1";
  return async (data, signature) => {
    // Only what the strict reader accepts reaches OpenSSL, whose own DER parser is not the one that decides.
    if (!parseDerSignature(signature, 32)) return false;
    try {
      return verify("sha256", data, key, lowS ? secp256k1LowS(signature) : signature);
    } catch {
      // OpenSSL may report an impossible signature (r or s zero or too large) as an error rather than `false`.
      return false;
    }
  };
}
