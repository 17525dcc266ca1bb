import { describe, expect, it } from "vitest";
import legacy from "../../../vectors/tencent-legacy-ecdsa.json" with { type: "json" };
import vectors from "../../../vectors/tencent-usersig-v2.json" with { type: "json" };
import { imauth, imauthJson, tempFile } from "./helpers.js";

// The official tls-sig-api-v2 UserSig of the shared vectors: issued at nowSeconds for expireSeconds.
const { sdkAppId, secretKey, userId, expireSeconds, nowSeconds } = vectors.inputs;
const userSig = vectors.generate.find((g) => g.name === "genUserSig")!.expected;
const env = { IMAUTH_TENCENT_KEY: secretKey };
const during = String(nowSeconds + 3600);
const args = (...extra: string[]) => [
  "tencent",
  "diagnose",
  userSig,
  "--sdkappid",
  String(sdkAppId),
  ...extra,
];

describe("imauth tencent diagnose", () => {
  it("reports 70001, 70009, 70013 and 70014 for an expired UserSig, a wrong key, another user and another SDKAppID", () => {
    const cases: Array<[string[], Record<string, string>, number, string]> = [
      [
        args("--user", userId, "--now", String(nowSeconds + expireSeconds + 1)),
        env,
        70001,
        "ERR_CREDENTIAL_EXPIRED",
      ],
      [
        args("--user", userId, "--now", during),
        { IMAUTH_TENCENT_KEY: "another-key" },
        70009,
        "ERR_SIGNATURE_INVALID",
      ],
      [args("--user", "bob", "--now", during), env, 70013, "ERR_USER_MISMATCH"],
      [
        [
          "tencent",
          "diagnose",
          userSig,
          "--sdkappid",
          String(sdkAppId + 1),
          "--user",
          userId,
          "--now",
          during,
        ],
        env,
        70014,
        "ERR_APP_MISMATCH",
      ],
    ];
    for (const [argv, e, vendorCode, code] of cases) {
      const r = imauthJson(argv, e);
      expect(r.status).toBe(1);
      expect(r.json).toMatchObject({ ok: false, tencentErrorCode: vendorCode, code, signatureChecked: true });
      const text = imauth(argv, e);
      expect(text.status).toBe(1);
      const lines = text.stdout.trimEnd().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^${vendorCode}: `));
      expect(text.stdout + text.stderr).not.toContain(secretKey);
      expect(text.stdout).not.toContain(userSig);
    }
    expect(imauth(args("--user", "bob", "--now", during), env).stdout).toContain(
      'for user "xiaojun", not "bob"',
    );
  });

  it("says a valid UserSig would be accepted (exit 0, tencentErrorCode null)", () => {
    const r = imauthJson(args("--user", userId, "--now", during), env);
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({ ok: true, tencentErrorCode: null, code: null, signatureChecked: true });
    expect(imauth(args("--user", userId, "--now", during), env).stdout).toMatch(
      /^ok: valid: Tencent would accept/,
    );
  });

  it("without a key checks everything but the signature, and says so", () => {
    const ok = imauthJson(args("--user", userId, "--now", during));
    expect(ok.status).toBe(0);
    expect(ok.json).toMatchObject({ ok: true, signatureChecked: false });
    expect(ok.json.hint).toMatch(/signature was not checked/);
    expect(imauthJson(args("--user", "bob", "--now", during)).json.tencentErrorCode).toBe(70013);
    const expired = imauthJson(args("--now", String(nowSeconds + expireSeconds + 1)));
    expect(expired.json.tencentErrorCode).toBe(70001);
  });

  it("reports 70003 for a damaged UserSig and 70002 for an empty one read from stdin", () => {
    const cut = imauthJson(
      ["tencent", "diagnose", userSig.slice(0, 60), "--sdkappid", String(sdkAppId)],
      env,
    );
    expect(cut.status).toBe(1);
    expect(cut.json.tencentErrorCode).toBe(70003);
    const empty = imauth(["tencent", "diagnose", "-", "--sdkappid", String(sdkAppId), "--json"], env, "\n");
    expect(JSON.parse(empty.stdout).tencentErrorCode).toBe(70002);
  });

  it("recognises a legacy ECDSA UserSig and an ECDSA key", () => {
    const old = legacy.generatedByOfficial[0]!;
    const r = imauth(
      [
        "tencent",
        "diagnose",
        old.userSig,
        "--sdkappid",
        String(old.sdkAppId),
        "--now",
        String(old.nowSeconds),
      ],
      env,
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/legacy ECDSA UserSig/);
    expect(r.stdout).toMatch(/imauth legacy/);
    const keyFile = tempFile("private_key", old.privateKeyPem);
    const k = imauthJson(args("--user", userId, "--now", during, "--key-file", keyFile));
    expect(k.status).toBe(1);
    expect(k.json.reason).toMatch(/the key looks like an ECDSA private key: this app uses legacy signing/);
    expect(k.stdout).not.toContain("PRIVATE KEY");
  });

  it("is listed in the tencent help and refuses a missing --sdkappid as a usage error", () => {
    expect(imauth(["tencent", "--help"]).stdout).toContain("diagnose");
    expect(imauth(["tencent", "diagnose", userSig], env).status).toBe(2);
  });
});
