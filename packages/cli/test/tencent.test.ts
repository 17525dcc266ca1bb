import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/tencent-usersig-v2.json" with { type: "json" };
import { imauth, imauthJson, inflateTencent, tempFile } from "./helpers.js";

const { sdkAppId, secretKey, userId, expireSeconds, nowSeconds } = vectors.inputs;
const env = { IMAUTH_TENCENT_KEY: secretKey };
const official = vectors.generate.find((g) => g.name === "genUserSig")!;
const numericRoom = vectors.generate.find((g) => g.name === "genPrivateMapKey")!;
const stringRoom = vectors.generate.find((g) => g.name === "genPrivateMapKeyWithStringRoomID")!;
const now = String(nowSeconds + 3600);

describe("imauth tencent gen", () => {
  it("makes the document the official library makes (same fields and HMAC)", async () => {
    const r = imauth(
      ["tencent", "gen", "--sdkappid", String(sdkAppId), "--user", userId, "--now", String(nowSeconds)],
      env,
    );
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    const userSig = r.stdout.trim();
    expect(userSig).toMatch(/^[A-Za-z0-9*_-]+$/);
    expect(await inflateTencent(userSig)).toEqual(official.decodedJson);
  });

  it("makes PrivateMapKeys for numeric and string rooms with the official userbuf and HMAC", async () => {
    for (const [vector, extra] of [
      [numericRoom, []],
      [stringRoom, ["--string-room"]],
    ] as const) {
      const r = imauth(
        [
          "tencent",
          "gen",
          "--sdkappid",
          String(sdkAppId),
          "--user",
          userId,
          "--expire",
          "180d",
          "--room",
          String(vector.roomId),
          ...extra,
          "--privilege",
          String(vector.privilegeMap),
          "--now",
          String(nowSeconds),
        ],
        env,
      );
      expect(r.status).toBe(0);
      const doc = (await inflateTencent(r.stdout.trim())) as Record<string, unknown>;
      expect(doc["TLS.userbuf"]).toBe(vector.userBufBase64);
      expect(doc["TLS.sig"]).toBe(vector.hmacBase64);
      expect(doc["TLS.expire"]).toBe(expireSeconds);
    }
  });

  it("accepts privilege names and reports them in --json", () => {
    const r = imauthJson(
      [
        "tencent",
        "gen",
        "--sdkappid",
        "1400000000",
        "--user",
        "u1",
        "--room",
        "42",
        "--privilege",
        "enter,recv-audio",
      ],
      env,
    );
    expect(r.status).toBe(0);
    expect(r.json.privateMapKey).toMatchObject({
      roomId: 42,
      privilegeMap: 10,
      privileges: ["enter", "recv-audio"],
    });
    expect(r.json.userSig).toEqual(expect.any(String));
  });

  it("reads the key from --key-file, and warns when it is given as a flag", () => {
    const file = tempFile("key.txt", `${secretKey}\n`);
    const gen = (...key: string[]) =>
      imauth(["tencent", "gen", "--sdkappid", "1", "--user", "u", ...key, "--now", now]);
    const fromFile = gen("--key-file", file);
    expect(fromFile.status).toBe(0);
    expect(fromFile.stderr).toBe("");
    const fromFlag = gen("--key", secretKey);
    expect(fromFlag.status).toBe(0);
    expect(fromFlag.stderr).toContain("warning");
    expect(fromFlag.stderr).not.toContain(secretKey);
    expect(fromFlag.stdout.trim()).toBe(fromFile.stdout.trim());
  });

  it("fails with exit code 2 and names the variable when the key is missing", () => {
    const r = imauth(["tencent", "gen", "--sdkappid", "1", "--user", "u"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("IMAUTH_TENCENT_KEY");
    expect(r.stdout).toBe("");
  });

  it("rejects bad options with exit code 2", () => {
    for (const args of [
      ["--sdkappid", "abc", "--user", "u"],
      ["--sdkappid", "1"],
      ["--sdkappid", "1", "--user", "u", "--expire", "soon"],
      ["--sdkappid", "1", "--user", "u", "--privilege", "all"],
      ["--sdkappid", "1", "--user", "u", "--room", "1", "--privilege", "fly"],
      ["--sdkappid", "1", "--user", "u", "--bogus"],
      ["--sdkappid", "1", "--user", "u", "--now", "yesterday"],
    ]) {
      const r = imauth(["tencent", "gen", ...args], env);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^imauth: /);
      expect(r.stderr).not.toContain(secretKey);
    }
  });

  it("reports invalid input caught by the library (a control character in the user ID) as a usage error", () => {
    const r = imauth(["tencent", "gen", "--sdkappid", "1", "--user", "a\u0001b"], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("ERR_INVALID_INPUT");
  });
});

describe("imauth tencent decode", () => {
  it("shows the official UserSig's document, times in UTC and local time, and time left", () => {
    const r = imauth(["tencent", "decode", official.expected, "--now", now], { TZ: "Asia/Shanghai" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("identifier    xiaojun");
    expect(r.stdout).toContain("issued        2023-11-14T22:13:20Z  (local 2023-11-15T06:13:20+08:00)");
    expect(r.stdout).toContain("expires       2024-05-12T22:13:20Z  (local 2024-05-13T06:13:20+08:00)");
    expect(r.stdout).toContain("valid for 179d 23h more");
    expect(r.stdout).toContain('"TLS.sig": "LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4="');
  });

  it("says how long ago an expired UserSig expired", () => {
    const r = imauthJson(["tencent", "decode", official.expected, "--now", "2024-05-13T22:13:20Z"]);
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({ expired: true, secondsLeft: -86_400, userId: "xiaojun", sdkAppId });
    expect(r.json.document).toEqual(official.decodedJson);
    const human = imauth(["tencent", "decode", official.expected, "--now", "2024-05-13T22:13:20Z"]);
    expect(human.stdout).toContain("expired 1d ago");
  });

  it("decodes the room permissions of a PrivateMapKey", () => {
    const r = imauthJson(["tencent", "decode", stringRoom.expected, "--now", now]);
    expect(r.status).toBe(0);
    expect(r.json.privateMapKey).toMatchObject({
      roomId: "1000000040",
      roomIdType: "string",
      privilegeMap: 255,
    });
    expect(r.json.privateMapKey.privileges).toHaveLength(8);
  });

  it("reads the UserSig from stdin with -", () => {
    const r = imauth(["tencent", "decode", "-", "--now", now], {}, `${official.expected}\n`);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("sdkappid      1400000000");
  });

  it("exits 1 with ERR_MALFORMED_CREDENTIAL on garbage", () => {
    for (const bad of ["hello", "eJyrVgrxCdYrSy1SslIy0jNQ0gHz", "x".repeat(10_000)]) {
      const r = imauth(["tencent", "decode", bad]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("ERR_MALFORMED_CREDENTIAL");
    }
  });
});

describe("imauth tencent verify", () => {
  const verify = (userSig: string, ...args: string[]) =>
    imauth(["tencent", "verify", userSig, "--sdkappid", String(sdkAppId), "--now", now, ...args], env);

  it("accepts every official producer's UserSig (exit 0)", () => {
    for (const accepted of vectors.verifyAccept) {
      const r = verify(accepted.userSig, "--user", userId);
      expect(r.status, accepted.producer).toBe(0);
      expect(r.stdout).toContain("valid UserSig");
    }
  });

  it("exits 1 with the reason code for each kind of rejection", () => {
    const cases: Array<[string[], string, string]> = [
      [["--user", "someone-else"], official.expected, "ERR_USER_MISMATCH"],
      [["--now", "2025-01-01T00:00:00Z"], official.expected, "ERR_CREDENTIAL_EXPIRED"],
      [[], "not-a-usersig", "ERR_MALFORMED_CREDENTIAL"],
    ];
    for (const [args, userSig, code] of cases) {
      const r = verify(userSig, ...args);
      expect(r.status, code).toBe(1);
      expect(r.stderr).toContain(code);
    }
    const wrongApp = imauth(
      ["tencent", "verify", official.expected, "--sdkappid", "1400000001", "--now", now],
      env,
    );
    expect(wrongApp.status).toBe(1);
    expect(wrongApp.stderr).toContain("ERR_APP_MISMATCH");
    const wrongKey = imauth(
      ["tencent", "verify", official.expected, "--sdkappid", String(sdkAppId), "--now", now],
      {
        IMAUTH_TENCENT_KEY: "another-key",
      },
    );
    expect(wrongKey.status).toBe(1);
    expect(wrongKey.stderr).toContain("ERR_SIGNATURE_INVALID");
  });

  it("prints the rejection as JSON with --json", () => {
    const r = imauthJson(
      [
        "tencent",
        "verify",
        official.expected,
        "--sdkappid",
        String(sdkAppId),
        "--now",
        "2025-01-01T00:00:00Z",
      ],
      env,
    );
    expect(r.status).toBe(1);
    expect(r.json).toMatchObject({ ok: false, code: "ERR_CREDENTIAL_EXPIRED" });
  });
});
