// Side by side with the official v1 Node library (tls-sig-api 1.0.2, run unchanged; it reads Date.now, which
// is frozen here).
import { createRequire } from "node:module";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import vectors from "../../../vectors/tencent-legacy-ecdsa.json" with { type: "json" };
import { genLegacyUserSig, verifyLegacyUserSig } from "../src/index.js";
import { opensslKey } from "./helpers.js";

interface OfficialSig {
  genSig(identifier: string): string;
  genSigWithUserbuf(identifier: string, userbuf: string): string;
  verifySig(sig: string, identifier: string): boolean;
  verifySigWithUserbuf(sig: string, identifier: string): string | false;
}
const { Sig } = createRequire(import.meta.url)("tls-sig-api") as {
  Sig: new (config: Record<string, unknown>) => OfficialSig;
};

const NOW_SECONDS = 1_700_000_000;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW_SECONDS * 1000);
});
afterEach(() => {
  vi.useRealTimers();
});

const keySets = [
  ...vectors.generatedByOfficial
    .filter((v) => v.userId === "admin" || v.userBufUtf8 === "abc")
    .map((v) => ({ name: v.name.split("/")[0]!, privateKey: v.privateKeyPem, publicKey: v.publicKeyPem })),
  ...(["secp256k1", "P-256"] as const).flatMap((curve) => {
    const k = opensslKey(curve);
    return [
      { name: `openssl ${curve} sec1`, privateKey: k.sec1, publicKey: k.spki },
      { name: `openssl ${curve} pkcs8`, privateKey: k.pkcs8, publicKey: k.spki },
    ];
  }),
];

describe.each(keySets)("$name", ({ privateKey, publicKey }) => {
  const sdkAppId = 1400000123;
  const official = new Sig({
    sdk_appid: sdkAppId,
    expire_after: 3600,
    private_key_string: privateKey,
    public_key_string: publicKey,
  });
  const clock = () => NOW_SECONDS * 1000;

  it("the official library's UserSigs verify under ours", async () => {
    const plain = official.genSig("user_1");
    const decoded = await verifyLegacyUserSig(plain, { sdkAppId, publicKey, userId: "user_1", clock });
    expect(decoded.expiresAt.getTime()).toBe((NOW_SECONDS + 3600) * 1000);
    const withBuf = official.genSigWithUserbuf("user_1", "room:42");
    const d2 = await verifyLegacyUserSig(withBuf, {
      sdkAppId,
      publicKey,
      userId: "user_1",
      userBuf: "room:42",
      clock,
    });
    expect(new TextDecoder().decode(d2.userBuf)).toBe("room:42");
    await expect(
      verifyLegacyUserSig(withBuf, { sdkAppId, publicKey, userBuf: "room:43", clock }),
    ).rejects.toMatchObject({ code: "ERR_USERBUF_MISMATCH" });
    await expect(
      verifyLegacyUserSig(plain, { sdkAppId, publicKey, clock: () => (NOW_SECONDS + 3601) * 1000 }),
    ).rejects.toMatchObject({ code: "ERR_CREDENTIAL_EXPIRED" });
  });

  it("our UserSigs verify under the official library", async () => {
    const plain = await genLegacyUserSig({ sdkAppId, privateKey, userId: "user_1", clock });
    expect(official.verifySig(plain, "user_1")).toBe(true);
    expect(official.verifySig(plain, "user_2")).toBe(false);
    const withBuf = await genLegacyUserSig({
      sdkAppId,
      privateKey,
      userId: "user_1",
      userBuf: "room:42",
      clock,
    });
    expect(official.verifySigWithUserbuf(withBuf, "user_1")).toBe("room:42");
    // And the official verifier is not fooled by a UserSig for another app.
    const other = await genLegacyUserSig({ sdkAppId: sdkAppId + 1, privateKey, userId: "user_1", clock });
    expect(official.verifySig(other, "user_1")).toBe(false);
  });
});

it("a UserSig signed with another key fails under both", async () => {
  const [a, b] = [opensslKey("P-256"), opensslKey("P-256")];
  const official = new Sig({ sdk_appid: 1, private_key_string: a.pkcs8, public_key_string: b.spki });
  const ours = await genLegacyUserSig({ sdkAppId: 1, privateKey: a.pkcs8, userId: "u", clock: () => 0 });
  expect(official.verifySig(ours, "u")).toBe(false);
  await expect(
    verifyLegacyUserSig(official.genSig("u"), {
      sdkAppId: 1,
      publicKey: b.spki,
      clock: () => NOW_SECONDS * 1000,
    }),
  ).rejects.toMatchObject({ code: "ERR_SIGNATURE_INVALID" });
});
