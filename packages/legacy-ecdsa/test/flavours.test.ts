// The two flavours of `#ecdsa-platform` side by side on the same inputs: the Node one (node:crypto) and the
// portable one (Web Crypto and @noble/curves) must write the same forms and accept exactly the same signatures.
// OpenSSL (node:crypto called directly) and noble's own verify are the referees.

import { createPublicKey, sign as nodeSign, verify as nodeVerify } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { inflateSync } from "node:zlib";
import { isWellFormed } from "@imauth/core/adapter";
import { p256 } from "@noble/curves/nist.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as loaded from "#ecdsa-platform";
import vectors from "../../../vectors/tencent-legacy-ecdsa.json" with { type: "json" };
import { parseLegacyPrivateKey, parseLegacyPublicKey } from "../src/keys.js";
import * as portable from "../src/platform.js";
import * as nodeFlavour from "../src/platform.node.js";
import { decodeLegacyUserSig } from "../src/verify.js";
import { opensslKey } from "./helpers.js";

const flavours = { node: nodeFlavour, portable } as const;
const noble = { "P-256": p256, secp256k1 } as const;
const ORDER = { "P-256": p256.Point.Fn.ORDER, secp256k1: secp256k1.Point.Fn.ORDER } as const;

it("only the Node flavour imports node: modules (Workers and browsers bundle the rest)", () => {
  const root = new URL("../src/", import.meta.url);
  const files = readdirSync(root).filter((f) => f.endsWith(".ts"));
  expect(files).toContain("platform.node.ts");
  const importers = files.filter((f) => /from\s+["']node:/.test(readFileSync(new URL(f, root), "utf8")));
  expect(importers).toEqual(["platform.node.ts"]);
});

it("the test project loads the flavour it is named after", () => {
  expect(loaded.PLATFORM).toBe(process.env.ECDSA_FLAVOUR);
  expect(nodeFlavour.PLATFORM).toBe("node");
  expect(portable.PLATFORM).toBe("portable");
});

/** DER of `SEQUENCE { INTEGER r, INTEGER s }` from bigints, minimal. */
function der(r: bigint, s: bigint): Uint8Array {
  const int = (v: bigint) => {
    let hex = v.toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    if (Number.parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
    return Buffer.concat([Buffer.from([2, hex.length / 2]), Buffer.from(hex, "hex")]);
  };
  const body = Buffer.concat([int(r), int(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

const keys = [
  ...(["P-256", "secp256k1"] as const).map((curve) => {
    const k = opensslKey(curve);
    return { name: `OpenSSL ${curve}`, curve, privateKeyPem: k.pkcs8, publicKeyPem: k.spki };
  }),
  ...vectors.generatedByOfficial
    .filter((v) => v.userId === "admin" || v.name === "p256_pkcs8/xiaojun")
    .map((v) => ({
      name: v.name,
      curve: parseLegacyPublicKey(v.publicKeyPem).curve,
      privateKeyPem: v.privateKeyPem,
      publicKeyPem: v.publicKeyPem,
    })),
];

describe.each(keys)("$name", ({ curve, privateKeyPem, publicKeyPem }) => {
  const priv = parseLegacyPrivateKey(privateKeyPem);
  const pub = parseLegacyPublicKey(publicKeyPem);
  const openssl = createPublicKey(publicKeyPem);
  const sign = { node: nodeFlavour.ecdsaSign(priv, "k"), portable: portable.ecdsaSign(priv, "k") };
  const verify = { node: nodeFlavour.ecdsaVerify(pub, "k"), portable: portable.ecdsaVerify(pub, "k") };

  it("each flavour's signatures are strict DER and verify under both flavours, OpenSSL and noble", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (data) => {
        for (const name of ["node", "portable"] as const) {
          const sig = await sign[name](data);
          const parsed = noble[curve].Signature.fromBytes(sig, "der");
          expect(parsed.toBytes("der")).toEqual(new Uint8Array(sig));
          // secp256k1 signatures have a low S whichever flavour made them (noble's form).
          if (curve === "secp256k1") expect(parsed.hasHighS()).toBe(false);
          expect(await verify.node(data, sig)).toBe(true);
          expect(await verify.portable(data, sig)).toBe(true);
          expect(nodeVerify("sha256", data, openssl, sig)).toBe(true);
          expect(noble[curve].verify(sig, data, pub.publicPoint, { format: "der", lowS: false })).toBe(true);
        }
      }),
      { numRuns: curve === "secp256k1" ? 15 : 40 },
    );
  });

  it("both flavours accept and refuse the same signatures: OpenSSL's, their high-S twins, edge values", async () => {
    const n = ORDER[curve];
    const data = Buffer.from("TLS.identifier:alice\n");
    const good = nodeSign("sha256", data, { key: privateKeyPem, dsaEncoding: "der" });
    const { r, s } = noble[curve].Signature.fromBytes(good, "der");
    const cases: Array<[Uint8Array, boolean]> = [
      [good, true],
      [der(r, n - s), true], // the other S: OpenSSL never normalised S, so both verify
      [der(r, 0n), false],
      [der(0n, s), false],
      [der(r, n), false],
      [der(r + n, s), false],
      [der(r, s + n), false],
      [Buffer.concat([good, Buffer.from([0])]), false],
      [good.subarray(0, good.length - 1), false],
      [new Uint8Array(0), false],
    ];
    for (const [sig, expected] of cases) {
      expect(await verify.node(data, sig)).toBe(expected);
      expect(await verify.portable(data, sig)).toBe(expected);
    }
  });

  it("random and tampered signatures get the same answer from both flavours", async () => {
    const data = Buffer.from("TLS.identifier:alice\n");
    const good = nodeSign("sha256", data, { key: privateKeyPem, dsaEncoding: "der" });
    const tampered = fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
      const copy = Uint8Array.from(good);
      copy[i] = copy[i]! ^ x;
      return copy;
    });
    await fc.assert(
      fc.asyncProperty(fc.oneof(tampered, fc.uint8Array({ maxLength: 80 })), async (sig) => {
        const answer = await verify.node(data, sig);
        expect(await verify.portable(data, sig)).toBe(answer);
        expect(answer).toBe(false);
      }),
      { numRuns: curve === "secp256k1" ? 60 : 150 },
    );
  });
});

describe.each(Object.entries(flavours))("%s flavour", (_, flavour) => {
  it("verifies the historic official signatures and the official UserSigs' signatures", async () => {
    const all = [...vectors.historic, ...vectors.generatedByOfficial];
    for (const v of all) {
      const key = parseLegacyPublicKey(v.publicKeyPem);
      const decoded = decodeLegacyUserSig(v.userSig);
      const verify = flavour.ecdsaVerify(key, "publicKey");
      const data = Buffer.from(decoded.signedText);
      expect(await verify(data, decoded.signature), v.name).toBe(true);
      expect(await verify(Buffer.concat([data, Buffer.from("x")]), decoded.signature), v.name).toBe(false);
    }
  });
});

it("both flavours encode UTF-8, base64 and the UserSig wrapping identically, as node:zlib reads it", () => {
  fc.assert(
    fc.property(
      fc.string({ unit: "binary", maxLength: 600 }),
      fc.uint8Array({ maxLength: 100 }),
      (text, b) => {
        // Documents are well-formed (the fields are checked); a lone surrogate has no UTF-8 form.
        fc.pre(isWellFormed(text));
        expect(new Uint8Array(nodeFlavour.utf8(text))).toEqual(portable.utf8(text));
        expect(nodeFlavour.base64(b)).toBe(portable.base64(b));
        expect(nodeFlavour.base64(b)).toBe(Buffer.from(b).toString("base64"));
        const packed = nodeFlavour.packUserSig(text);
        expect(packed).toBe(portable.packUserSig(text));
        const zlib = Buffer.from(packed.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "="), "base64");
        expect(inflateSync(zlib).toString("utf8")).toBe(text);
        // Stored blocks: the zlib header 78 01, then a block header with BTYPE 00.
        expect([zlib[0], zlib[1], zlib[2]! & 6]).toEqual([0x78, 0x01, 0]);
      },
    ),
    { numRuns: 300 },
  );
});

it("a byte view into a larger buffer is encoded from its own range only", () => {
  const big = Uint8Array.from({ length: 64 }, (_, i) => i);
  const part = big.subarray(10, 20);
  expect(nodeFlavour.base64(part)).toBe(Buffer.from(part).toString("base64"));
  expect(portable.base64(part)).toBe(Buffer.from(part).toString("base64"));
});
