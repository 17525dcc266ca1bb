import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/tencent-legacy-ecdsa.json" with { type: "json" };
import { imauth, imauthJson, tempFile } from "./helpers.js";

const byName = (name: string) => vectors.generatedByOfficial.find((v) => v.name === name)!;
const k1 = byName("secp256k1_sec1_params/xiaojun");
const p256 = byName("p256_pkcs8/xiaojun");
const withUserBuf = byName("p256_pkcs8/xiaojun/userbuf");
const now = String(k1.nowSeconds + 60);

/** `imauth legacy verify` of `userSig` with the public key in `keyFile`, for SDKAppID 1400000000 unless given. */
function verify(userSig: string, keyFile: string, o: { app?: string; user?: string; at?: string } = {}) {
  const user = o.user === undefined ? [] : ["--user", o.user];
  const key = ["--public-key-file", keyFile, "--now", o.at ?? now];
  return imauth(["legacy", "verify", userSig, "--sdkappid", o.app ?? "1400000000", ...user, ...key]);
}

/** `imauth legacy gen` with the private key in `keyFile`, plus `extra` options. */
function gen(keyFile: string, ...extra: string[]) {
  return imauth(["legacy", "gen", "--sdkappid", "1400000000", "--private-key-file", keyFile, ...extra]);
}

describe("imauth legacy", () => {
  it("verifies UserSigs of the official v1 library on both curves (exit 0)", () => {
    for (const v of [k1, p256, withUserBuf]) {
      const key = tempFile("public.pem", v.publicKeyPem);
      const r = verify(v.userSig, key, { app: String(v.sdkAppId), user: v.userId });
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
    const r1 = verify(k1.userSig, wrongKey);
    expect(r1.status).toBe(1);
    expect(r1.stderr).toContain("ERR_SIGNATURE_INVALID");
    const key = tempFile("public.pem", k1.publicKeyPem);
    const r2 = verify(k1.userSig, key, { user: "bob" });
    expect(r2.status).toBe(1);
    expect(r2.stderr).toContain("ERR_USER_MISMATCH");
    const r3 = verify(k1.userSig, key, { at: "2030-01-01T00:00:00Z" });
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
      const made = gen(priv, "--user", "alice", "--expire", "1h", "--userbuf", "room-7", "--now", now);
      expect(made.status, v.name).toBe(0);
      const userSig = made.stdout.trim();
      expect(verify(userSig, pub, { user: "alice" }).status, v.name).toBe(0);
      const late = verify(userSig, pub, { at: String(Number(now) + 3601) });
      expect(late.status).toBe(1);
    }
  });

  it("refuses a bad key file with exit code 2 and without echoing it", () => {
    const bad = tempFile(
      "private.pem",
      "-----BEGIN PRIVATE KEY-----\nnot-base64-secret-material\n-----END PRIVATE KEY-----\n",
    );
    const r = gen(bad, "--user", "u");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("ERR_INVALID_CONFIG");
    expect(r.stderr).not.toContain("secret-material");
    const missing = gen("/nonexistent/key.pem", "--user", "u");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("--private-key-file: cannot read");
  });
});
