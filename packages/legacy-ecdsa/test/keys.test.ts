import { generateKeyPairSync } from "node:crypto";
import { isImAuthError } from "@imauth/core";
import { describe, expect, it } from "vitest";
import { importLegacyPrivateKey, importLegacyPublicKey } from "../src/index.js";
import { opensslKey, pemSecrets } from "./helpers.js";

function expectConfigError(fn: () => unknown, message: RegExp, secrets: string[] = []): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(isImAuthError(error, "ERR_INVALID_CONFIG"), String(error)).toBe(true);
  const text = (error as Error).message;
  expect(text).toMatch(message);
  for (const s of secrets) expect(text).not.toContain(s);
  // Nor any long base64 run, whatever the key.
  expect(text).not.toMatch(/[A-Za-z0-9+/]{24,}/);
}

describe("private keys", () => {
  for (const curve of ["secp256k1", "P-256"] as const) {
    it(`${curve}: SEC1 and PKCS#8 from OpenSSL give the same key and public key`, () => {
      const k = opensslKey(curve);
      const a = importLegacyPrivateKey(k.sec1);
      const b = importLegacyPrivateKey(k.pkcs8);
      expect([a.curve, a.form, b.curve, b.form]).toEqual([curve, "sec1", curve, "pkcs8"]);
      // The derived public key equals OpenSSL's, byte for byte in SPKI DER.
      expect(a.publicKeyPem.replace(/\s/g, "")).toBe(k.spki.replace(/\s/g, ""));
      expect(b.publicKeyPem).toBe(a.publicKeyPem);
      expect(importLegacyPublicKey(k.spki).curve).toBe(curve);
    });

    it(`${curve}: tolerates CRLF line ends, text around the block and an EC PARAMETERS block`, () => {
      const k = opensslKey(curve);
      const params = curve === "P-256" ? "BggqhkjOPQMBBw==" : "BgUrgQQACg==";
      const crlf = `Bag Attributes: none\r\n-----BEGIN EC PARAMETERS-----\r\n${params}\r\n-----END EC PARAMETERS-----\r\n${k.sec1.replace(/\n/g, "\r\n")}trailing text\r\n`;
      expect(importLegacyPrivateKey(crlf).publicKeyPem).toBe(importLegacyPrivateKey(k.pkcs8).publicKeyPem);
    });

    it(`${curve}: accepts a compressed public point`, () => {
      const k = opensslKey(curve);
      const der = k.publicKey.export({ type: "spki", format: "der" });
      // Rebuild SPKI with the compressed point: same algorithm header, 33-byte BIT STRING.
      const point = der.subarray(der.length - 65);
      const compressed = Buffer.concat([Buffer.from([2 + (point[64]! & 1)]), point.subarray(1, 33)]);
      const header = der.subarray(2, der.length - 68); // the AlgorithmIdentifier SEQUENCE
      const bit = Buffer.concat([Buffer.from([0x03, 34, 0]), compressed]);
      const spki = Buffer.concat([Buffer.from([0x30, header.length + bit.length]), header, bit]);
      const pem = `-----BEGIN PUBLIC KEY-----\n${spki.toString("base64")}\n-----END PUBLIC KEY-----\n`;
      expect(importLegacyPublicKey(pem).curve).toBe(curve);
    });
  }

  it("refuses RSA, Ed25519, X25519 and other curves, naming what they are", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const ed = generateKeyPairSync("ed25519");
    const x = generateKeyPairSync("x25519");
    const p384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" });
    const cases: Array<[string, RegExp]> = [
      [rsa.privateKey.export({ type: "pkcs8", format: "pem" }) as string, /RSA/],
      [rsa.privateKey.export({ type: "pkcs1", format: "pem" }) as string, /RSA/],
      [ed.privateKey.export({ type: "pkcs8", format: "pem" }) as string, /Ed25519/],
      [x.privateKey.export({ type: "pkcs8", format: "pem" }) as string, /X25519/],
      [p384.privateKey.export({ type: "pkcs8", format: "pem" }) as string, /unsupported curve .*P-384/],
      [p384.privateKey.export({ type: "sec1", format: "pem" }) as string, /unsupported curve .*P-384/],
    ];
    for (const [pem, message] of cases)
      expectConfigError(() => importLegacyPrivateKey(pem), message, pemSecrets(pem));
    const publics: Array<[string, RegExp]> = [
      [rsa.publicKey.export({ type: "spki", format: "pem" }) as string, /RSA/],
      [ed.publicKey.export({ type: "spki", format: "pem" }) as string, /Ed25519/],
      [p384.publicKey.export({ type: "spki", format: "pem" }) as string, /P-384/],
    ];
    for (const [pem, message] of publics) expectConfigError(() => importLegacyPublicKey(pem), message);
  });

  it("refuses a public key given as private and a private key given as public", () => {
    const k = opensslKey("P-256");
    expectConfigError(() => importLegacyPrivateKey(k.spki), /public key/);
    expectConfigError(() => importLegacyPublicKey(k.pkcs8), /private key/, pemSecrets(k.pkcs8));
    expectConfigError(() => importLegacyPublicKey(k.sec1), /private key/, pemSecrets(k.sec1));
  });

  it("refuses broken PEM, broken base64, broken DER, encrypted keys and non-strings", () => {
    const k = opensslKey("secp256k1");
    const lines = k.sec1.trim().split("\n");
    const body = lines.slice(1, -1).join("\n");
    const secrets = pemSecrets(k.sec1);
    const encrypted = k.privateKey.export({
      type: "pkcs8",
      format: "pem",
      cipher: "aes-128-cbc",
      passphrase: "pw",
    }) as string;
    const legacyEncrypted = k.privateKey.export({
      type: "sec1",
      format: "pem",
      cipher: "aes-128-cbc",
      passphrase: "pw",
    }) as string;
    const cases: Array<[unknown, RegExp]> = [
      ["", /must not be empty/],
      ["   \n", /must not be empty/],
      [body, /not PEM \(no -----BEGIN/],
      [lines.slice(0, -1).join("\n"), /not PEM \(a broken PEM block\)/],
      [k.sec1.replace("-----END EC PRIVATE KEY-----", "-----END PRIVATE KEY-----"), /different END line/],
      [k.sec1.replace(body.slice(10, 12), "!!"), /not valid base64/],
      [
        `-----BEGIN EC PRIVATE KEY-----\n${body.slice(0, 40)}\n-----END EC PRIVATE KEY-----`,
        /not a valid sec1/,
      ],
      [`-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----`, /not a valid pkcs8|EC key|version/],
      [encrypted, /encrypted/],
      [legacyEncrypted, /encrypted/],
      ["-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", /certificate/],
      [`${k.sec1}${k.pkcs8}`, /more than one private key/],
      ["-----BEGIN EC PARAMETERS-----\nBgUrgQQACg==\n-----END EC PARAMETERS-----\n", /only EC PARAMETERS/],
      [Buffer.from(k.sec1), /PEM string/],
      [undefined, /PEM string/],
      [null, /PEM string/],
      [42, /PEM string/],
      ["x".repeat(20_000), /longer than/],
    ];
    for (const [pem, message] of cases)
      expectConfigError(() => importLegacyPrivateKey(pem as string), message, secrets);
  });

  it("refuses a scalar outside the curve and an embedded public key of another key", () => {
    const k = opensslKey("secp256k1");
    const der = k.privateKey.export({ type: "sec1", format: "der" });
    // SEC1: 30 74 02 01 01 04 20 <32-byte scalar> ...; set the scalar to n (the group order) and to zero.
    const n = Buffer.from("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", "hex");
    for (const scalar of [n, Buffer.alloc(32)]) {
      const bad = Buffer.from(der);
      scalar.copy(bad, 7);
      const pem = `-----BEGIN EC PRIVATE KEY-----\n${bad.toString("base64")}\n-----END EC PRIVATE KEY-----\n`;
      expectConfigError(() => importLegacyPrivateKey(pem), /outside the range|does not belong/);
    }
    const other = opensslKey("secp256k1").privateKey.export({ type: "sec1", format: "der" });
    const mixed = Buffer.from(der);
    other.copy(mixed, der.length - 65, other.length - 65); // another key's public point
    const pem = `-----BEGIN EC PRIVATE KEY-----\n${mixed.toString("base64")}\n-----END EC PRIVATE KEY-----\n`;
    expectConfigError(() => importLegacyPrivateKey(pem), /does not belong/, pemSecrets(pem));
  });

  it("refuses a point that is not on the curve", () => {
    const k = opensslKey("P-256");
    const der = Buffer.from(k.publicKey.export({ type: "spki", format: "der" }));
    der[der.length - 1]! ^= 1;
    const pem = `-----BEGIN PUBLIC KEY-----\n${der.toString("base64")}\n-----END PUBLIC KEY-----\n`;
    expectConfigError(() => importLegacyPublicKey(pem), /not a point on P-256/);
  });

  it("refuses trailing bytes and non-minimal lengths in DER", () => {
    const k = opensslKey("P-256");
    const der = Buffer.from(k.privateKey.export({ type: "pkcs8", format: "der" }));
    const trailing = Buffer.concat([der, Buffer.from([0])]);
    const longForm = Buffer.concat([Buffer.from([0x30, 0x81, der[1]!]), der.subarray(2)]);
    for (const bad of [trailing, longForm]) {
      const pem = `-----BEGIN PRIVATE KEY-----\n${bad.toString("base64")}\n-----END PRIVATE KEY-----\n`;
      expectConfigError(
        () => importLegacyPrivateKey(pem),
        /not a valid pkcs8 EC private key/,
        pemSecrets(pem),
      );
    }
  });

  it("does not show the key through JSON, String or inspect", async () => {
    const k = opensslKey("secp256k1");
    const key = importLegacyPrivateKey(k.pkcs8);
    const { inspect } = await import("node:util");
    for (const text of [JSON.stringify(key), String(key), inspect(key)]) {
      for (const s of pemSecrets(k.pkcs8)) expect(text).not.toContain(s);
    }
  });
});
