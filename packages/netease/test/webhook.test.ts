import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { serve } from "../../../test-support/loopback.js";
import {
  createNeteaseProvider,
  neteaseCallbackReply,
  neteaseCallbackResponse,
  verifyNeteaseCallback,
} from "../src/index.js";
import { createNeteaseEmulator, signNeteaseCallback } from "../src/testing/index.js";
import { bodyMd5 } from "../src/webhook.js";
import { signRaw } from "./sign.js";

const appKey = "callback-app-key";
const appSecret = "callback-secret-42";
const nowMs = 1_700_000_000_123;
const clock = () => nowMs;
const emulator = createNeteaseEmulator({ appKey, appSecret, clock });
const options = { appSecret, appKey, clock };

/** A callback signed like NetEase signs them, as a RawWebhook (see signRaw). */
function sign(
  body: string | Uint8Array,
  opts: { nowMs?: number; appSecret?: string; lowerCaseHeaders?: boolean } = {},
) {
  return signRaw({
    appKey,
    appSecret: opts.appSecret ?? appSecret,
    body,
    nowMs: opts.nowMs ?? nowMs,
    ...(opts.lowerCaseHeaders ? { lowerCaseHeaders: true } : {}),
  });
}

const chineseBody = JSON.stringify({
  eventType: "1",
  convType: "PERSON",
  fromAccount: "user01",
  to: "user02",
  body: "你好，世界 🌏 — naïve café",
  msgTimestamp: "1700000000000",
});

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe("verifyNeteaseCallback", () => {
  it("accepts a non-ASCII raw body and returns its event, payload and AppKey", async () => {
    const event = await verifyNeteaseCallback(sign(chineseBody), options);
    expect(event).toMatchObject({
      vendor: "netease",
      appId: appKey,
      event: "1",
      rawBody: chineseBody,
      payload: JSON.parse(chineseBody),
    });
    expect(event.receivedAt.getTime()).toBe(nowMs);
    expect(event.details.md5).toBe(bodyMd5(chineseBody));
  });

  it("hashes the bytes: a Uint8Array body and a Buffer body verify the same", async () => {
    const bytes = new TextEncoder().encode(chineseBody);
    const signed = sign(bytes);
    await verifyNeteaseCallback(signed, options);
    await verifyNeteaseCallback({ ...signed, body: Buffer.from(bytes) }, options);
  });

  it("rejects a re-serialised body (same JSON, other bytes)", async () => {
    const spaced = JSON.stringify(JSON.parse(chineseBody), null, 2);
    const signed = sign(spaced);
    expect(
      await code(verifyNeteaseCallback({ ...signed, body: JSON.stringify(JSON.parse(spaced)) }, options)),
    ).toBe("ERR_WEBHOOK_INVALID");
  });

  it("accepts lower-case header names and Express-style header objects", async () => {
    const signed = sign(chineseBody, { lowerCaseHeaders: true });
    const h = signed.headers as Record<string, string>;
    expect(Object.keys(h).every((k) => k === k.toLowerCase())).toBe(true);
    await verifyNeteaseCallback(signed, options);
    // Express/Node: lower-case names, string or string[] values, undefined for absent ones.
    const express = {
      host: "app.example.com",
      "content-type": h["content-type"],
      appkey: h.appkey,
      curtime: h.curtime,
      md5: h.md5,
      checksum: [h.checksum!],
      "x-forwarded-for": ["10.0.0.1", "10.0.0.2"],
      cookie: undefined,
    };
    await verifyNeteaseCallback(
      { url: "/cb?x=1", headers: express, body: Buffer.from(chineseBody) },
      options,
    );
  });

  it("accepts a Fetch Request (upper-case MD5 hex too)", async () => {
    const signed = sign(chineseBody);
    const h = { ...(signed.headers as Record<string, string>) };
    h.MD5 = h.MD5!.toUpperCase();
    const request = new Request("https://app.example.com/cb", {
      method: "POST",
      headers: h,
      body: chineseBody,
    });
    expect((await verifyNeteaseCallback(request, options)).event).toBe("1");
  });

  it("checks the AppKey when given", async () => {
    const signed = sign("{}");
    const h = signed.headers as Record<string, string>;
    const foreign = { ...signed, headers: { ...h, AppKey: "other-app" } };
    expect(await code(verifyNeteaseCallback(foreign, options))).toBe("ERR_WEBHOOK_INVALID");
    const { AppKey: _removed, ...keyless } = h;
    expect(await code(verifyNeteaseCallback({ ...signed, headers: keyless }, options))).toBe(
      "ERR_WEBHOOK_INVALID",
    );
    expect((await verifyNeteaseCallback(foreign, { appSecret, clock })).appId).toBe("other-app");
  });

  it("takes the AppSecret as a Secret, and the window in seconds", async () => {
    const { Secret } = await import("@imauth/core");
    const signed = sign("{}", { nowMs: nowMs - 61_000 });
    const secret = new Secret(appSecret);
    expect(await code(verifyNeteaseCallback(signed, { ...options, appSecret: secret }))).toBe("ok");
    expect(await code(verifyNeteaseCallback(signed, { ...options, webhookMaxSkewSeconds: 60 }))).toBe(
      "ERR_WEBHOOK_EXPIRED",
    );
    expect(await code(verifyNeteaseCallback(signed, { ...options, webhookMaxSkewSeconds: 61 }))).toBe("ok");
  });

  it("enforces the CurTime window both ways, default 5 minutes, configurable", async () => {
    const old = sign("{}", { nowMs: nowMs - 5 * 60 * 1000 - 1 });
    const future = sign("{}", { nowMs: nowMs + 5 * 60 * 1000 + 1 });
    const edge = sign("{}", { nowMs: nowMs - 5 * 60 * 1000 });
    expect(await code(verifyNeteaseCallback(old, options))).toBe("ERR_WEBHOOK_EXPIRED");
    expect(await code(verifyNeteaseCallback(future, options))).toBe("ERR_WEBHOOK_EXPIRED");
    expect(await code(verifyNeteaseCallback(edge, options))).toBe("ok");
    expect(await code(verifyNeteaseCallback(old, { ...options, webhookMaxSkewSeconds: 10 * 60 }))).toBe("ok");
  });

  it("rejects missing or malformed headers and bodies with typed errors", async () => {
    const signed = sign("{}");
    const h = signed.headers as Record<string, string>;
    for (const name of ["MD5", "CheckSum", "CurTime"]) {
      const { [name]: _removed, ...rest } = h;
      expect(await code(verifyNeteaseCallback({ ...signed, headers: rest }, options))).toBe(
        "ERR_WEBHOOK_INVALID",
      );
    }
    for (const [name, value] of [
      ["CurTime", "1.7e12"],
      ["CurTime", "-1"],
      ["MD5", "xyz"],
      ["CheckSum", "0".repeat(41)],
    ]) {
      expect(
        await code(verifyNeteaseCallback({ ...signed, headers: { ...h, [name!]: value! } }, options)),
      ).toBe("ERR_WEBHOOK_INVALID");
    }
    expect(await code(verifyNeteaseCallback({ ...signed, body: { parsed: true } as never }, options))).toBe(
      "ERR_WEBHOOK_INVALID",
    );
    expect(await code(verifyNeteaseCallback(signed, { appKey, appSecret: "" }))).toBe("ERR_INVALID_CONFIG");
    for (const webhookMaxSkewSeconds of [-1, 0, 1.5, 86_401]) {
      expect(await code(verifyNeteaseCallback(signed, { ...options, webhookMaxSkewSeconds }))).toBe(
        "ERR_INVALID_CONFIG",
      );
    }
  });

  it("a non-JSON body verifies with payload undefined", async () => {
    const event = await verifyNeteaseCallback(sign("a=1&b=中"), options);
    expect(event.payload).toBeUndefined();
    expect(event.event).toBeUndefined();
    expect(event.rawBody).toBe("a=1&b=中");
  });
});

describe("callback properties", () => {
  const body = fc.string({ unit: "grapheme", maxLength: 200 });

  it("any body signed by the emulator verifies; any change to body, CheckSum or CurTime is refused", async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.nat({ max: 60_000 }), fc.nat(), async (text, ageMs, pick) => {
        const signed = sign(text, { nowMs: nowMs - ageMs });
        expect((await verifyNeteaseCallback(signed, options)).rawBody).toBe(text);
        const h = signed.headers as Record<string, string>;
        const flip = (s: string) => {
          const i = pick % s.length;
          return s.slice(0, i) + (s[i] === "a" ? "b" : "a") + s.slice(i + 1);
        };
        const tampered = [
          { ...signed, body: `${text}x` },
          { ...signed, headers: { ...h, CheckSum: flip(h.CheckSum!) } },
          { ...signed, headers: { ...h, CurTime: String(Number(h.CurTime) - 1 - (pick % 1000)) } },
        ];
        if (text.length > 0) tampered.push({ ...signed, body: flip(text) });
        for (const t of tampered) {
          expect(await code(verifyNeteaseCallback(t, options))).toBe("ERR_WEBHOOK_INVALID");
        }
      }),
      { numRuns: 150 },
    );
  });

  it("a callback signed with another secret is refused", async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.string({ minLength: 1, maxLength: 40 }), async (text, secret) => {
        fc.pre(secret !== appSecret);
        const signed = sign(text, { appSecret: secret });
        expect(await code(verifyNeteaseCallback(signed, options))).toBe("ERR_WEBHOOK_INVALID");
      }),
      { numRuns: 100 },
    );
  });
});

describe("sending callbacks to a real server", () => {
  it("the provider verifies what the emulator sends, and answers 200", async () => {
    const provider = createNeteaseProvider({ appKey, appSecret, clock });
    const received: string[] = [];
    const app = await serve(async (request) => {
      const event = await provider.verifyWebhook(request);
      received.push(event.rawBody);
      return neteaseCallbackResponse();
    });
    try {
      const result = await emulator.sendCallback(`${app.url}/netease/callback`, { body: chineseBody });
      expect(result).toEqual({ ok: true, status: 200, reply: { errCode: 0, responseCode: 200 } });
      expect(received).toEqual([chineseBody]);
      const forged = signNeteaseCallback({
        appKey,
        appSecret: "not-the-secret",
        body: chineseBody,
        url: `${app.url}/netease/callback`,
        clock,
      });
      expect((await fetch(forged)).status).toBe(500);
      expect(received).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it("sendCallback hands the Request to a handler, and reports a refusal as not ok", async () => {
    const provider = createNeteaseProvider({ appKey, appSecret, clock });
    const handler = async (request: Request) => {
      const event = await provider.verifyWebhook(request);
      return neteaseCallbackResponse({ errCode: event.event === "1" ? 1 : 0, responseCode: 20000 });
    };
    const refused = await emulator.sendCallback(handler, { eventType: 1, body: { fromAccount: "user01" } });
    expect(refused).toEqual({ ok: false, status: 200, reply: { errCode: 1, responseCode: 20000 } });
    const request = emulator.signCallback({ eventType: "2", body: { accid: "user01" } });
    expect(new URL(request.url).href).toBe("https://example.com/netease/callback");
    expect(await request.text()).toBe('{"eventType":"2","accid":"user01"}');
  });

  it("neteaseCallbackReply is the body, neteaseCallbackResponse the Response", async () => {
    expect(neteaseCallbackReply()).toEqual({ errCode: 0, responseCode: 200 });
    const options = { errCode: 1, responseCode: 20001, callbackExt: "spam" } as const;
    expect(neteaseCallbackReply(options)).toEqual({ errCode: 1, responseCode: 20001, callbackExt: "spam" });
    const response = neteaseCallbackResponse(options);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toEqual(neteaseCallbackReply(options));
    expect(() => neteaseCallbackReply({ errCode: 2 as 1 })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_INPUT" }),
    );
  });
});

describe("no secret in errors", () => {
  it("error messages and inspected errors never contain the AppSecret", async () => {
    const signed = sign("{}", { appSecret: "other-secret-77" });
    try {
      await verifyNeteaseCallback(signed, options);
      throw new Error("expected a rejection");
    } catch (error) {
      expect(inspect(error)).not.toContain(appSecret);
      expect(JSON.stringify(error)).not.toContain(appSecret);
    }
  });
});
