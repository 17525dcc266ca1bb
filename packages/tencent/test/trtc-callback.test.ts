import { ImAuthError, type RawWebhook, Secret } from "@imauth/core";
import { outcomeOf } from "@imauth/core/testing";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import vectors from "../../../vectors/trtc-callback.json" with { type: "json" };
import { createTencentProvider, trtcCallbackResponse, verifyTrtcCallback } from "../src/index.js";
import { createTencentEmulator, signTencentCallback, signTrtcCallback } from "../src/testing/index.js";
import { type LoopbackServer, serve } from "./helpers/serve.js";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** The vector's body bytes, from its hex (the authority) rather than its string. */
function bodyBytes(v: (typeof vectors.vectors)[number]): Uint8Array {
  return new Uint8Array(Buffer.from(v.bodyUtf8Hex, "hex"));
}

function callbackTsOf(v: (typeof vectors.vectors)[number]): number {
  return (JSON.parse(v.body) as { CallbackTs: number }).CallbackTs;
}

function raw(v: (typeof vectors.vectors)[number], body: Uint8Array, sign = v.headers.Sign): RawWebhook {
  return { url: "/trtc/callback", headers: { ...v.headers, Sign: sign }, body };
}

const codeOf = (promise: Promise<unknown>) => outcomeOf(() => promise);

describe("verifyTrtcCallback with the official vectors", () => {
  it("the shared vectors are the ones checked here", () => {
    expect(vectors.vectors.length).toBeGreaterThanOrEqual(2);
    for (const v of vectors.vectors) {
      expect(new TextDecoder().decode(bodyBytes(v))).toBe(v.body);
      expect(v.headers.Sign).toBe(v.sign);
    }
  });

  for (const v of vectors.vectors) {
    it(`${v.id}: verifies at its CallbackTs and returns the event`, async () => {
      const clock = () => callbackTsOf(v);
      const event = await verifyTrtcCallback(raw(v, bodyBytes(v)), {
        callbackKey: v.callbackKey,
        sdkAppId: Number(v.headers.SdkAppId),
        clock,
      });
      expect(event.rawBody).toBe(v.body);
      expect(event.appId).toBe(v.headers.SdkAppId);
      expect(event.event).toBe(String((JSON.parse(v.body) as { EventType: number }).EventType));
      expect(event.details.callbackTs).toBe(String(callbackTsOf(v)));
      expect(event.receivedAt.getTime()).toBe(callbackTsOf(v));
      // The string body and a Fetch Request give the same answer as the bytes.
      await expect(
        verifyTrtcCallback({ ...raw(v, bodyBytes(v)), body: v.body }, { callbackKey: v.callbackKey, clock }),
      ).resolves.toBeDefined();
      const request = new Request("https://app.example.com/trtc", {
        method: "POST",
        headers: v.headers,
        body: v.body,
      });
      await expect(verifyTrtcCallback(request, { callbackKey: v.callbackKey, clock })).resolves.toBeDefined();
    });

    it(`${v.id}: every single-byte change of the body is refused`, async () => {
      const body = bodyBytes(v);
      const clock = () => callbackTsOf(v);
      const codes = new Set<string>();
      for (let i = 0; i < body.length; i++) {
        for (const delta of [1, 0x80]) {
          const changed = body.slice();
          changed[i] = (changed[i]! + delta) & 0xff;
          codes.add(await codeOf(verifyTrtcCallback(raw(v, changed), { callbackKey: v.callbackKey, clock })));
        }
      }
      expect([...codes]).toEqual(["ERR_WEBHOOK_INVALID"]);
    });

    it(`${v.id}: every single-character change of the signature is refused`, async () => {
      const body = bodyBytes(v);
      const clock = () => callbackTsOf(v);
      let tried = 0;
      for (let i = 0; i < v.sign.length; i++) {
        for (const c of `${B64}=`) {
          if (c === v.sign[i]) continue;
          const sign = v.sign.slice(0, i) + c + v.sign.slice(i + 1);
          expect(
            await codeOf(verifyTrtcCallback(raw(v, body, sign), { callbackKey: v.callbackKey, clock })),
          ).toBe("ERR_WEBHOOK_INVALID");
          tried++;
        }
      }
      expect(tried).toBe(v.sign.length * 64);
    });

    it(`${v.id}: a wrong key, and a re-serialised body, are refused`, async () => {
      const clock = () => callbackTsOf(v);
      expect(
        await codeOf(verifyTrtcCallback(raw(v, bodyBytes(v)), { callbackKey: `${v.callbackKey}x`, clock })),
      ).toBe("ERR_WEBHOOK_INVALID");
      const compact = new TextEncoder().encode(JSON.stringify(JSON.parse(v.body)));
      expect(await codeOf(verifyTrtcCallback(raw(v, compact), { callbackKey: v.callbackKey, clock }))).toBe(
        "ERR_WEBHOOK_INVALID",
      );
    });
  }
});

describe("verifyTrtcCallback checks", () => {
  const v = vectors.vectors[1]!;
  const ts = callbackTsOf(v);
  const base = { callbackKey: v.callbackKey };

  it("refuses CallbackTs more than webhookMaxSkewSeconds away, both directions (default 300 s)", async () => {
    for (const [offsetMs, expected] of [
      [300_000, "accepted"],
      [-300_000, "accepted"],
      [300_001, "ERR_WEBHOOK_EXPIRED"],
      [-300_001, "ERR_WEBHOOK_EXPIRED"],
    ] as const) {
      expect(
        await codeOf(verifyTrtcCallback(raw(v, bodyBytes(v)), { ...base, clock: () => ts + offsetMs })),
      ).toBe(expected);
    }
    const clock = () => ts + 61_000;
    const opts = { ...base, clock, webhookMaxSkewSeconds: 60 };
    expect(await codeOf(verifyTrtcCallback(raw(v, bodyBytes(v)), opts))).toBe("ERR_WEBHOOK_EXPIRED");
  });

  it("refuses another SdkAppId and a missing one when sdkAppId is given", async () => {
    const clock = () => ts;
    const other = { ...raw(v, bodyBytes(v)), headers: { ...v.headers, SdkAppId: "1400000002" } };
    expect(await codeOf(verifyTrtcCallback(other, { ...base, clock, sdkAppId: 1400000001 }))).toBe(
      "ERR_WEBHOOK_INVALID",
    );
    const { SdkAppId: _, ...noApp } = v.headers;
    const missing = { url: "/", headers: noApp, body: bodyBytes(v) };
    expect(await codeOf(verifyTrtcCallback(missing, { ...base, clock, sdkAppId: 1400000001 }))).toBe(
      "ERR_WEBHOOK_INVALID",
    );
    // Without sdkAppId the header is not required.
    expect(await codeOf(verifyTrtcCallback(missing, { ...base, clock }))).toBe("accepted");
  });

  it("refuses a missing Sign, an authentic body without CallbackTs, and bad options", async () => {
    const clock = () => ts;
    const { Sign: _, ...noSign } = v.headers;
    expect(
      await codeOf(verifyTrtcCallback({ url: "/", headers: noSign, body: v.body }, { ...base, clock })),
    ).toBe("ERR_WEBHOOK_INVALID");
    const noTs = signTrtcCallback({
      sdkAppId: 1,
      callbackKey: "k",
      eventGroupId: 1,
      eventType: 1,
      body: "{}",
    });
    expect(await codeOf(verifyTrtcCallback(noTs, { callbackKey: "k", clock }))).toBe("ERR_WEBHOOK_INVALID");
    for (const bad of [
      { callbackKey: "" },
      { callbackKey: [] },
      { callbackKey: "x".repeat(33) },
      { callbackKey: "k", webhookMaxSkewSeconds: 0 },
      { callbackKey: "k", sdkAppId: 0 },
      { callbackKey: "k", clock: 5 },
    ]) {
      expect(await codeOf(verifyTrtcCallback(raw(v, bodyBytes(v)), bad as never))).toBe("ERR_INVALID_CONFIG");
    }
  });

  it("accepts [wrong, right] and refuses [wrong] (key rotation)", async () => {
    const clock = () => ts;
    const right = v.callbackKey;
    expect(
      await codeOf(verifyTrtcCallback(raw(v, bodyBytes(v)), { callbackKey: ["wrongKey", right], clock })),
    ).toBe("accepted");
    const secrets = [new Secret("wrongKey"), new Secret(right)];
    expect(await codeOf(verifyTrtcCallback(raw(v, bodyBytes(v)), { callbackKey: secrets, clock }))).toBe(
      "accepted",
    );
    expect(await codeOf(verifyTrtcCallback(raw(v, bodyBytes(v)), { callbackKey: ["wrongKey"], clock }))).toBe(
      "ERR_WEBHOOK_INVALID",
    );
  });

  it("never shows the key in an error", async () => {
    const key = "SuperSecretKey123";
    try {
      await verifyTrtcCallback(raw(v, bodyBytes(v)), { callbackKey: [key], clock: () => ts });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain(key);
      expect(JSON.stringify(error)).not.toContain(key);
      expect(String((error as Error).cause)).not.toContain(key);
    }
  });

  it("property: signed by signTrtcCallback, any event verifies; any other key is refused", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Za-z0-9]{1,32}$/),
        fc.stringMatching(/^[A-Za-z0-9]{1,32}$/),
        fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), fc.string(), fc.boolean())),
        fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
        async (key, otherKey, eventInfo, nowMs) => {
          const options = { sdkAppId: 1400000001, callbackKey: key, clock: () => nowMs };
          const request = () => signTrtcCallback({ ...options, eventGroupId: 2, eventType: 201, eventInfo });
          const event = await verifyTrtcCallback(request(), options);
          expect(event.event).toBe("201");
          expect((event.payload as { EventInfo: Record<string, unknown> }).EventInfo).toMatchObject(
            eventInfo,
          );
          if (otherKey !== key) {
            expect(await codeOf(verifyTrtcCallback(request(), { ...options, callbackKey: otherKey }))).toBe(
              "ERR_WEBHOOK_INVALID",
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("property: arbitrary headers and bodies never crash, always a typed refusal", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(fc.string({ maxLength: 60 })),
        fc.option(fc.string({ maxLength: 12 })),
        fc.uint8Array({ maxLength: 300 }),
        async (sign, appId, body) => {
          const headers: Record<string, string> = {};
          if (sign !== null) headers.Sign = sign;
          if (appId !== null) headers.SdkAppId = appId;
          let code = "accepted";
          try {
            await verifyTrtcCallback({ url: "/", headers, body }, { callbackKey: "k", sdkAppId: 1 });
          } catch (error) {
            code = error instanceof ImAuthError ? error.code : "crash";
          }
          expect(["ERR_WEBHOOK_INVALID"]).toContain(code);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("provider.verifyWebhook dispatch", () => {
  const NOW = 1_700_000_000_000;
  const clock = () => NOW;
  const sdkAppId = 1400000001;

  it("verifies IM callbacks by the query and TRTC callbacks by the Sign header", async () => {
    const provider = createTencentProvider({
      sdkAppId,
      secretKey: "k",
      callbackToken: "im-token",
      trtcCallbackKey: ["newKey", "oldKey"],
      clock,
    });
    const im = signTencentCallback({
      sdkAppId,
      callbackToken: "im-token",
      command: "State.StateChange",
      clock,
    });
    expect((await provider.verifyWebhook(im)).event).toBe("State.StateChange");
    for (const callbackKey of ["newKey", "oldKey"]) {
      const trtc = signTrtcCallback({ sdkAppId, callbackKey, eventGroupId: 1, eventType: 103, clock });
      expect((await provider.verifyWebhook(trtc)).event).toBe("103");
    }
    const forged = signTrtcCallback({
      sdkAppId,
      callbackKey: "otherKey",
      eventGroupId: 1,
      eventType: 103,
      clock,
    });
    expect(await codeOf(provider.verifyWebhook(forged))).toBe("ERR_WEBHOOK_INVALID");
    const otherApp = signTrtcCallback({
      sdkAppId: 1400000002,
      callbackKey: "newKey",
      eventGroupId: 1,
      eventType: 1,
      clock,
    });
    expect(await codeOf(provider.verifyWebhook(otherApp))).toBe("ERR_WEBHOOK_INVALID");
  });

  it("asks for the missing option of each kind, and checks trtcCallbackKey at construction", async () => {
    const imOnly = createTencentProvider({ sdkAppId, secretKey: "k", callbackToken: "t", clock });
    const trtc = signTrtcCallback({ sdkAppId, callbackKey: "key", eventGroupId: 1, eventType: 101, clock });
    expect(await codeOf(imOnly.verifyWebhook(trtc))).toBe("ERR_INVALID_CONFIG");
    const trtcOnly = createTencentProvider({ sdkAppId, secretKey: "k", trtcCallbackKey: "key", clock });
    const im = signTencentCallback({ sdkAppId, callbackToken: "t", command: "X", clock });
    expect(await codeOf(trtcOnly.verifyWebhook(im))).toBe("ERR_INVALID_CONFIG");
    for (const trtcCallbackKey of ["", [], "x".repeat(33), 7]) {
      expect(() => createTencentProvider({ sdkAppId, secretKey: "k", trtcCallbackKey } as never)).toThrow(
        expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
      );
    }
  });
});

describe("emulator TRTC callbacks", () => {
  let server: LoopbackServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("signs TRTC-formatted bodies and sends them to a handler and to a server on 127.0.0.1", async () => {
    const NOW = 1_700_000_000_123;
    const clock = () => NOW;
    const emulator = createTencentEmulator({
      sdkAppId: 1400000001,
      secretKey: "k",
      trtcCallbackKey: "testKey",
      clock,
    });
    const request = emulator.signTrtcCallback({
      eventGroupId: 1,
      eventType: 104,
      eventInfo: { RoomId: 7, UserId: "a" },
    });
    expect(request.headers.get("SdkAppId")).toBe("1400000001");
    const text = await request.clone().text();
    expect(text).toBe(
      '{\n\t"EventGroupId":\t1,\n\t"EventType":\t104,\n\t"CallbackTs":\t1700000000123,\n\t"EventInfo":\t{\n' +
        '\t\t"EventTs":\t1700000000,\n\t\t"EventMsTs":\t1700000000123,\n\t\t"RoomId":\t7,\n\t\t"UserId":\t"a"\n\t}\n}',
    );
    const seen: string[] = [];
    const handler = async (req: Request) => {
      const event = await verifyTrtcCallback(req, { callbackKey: "testKey", sdkAppId: 1400000001, clock });
      seen.push(event.event ?? "");
      return trtcCallbackResponse();
    };
    const direct = await emulator.sendTrtcCallback(handler, { eventGroupId: 2, eventType: 202 });
    expect(direct).toMatchObject({ ok: true, status: 200, reply: { code: 0 } });
    server = await serve(handler);
    const looped = await emulator.sendTrtcCallback(`${server.url}trtc`, { eventGroupId: 1, eventType: 101 });
    expect(looped.ok).toBe(true);
    expect(seen).toEqual(["202", "101"]);
    const refusing = await emulator.sendTrtcCallback(() => new Response("no", { status: 401 }), {
      eventGroupId: 1,
      eventType: 101,
    });
    expect(refusing.ok).toBe(false);
  });

  it("needs trtcCallbackKey to sign", () => {
    const emulator = createTencentEmulator({ sdkAppId: 1, secretKey: "k" });
    expect(() => emulator.signTrtcCallback({ eventGroupId: 1, eventType: 101 })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
  });
});
