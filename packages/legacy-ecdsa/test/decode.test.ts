import { isImAuthError } from "@imauth/core";
import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/tencent-legacy-ecdsa.json" with { type: "json" };
import {
  decodeLegacyUserSig,
  ecdsaSigner,
  ecdsaVerifier,
  genLegacyUserSig,
  verifyLegacyUserSig,
} from "../src/index.js";
import { deflateUserSig, inflateUserSig, opensslKey } from "./helpers.js";

const official = vectors.generatedByOfficial[0]!;
const officialDoc = inflateUserSig(official.userSig);

function expectMalformed(userSig: unknown, message: RegExp): void {
  let error: unknown;
  try {
    decodeLegacyUserSig(userSig as string);
  } catch (e) {
    error = e;
  }
  expect(isImAuthError(error, "ERR_MALFORMED_CREDENTIAL"), String(error)).toBe(true);
  expect((error as Error).message).toMatch(message);
}

/** The official document with some fields changed (undefined removes), re-encoded with node:zlib. */
function variant(changes: Record<string, unknown>): string {
  const doc: Record<string, unknown> = { ...officialDoc };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete doc[k];
    else doc[k] = v;
  }
  return deflateUserSig(JSON.stringify(doc));
}

describe("decodeLegacyUserSig", () => {
  it("decodes an official UserSig without a key", () => {
    const d = decodeLegacyUserSig(official.userSig);
    expect(d).toMatchObject({
      algorithm: "ecdsa-sha256",
      sdkAppId: 1400000000,
      userId: "xiaojun",
      issuedAtSeconds: 1700000000,
      expireSeconds: 15552000,
      accountType: "0",
      appIdAt3rd: "0",
      version: "201610110000",
    });
    expect(d.userBuf).toBeUndefined();
    expect(Buffer.from(d.signature).toString("base64")).toBe(officialDoc["TLS.sig"]);
  });

  it("refuses what is not a UserSig, each with a typed error naming the problem", () => {
    expectMalformed(undefined, /must be a string/);
    expectMalformed(42, /must be a string/);
    expectMalformed("", /must not be empty/);
    expectMalformed("x".repeat(5000), /longer than 4096/);
    expectMalformed("abc+def", /Tencent base64/);
    expectMalformed("eJw!", /Tencent base64/);
    expectMalformed("AAAAAAAAAAAA", /zlib/);
    expectMalformed(deflateUserSig("not json"), /JSON document/);
    expectMalformed(deflateUserSig("[1,2]"), /JSON object/);
    expectMalformed(deflateUserSig("null"), /JSON object/);
    expectMalformed(deflateUserSig(new Uint8Array([0x7b, 0xff, 0x7d])), /UTF-8 JSON document/);
  });

  it("refuses a v2 (HMAC) UserSig with a pointer to @imauth/tencent", () => {
    const v2 = deflateUserSig(
      JSON.stringify({
        "TLS.ver": "2.0",
        "TLS.identifier": "a",
        "TLS.sdkappid": 1,
        "TLS.expire": 1,
        "TLS.time": 1,
        "TLS.sig": "AAAA",
      }),
    );
    expectMalformed(v2, /v2 \(HMAC-SHA256\).*@imauth\/tencent/);
  });

  it("checks every field strictly", () => {
    for (const f of [
      "TLS.identifier",
      "TLS.sdk_appid",
      "TLS.time",
      "TLS.expire_after",
      "TLS.account_type",
      "TLS.sig",
    ]) {
      expectMalformed(variant({ [f]: undefined }), new RegExp(`lacks the field ${f.replace(".", "\\.")}`));
      expectMalformed(variant({ [f]: 12 }), /must be a string, got number/);
      expectMalformed(variant({ [f]: null }), /must be a string, got null/);
    }
    for (const f of ["TLS.sdk_appid", "TLS.time", "TLS.expire_after"]) {
      for (const bad of [
        "",
        "-1",
        "+1",
        "1.5",
        "1e3",
        "0x10",
        " 1",
        "01",
        "9".repeat(16),
        "Infinity",
        "NaN",
      ]) {
        expectMalformed(variant({ [f]: bad }), /not a non-negative decimal integer/);
      }
    }
    expectMalformed(variant({ "TLS.identifier": "" }), /TLS\.identifier is empty/);
    expectMalformed(variant({ "TLS.identifier": "a\nTLS.sdk_appid:1" }), /line break/);
    expectMalformed(variant({ "TLS.userbuf": "***" }), /TLS\.userbuf is not valid base64/);
    expectMalformed(variant({ "TLS.sig": "M!==" }), /TLS\.sig is not valid base64/);
    expectMalformed(variant({ "TLS.sig": " \r\n" }), /TLS\.sig/);
  });

  it("a __proto__ key is an ignored field, not a prototype", async () => {
    const json = JSON.stringify(officialDoc).replace(/^\{/, '{"__proto__":{"TLS.identifier":"admin"},');
    const userSig = deflateUserSig(json);
    const d = decodeLegacyUserSig(userSig);
    expect(d.userId).toBe("xiaojun");
    expect(({} as Record<string, unknown>)["TLS.identifier"]).toBeUndefined();
    // And it still verifies: __proto__ is not part of the signed text.
    await verifyLegacyUserSig(userSig, {
      sdkAppId: official.sdkAppId,
      publicKey: official.publicKeyPem,
      clock: () => official.nowSeconds * 1000,
    });
    // Without TLS.identifier of its own, the one behind __proto__ is not picked up.
    const hidden = JSON.stringify({ ...officialDoc, "TLS.identifier": undefined }).replace(
      /^\{/,
      '{"__proto__":{"TLS.identifier":"admin"},',
    );
    expectMalformed(deflateUserSig(hidden), /lacks the field TLS\.identifier/);
  });

  it("refuses a zlib bomb without inflating it", () => {
    const bomb = deflateUserSig(`{"TLS.identifier":"${"a".repeat(1_000_000)}"}`);
    expect(bomb.length).toBeLessThan(4096);
    expectMalformed(bomb, /inflates to more than 4096 bytes/);
  });

  it("a changed field breaks the signature", async () => {
    const options = {
      sdkAppId: official.sdkAppId,
      publicKey: official.publicKeyPem,
      clock: () => official.nowSeconds * 1000,
    };
    for (const changes of [
      { "TLS.identifier": "admin" },
      { "TLS.expire_after": "15552001" },
      { "TLS.time": "1700000001" },
      { "TLS.account_type": "1" },
      { "TLS.appid_at_3rd": undefined },
      { "TLS.userbuf": "YWJj" },
    ]) {
      await expect(verifyLegacyUserSig(variant(changes), options)).rejects.toMatchObject({
        code: "ERR_SIGNATURE_INVALID",
      });
    }
    // TLS.version is not signed (as in the official libraries).
    await verifyLegacyUserSig(variant({ "TLS.version": "x" }), options);
  });
});

describe("option checks", () => {
  const k = opensslKey("P-256");

  it("genLegacyUserSig names the bad option", async () => {
    const base = { sdkAppId: 1, privateKey: k.pkcs8, userId: "u", clock: () => 0 };
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ sdkAppId: 0 }, "ERR_INVALID_CONFIG", /sdkAppId/],
      [{ sdkAppId: 2 ** 32 }, "ERR_INVALID_CONFIG", /sdkAppId/],
      [{ sdkAppId: "1" }, "ERR_INVALID_CONFIG", /sdkAppId/],
      [{ privateKey: undefined }, "ERR_INVALID_CONFIG", /privateKey/],
      [{ privateKey: k.spki }, "ERR_INVALID_CONFIG", /privateKey is a public key/],
      [{ userId: "" }, "ERR_INVALID_INPUT", /userId/],
      [{ userId: "x".repeat(33) }, "ERR_INVALID_INPUT", /userId/],
      [{ userId: "a\nb" }, "ERR_INVALID_INPUT", /userId/],
      [{ expireSeconds: 0 }, "ERR_INVALID_INPUT", /expireSeconds/],
      [{ expireSeconds: 1.5 }, "ERR_INVALID_INPUT", /expireSeconds/],
      [{ expireSeconds: 2 ** 31 }, "ERR_INVALID_INPUT", /expireSeconds/],
      [{ userBuf: 5 }, "ERR_INVALID_INPUT", /userBuf/],
      [{ userBuf: new Uint8Array(1025) }, "ERR_INVALID_INPUT", /userBuf/],
      [{ clock: () => Number.NaN }, "ERR_INVALID_CONFIG", /clock/],
    ];
    for (const [change, code, message] of cases) {
      await expect(
        genLegacyUserSig({ ...base, ...change } as never),
        JSON.stringify(Object.keys(change)),
      ).rejects.toSatisfy(
        (e: unknown) => isImAuthError(e, code as never) && message.test((e as Error).message),
      );
    }
    await expect(genLegacyUserSig(null as never)).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
  });

  it("verifyLegacyUserSig names the bad option", async () => {
    const gen = { sdkAppId: 1, privateKey: k.pkcs8, userId: "u", clock: () => 0 };
    const userSig = await genLegacyUserSig(gen);
    const base = { sdkAppId: 1, publicKey: k.spki, clock: () => 0 };
    await expect(verifyLegacyUserSig(userSig, { ...base, sdkAppId: -1 })).rejects.toMatchObject({
      code: "ERR_INVALID_CONFIG",
    });
    await expect(verifyLegacyUserSig(userSig, { ...base, publicKey: k.pkcs8 })).rejects.toMatchObject({
      code: "ERR_INVALID_CONFIG",
    });
    await expect(verifyLegacyUserSig(userSig, { ...base, userId: 5 as never })).rejects.toMatchObject({
      code: "ERR_INVALID_INPUT",
    });
    await expect(verifyLegacyUserSig(userSig, undefined as never)).rejects.toMatchObject({
      code: "ERR_INVALID_INPUT",
    });
    // userBuf: null demands none; bytes demand those bytes.
    await verifyLegacyUserSig(userSig, { ...base, userBuf: null });
    await expect(verifyLegacyUserSig(userSig, { ...base, userBuf: "x" })).rejects.toMatchObject({
      code: "ERR_USERBUF_MISMATCH",
    });
    const withBuf = await genLegacyUserSig({ ...gen, userBuf: "x" });
    await expect(verifyLegacyUserSig(withBuf, { ...base, userBuf: null })).rejects.toMatchObject({
      code: "ERR_USERBUF_MISMATCH",
    });
    await verifyLegacyUserSig(withBuf, { ...base, userBuf: new Uint8Array([0x78]) });
  });

  it("signer and verifier check their inputs and hide the key", async () => {
    const signer = ecdsaSigner({ privateKey: k.sec1 });
    expect(signer).toMatchObject({ algorithm: "ecdsa-sha256", curve: "P-256", form: "sec1" });
    const verifier = ecdsaVerifier({ publicKey: signer.publicKeyPem });
    const good = { sdkAppId: 7, userId: "u", expireSeconds: 60, nowMs: 5_000 };
    const userSig = await signer.sign(good);
    await expect(
      verifier.verify(userSig, { sdkAppId: 7, userId: "u", clock: () => 65_000 }),
    ).resolves.toMatchObject({
      userId: "u",
      sdkAppId: 7,
    });
    await expect(verifier.verify(userSig, { sdkAppId: 7, clock: () => 66_000 })).rejects.toMatchObject({
      code: "ERR_CREDENTIAL_EXPIRED",
    });
    await expect(
      verifier.verify(userSig, { sdkAppId: 7, userId: "v", clock: () => 6_000 }),
    ).rejects.toMatchObject({
      code: "ERR_USER_MISMATCH",
    });
    for (const bad of [{ nowMs: -1 }, { nowMs: Number.NaN }, { userId: "" }, { expireSeconds: 0 }]) {
      await expect(signer.sign({ ...good, ...bad })).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
    }
    expect(() => ecdsaSigner(undefined as never)).toThrowError(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
    expect(() => ecdsaVerifier({ publicKey: "" })).toThrowError(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
    const { inspect } = await import("node:util");
    const body = k.sec1.split("\n")[1]!;
    for (const text of [JSON.stringify(signer), String(signer), inspect(signer)])
      expect(text).not.toContain(body);
  });
});
