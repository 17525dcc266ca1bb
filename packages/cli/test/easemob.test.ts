import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/easemob.json" with { type: "json" };
import { imauth, imauthJson, tempFile } from "./helpers.js";

const cbs = vectors.vectors.filter((v) => v.kind === "callbackSecurity") as any[];
const cb = cbs[0]!;
const envOf = (v: any) => ({ IMAUTH_EASEMOB_CALLBACK_SECRET: v.secret });
const nowOf = (v: any, delta = 0) => String(Math.floor(v.timestampMs / 1000) + delta);

describe("imauth easemob verify-callback", () => {
  it("accepts the vectors' callback bodies, from a file or stdin", () => {
    for (const v of cbs) {
      const body = tempFile("body.json", JSON.stringify(v.exampleBody));
      const r = imauthJson(["easemob", "verify-callback", "--body-file", body, "--now", nowOf(v)], envOf(v));
      expect(r.status, v.id).toBe(0);
      expect(r.json).toMatchObject({
        ok: true,
        valid: true,
        appKey: v.callId.slice(0, v.callId.lastIndexOf("_")),
        event: v.exampleBody.eventType,
        details: { callId: v.callId, timestamp: String(v.timestampMs), securityVersion: "1.0.0" },
        signedAt: { unix: Math.floor(v.timestampMs / 1000) },
        payload: v.exampleBody,
      });
      const stdin = imauth(
        ["easemob", "verify-callback", "--body-file", "-", "--now", nowOf(v)],
        envOf(v),
        JSON.stringify(v.exampleBody, null, 2),
      );
      expect(stdin.status).toBe(0);
      expect(stdin.stdout).toContain(`call id       ${v.callId}`);
    }
  });

  it("exits 1 on a wrong secret, a changed callId or timestamp, a missing security, or an old callback", () => {
    const good = JSON.stringify(cb.exampleBody);
    const cases: Array<[string, Record<string, string>, string, string]> = [
      [good, { IMAUTH_EASEMOB_CALLBACK_SECRET: "not-the-secret" }, nowOf(cb), "ERR_WEBHOOK_INVALID"],
      [good.replace(cb.callId, `${cb.callId}x`), envOf(cb), nowOf(cb), "ERR_WEBHOOK_INVALID"],
      [
        good.replace(String(cb.timestampMs), String(cb.timestampMs + 1)),
        envOf(cb),
        nowOf(cb),
        "ERR_WEBHOOK_INVALID",
      ],
      [
        JSON.stringify({ ...cb.exampleBody, security: undefined }),
        envOf(cb),
        nowOf(cb),
        "ERR_WEBHOOK_INVALID",
      ],
      ["not json", envOf(cb), nowOf(cb), "ERR_WEBHOOK_INVALID"],
      [good, envOf(cb), nowOf(cb, 301), "ERR_WEBHOOK_EXPIRED"],
    ];
    for (const [body, env, now, code] of cases) {
      const r = imauth(
        ["easemob", "verify-callback", "--body-file", tempFile("b.json", body), "--now", now],
        env,
      );
      expect(r.status, body.slice(0, 60)).toBe(1);
      expect(r.stderr).toContain(code);
    }
    const json = imauthJson(
      ["easemob", "verify-callback", "--body-file", tempFile("b.json", good), "--now", nowOf(cb, 301)],
      envOf(cb),
    );
    expect(json.json).toMatchObject({ ok: false, code: "ERR_WEBHOOK_EXPIRED" });
    // Callbacks re-sent from Easemob's exception storage arrive late: --max-skew widens the window to a week.
    const late = imauth(
      [
        "easemob",
        "verify-callback",
        "--body-file",
        tempFile("b.json", good),
        "--now",
        nowOf(cb, 86_400),
        "--max-skew",
        "7d",
      ],
      envOf(cb),
    );
    expect(late.status).toBe(0);
  });

  it("usage errors exit 2", () => {
    const body = tempFile("body.json", JSON.stringify(cb.exampleBody));
    for (const [args, env, message] of [
      [[], envOf(cb), "--body-file is required"],
      [["--body-file", body, "--max-skew", "8d"], envOf(cb), "--max-skew must be between 1 and 604800"],
      [["--body-file", body], {}, "IMAUTH_EASEMOB_CALLBACK_SECRET"],
      [["--body-file", "/nonexistent/body.json"], envOf(cb), "--body-file: cannot read"],
    ] as const) {
      const r = imauth(["easemob", "verify-callback", ...args], env);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });
});

describe("imauth easemob sign-callback", () => {
  it("computes the vectors' security for a callId and timestamp", () => {
    for (const v of cbs) {
      const r = imauthJson(
        ["easemob", "sign-callback", "--call-id", v.callId, "--timestamp", String(v.timestampMs)],
        envOf(v),
      );
      expect(r.status, v.id).toBe(0);
      expect(r.json).toMatchObject({ callId: v.callId, timestamp: v.timestampMs, security: v.security });
      expect(r.json.body).toEqual({
        callId: v.callId,
        timestamp: v.timestampMs,
        securityVersion: "1.0.0",
        security: v.security,
      });
    }
  });

  it("signs a template body into the vector's body, and what it prints verifies", () => {
    const { security: _, ...template } = cb.exampleBody;
    const file = tempFile("template.json", JSON.stringify({ ...template, timestamp: 1 }));
    const r = imauth(
      ["easemob", "sign-callback", "--body-file", file, "--timestamp", String(cb.timestampMs)],
      envOf(cb),
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(cb.exampleBody);
    const verified = imauth(
      ["easemob", "verify-callback", "--body-file", "-", "--now", nowOf(cb)],
      envOf(cb),
      r.stdout,
    );
    expect(verified.status).toBe(0);
    // Without --timestamp the body is signed at --now (or the clock), so it verifies at once.
    const now = imauth(
      ["easemob", "sign-callback", "--call-id", "demo#app_1", "--now", "1700000000"],
      envOf(cb),
    );
    expect(JSON.parse(now.stdout).timestamp).toBe(1_700_000_000_000);
    expect(
      imauth(["easemob", "verify-callback", "--body-file", "-", "--now", "1700000000"], envOf(cb), now.stdout)
        .status,
    ).toBe(0);
  });

  it("writes a callId with terminal controls as JSON escapes, so the body stays verifiable", () => {
    const callId = "demo#app_\u009b2J\u202ex";
    const r = imauth(["easemob", "sign-callback", "--call-id", callId, "--now", "1700000000"], envOf(cb));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("\\u009b2J\\u202ex");
    expect(JSON.parse(r.stdout).callId).toBe(callId);
    expect(
      imauth(["easemob", "verify-callback", "--body-file", "-", "--now", "1700000000"], envOf(cb), r.stdout)
        .status,
    ).toBe(0);
  });

  it("usage errors exit 2", () => {
    for (const [args, input, message] of [
      [[], undefined, "--call-id is required"],
      [["--call-id", "a_1", "--timestamp", "1.5e12"], undefined, "--timestamp must be a whole number"],
      [["--body-file", "-"], "[1,2]", "--body-file must hold a JSON object"],
      [["--body-file", "-"], "{", "--body-file does not hold JSON"],
    ] as const) {
      const r = imauth(["easemob", "sign-callback", ...args], envOf(cb), input);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });
});

describe("easemob secrets and help", () => {
  it("never prints the callback Secret; a flag warns", () => {
    const secret = cbs[1]!.secret;
    const body = tempFile("body.json", JSON.stringify(cbs[1]!.exampleBody));
    const runs = [
      imauth(["easemob", "sign-callback", "--call-id", "a#b_1", "--secret", secret]),
      imauth(["easemob", "sign-callback", "--call-id", "a#b_1", "--json"], {
        IMAUTH_EASEMOB_CALLBACK_SECRET: secret,
      }),
      imauth(["easemob", "verify-callback", "--body-file", body, "--json", "--now", nowOf(cbs[1])], {
        IMAUTH_EASEMOB_CALLBACK_SECRET: secret,
      }),
      imauth(["easemob", "verify-callback", "--body-file", body], { IMAUTH_EASEMOB_CALLBACK_SECRET: secret }),
    ];
    expect(runs[0]!.status).toBe(0);
    expect(runs[0]!.stderr).toContain("warning");
    expect(runs[2]!.status).toBe(0);
    for (const r of runs) expect(`${r.stdout}${r.stderr}`).not.toContain(secret);
  });

  it("--help names the safe ways, and the group says why there is no token command", () => {
    for (const command of ["verify-callback", "sign-callback"]) {
      const r = imauth(["easemob", command, "--help"]);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("Examples:");
      expect(r.stdout).toContain(
        "the safe ways are the environment variable IMAUTH_EASEMOB_CALLBACK_SECRET or --secret-file FILE",
      );
    }
    expect(imauth(["easemob", "--help"]).stdout).toContain("No token command");
  });
});
