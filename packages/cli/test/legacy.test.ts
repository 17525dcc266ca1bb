import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/tencent-legacy-ecdsa.json" with { type: "json" };
import { imauth, imauthJson, tempFile } from "./helpers.js";

const byName = (name: string) => vectors.generatedByOfficial.find((v) => v.name === name)!;
const k1 = byName("secp256k1_sec1_params/xiaojun");
const p256 = byName("p256_pkcs8/xiaojun");
const withUserBuf = byName("p256_pkcs8/xiaojun/userbuf");
const now = String(k1.nowSeconds + 60);

describe("imauth legacy", () => {
  it("verifies UserSigs of the official v1 library on both curves (exit 0)", () => {
    for (const v of [k1, p256, withUserBuf]) {
      const key = tempFile("public.pem", v.publicKeyPem);
      const r = imauth([
        "legacy",
        "verify",
        v.userSig,
        "--sdkappid",
        String(v.sdkAppId),
        "--user",
        v.userId,
        "--public-key-file",
        key,
        "--now",
        now,
      ]);
      expect(r.status, v.name).toBe(0);
      expect(r.stdout).toContain("valid legacy UserSig");
    }
  });

  it("verifies a historic UserSig, key given through the environment", () => {
    const h = vectors.historic[0]!;
    const r = imauth(
      ["legacy", "verify", h.userSig, "--sdkappid", String(h.sdkAppId), "--now", "2030-01-01T00:00:00Z"],
      {
        IMAUTH_LEGACY_PUBLIC_KEY: h.publicKeyPem,
      },
    );
    expect(r.status).toBe(0);
  });

  it("rejects with the reason: other curve's key, other user, expired", () => {
    const wrongKey = tempFile("public.pem", p256.publicKeyPem);
    const r1 = imauth([
      "legacy",
      "verify",
      k1.userSig,
      "--sdkappid",
      "1400000000",
      "--public-key-file",
      wrongKey,
      "--now",
      now,
    ]);
    expect(r1.status).toBe(1);
    expect(r1.stderr).toContain("ERR_SIGNATURE_INVALID");
    const key = tempFile("public.pem", k1.publicKeyPem);
    const r2 = imauth([
      "legacy",
      "verify",
      k1.userSig,
      "--sdkappid",
      "1400000000",
      "--user",
      "bob",
      "--public-key-file",
      key,
      "--now",
      now,
    ]);
    expect(r2.status).toBe(1);
    expect(r2.stderr).toContain("ERR_USER_MISMATCH");
    const r3 = imauth([
      "legacy",
      "verify",
      k1.userSig,
      "--sdkappid",
      "1400000000",
      "--public-key-file",
      key,
      "--now",
      "2030-01-01T00:00:00Z",
    ]);
    expect(r3.status).toBe(1);
    expect(r3.stderr).toContain("ERR_CREDENTIAL_EXPIRED");
  });

  it("decodes without a key", () => {
    const r = imauthJson(["legacy", "decode", withUserBuf.userSig, "--now", now]);
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({
      algorithm: "ecdsa-sha256",
      userId: "xiaojun",
      sdkAppId: 1400000000,
      expireSeconds: withUserBuf.expireSeconds,
      issuedAt: { unix: withUserBuf.nowSeconds },
      userBuf: { base64: Buffer.from("abc").toString("base64") },
    });
    expect(r.json.document["TLS.identifier"]).toBe("xiaojun");
  });

  it("generates UserSigs that verify, for both curves and key forms", () => {
    for (const v of [k1, p256, byName("p256_sec1_misleading_params/admin")]) {
      const priv = tempFile("private.pem", v.privateKeyPem);
      const pub = tempFile("public.pem", v.publicKeyPem);
      const gen = imauth([
        "legacy",
        "gen",
        "--sdkappid",
        "1400000000",
        "--user",
        "alice",
        "--private-key-file",
        priv,
        "--expire",
        "1h",
        "--userbuf",
        "room-7",
        "--now",
        now,
      ]);
      expect(gen.status, v.name).toBe(0);
      const userSig = gen.stdout.trim();
      const ok = imauth([
        "legacy",
        "verify",
        userSig,
        "--sdkappid",
        "1400000000",
        "--user",
        "alice",
        "--public-key-file",
        pub,
        "--now",
        now,
      ]);
      expect(ok.status, v.name).toBe(0);
      const late = imauth([
        "legacy",
        "verify",
        userSig,
        "--sdkappid",
        "1400000000",
        "--public-key-file",
        pub,
        "--now",
        String(Number(now) + 3601),
      ]);
      expect(late.status).toBe(1);
    }
  });

  it("refuses a bad key file with exit code 2 and without echoing it", () => {
    const bad = tempFile(
      "private.pem",
      "-----BEGIN PRIVATE KEY-----\nnot-base64-secret-material\n-----END PRIVATE KEY-----\n",
    );
    const r = imauth(["legacy", "gen", "--sdkappid", "1", "--user", "u", "--private-key-file", bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("ERR_INVALID_CONFIG");
    expect(r.stderr).not.toContain("secret-material");
    const missing = imauth([
      "legacy",
      "gen",
      "--sdkappid",
      "1",
      "--user",
      "u",
      "--private-key-file",
      "/nonexistent/key.pem",
    ]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("--private-key-file: cannot read");
  });
});
