import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { deflateSync, inflateSync } from "node:zlib";

/** A fresh key pair made by OpenSSL (node:crypto), in every PEM form the package reads. */
export interface TestKey {
  curve: "secp256k1" | "P-256";
  sec1: string;
  pkcs8: string;
  spki: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function opensslKey(curve: "secp256k1" | "P-256"): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync("ec", {
    namedCurve: curve === "P-256" ? "prime256v1" : "secp256k1",
  });
  return {
    curve,
    sec1: privateKey.export({ type: "sec1", format: "pem" }) as string,
    pkcs8: privateKey.export({ type: "pkcs8", format: "pem" }) as string,
    spki: publicKey.export({ type: "spki", format: "pem" }) as string,
    privateKey,
    publicKey,
  };
}

/** Decodes a UserSig with node:zlib and Buffer, independently of the package's decoder. */
export function inflateUserSig(userSig: string): Record<string, string> {
  const b64 = userSig.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "=");
  return JSON.parse(inflateSync(Buffer.from(b64, "base64")).toString("utf8"));
}

/** Encodes a JSON text as a UserSig with node:zlib and Buffer, as the official v1 Node library does. */
export function deflateUserSig(json: string | Uint8Array): string {
  return deflateSync(typeof json === "string" ? Buffer.from(json) : json)
    .toString("base64")
    .replace(/\+/g, "*")
    .replace(/\//g, "-")
    .replace(/=/g, "_");
}

/** The base64 lines of a PEM text: the key material that must never appear in a message. */
export function pemSecrets(pem: string): string[] {
  return pem.split(/\r?\n/).filter((line) => line.length >= 16 && !line.startsWith("-----"));
}

export const fixedSeconds = (seconds: number) => () => seconds * 1000;
