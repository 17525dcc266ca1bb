import { sign as nodeSign, verify as nodeVerify } from "node:crypto";
import { isImAuthError } from "@imauth/core";
import { p256 } from "@noble/curves/nist.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeLegacyUserSig,
  genLegacyUserSig,
  importLegacyPublicKey,
  verifyLegacyUserSig,
} from "../src/index.js";
import { inflateUserSig, opensslKey } from "./helpers.js";

const curves = ["secp256k1", "P-256"] as const;
const keys = Object.fromEntries(curves.map((c) => [c, [opensslKey(c), opensslKey(c)]])) as Record<
  (typeof curves)[number],
  ReturnType<typeof opensslKey>[]
>;

// Tencent user IDs: 1 to 32 UTF-8 bytes, no control characters.
const userId = fc.string({ unit: "grapheme", minLength: 1, maxLength: 10 }).filter(
  // biome-ignore lint/suspicious/noControlCharactersInRegex: user IDs must not hold control characters
  (s) => new TextEncoder().encode(s).length <= 32 && !/[\u0000-\u001f\u007f]/.test(s),
);
const input = fc.record({
  sdkAppId: fc.integer({ min: 1, max: 0xffff_ffff }),
  userId,
  expireSeconds: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  nowSeconds: fc.integer({ min: 0, max: 4_000_000_000 }),
  userBuf: fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined }),
  pkcs8: fc.boolean(),
});

describe.each(curves)("%s", (curve) => {
  const [key, otherKey] = keys[curve] as [ReturnType<typeof opensslKey>, ReturnType<typeof opensslKey>];

  it("gen -> verify round trips, and OpenSSL verifies the signature", async () => {
    await fc.assert(
      fc.asyncProperty(input, async (i) => {
        const userSig = await genLegacyUserSig({
          sdkAppId: i.sdkAppId,
          privateKey: i.pkcs8 ? key.pkcs8 : key.sec1,
          userId: i.userId,
          expireSeconds: i.expireSeconds,
          userBuf: i.userBuf,
          clock: () => i.nowSeconds * 1000,
        });
        const decoded = await verifyLegacyUserSig(userSig, {
          sdkAppId: i.sdkAppId,
          publicKey: key.spki,
          userId: i.userId,
          userBuf: i.userBuf ?? null,
          clock: () => (i.nowSeconds + i.expireSeconds) * 1000,
        });
        expect(decoded.userId).toBe(i.userId);
        expect(decoded.issuedAtSeconds).toBe(i.nowSeconds);
        const doc = inflateUserSig(userSig);
        const text =
          `TLS.appid_at_3rd:0\nTLS.account_type:0\nTLS.identifier:${i.userId}\nTLS.sdk_appid:${i.sdkAppId}\n` +
          `TLS.time:${i.nowSeconds}\nTLS.expire_after:${i.expireSeconds}\n` +
          (i.userBuf ? `TLS.userbuf:${Buffer.from(i.userBuf).toString("base64")}\n` : "");
        expect(
          nodeVerify("sha256", Buffer.from(text), key.publicKey, Buffer.from(doc["TLS.sig"]!, "base64")),
        ).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it("a changed character or the wrong key is rejected with a typed error", async () => {
    const userSig = await genLegacyUserSig({
      sdkAppId: 1400000000,
      privateKey: key.sec1,
      userId: "alice",
      userBuf: "room-1",
      clock: () => 1_700_000_000_000,
    });
    const options = { sdkAppId: 1400000000, clock: () => 1_700_000_000_000 };
    await expect(
      verifyLegacyUserSig(userSig, { ...options, publicKey: otherKey.spki }),
    ).rejects.toMatchObject({
      code: "ERR_SIGNATURE_INVALID",
    });
    const reference = decodeLegacyUserSig(userSig);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-_";
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: userSig.length - 1 }), fc.constantFrom(...alphabet), async (at, c) => {
        fc.pre(userSig[at] !== c);
        const changed = userSig.slice(0, at) + c + userSig.slice(at + 1);
        try {
          await verifyLegacyUserSig(changed, { ...options, publicKey: key.spki });
        } catch (error) {
          expect(isImAuthError(error), String(error)).toBe(true);
          expect([
            "ERR_MALFORMED_CREDENTIAL",
            "ERR_SIGNATURE_INVALID",
            "ERR_APP_MISMATCH",
            "ERR_USERBUF_MISMATCH",
          ]).toContain((error as { code: string }).code);
          return;
        }
        // Accepted only when the change hit deflate bits that do not change the output (padding, or an
        // unused entry of a Huffman code-length table that fflate does not validate and zlib does): what was
        // signed is then the very same, so nothing forged gets through.
        accepted++;
        const a = decodeLegacyUserSig(changed);
        expect(a.signedText).toBe(reference.signedText);
        expect(a.signature).toEqual(reference.signature);
        expect(a.version).toBe(reference.version);
      }),
      { numRuns: 300 },
    );
    expect(accepted).toBeLessThan(30);
  });

  it("verification agrees with OpenSSL and noble on OpenSSL signatures, high S included", async () => {
    const verifier = importLegacyPublicKey(key.spki);
    const noble = curve === "P-256" ? p256 : secp256k1;
    const point = key.publicKey.export({ format: "jwk" });
    const pub = Buffer.concat([
      Buffer.from([4]),
      Buffer.from(point.x!, "base64url"),
      Buffer.from(point.y!, "base64url"),
    ]);
    let highS = 0;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.boolean(), async (message, tamper) => {
        const sig = nodeSign("sha256", message, key.privateKey);
        const s = noble.Signature.fromBytes(sig, "der");
        if (s.hasHighS()) highS++;
        const data = tamper ? Buffer.concat([message, Buffer.from([1])]) : message;
        const ours = await verifier.verify(data, sig);
        expect(ours).toBe(nodeVerify("sha256", data, key.publicKey, sig));
        expect(ours).toBe(noble.verify(sig, data, pub, { format: "der", lowS: false }));
        expect(ours).toBe(!tamper);
      }),
      { numRuns: 60 },
    );
    expect(highS).toBeGreaterThan(0);
  });

  it("DER signatures that are not canonical are refused, as OpenSSL refuses them", async () => {
    const verifier = importLegacyPublicKey(key.spki);
    const message = Buffer.from("TLS.identifier:alice\n");
    const sig = nodeSign("sha256", message, key.privateKey);
    // A leading zero added to r (non-minimal INTEGER) and a trailing byte after the SEQUENCE.
    const rLen = sig[3]!;
    const padded = Buffer.concat([Buffer.from([0x30, sig[1]! + 1, 0x02, rLen + 1, 0]), sig.subarray(4)]);
    const trailing = Buffer.concat([sig, Buffer.from([0])]);
    for (const bad of [padded, trailing, sig.subarray(0, sig.length - 1), Buffer.alloc(0)]) {
      expect(nodeVerify("sha256", message, key.publicKey, bad)).toBe(false);
      expect(await verifier.verify(message, bad)).toBe(false);
    }
    expect(await verifier.verify(message, sig)).toBe(true);
  });
});

it("decodeLegacyUserSig never throws anything but a typed error on random input", () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.base64String()), (s) => {
      try {
        decodeLegacyUserSig(s.replace(/\+/g, "*").replace(/\//g, "-").replace(/=/g, "_"));
      } catch (error) {
        expect(isImAuthError(error, "ERR_MALFORMED_CREDENTIAL"), String(error)).toBe(true);
      }
    }),
    { numRuns: 500 },
  );
});
