import { spawnSync } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { createWriteStream, mkdtempSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import netease from "../../../vectors/netease.json" with { type: "json" };
import tencent from "../../../vectors/tencent-usersig-v2.json" with { type: "json" };
import { run } from "../src/index.js";
import { feed, imauth, imauthAsync, imauthJson, tempFile, zeros } from "./helpers.js";

const KIB = 1024;
const MIB = 1024 * 1024;
const { sdkAppId, secretKey, nowSeconds } = tencent.inputs;
const app = String(sdkAppId);
const now = String(nowSeconds + 60);
const cb = netease.callback[0]!;

/** Any character a terminal acts on, except the line breaks the CLI writes itself. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding raw control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * A genuine v2 UserSig made with the official algorithm (HMAC-SHA256, zlib, Tencent base64) independently
 * of imauth, whose generator refuses C0 controls in user IDs but whose decoder must still show such a
 * UserSig safely: anyone holding the key (or anyone at all, for decode) can make one.
 */
function userSigFor(userId: string, key: string): string {
  const content = `TLS.identifier:${userId}\nTLS.sdkappid:${app}\nTLS.time:${nowSeconds}\nTLS.expire:86400\n`;
  const sig = createHmac("sha256", key).update(content).digest("base64");
  const doc = {
    "TLS.ver": "2.0",
    "TLS.identifier": userId,
    "TLS.sdkappid": sdkAppId,
    "TLS.time": nowSeconds,
    "TLS.expire": 86400,
    "TLS.sig": sig,
  };
  const b64 = deflateSync(JSON.stringify(doc)).toString("base64");
  return b64.replaceAll("+", "*").replaceAll("/", "-").replaceAll("=", "_");
}

describe("input caps", () => {
  it("stops reading a credential or key from stdin past 64 KiB: exit 2, naming the input and the cap", async () => {
    const sig = userSigFor("alice", secretKey);
    for (const [args, flag] of [
      [["tencent", "decode", "-"], "<usersig>"],
      [["legacy", "decode", "-"], "<usersig>"],
      [["tencent", "verify", sig, "--sdkappid", app, "--key-file", "-"], "--key-file"],
    ] as const) {
      const input = zeros(4 * MIB);
      const r = await imauthAsync([...args], { input: input.stream });
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toContain(`${flag}: stdin holds more than 64 KiB, the limit for a credential or key`);
      // Stopped at the cap: what was taken is the cap plus what pipes buffer, not the whole input.
      expect(input.pulled()).toBeLessThan(1 * MIB);
      expect(r.ms).toBeLessThan(5000);
    }
  });

  it("stops reading a callback body from stdin past 4 MiB, and takes one of exactly 4 MiB", async () => {
    const args = ["netease", "verify-callback", "--body-file", "-", "--header", "MD5:x"];
    const env = { IMAUTH_NETEASE_SECRET: cb.appSecret };
    const input = zeros(16 * MIB);
    const over = await imauthAsync(args, { env, input: input.stream });
    expect(over.status).toBe(2);
    expect(over.stderr).toContain("--body-file: stdin holds more than 4 MiB, the limit for a callback body");
    expect(input.pulled()).toBeLessThan(5 * MIB);
    expect(over.ms).toBeLessThan(5000);
    // At the cap exactly the body is read and checked (and rejected: the headers do not match it).
    const exact = await imauthAsync(args, { env, input: zeros(4 * MIB).stream });
    expect(exact.status).toBe(1);
    expect(exact.stderr).toContain("ERR_WEBHOOK_INVALID");
  });

  it("refuses regular files over the cap", async () => {
    const body = tempFile("body.json", "");
    truncateSync(body, 5 * MIB); // sparse: nothing written to disk
    const key = tempFile("key.txt", "k".repeat(100 * KIB));
    const r = await imauthAsync(["netease", "verify-callback", "--body-file", body, "--header", "MD5:x"], {
      env: { IMAUTH_NETEASE_SECRET: cb.appSecret },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--body-file: '${body}' holds more than 4 MiB, the limit for a callback body`);
    const k = await imauthAsync(["tencent", "gen", "--sdkappid", app, "--user", "u", "--key-file", key]);
    expect(k.status).toBe(2);
    expect(k.stderr).toContain("holds more than 64 KiB, the limit for a credential or key");
  });

  it.skipIf(process.platform === "win32")("reads devices and FIFOs only up to the cap", async () => {
    const dev = await imauthAsync([
      "tencent",
      "gen",
      "--sdkappid",
      app,
      "--user",
      "u",
      "--key-file",
      "/dev/zero",
    ]);
    expect(dev.status).toBe(2);
    expect(dev.stderr).toContain("--key-file: '/dev/zero' holds more than 64 KiB");
    expect(dev.ms).toBeLessThan(5000);

    const fifo = join(mkdtempSync(join(tmpdir(), "imauth-cli-")), "body");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const pending = imauthAsync(["netease", "verify-callback", "--body-file", fifo, "--header", "MD5:x"], {
      env: { IMAUTH_NETEASE_SECRET: cb.appSecret },
    });
    const input = zeros(16 * MIB);
    feed(input.stream, createWriteStream(fifo));
    const r = await pending;
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("holds more than 4 MiB, the limit for a callback body");
    expect(input.pulled()).toBeLessThan(5 * MIB);
  });

  it("holds an embedder's CliIo that ignores the cap to it all the same", async () => {
    let stderr = "";
    const code = await run(["netease", "verify-callback", "--body-file", "body.json", "--header", "MD5:x"], {
      env: { IMAUTH_NETEASE_SECRET: cb.appSecret },
      stdout: () => {},
      stderr: (text) => {
        stderr += text;
      },
      readFile: async () => new Uint8Array(5 * MIB),
      nowMs: () => Number(cb.curTimeMs),
    });
    expect(code).toBe(2);
    expect(stderr).toContain("--body-file: 'body.json' holds more than 4 MiB, the limit for a callback body");
  });
});

describe("human output escapes control characters", () => {
  const hostile = "mallory\u001b[31m\u0007\r\u009b2J\u202etxt.exe";

  it("a validly signed UserSig for a user ID with ESC, BEL, CR, C1 CSI and RLO", () => {
    const userSig = userSigFor(hostile, secretKey);
    const env = { IMAUTH_TENCENT_KEY: secretKey };
    const verified = imauth(["tencent", "verify", userSig, "--sdkappid", app, "--now", now], env);
    expect(verified.status).toBe(0); // genuine: the signature checks out
    const decoded = imauth(["tencent", "decode", userSig, "--now", now]);
    expect(decoded.status).toBe(0);
    for (const r of [verified, decoded]) {
      expect(r.stdout).not.toMatch(RAW_CONTROL);
      expect(r.stdout).toContain("identifier    mallory\\x1b[31m\\x07\\x0d\\x9b2J\\u202etxt.exe");
    }
    // JSON output is left as it is: parsed, it gives back the user ID exactly.
    expect(imauthJson(["tencent", "decode", userSig, "--now", now]).json.userId).toBe(hostile);
  });

  it("a UserSig and PrivateMapKey made by imauth itself for a user and room with C1 and bidi controls", () => {
    const env = { IMAUTH_TENCENT_KEY: secretKey };
    const user = "eve\u009b2J\u2066x";
    const room = "room\u202e1";
    const gen = imauth(
      ["tencent", "gen", "--sdkappid", app, "--user", user, "--room", room, "--now", String(nowSeconds)],
      env,
    );
    expect(gen.status).toBe(0);
    const r = imauth(["tencent", "verify", gen.stdout.trim(), "--sdkappid", app, "--now", now], env);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain("eve\\x9b2J\\u2066x");
    expect(r.stdout).toContain('"room\\u202e1" (string room)');
  });

  it("a signed NetEase callback whose body holds ESC", () => {
    const body = '{"eventType":"1","fromAccount":"a\u001b]0;owned\u0007\u001b[2J"}';
    const md5 = createHash("md5").update(body).digest("hex");
    const checkSum = createHash("sha1").update(`${cb.appSecret}${md5}${cb.curTimeMs}`).digest("hex");
    const r = imauth(
      [
        "netease",
        "verify-callback",
        "--body-file",
        tempFile("body.json", body),
        "--header",
        `CurTime:${cb.curTimeMs}`,
        "--header",
        `MD5:${md5}`,
        "--header",
        `CheckSum:${checkSum}`,
        "--now",
        "1700000010",
      ],
      { IMAUTH_NETEASE_SECRET: cb.appSecret },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain("a\\x1b]0;owned\\x07\\x1b[2J");
  });

  it("messages on stderr that echo what was typed", () => {
    const r = imauth(["\u001b[2Jwechat"]);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr).toContain("unknown vendor '\\x1b[2Jwechat'");
  });
});

describe("secret flags", () => {
  it("--help of every command taking a secret flag names the safe ways", () => {
    for (const [group, command, flag, env, fileFlag] of [
      ["tencent", "gen", "key", "IMAUTH_TENCENT_KEY", "key-file"],
      ["tencent", "verify", "key", "IMAUTH_TENCENT_KEY", "key-file"],
      ["netease", "headers", "secret", "IMAUTH_NETEASE_SECRET", "secret-file"],
      ["netease", "token", "secret", "IMAUTH_NETEASE_SECRET", "secret-file"],
      ["netease", "nertc-token", "secret", "IMAUTH_NETEASE_SECRET", "secret-file"],
      ["netease", "nertc-permission-key", "perm-secret", "IMAUTH_NERTC_PERM_SECRET", "perm-secret-file"],
      ["netease", "verify-callback", "secret", "IMAUTH_NETEASE_SECRET", "secret-file"],
    ] as const) {
      const help = imauth([group, command, "--help"]).stdout;
      expect(help, `${group} ${command}`).toContain("Secrets:");
      expect(help).toContain(`--${flag} shows the secret in the process list and shell history`);
      expect(help).toContain(`the safe ways are the environment variable ${env} or --${fileFlag} FILE`);
    }
  });
});
