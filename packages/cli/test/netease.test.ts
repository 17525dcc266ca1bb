import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/netease.json" with { type: "json" };
import { imauth, imauthJson, inflateTencent, tempFile } from "./helpers.js";

const api = vectors.apiCheckSum[0]!;
const cb = vectors.callback[0]!;
const dyn = vectors.imDynamicToken[0]!;
const rtc = vectors.nertcToken[0]!;
const perm = vectors.nertcPermissionKey[0]!;
const env = { IMAUTH_NETEASE_APPKEY: dyn.appKey, IMAUTH_NETEASE_SECRET: dyn.appSecret };

describe("imauth netease", () => {
  it("headers: the documented CheckSum for a given nonce and time", () => {
    const r = imauthJson(["netease", "headers", "--nonce", api.nonce, "--now", api.curTime], {
      IMAUTH_NETEASE_APPKEY: "demo-appkey",
      IMAUTH_NETEASE_SECRET: api.appSecret,
    });
    expect(r.status).toBe(0);
    expect(r.json).toEqual({
      AppKey: "demo-appkey",
      Nonce: api.nonce,
      CurTime: api.curTime,
      CheckSum: api.expected,
    });
    const human = imauth(["netease", "headers", "--nonce", api.nonce, "--now", api.curTime], {
      IMAUTH_NETEASE_APPKEY: "demo-appkey",
      IMAUTH_NETEASE_SECRET: api.appSecret,
    });
    expect(human.stdout).toContain(`CheckSum: ${api.expected}`);
  });

  it("headers: a fresh nonce every run", () => {
    const a = imauthJson(["netease", "headers"], env).json;
    const b = imauthJson(["netease", "headers"], env).json;
    expect(a.Nonce).not.toBe(b.Nonce);
    expect(a.CheckSum).toMatch(/^[0-9a-f]{40}$/);
  });

  it("token: the documented dynamic token", () => {
    const r = imauth(
      [
        "netease",
        "token",
        "--accid",
        dyn.accid,
        "--ttl",
        String(dyn.ttlSeconds),
        "--now",
        "2021-03-03T09:43:31.561Z",
      ],
      env,
    );
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(dyn.token);
  });

  it("nertc-token: the official test vector", () => {
    const r = imauth(
      [
        "netease",
        "nertc-token",
        "--uid",
        String(rtc.uid),
        "--channel",
        rtc.channelName,
        "--ttl",
        String(rtc.ttlSeconds),
        "--now",
        String(rtc.curTimeMs / 1000),
      ],
      { IMAUTH_NETEASE_APPKEY: rtc.appKey, IMAUTH_NETEASE_SECRET: rtc.appSecret },
    );
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(rtc.expected);
  });

  it("nertc-permission-key: decodes to the official test's document", async () => {
    const r = imauth(
      [
        "netease",
        "nertc-permission-key",
        "--uid",
        String(perm.uid),
        "--channel",
        perm.channelName,
        "--privilege",
        "send-audio",
        "--ttl",
        String(perm.ttlSeconds),
        "--now",
        String(perm.curTimeSec),
      ],
      { IMAUTH_NETEASE_APPKEY: perm.appKey, IMAUTH_NERTC_PERM_SECRET: perm.permSecret },
    );
    expect(r.status).toBe(0);
    expect(await inflateTencent(r.stdout.trim())).toEqual(perm.decodedJson);
  });

  it("verify-callback: accepts the signed callback, also with lower-case header names", () => {
    const body = tempFile("body.json", cb.body);
    for (const names of [
      ["CurTime", "MD5", "CheckSum"],
      ["curtime", "md5", "checksum"],
    ]) {
      const r = imauth(
        [
          "netease",
          "verify-callback",
          "--body-file",
          body,
          "--header",
          `${names[0]}:${cb.curTimeMs}`,
          "--header",
          `${names[1]}:${cb.md5}`,
          "--header",
          `${names[2]}: ${cb.checkSum}`,
          "--now",
          "1700000010",
        ],
        { IMAUTH_NETEASE_SECRET: cb.appSecret },
      );
      expect(r.status, names.join()).toBe(0);
      expect(r.stdout).toContain("valid callback");
    }
  });

  it("verify-callback: exits 1 on a changed body, a wrong secret or an old callback", () => {
    const args = (bodyFile: string, now: string) => [
      "netease",
      "verify-callback",
      "--body-file",
      bodyFile,
      "--header",
      `CurTime:${cb.curTimeMs}`,
      "--header",
      `MD5:${cb.md5}`,
      "--header",
      `CheckSum:${cb.checkSum}`,
      "--now",
      now,
    ];
    const good = tempFile("body.json", cb.body);
    const changed = imauth(args(tempFile("body.json", "{ }"), "1700000010"), {
      IMAUTH_NETEASE_SECRET: cb.appSecret,
    });
    expect(changed.status).toBe(1);
    expect(changed.stderr).toContain("ERR_WEBHOOK_INVALID");
    const wrongSecret = imauth(args(good, "1700000010"), { IMAUTH_NETEASE_SECRET: "not-the-secret" });
    expect(wrongSecret.status).toBe(1);
    expect(wrongSecret.stderr).toContain("ERR_WEBHOOK_INVALID");
    const old = imauth(args(good, "1700003600"), { IMAUTH_NETEASE_SECRET: cb.appSecret });
    expect(old.status).toBe(1);
    expect(old.stderr).toContain("ERR_WEBHOOK_EXPIRED");
  });

  it("usage errors exit 2: missing AppKey, malformed header, missing body file", () => {
    expect(
      imauth(["netease", "token", "--accid", "a", "--ttl", "60"], { IMAUTH_NETEASE_SECRET: "s" }).stderr,
    ).toContain("IMAUTH_NETEASE_APPKEY");
    const r = imauth(
      ["netease", "verify-callback", "--body-file", "/nonexistent", "--header", "nocolon"],
      env,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--header must look like Name:value");
    const r2 = imauth(
      ["netease", "verify-callback", "--body-file", "/nonexistent", "--header", "MD5:x"],
      env,
    );
    expect(r2.status).toBe(2);
    expect(r2.stderr).toContain("--body-file: cannot read");
  });

  it("a secret given as a flag works but warns", () => {
    const secret = ["--secret", "s3cr3t-value"];
    const r = imauth(["netease", "token", "--accid", "a", "--ttl", "1h", "--appkey", "k", ...secret]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("warning");
    expect(r.stderr).not.toContain("s3cr3t-value");
  });
});
