import { ImAuthError, isImAuthError, type RawWebhook } from "@imauth/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/tencent-callback.json" with { type: "json" };
import { signTencentCallback } from "../src/testing/index.js";
import {
  tencentCallbackReply as callbackReply,
  tencentCallbackResponse as callbackResponse,
  callbackSignature as callbackSign,
  verifyTencentCallback as verifyCallback,
} from "../src/webhook.js";

const SDK_APP_ID = 1400000001;
const TOKEN = "callback-token-for-tests";
const NOW_MS = 1_700_000_000_000;
const clock = () => NOW_MS;
const opts = { sdkAppId: SDK_APP_ID, callbackToken: TOKEN, clock };

function url(params: Record<string, string>, base = "https://app.example.com/im/callback"): string {
  const u = new URL(base);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

function signedParams(requestTime = String(NOW_MS / 1000), token = TOKEN): Record<string, string> {
  return {
    SdkAppid: String(SDK_APP_ID),
    CallbackCommand: "C2C.CallbackAfterSendMsg",
    contenttype: "json",
    ClientIP: "203.0.113.9",
    OptPlatform: "Android",
    RequestTime: requestTime,
    Sign: callbackSign(token, requestTime),
  };
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isImAuthError(error)) return error.code;
    throw error;
  }
  return "resolved";
}

describe("callbackSign", () => {
  it.each(vectors.examples)("matches the documentation example ($source)", (v) => {
    expect(callbackSign(v.token, v.requestTime)).toBe(v.sign);
    expect(callbackSign(v.token, Number(v.requestTime))).toBe(v.sign);
  });

  it("verifies the documentation example end to end at its RequestTime", async () => {
    for (const v of vectors.examples) {
      const raw: RawWebhook = {
        url: url({
          SdkAppid: String(SDK_APP_ID),
          CallbackCommand: "State.StateChange",
          contenttype: "json",
          RequestTime: v.requestTime,
          Sign: v.sign,
        }),
        headers: {},
        body: "{}",
      };
      const at = Number(v.requestTime) * 1000;
      const event = await verifyCallback(raw, {
        sdkAppId: SDK_APP_ID,
        callbackToken: v.token,
        clock: () => at,
      });
      expect(event.event).toBe("State.StateChange");
      expect(event.receivedAt.getTime()).toBe(at);
      // 61 s later the same callback is refused.
      expect(
        await code(
          verifyCallback(raw, { sdkAppId: SDK_APP_ID, callbackToken: v.token, clock: () => at + 61_000 }),
        ),
      ).toBe("ERR_WEBHOOK_EXPIRED");
    }
  });
});

describe("verifyCallback", () => {
  const body = JSON.stringify({
    CallbackCommand: "C2C.CallbackAfterSendMsg",
    From_Account: "张三",
    To_Account: "émile",
    MsgBody: [{ MsgType: "TIMTextElem", MsgContent: { Text: "你好 🌏 naïve" } }],
  });

  it("accepts a string body with non-ASCII text and returns command, details and payload", async () => {
    const event = await verifyCallback({ url: url(signedParams()), headers: {}, body }, opts);
    expect(event).toMatchObject({
      vendor: "tencent",
      appId: String(SDK_APP_ID),
      event: "C2C.CallbackAfterSendMsg",
      rawBody: body,
      details: {
        clientIp: "203.0.113.9",
        platform: "Android",
        contentType: "json",
        requestTime: "1700000000",
      },
    });
    expect(event.payload).toEqual(JSON.parse(body));
    expect(event.receivedAt.toISOString()).toBe(new Date(NOW_MS).toISOString());
  });

  it("accepts raw bytes (a Buffer from express.raw) and Express-style lower-case header objects", async () => {
    const bytes = Buffer.from(body, "utf8");
    const headers = {
      host: "app.example.com",
      "content-type": "application/json",
      "x-forwarded-for": ["203.0.113.9", "10.0.0.1"],
      "x-missing": undefined,
    };
    const event = await verifyCallback({ url: url(signedParams()), headers, body: bytes }, opts);
    expect(event.rawBody).toBe(body);
    expect(
      (event.payload as { MsgBody: Array<{ MsgContent: { Text: string } }> }).MsgBody[0]!.MsgContent.Text,
    ).toBe("你好 🌏 naïve");
  });

  it("accepts a Fetch Request and a path-only URL", async () => {
    const request = new Request(url(signedParams()), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    });
    expect((await verifyCallback(request, opts)).rawBody).toBe(body);
    const path = new URL(url(signedParams()));
    const event = await verifyCallback({ url: path.pathname + path.search, headers: {}, body }, opts);
    expect(event.event).toBe("C2C.CallbackAfterSendMsg");
  });

  it("finds query names whatever their case", async () => {
    const params = signedParams();
    const lower = Object.fromEntries(Object.entries(params).map(([k, v]) => [k.toLowerCase(), v]));
    const event = await verifyCallback({ url: url(lower), headers: {}, body }, opts);
    expect(event.details.clientIp).toBe("203.0.113.9");
  });

  it("refuses a parameter given twice (in any case), as ambiguous", async () => {
    const u = new URL(url(signedParams()));
    u.searchParams.append("sign", "0".repeat(64));
    expect(await code(verifyCallback({ url: u.toString(), headers: {}, body }, opts))).toBe(
      "ERR_WEBHOOK_INVALID",
    );
  });

  it("returns undefined payload for a body that is not JSON, and refuses invalid UTF-8", async () => {
    const event = await verifyCallback({ url: url(signedParams()), headers: {}, body: "not json" }, opts);
    expect(event.payload).toBeUndefined();
    expect(event.rawBody).toBe("not json");
    const bad = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    expect(await code(verifyCallback({ url: url(signedParams()), headers: {}, body: bad }, opts))).toBe(
      "ERR_WEBHOOK_INVALID",
    );
  });

  it.each([
    ["SdkAppid of another app", { SdkAppid: "1400000002" }],
    ["SdkAppid that is not a number", { SdkAppid: "14e8" }],
    ["no Sign", { Sign: "" }],
    ["Sign of another token", { Sign: callbackSign("other-token", String(NOW_MS / 1000)) }],
    ["Sign that is not hex", { Sign: "z".repeat(64) }],
    ["short Sign", { Sign: "ab" }],
    ["RequestTime not a number", { RequestTime: "17e8" }],
    ["no RequestTime", { RequestTime: "" }],
    ["no CallbackCommand", { CallbackCommand: "" }],
  ])("refuses a callback with %s as ERR_WEBHOOK_INVALID", async (_name, change) => {
    const params = { ...signedParams(), ...change };
    expect(await code(verifyCallback({ url: url(params), headers: {}, body }, opts))).toBe(
      "ERR_WEBHOOK_INVALID",
    );
  });

  it("accepts |RequestTime - now| up to 60 s and refuses more, in both directions", async () => {
    const at = (seconds: number) => signedParams(String(NOW_MS / 1000 + seconds));
    for (const s of [-60, 0, 60]) await verifyCallback({ url: url(at(s)), headers: {}, body }, opts);
    for (const s of [-61, 61, -86_400]) {
      expect(await code(verifyCallback({ url: url(at(s)), headers: {}, body }, opts))).toBe(
        "ERR_WEBHOOK_EXPIRED",
      );
    }
  });

  it("takes a configurable window", async () => {
    const params = signedParams(String(NOW_MS / 1000 - 200));
    const raw = { url: url(params), headers: {}, body };
    expect(await code(verifyCallback(raw, opts))).toBe("ERR_WEBHOOK_EXPIRED");
    await verifyCallback(raw, { ...opts, webhookMaxSkewSeconds: 300 });
  });

  it("refuses bodies over the size cap and non-webhook input", async () => {
    const raw = { url: url(signedParams()), headers: {}, body: "x".repeat(2000) };
    expect(await code(verifyCallback(raw, { ...opts, maxBodyBytes: 1000 }))).toBe("ERR_WEBHOOK_INVALID");
    for (const garbage of [null, 1, "x", { url: 5 }, { url: "/", headers: {}, body: { parsed: true } }]) {
      expect(await code(verifyCallback(garbage as unknown as RawWebhook, opts))).toBe("ERR_WEBHOOK_INVALID");
    }
  });

  it("never puts the token in an error message", async () => {
    const params = { ...signedParams(), Sign: callbackSign("other-token", String(NOW_MS / 1000)) };
    const error = await verifyCallback({ url: url(params), headers: {}, body }, opts).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImAuthError);
    expect(String((error as Error).message)).not.toContain(TOKEN);
    expect(
      await code(verifyCallback({ url: url(params), headers: {}, body }, { ...opts, callbackToken: "" })),
    ).toBe("ERR_INVALID_CONFIG");
  });

  it("property: any change to Sign is refused with ERR_WEBHOOK_INVALID", async () => {
    const params = signedParams();
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 63 }),
        fc.constantFrom(..."0123456789abcdefABCDEFxyz%+ "),
        async (index, char) => {
          const sign = params.Sign!;
          fc.pre(sign[index] !== char && sign[index] !== char.toLowerCase());
          const forged = { ...params, Sign: sign.slice(0, index) + char + sign.slice(index + 1) };
          expect(await code(verifyCallback({ url: url(forged), headers: {}, body }, opts))).toBe(
            "ERR_WEBHOOK_INVALID",
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("property: a changed RequestTime is refused with a typed error", async () => {
    const params = signedParams();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.integer({ min: -120, max: 120 }), fc.integer()), async (delta) => {
        fc.pre(delta !== 0);
        const forged = { ...params, RequestTime: String(NOW_MS / 1000 + delta) };
        const result = await code(verifyCallback({ url: url(forged), headers: {}, body }, opts));
        expect(result).toBe("ERR_WEBHOOK_INVALID");
      }),
      { numRuns: 300 },
    );
  });

  it("property: arbitrary query strings never crash, always give a typed error", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 80 })),
        async (params) => {
          const result = await code(verifyCallback({ url: url(params), headers: {}, body }, opts));
          expect(["ERR_WEBHOOK_INVALID", "ERR_WEBHOOK_EXPIRED"]).toContain(result);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("signTencentCallback", () => {
  it("builds what Tencent sends and what verifyTencentCallback accepts", async () => {
    const request = signTencentCallback({
      sdkAppId: SDK_APP_ID,
      callbackToken: TOKEN,
      command: "State.StateChange",
      body: { Info: { Action: "Login", To_Account: "alice" } },
      clock: () => NOW_MS + 999,
      url: "https://app.example.com/cb?tenant=7",
    });
    expect(request.method).toBe("POST");
    const raw: RawWebhook = { url: request.url, headers: {}, body: await request.clone().text() };
    const u = new URL(request.url);
    expect(u.searchParams.get("tenant")).toBe("7");
    expect(u.searchParams.get("RequestTime")).toBe("1700000000");
    expect(u.searchParams.get("Sign")).toBe(callbackSign(TOKEN, "1700000000"));
    expect(JSON.parse(raw.body as string)).toEqual({
      CallbackCommand: "State.StateChange",
      Info: { Action: "Login", To_Account: "alice" },
    });
    const event = await verifyCallback(raw, opts);
    expect(event.event).toBe("State.StateChange");
    expect(event.details).toMatchObject({ clientIp: "127.0.0.1", platform: "RESTAPI" });
  });
});

describe("callbackReply", () => {
  it("answers Tencent's success reply by default", async () => {
    expect(JSON.stringify(callbackReply())).toBe('{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}');
    const response = callbackResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.text()).toBe('{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}');
  });

  it("rejects with ErrorCode 1 and carries extra fields without letting them override the status", () => {
    expect(JSON.stringify(callbackReply({ errorCode: 1, errorInfo: "blocked" }))).toBe(
      '{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":"blocked"}',
    );
    const reply = callbackReply({
      fields: {
        MsgBody: [{ MsgType: "TIMTextElem", MsgContent: { Text: "***" } }],
        ErrorCode: 9,
        ["__proto__"]: 1,
      },
    });
    expect(reply.ErrorCode).toBe(0);
    expect(reply.MsgBody).toEqual([{ MsgType: "TIMTextElem", MsgContent: { Text: "***" } }]);
    expect(Object.getPrototypeOf(reply)).toBe(Object.prototype);
  });

  it("refuses bad options with ERR_INVALID_INPUT", () => {
    for (const bad of [{ errorCode: -1 }, { errorCode: 1.5 }, { errorInfo: 3 }, { actionStatus: "NO" }]) {
      expect(() => callbackReply(bad as never)).toThrow(
        expect.objectContaining({ code: "ERR_INVALID_INPUT" }),
      );
    }
  });
});
