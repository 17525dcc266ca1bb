import { createPublicKey, verify as nodeVerify } from "node:crypto";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/tencent-legacy-ecdsa.json" with { type: "json" };
import {
  decodeLegacyUserSig,
  ecdsaSigner,
  ecdsaVerifier,
  genLegacyUserSig,
  importLegacyPrivateKey,
  verifyLegacyUserSig,
} from "../src/index.js";

const fixed = (seconds: number) => () => seconds * 1000;

/** The official document, inflated with node:zlib from the vector (independent of our decoder). */
function officialDocument(userSig: string): Record<string, string> {
  const b64 = userSig.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "=");
  return JSON.parse(inflateSync(Buffer.from(b64, "base64")).toString("utf8"));
}

describe("official UserSigs (tls-sig-api-node v1) verify under ours", () => {
  for (const v of vectors.generatedByOfficial) {
    it(v.name, async () => {
      const decoded = await verifyLegacyUserSig(v.userSig, {
        sdkAppId: v.sdkAppId,
        publicKey: v.publicKeyPem,
        userId: v.userId,
        ...(v.userBufUtf8 === null ? {} : { userBuf: v.userBufUtf8 }),
        clock: fixed(v.nowSeconds),
      });
      expect(decoded.userId).toBe(v.userId);
      expect(decoded.sdkAppId).toBe(v.sdkAppId);
      expect(decoded.issuedAtSeconds).toBe(v.nowSeconds);
      expect(decoded.expireSeconds).toBe(v.expireSeconds);
      expect(decoded.expiresAt.getTime()).toBe((v.nowSeconds + v.expireSeconds) * 1000);
      if (v.userBufUtf8 !== null) expect(new TextDecoder().decode(decoded.userBuf)).toBe(v.userBufUtf8);
      // Valid through the last second, expired one second later.
      await verifyLegacyUserSig(v.userSig, {
        sdkAppId: v.sdkAppId,
        publicKey: v.publicKeyPem,
        clock: fixed(v.nowSeconds + v.expireSeconds),
      });
      await expect(
        verifyLegacyUserSig(v.userSig, {
          sdkAppId: v.sdkAppId,
          publicKey: v.publicKeyPem,
          clock: fixed(v.nowSeconds + v.expireSeconds + 1),
        }),
      ).rejects.toMatchObject({ code: "ERR_CREDENTIAL_EXPIRED" });
      // The official verifier's checks: other app, other user.
      await expect(
        verifyLegacyUserSig(v.userSig, { sdkAppId: v.sdkAppId + 1, publicKey: v.publicKeyPem }),
      ).rejects.toMatchObject({ code: "ERR_APP_MISMATCH" });
      await expect(
        verifyLegacyUserSig(v.userSig, { sdkAppId: v.sdkAppId, publicKey: v.publicKeyPem, userId: "other" }),
      ).rejects.toMatchObject({ code: "ERR_USER_MISMATCH" });
    });
  }

  it("the emulator-side verifier accepts them too", async () => {
    for (const v of vectors.generatedByOfficial) {
      const verifier = ecdsaVerifier({ publicKey: v.publicKeyPem });
      const result = await verifier.verify(v.userSig, {
        sdkAppId: v.sdkAppId,
        userId: v.userId,
        clock: fixed(v.nowSeconds),
      });
      expect(result.userId).toBe(v.userId);
    }
  });

  it("keys: the curve and PEM form come from the key, not from the EC PARAMETERS block", () => {
    const seen = vectors.generatedByOfficial.map((v) => {
      const key = importLegacyPrivateKey(v.privateKeyPem);
      // The derived public key is the official public key (compared through node:crypto's DER export).
      const ours = createPublicKey(key.publicKeyPem).export({ type: "spki", format: "der" });
      const theirs = createPublicKey(v.publicKeyPem).export({ type: "spki", format: "der" });
      expect(Buffer.compare(ours, theirs)).toBe(0);
      return `${v.name.split("/")[0]}:${key.curve}:${key.form}`;
    });
    expect(new Set(seen)).toEqual(
      new Set([
        "secp256k1_sec1_params:secp256k1:sec1",
        "p256_pkcs8:P-256:pkcs8",
        "p256_sec1_misleading_params:P-256:sec1",
      ]),
    );
  });
});

describe("historic UserSigs", () => {
  for (const v of vectors.historic) {
    it(v.name, async () => {
      const decoded = decodeLegacyUserSig(v.userSig);
      expect(decoded.signedText).toBe(v.signedContent);
      expect(decoded.expiresAt.getTime()).toBe(v.expiresAtSeconds * 1000);
      const options = { sdkAppId: v.sdkAppId, publicKey: v.publicKeyPem, userId: v.userId };
      const ok = await verifyLegacyUserSig(v.userSig, {
        ...options,
        clock: fixed(decoded.issuedAtSeconds + 60),
      });
      expect(ok.userId).toBe(v.userId);
      await verifyLegacyUserSig(v.userSig, { ...options, clock: fixed(v.expiresAtSeconds) });
      await expect(
        verifyLegacyUserSig(v.userSig, { ...options, clock: fixed(v.expiresAtSeconds + 1) }),
      ).rejects.toMatchObject({ code: "ERR_CREDENTIAL_EXPIRED" });
    });
  }

  it("the old format has no appid_at_3rd and account_type 116", () => {
    const old = vectors.historic.find((v) => v.name === "without3rd")!;
    const decoded = decodeLegacyUserSig(old.userSig);
    expect(decoded.appIdAt3rd).toBeUndefined();
    expect(decoded.accountType).toBe("116");
  });

  it("accepts whitespace (\\r\\n) inside TLS.sig", async () => {
    const v = vectors.generatedByOfficial[0]!;
    const doc = officialDocument(v.userSig);
    const sig = doc["TLS.sig"]!;
    doc["TLS.sig"] = `${sig.slice(0, 40)}\r\n${sig.slice(40)}\r\n`;
    const { deflateSync } = await import("node:zlib");
    const userSig = deflateSync(Buffer.from(JSON.stringify(doc)))
      .toString("base64")
      .replace(/\+/g, "*")
      .replace(/\//g, "-")
      .replace(/=/g, "_");
    const decoded = await verifyLegacyUserSig(userSig, {
      sdkAppId: v.sdkAppId,
      publicKey: v.publicKeyPem,
      clock: fixed(v.nowSeconds),
    });
    expect(decoded.userId).toBe(v.userId);
  });
});

describe("our UserSigs follow the official document and verify under OpenSSL", () => {
  const keys = [
    vectors.generatedByOfficial[0]!,
    vectors.generatedByOfficial[2]!,
    vectors.generatedByOfficial[4]!,
  ];
  for (const v of keys) {
    it(`${v.name}: node:crypto verifies the signature over the rebuilt signed text`, async () => {
      for (const userBuf of [undefined, "abc"]) {
        const userSig = await genLegacyUserSig({
          sdkAppId: v.sdkAppId,
          privateKey: v.privateKeyPem,
          userId: v.userId,
          ...(userBuf === undefined ? {} : { userBuf }),
          clock: () => v.nowSeconds * 1000 + 999,
        });
        const doc = officialDocument(userSig);
        const expectedKeys = [
          "TLS.account_type",
          "TLS.identifier",
          "TLS.appid_at_3rd",
          "TLS.sdk_appid",
          "TLS.expire_after",
          "TLS.version",
          "TLS.time",
          ...(userBuf === undefined ? [] : ["TLS.userbuf"]),
          "TLS.sig",
        ];
        expect(Object.keys(doc)).toEqual(expectedKeys);
        // Same values as the official library wrote for the same inputs (the signature is randomized).
        const official = officialDocument(
          (userBuf === undefined ? v : vectors.generatedByOfficial.find((x) => x.userBufUtf8 === "abc")!)
            .userSig,
        );
        for (const k of expectedKeys.filter((k) => k !== "TLS.sig" && k !== "TLS.identifier")) {
          expect(doc[k], k).toBe(official[k]);
        }
        expect(doc["TLS.identifier"]).toBe(v.userId);
        // The signed text, written out here from the description, not from our code.
        const signed =
          `TLS.appid_at_3rd:0\nTLS.account_type:0\nTLS.identifier:${v.userId}\nTLS.sdk_appid:${v.sdkAppId}\n` +
          `TLS.time:${v.nowSeconds}\nTLS.expire_after:15552000\n` +
          (userBuf === undefined ? "" : `TLS.userbuf:${Buffer.from(userBuf).toString("base64")}\n`);
        const ok = nodeVerify(
          "sha256",
          Buffer.from(signed),
          v.publicKeyPem,
          Buffer.from(doc["TLS.sig"]!, "base64"),
        );
        expect(ok).toBe(true);
      }
    });
  }

  it("the signer makes the same kind of UserSig", async () => {
    const v = vectors.generatedByOfficial[2]!;
    const signer = ecdsaSigner({ privateKey: v.privateKeyPem });
    const userSig = await signer.sign({
      sdkAppId: v.sdkAppId,
      userId: "bob",
      expireSeconds: 60,
      nowMs: 1_700_000_000_000,
    });
    const doc = officialDocument(userSig);
    const signed = `TLS.appid_at_3rd:0\nTLS.account_type:0\nTLS.identifier:bob\nTLS.sdk_appid:${v.sdkAppId}\nTLS.time:1700000000\nTLS.expire_after:60\n`;
    expect(
      nodeVerify("sha256", Buffer.from(signed), v.publicKeyPem, Buffer.from(doc["TLS.sig"]!, "base64")),
    ).toBe(true);
  });
});
