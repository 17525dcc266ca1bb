import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/agora.json" with { type: "json" };
import { imauth, imauthJson, tempFile } from "./helpers.js";

/** One vector of the shared file (their kinds differ in shape). */
type Vector = any;
const of = (id: string): Vector => vectors.vectors.find((v) => v.id === id)!;

const rtc0 = of("agora-rtc-01-uid0-publisher");
const rtcMax = of("agora-rtc-02-maxuid-subscriber");
const rtcNoPriv = of("agora-rtc-03-uid-publisher-default-privexpire");
const rtm = of("agora-rtm-01");
const chatUser = of("agora-chat-user-01");
const chatApp = of("agora-chat-app-01");
const ncs1 = of("agora-ncs-01");
const ncs2 = of("agora-ncs-02");

const env = { IMAUTH_AGORA_APP_ID: rtc0.appId, IMAUTH_AGORA_CERTIFICATE: rtc0.appCertificate };
const OTHER_CERT = "0123456789abcdef0123456789abcdef";

/** The token's content, inflated with node:zlib independently of imauth: what `contentHex` holds. */
function contentHex(token: string): string {
  expect(token.startsWith("007")).toBe(true);
  return inflateSync(Buffer.from(token.slice(3), "base64")).toString("hex");
}

/** `gen` at the vector's issue time and salt. */
function gen(v: Vector, args: string[]) {
  return imauth(["agora", "gen", ...args, "--salt", String(v.salt), "--now", String(v.issueTs)], {
    IMAUTH_AGORA_APP_ID: v.appId,
    IMAUTH_AGORA_CERTIFICATE: v.appCertificate,
  });
}

describe("imauth agora gen", () => {
  it("makes the official builders' content for rtc, rtm, chat-user and chat-app", () => {
    const cases: Array<[Vector, string[]]> = [
      [rtc0, ["rtc", "--channel", rtc0.args.channelName, "--uid", "0", "--ttl", "3600"]],
      [
        rtcMax,
        [
          "rtc",
          "--channel",
          rtcMax.args.channelName,
          "--uid",
          String(rtcMax.args.uid),
          "--role",
          "subscriber",
          "--ttl",
          String(rtcMax.args.tokenExpire),
          "--privilege-ttl",
          String(rtcMax.args.privilegeExpire),
        ],
      ],
      [
        rtcNoPriv,
        ["rtc", "--channel", rtcNoPriv.args.channelName, "--uid", String(rtcNoPriv.args.uid), "--ttl", "600"],
      ],
      [rtm, ["rtm", "--user", rtm.args.userId, "--ttl", String(rtm.args.expire)]],
      [chatUser, ["chat-user", "--user", chatUser.args.userId, "--ttl", String(chatUser.args.expire)]],
      [chatApp, ["chat-app", "--ttl", String(chatApp.args.expire)]],
    ];
    for (const [v, args] of cases) {
      // The official builders default the privileges' lifetime to 0; imauth to the token's, unless told.
      const extra = v === rtcNoPriv ? ["--privilege-ttl", "0"] : [];
      const r = gen(v, [...args, ...extra]);
      expect(r.status, `${v.id}: ${r.stderr}`).toBe(0);
      expect(contentHex(r.stdout.trim()), v.id).toBe(v.contentHex);
    }
  });

  it("--json adds the decoded fields", () => {
    const r = imauthJson(
      ["agora", "gen", "rtm", "--user", rtm.args.userId, "--ttl", "1h", "--salt", String(rtm.salt)].concat([
        "--now",
        String(rtm.issueTs),
      ]),
      env,
    );
    expect(r.status).toBe(0);
    expect(contentHex(r.json.token)).toBe(rtm.contentHex);
    expect(r.json).toMatchObject({
      kind: "rtm",
      appId: rtm.appId,
      salt: rtm.salt,
      expireSeconds: rtm.decoded.expire,
      issuedAt: { unix: rtm.decoded.issueTs },
      expiresAt: { unix: rtm.decoded.tokenExpiresAt },
      services: [{ name: "rtm", type: 2, userId: rtm.args.userId }],
    });
  });

  it("usage errors exit 2", () => {
    for (const [args, message] of [
      [["agora", "gen", "voice"], "<kind> must be one of rtc, rtm, chat-user, chat-app"],
      [["agora", "gen", "rtc", "--uid", "1"], "--channel is required"],
      [["agora", "gen", "rtc", "--channel", "c"], "--uid N (0 for any user) or --account A"],
      [["agora", "gen", "rtc", "--channel", "c", "--uid", "1", "--account", "a"], "not both"],
      [["agora", "gen", "rtc", "--channel", "c", "--uid", "1", "--role", "host"], "--role must be"],
      [["agora", "gen", "rtm"], "--user is required for rtm tokens"],
      [
        ["agora", "gen", "chat-user", "--user", "a", "--channel", "c"],
        "--channel applies to rtc tokens only",
      ],
      [["agora", "gen", "rtc", "--channel", "c", "--uid", "1", "--user", "u"], "--user applies to rtm and"],
      [["agora", "gen", "chat-app", "--salt", "0"], "--salt must be between 1 and 99999999"],
      [["agora", "gen"], "missing argument <kind>"],
    ] as const) {
      const r = imauth([...args], env);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toContain(message);
    }
    const noApp = imauth(["agora", "gen", "chat-app"], { IMAUTH_AGORA_CERTIFICATE: rtc0.appCertificate });
    expect(noApp.status).toBe(2);
    expect(noApp.stderr).toContain("IMAUTH_AGORA_APP_ID");
    const noCert = imauth(["agora", "gen", "chat-app"], { IMAUTH_AGORA_APP_ID: rtc0.appId });
    expect(noCert.status).toBe(2);
    expect(noCert.stderr).toContain("IMAUTH_AGORA_CERTIFICATE");
    // The library's own refusal of a malformed certificate: a usage error, the value not echoed.
    const bad = imauth(["agora", "gen", "chat-app"], {
      ...env,
      IMAUTH_AGORA_CERTIFICATE: "not-hex-certificate",
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("ERR_INVALID_CONFIG");
    expect(bad.stderr).not.toContain("not-hex-certificate");
  });
});

describe("imauth agora decode", () => {
  it("shows services, privileges and absolute expiry of the official tokens, without a key", () => {
    for (const v of [rtc0, rtcMax, rtcNoPriv, rtm, chatUser, chatApp]) {
      for (const token of [v.token, v.tokenPython]) {
        const r = imauthJson(["agora", "decode", token, "--now", String(v.issueTs)]);
        expect(r.status, v.id).toBe(0);
        const d = v.decoded;
        expect(r.json).toMatchObject({
          version: "007",
          appId: d.appId,
          salt: d.salt,
          serviceCount: d.serviceCount,
          expireSeconds: d.expire,
          issuedAt: { unix: d.issueTs },
          expiresAt: { unix: d.tokenExpiresAt },
          expired: false,
        });
        expect(r.json.services).toHaveLength(d.services.length);
        d.services.forEach((s: any, i: number) => {
          const got = r.json.services[i];
          expect(got).toMatchObject({ type: s.type, name: s.name });
          for (const field of ["channelName", "uid", "userId"]) {
            if (s[field] !== undefined) expect(got[field], `${v.id} ${field}`).toBe(s[field]);
          }
          for (const [name, p] of Object.entries<any>(s.privileges)) {
            expect(got.privileges[name].id).toBe(p.id);
            expect(got.privileges[name].expireSeconds).toBe(p.expire);
            expect(got.privileges[name].expiresAt?.unix ?? null, `${v.id} ${name}`).toBe(p.expiresAt);
          }
        });
      }
    }
  });

  it("human output names the services and marks it as not verified; stdin works", () => {
    const r = imauth(["agora", "decode", "-", "--now", String(rtcMax.issueTs)], {}, `${rtcMax.token}\n`);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("not verified");
    expect(r.stdout).toContain(`rtc (type 1): channel "room-1", uid ${rtcMax.args.uid}`);
    expect(r.stdout).toContain("2025-01-01T00:10:00Z");
    const any = imauth(["agora", "decode", rtc0.token, "--now", String(rtc0.issueTs)]);
    expect(any.stdout).toContain("uid 0 (any user)");
    const app = imauth(["agora", "decode", chatApp.token, "--now", String(chatApp.issueTs)]);
    expect(app.stdout).toContain("chat (type 5): the app (app token)");
  });

  it("refuses what is not a token with exit 1 and ERR_MALFORMED_CREDENTIAL", () => {
    for (const token of ["not-a-token", "007!!!!", rtm.token.slice(0, 40)]) {
      const r = imauth(["agora", "decode", token]);
      expect(r.status, token).toBe(1);
      expect(r.stderr).toContain("ERR_MALFORMED_CREDENTIAL");
    }
    const json = imauthJson(["agora", "decode", "not-a-token"]);
    expect(json.json).toMatchObject({ ok: false, code: "ERR_MALFORMED_CREDENTIAL" });
  });
});

describe("imauth agora verify", () => {
  const at = (v: Vector, offset = 60) => ["--now", String(v.issueTs + offset)];

  it("accepts the official tokens with their certificate, and what they grant", () => {
    for (const [v, expect_] of [
      [rtc0, ["--channel", rtc0.args.channelName, "--uid", "12345", "--privilege", "publishAudioStream"]],
      [rtcMax, ["--channel", "room-1", "--uid", String(rtcMax.args.uid), "--privilege", "joinChannel"]],
      [rtm, ["--service", "rtm", "--user", rtm.args.userId, "--privilege", "login"]],
      [chatUser, ["--service", "chat", "--user", chatUser.args.userId, "--privilege", "user"]],
      [chatApp, ["--service", "chat", "--user", "", "--privilege", "app"]],
    ] as const) {
      for (const token of [v.token, v.tokenPython]) {
        const r = imauth(["agora", "verify", token, ...expect_, ...at(v)], env);
        expect(r.status, `${v.id}: ${r.stderr}`).toBe(0);
        expect(r.stdout).toContain("valid AccessToken2");
      }
    }
    const json = imauthJson(["agora", "verify", rtm.token, ...at(rtm)], env);
    expect(json.json).toMatchObject({ ok: true, valid: true, appId: rtm.appId, salt: rtm.salt });
  });

  it("exits 1 with the reason code on each rejection", () => {
    const cases: Array<[string[], Record<string, string>, string]> = [
      [[rtm.token, ...at(rtm, 3601)], env, "ERR_CREDENTIAL_EXPIRED"],
      [[rtm.token, ...at(rtm)], { ...env, IMAUTH_AGORA_CERTIFICATE: OTHER_CERT }, "ERR_SIGNATURE_INVALID"],
      [[rtm.token, ...at(rtm)], { ...env, IMAUTH_AGORA_APP_ID: OTHER_CERT }, "ERR_APP_MISMATCH"],
      [[rtcMax.token, "--uid", "7", ...at(rtcMax)], env, "ERR_USER_MISMATCH"],
      [[rtcMax.token, "--channel", "room-2", ...at(rtcMax)], env, "ERR_USERBUF_MISMATCH"],
      // The subscriber's join privilege (600 s) expires before the token (86400 s).
      [
        [rtcMax.token, "--privilege", "joinChannel", "--service", "rtc", ...at(rtcMax, 601)],
        env,
        "ERR_CREDENTIAL_EXPIRED",
      ],
      [
        [rtcMax.token, "--service", "rtc", "--privilege", "publishAudioStream", ...at(rtcMax)],
        env,
        "ERR_USERBUF_MISMATCH",
      ],
      [[rtm.token, "--service", "chat", ...at(rtm)], env, "ERR_USERBUF_MISMATCH"],
      [[chatUser.token, "--service", "chat", "--user", "mallory", ...at(chatUser)], env, "ERR_USER_MISMATCH"],
      [["007eJzLSM3JyQcABiwCFQ==", ...at(rtm)], env, "ERR_MALFORMED_CREDENTIAL"],
    ];
    for (const [args, e, code] of cases) {
      const r = imauth(["agora", "verify", ...args], e);
      expect(r.status, `${args.slice(1).join(" ")}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toContain(code);
    }
    const json = imauthJson(["agora", "verify", ...cases[0]![0]], cases[0]![1]);
    expect(json.status).toBe(1);
    expect(json.json).toMatchObject({ ok: false, code: cases[0]![2] });
  });

  it("usage errors exit 2", () => {
    for (const [args, message] of [
      [["--service", "voice"], "--service must be one of rtc, rtm"],
      [["--service", "rtm", "--channel", "c"], "apply to --service rtc"],
      [["--user", "alice"], "--user and --privilege need --service"],
      [["--channel", "c", "--user", "alice"], "not --user"],
      [["--uid", "1", "--account", "a"], "not both"],
      [["--uid", "x"], "--uid must be a whole number"],
    ] as const) {
      const r = imauth(["agora", "verify", rtm.token, ...args], env);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });
});

describe("imauth agora verify-callback", () => {
  const ncsNow = (v: Vector, delta = 0) => String(Math.floor(JSON.parse(v.body).notifyMs / 1000) + delta);

  it("accepts the signed NCS callbacks by Agora-Signature-V2, the older SHA-1 header or --header", () => {
    for (const v of [ncs1, ncs2]) {
      const body = tempFile("body.json", v.body);
      const e = { IMAUTH_AGORA_NCS_SECRET: v.secret };
      const v2 = imauthJson(
        [
          "agora",
          "verify-callback",
          "--body-file",
          body,
          "--signature",
          v.headers["Agora-Signature-V2"],
          "--now",
          ncsNow(v),
        ],
        e,
      );
      expect(v2.status, v.id).toBe(0);
      const sent = JSON.parse(v.body);
      expect(v2.json).toMatchObject({
        ok: true,
        valid: true,
        event: String(sent.eventType),
        details: { signature: "v2", noticeId: sent.noticeId, productId: String(sent.productId) },
        signedAt: { unix: Math.floor(sent.notifyMs / 1000) },
        payload: sent,
      });
      const v1 = imauthJson(
        [
          "agora",
          "verify-callback",
          "--body-file",
          body,
          "--signature-v1",
          v.headers["Agora-Signature"],
          "--now",
          ncsNow(v),
        ],
        e,
      );
      expect(v1.status).toBe(0);
      expect(v1.json.details.signature).toBe("v1");
      const headers = Object.entries<string>(v.headers).flatMap(([k, val]) => ["--header", `${k}:${val}`]);
      const stdin = imauth(
        ["agora", "verify-callback", "--body-file", "-", ...headers, "--now", ncsNow(v)],
        e,
        v.body,
      );
      expect(stdin.status).toBe(0);
      expect(stdin.stdout).toContain("Agora-Signature-V2 (HMAC-SHA256)");
    }
  });

  it("exits 1 on a changed body, a wrong secret, a wrong V2 with a good V1, or an old callback", () => {
    const e = { IMAUTH_AGORA_NCS_SECRET: ncs2.secret };
    const sig = ["--signature", ncs2.headers["Agora-Signature-V2"]];
    const good = tempFile("body.json", ncs2.body);
    const cases: Array<[string[], Record<string, string>, string]> = [
      [
        ["--body-file", tempFile("b.json", `${ncs2.body} `), ...sig, "--now", ncsNow(ncs2)],
        e,
        "ERR_WEBHOOK_INVALID",
      ],
      [
        ["--body-file", good, ...sig, "--now", ncsNow(ncs2)],
        { IMAUTH_AGORA_NCS_SECRET: "other" },
        "ERR_WEBHOOK_INVALID",
      ],
      [
        [
          "--body-file",
          good,
          "--signature",
          ncs1.headers["Agora-Signature-V2"],
          "--signature-v1",
          ncs2.headers["Agora-Signature"],
          "--now",
          ncsNow(ncs2),
        ],
        e,
        "ERR_WEBHOOK_INVALID",
      ],
      [["--body-file", good, ...sig, "--now", ncsNow(ncs2, 301)], e, "ERR_WEBHOOK_EXPIRED"],
    ];
    for (const [args, env_, code] of cases) {
      const r = imauth(["agora", "verify-callback", ...args], env_);
      expect(r.status, args.join(" ")).toBe(1);
      expect(r.stderr).toContain(code);
    }
    const wide = imauth(
      [
        "agora",
        "verify-callback",
        "--body-file",
        good,
        ...sig,
        "--now",
        ncsNow(ncs2, 301),
        "--max-skew",
        "10m",
      ],
      e,
    );
    expect(wide.status).toBe(0);
  });

  it("usage errors exit 2", () => {
    const e = { IMAUTH_AGORA_NCS_SECRET: ncs2.secret };
    const body = tempFile("body.json", ncs2.body);
    for (const [args, message, env_] of [
      [["--signature", "ab"], "--body-file is required", e],
      [["--body-file", body], "--signature is required", e],
      [
        ["--body-file", body, "--signature", "ab", "--max-skew", "2d"],
        "--max-skew must be between 1 and 86400",
        e,
      ],
      [["--body-file", body, "--header", "nocolon"], "--header must look like Name:value", e],
      [["--body-file", body, "--signature", "ab"], "IMAUTH_AGORA_NCS_SECRET", {}],
    ] as const) {
      const r = imauth(["agora", "verify-callback", ...args], env_);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });
});

describe("agora secrets", () => {
  it("never prints the certificate or the NCS secret, and warns when one is a flag", () => {
    const cert = rtc0.appCertificate;
    const runs = [
      imauth(["agora", "gen", "chat-app", "--app-id", rtc0.appId, "--certificate", cert]),
      imauth(["agora", "gen", "chat-app", "--json"], env),
      imauth(["agora", "verify", rtm.token, "--now", String(rtm.issueTs), "--json"], env),
      imauth(["agora", "verify", rtm.token, "--now", String(rtm.issueTs + 9999)], env),
      imauth(["agora", "verify", rtm.token], { ...env, IMAUTH_AGORA_CERTIFICATE: `${cert}0` }),
      imauth(
        [
          "agora",
          "verify",
          rtm.token,
          "--certificate-file",
          tempFile("cert.txt", `${cert}\n`),
          "--now",
          String(rtm.issueTs),
        ],
        {
          IMAUTH_AGORA_APP_ID: rtc0.appId,
        },
      ),
    ];
    expect(runs[0]!.stderr).toContain("warning");
    expect(runs[5]!.status).toBe(0);
    for (const r of runs) expect(`${r.stdout}${r.stderr}`).not.toContain(cert);
    const body = tempFile("body.json", ncs2.body);
    const sig = ["--signature", ncs2.headers["Agora-Signature-V2"], "--body-file", body];
    for (const r of [
      imauth(["agora", "verify-callback", ...sig, "--ncs-secret", ncs2.secret, "--now", "1700000000"]),
      imauth(["agora", "verify-callback", ...sig, "--json", "--now", "1800000000"], {
        IMAUTH_AGORA_NCS_SECRET: ncs2.secret,
      }),
    ]) {
      expect(`${r.stdout}${r.stderr}`).not.toContain(ncs2.secret);
    }
  });

  it("--help of every command names the safe ways to pass its secret", () => {
    for (const [command, flag, envName, fileFlag] of [
      ["gen", "certificate", "IMAUTH_AGORA_CERTIFICATE", "certificate-file"],
      ["verify", "certificate", "IMAUTH_AGORA_CERTIFICATE", "certificate-file"],
      ["verify-callback", "ncs-secret", "IMAUTH_AGORA_NCS_SECRET", "ncs-secret-file"],
    ] as const) {
      const r = imauth(["agora", command, "--help"]);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("Examples:");
      expect(r.stdout).toContain(`--${flag} shows the secret in the process list and shell history`);
      expect(r.stdout).toContain(
        `the safe ways are the environment variable ${envName} or --${fileFlag} FILE`,
      );
    }
    expect(imauth(["agora", "decode", "--help"]).status).toBe(0);
  });
});
