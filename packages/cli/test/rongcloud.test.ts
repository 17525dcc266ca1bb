import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/rongcloud.json" with { type: "json" };
import { imauth, imauthJson, tempFile } from "./helpers.js";

const api = vectors.vectors.filter((v) => v.kind === "apiSignature") as any[];
const callbacks = vectors.vectors.filter((v) => v.kind === "callbackSignature") as any[];
const first = api[0]!;
const envOf = (v: any) => ({ IMAUTH_RONGCLOUD_APPKEY: v.appKey, IMAUTH_RONGCLOUD_SECRET: v.appSecret });
const seconds = (v: any) => v.timestampUnit.startsWith("seconds");
/** `--now` at the vector's Timestamp (Unix seconds). */
const nowOf = (v: any, delta = 0) =>
  String((seconds(v) ? Number(v.timestamp) : Math.floor(Number(v.timestamp) / 1000)) + delta);

describe("imauth rongcloud headers", () => {
  it("makes the documented and the official SDK's headers for a given nonce and time", () => {
    for (const v of api) {
      const args = ["rongcloud", "headers", "--nonce", v.nonce, "--now", nowOf(v)];
      const r = imauthJson(seconds(v) ? [...args, "--seconds"] : args, envOf(v));
      expect(r.status, v.id).toBe(0);
      expect(r.json).toEqual({
        "App-Key": v.headers["App-Key"],
        Nonce: v.headers.Nonce,
        Timestamp: v.headers.Timestamp,
        Signature: v.headers.Signature,
      });
    }
    const human = imauth(
      ["rongcloud", "headers", "--nonce", first.nonce, "--seconds", "--now", nowOf(first)],
      envOf(first),
    );
    expect(human.stdout).toContain(`Signature: ${first.signature}`);
    const curl = imauth(
      ["rongcloud", "headers", "--nonce", first.nonce, "--seconds", "--now", nowOf(first), "--curl"],
      envOf(first),
    );
    expect(curl.stdout.trim()).toBe(
      `-H App-Key:${first.appKey} -H Nonce:${first.nonce} -H Timestamp:${first.timestamp} -H Signature:${first.signature}`,
    );
  });

  it("a fresh nonce and a millisecond Timestamp by default", () => {
    const a = imauthJson(["rongcloud", "headers"], envOf(first)).json;
    const b = imauthJson(["rongcloud", "headers"], envOf(first)).json;
    expect(a.Nonce).not.toBe(b.Nonce);
    expect(a.Timestamp).toMatch(/^\d{13}$/);
  });

  it("usage errors exit 2: no App Key, no secret, a nonce too long", () => {
    const noKey = imauth(["rongcloud", "headers"], { IMAUTH_RONGCLOUD_SECRET: first.appSecret });
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toContain("IMAUTH_RONGCLOUD_APPKEY");
    const noSecret = imauth(["rongcloud", "headers", "--appkey", "k"]);
    expect(noSecret.status).toBe(2);
    expect(noSecret.stderr).toContain("IMAUTH_RONGCLOUD_SECRET");
    const long = imauth(["rongcloud", "headers", "--nonce", "n".repeat(19)], envOf(first));
    expect(long.status).toBe(2);
    expect(long.stderr).toContain("ERR_INVALID_INPUT");
  });
});

describe("imauth rongcloud verify", () => {
  it("accepts the vectors' headers, by shortcut flags or as received, plain or RC- prefixed", () => {
    for (const v of api) {
      const r = imauthJson(
        [
          "rongcloud",
          "verify",
          "--nonce",
          v.nonce,
          "--timestamp",
          v.timestamp,
          "--signature",
          v.signature,
          "--now",
          nowOf(v, 10),
        ],
        envOf(v),
      );
      expect(r.status, `${v.id}: ${r.stderr}`).toBe(0);
      expect(r.json).toMatchObject({
        ok: true,
        valid: true,
        appKey: v.appKey,
        nonce: v.nonce,
        timestamp: v.timestamp,
        timestampUnit: seconds(v) ? "seconds" : "ms",
        prefixed: false,
      });
    }
    const received = ["App-Key", "Nonce", "Timestamp", "Signature"].flatMap((k) => [
      "--header",
      `RC-${k}:${first.headers[k]}`,
    ]);
    const prefixed = imauthJson(["rongcloud", "verify", ...received, "--now", nowOf(first)], {
      IMAUTH_RONGCLOUD_SECRET: first.appSecret,
    });
    expect(prefixed.status).toBe(0);
    expect(prefixed.json.prefixed).toBe(true);
    const human = imauth(["rongcloud", "verify", ...received, "--now", nowOf(first)], envOf(first));
    expect(human.stdout).toContain("valid signature headers");
    expect(human.stdout).toContain(`${first.timestamp} (seconds)`);
  });

  it("exits 1 with the reason code: wrong secret, other App Key, old Timestamp, malformed header", () => {
    const v = api[1]!; // the documented example, milliseconds
    const args = ["--nonce", v.nonce, "--timestamp", v.timestamp, "--signature", v.signature];
    const cases: Array<[string[], Record<string, string>, string]> = [
      [
        [...args, "--now", nowOf(v)],
        { ...envOf(v), IMAUTH_RONGCLOUD_SECRET: "not-the-secret" },
        "ERR_SIGNATURE_INVALID",
      ],
      [
        ["--header", `App-Key:${v.appKey}`, ...args, "--appkey", "another-app", "--now", nowOf(v)],
        { IMAUTH_RONGCLOUD_SECRET: v.appSecret },
        "ERR_APP_MISMATCH",
      ],
      [[...args, "--now", nowOf(v, 301)], envOf(v), "ERR_CREDENTIAL_EXPIRED"],
      [[...args, "--now", nowOf(v, -301)], envOf(v), "ERR_CREDENTIAL_EXPIRED"],
      [
        ["--nonce", v.nonce, "--timestamp", "soon", "--signature", v.signature, "--now", nowOf(v)],
        envOf(v),
        "ERR_MALFORMED_CREDENTIAL",
      ],
    ];
    for (const [a, e, code] of cases) {
      const r = imauth(["rongcloud", "verify", ...a], e);
      expect(r.status, `${code}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toContain(code);
    }
    const json = imauthJson(["rongcloud", "verify", ...args, "--now", nowOf(v, 301)], envOf(v));
    expect(json.json).toMatchObject({ ok: false, code: "ERR_CREDENTIAL_EXPIRED" });
    const wide = imauth(
      ["rongcloud", "verify", ...args, "--now", nowOf(v, 301), "--max-skew", "10m"],
      envOf(v),
    );
    expect(wide.status).toBe(0);
  });

  it("usage errors exit 2: no App Key anywhere, no signature", () => {
    const noKey = imauth(["rongcloud", "verify", "--nonce", "1", "--timestamp", "1", "--signature", "a"], {
      IMAUTH_RONGCLOUD_SECRET: first.appSecret,
    });
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toContain("the App Key is missing");
    const noSig = imauth(["rongcloud", "verify", "--nonce", "1", "--timestamp", "1"], envOf(first));
    expect(noSig.status).toBe(2);
    expect(noSig.stderr).toContain("--signature is required");
  });
});

describe("imauth rongcloud verify-callback", () => {
  const cbNow = (v: any, delta = 0) => String(Math.floor(Number(v.signTimestamp) / 1000) + delta);

  it("accepts the signed callback URLs, absolute or path-only, and shows the body", () => {
    for (const v of callbacks) {
      const e = { IMAUTH_RONGCLOUD_SECRET: v.appSecret };
      const r = imauthJson(["rongcloud", "verify-callback", "--url", v.url, "--now", cbNow(v)], e);
      expect(r.status, v.id).toBe(0);
      expect(r.json).toMatchObject({
        ok: true,
        valid: true,
        details: { nonce: v.nonce, signTimestamp: v.signTimestamp },
        signedAt: { unix: Math.floor(Number(v.signTimestamp) / 1000) },
      });
      const path = new URL(v.url);
      const relative = imauth(
        ["rongcloud", "verify-callback", "--url", `${path.pathname}${path.search}`, "--now", cbNow(v)],
        e,
      );
      expect(relative.status).toBe(0);
    }
    const v = callbacks[0]!;
    const body = tempFile("body.json", '{"appKey":"uwd1c0sxdlx2","userid":"u1","status":"0"}');
    const withBody = imauthJson(
      ["rongcloud", "verify-callback", "--url", v.url, "--body-file", body, "--now", cbNow(v)],
      {
        IMAUTH_RONGCLOUD_SECRET: v.appSecret,
      },
    );
    expect(withBody.json).toMatchObject({ appKey: "uwd1c0sxdlx2", payload: { userid: "u1" } });
  });

  it("exits 1 on a changed query, a wrong secret or an old callback", () => {
    const v = callbacks[1]!;
    const e = { IMAUTH_RONGCLOUD_SECRET: v.appSecret };
    const cases: Array<[string, Record<string, string>, string, string]> = [
      [v.url.replace(`nonce=${v.nonce}`, "nonce=1"), e, cbNow(v), "ERR_WEBHOOK_INVALID"],
      [v.url, { IMAUTH_RONGCLOUD_SECRET: "not-the-secret" }, cbNow(v), "ERR_WEBHOOK_INVALID"],
      [v.url.replace(/&signature=.*/, ""), e, cbNow(v), "ERR_WEBHOOK_INVALID"],
      [v.url, e, cbNow(v, 301), "ERR_WEBHOOK_EXPIRED"],
    ];
    for (const [url, env, now, code] of cases) {
      const r = imauth(["rongcloud", "verify-callback", "--url", url, "--now", now], env);
      expect(r.status, url).toBe(1);
      expect(r.stderr).toContain(code);
    }
  });

  it("usage errors exit 2: no --url, a bad --url, no secret", () => {
    const e = { IMAUTH_RONGCLOUD_SECRET: callbacks[0]!.appSecret };
    for (const [args, env, message] of [
      [[], e, "--url is required"],
      [["--url", "http://[bad"], e, "--url is not a URL"],
      [["--url", callbacks[0]!.url], {}, "IMAUTH_RONGCLOUD_SECRET"],
    ] as const) {
      const r = imauth(["rongcloud", "verify-callback", ...args], env);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });
});

describe("rongcloud secrets and help", () => {
  it("never prints the App Secret; a flag warns", () => {
    const secret = first.appSecret;
    const cb = callbacks[0]!;
    const runs = [
      imauth(["rongcloud", "headers", "--appkey", first.appKey, "--secret", secret]),
      imauth(["rongcloud", "headers", "--json"], envOf(first)),
      imauth(
        [
          "rongcloud",
          "verify",
          "--nonce",
          first.nonce,
          "--timestamp",
          first.timestamp,
          "--signature",
          first.signature,
          "--json",
        ],
        envOf(first),
      ),
      imauth(["rongcloud", "verify-callback", "--url", cb.url, "--json"], {
        IMAUTH_RONGCLOUD_SECRET: secret,
      }),
      imauth(["rongcloud", "verify-callback", "--url", cb.url, "--now", cbNowOf(cb)], {
        IMAUTH_RONGCLOUD_SECRET: secret,
      }),
    ];
    expect(runs[0]!.status).toBe(0);
    expect(runs[0]!.stderr).toContain("warning");
    expect(runs[4]!.status).toBe(0);
    for (const r of runs) expect(`${r.stdout}${r.stderr}`).not.toContain(secret);
  });

  it("--help names the safe ways, and the group says why there is no gen or decode", () => {
    for (const command of ["headers", "verify", "verify-callback"]) {
      const r = imauth(["rongcloud", command, "--help"]);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("Examples:");
      expect(r.stdout).toContain(
        "the safe ways are the environment variable IMAUTH_RONGCLOUD_SECRET or --secret-file FILE",
      );
    }
    const group = imauth(["rongcloud", "--help"]);
    expect(group.stdout).toContain("No gen or decode");
    expect(imauth(["rongcloud", "gen"]).status).toBe(2);
  });
});

function cbNowOf(v: any): string {
  return String(Math.floor(Number(v.signTimestamp) / 1000));
}
