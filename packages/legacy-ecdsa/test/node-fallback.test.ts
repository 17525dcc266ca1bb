// The Node flavour on a runtime whose node:crypto lacks a curve (Bun's BoringSSL has no secp256k1, and says so
// when the key is made): that key gets the portable code, with the same results.
import { verify as nodeVerify } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { parseLegacyPrivateKey, parseLegacyPublicKey } from "../src/keys.js";
import * as portable from "../src/platform.js";
import * as nodeFlavour from "../src/platform.node.js";
import { opensslKey } from "./helpers.js";

// A node:crypto that refuses secp256k1 keys the way BoringSSL does, and counts the keys it made.
const made = vi.hoisted(() => ({ private: 0, public: 0 }));
vi.mock("node:crypto", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:crypto")>();
  const refuse = (der: unknown) => {
    // The secp256k1 OID 1.3.132.0.10 as DER: 06 05 2b 81 04 00 0a.
    if (Buffer.from(der as Uint8Array).includes(Buffer.from([6, 5, 0x2b, 0x81, 4, 0, 10]))) {
      throw new Error("error:0f00007b:elliptic curve routines:OPENSSL_internal:UNKNOWN_GROUP");
    }
  };
  return {
    ...real,
    createPrivateKey: (options: { key: unknown }) => {
      refuse(options.key);
      made.private++;
      return real.createPrivateKey(options as never);
    },
    createPublicKey: (options: { key: unknown }) => {
      refuse(options.key);
      made.public++;
      return real.createPublicKey(options as never);
    },
  };
});

describe("the Node flavour without node:crypto support for a curve", () => {
  it("signs and verifies secp256k1 with the portable code: deterministic signatures equal to its own", async () => {
    const k = opensslKey("secp256k1");
    const before = { ...made };
    const sign = nodeFlavour.ecdsaSign(parseLegacyPrivateKey(k.sec1), "privateKey");
    const verify = nodeFlavour.ecdsaVerify(parseLegacyPublicKey(k.spki), "publicKey");
    expect(made).toEqual(before);
    const data = new TextEncoder().encode("TLS.identifier:alice\n");
    const sig = await sign(data);
    // RFC 6979 nonces: the portable code makes the very same signature, node:crypto never would.
    expect(sig).toEqual(await portable.ecdsaSign(parseLegacyPrivateKey(k.sec1), "privateKey")(data));
    expect(nodeVerify("sha256", data, k.publicKey, sig)).toBe(true);
    expect(await verify(data, sig)).toBe(true);
    expect(await verify(new TextEncoder().encode("TLS.identifier:bob\n"), sig)).toBe(false);
  });

  it("still uses node:crypto for P-256", async () => {
    const k = opensslKey("P-256");
    const before = { ...made };
    const sign = nodeFlavour.ecdsaSign(parseLegacyPrivateKey(k.pkcs8), "privateKey");
    const verify = nodeFlavour.ecdsaVerify(parseLegacyPublicKey(k.spki), "publicKey");
    expect(made).toEqual({ private: before.private + 1, public: before.public + 1 });
    const data = new TextEncoder().encode("TLS.identifier:alice\n");
    const sig = await sign(data);
    expect(nodeVerify("sha256", data, k.publicKey, sig)).toBe(true);
    expect(await verify(data, sig)).toBe(true);
  });
});
