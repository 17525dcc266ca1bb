import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { agoraCallbackReply, agoraCallbackResponse, verifyAgoraCallback } from "../src/index.js";
import { signAgoraCallback } from "../src/testing/index.js";
import { ncsSecret, signRaw } from "./harness.js";

const T0 = 1_700_000_000_000;
const body = JSON.stringify({
  noticeId: "abc",
  productId: 3,
  eventType: 40,
  notifyMs: T0,
  payload: { cname: "频道" },
});
const options = { secret: ncsSecret, clock: () => T0 };

describe("verifyAgoraCallback", () => {
  it("accepts a signed callback and exposes noticeId, productId and eventType", async () => {
    const event = await verifyAgoraCallback(signRaw(body), options);
    expect(event).toMatchObject({
      vendor: "agora",
      event: "40",
      rawBody: body,
      receivedAt: new Date(T0),
      details: { noticeId: "abc", productId: "3", eventType: "40", signature: "v2" },
    });
    expect(event.payload).toEqual(JSON.parse(body));
  });

  it("applies the window on notifyMs (both sides), not on the Date header", async () => {
    const plain = signRaw(body);
    const signed = { ...plain, headers: { ...(plain.headers as object), Date: new Date(0).toUTCString() } };
    for (const [now, outcome] of [
      [T0 + 300_000, "ok"],
      [T0 - 300_000, "ok"],
      [T0 + 300_001, "ERR_WEBHOOK_EXPIRED"],
      [T0 - 300_001, "ERR_WEBHOOK_EXPIRED"],
    ] as const) {
      const run = verifyAgoraCallback(signed, { ...options, clock: () => now });
      if (outcome === "ok") await expect(run).resolves.toBeDefined();
      else await expect(run).rejects.toMatchObject({ code: outcome });
    }
    await expect(
      verifyAgoraCallback(signed, { ...options, clock: () => T0 + 3_000_000, webhookMaxSkewSeconds: 3600 }),
    ).resolves.toBeDefined();
  });

  it("refuses a body without notifyMs, whatever its Date header says", async () => {
    const plain = JSON.stringify({ hello: 1 });
    const dated = {
      ...signRaw(plain),
      headers: { ...(signRaw(plain).headers as object), Date: new Date(T0).toUTCString() },
    };
    await expect(verifyAgoraCallback(dated, options)).rejects.toMatchObject({ code: "ERR_WEBHOOK_INVALID" });
    const badNotify = JSON.stringify({ notifyMs: "soon" });
    await expect(verifyAgoraCallback(signRaw(badNotify), options)).rejects.toMatchObject({
      code: "ERR_WEBHOOK_INVALID",
    });
  });

  it("accepts the SHA-1 signature only when asked, and never instead of a wrong V2", async () => {
    const signed = signRaw(body);
    const h = signed.headers as Record<string, string>;
    const { "Agora-Signature-V2": _, ...sha1Only } = h;
    await expect(verifyAgoraCallback({ ...signed, headers: sha1Only }, options)).rejects.toMatchObject({
      code: "ERR_WEBHOOK_INVALID",
      message: expect.stringMatching(/acceptSha1Signature/),
    });
    await expect(
      verifyAgoraCallback({ ...signed, headers: sha1Only }, { ...options, acceptSha1Signature: true }),
    ).resolves.toMatchObject({ details: { signature: "v1" } });
    const wrongV2 = { ...h, "Agora-Signature-V2": "0".repeat(64) };
    await expect(
      verifyAgoraCallback({ ...signed, headers: wrongV2 }, { ...options, acceptSha1Signature: true }),
    ).rejects.toMatchObject({
      code: "ERR_WEBHOOK_INVALID",
    });
  });

  it("accepts a callback signed with any secret of a list, and uppercase hex", async () => {
    const signed = signRaw(body, "old-secret");
    const h = signed.headers as Record<string, string>;
    const upper = { ...h, "Agora-Signature-V2": h["Agora-Signature-V2"]!.toUpperCase() };
    await expect(
      verifyAgoraCallback({ ...signed, headers: upper }, { ...options, secret: [ncsSecret, "old-secret"] }),
    ).resolves.toBeDefined();
    await expect(verifyAgoraCallback(signed, options)).rejects.toMatchObject({ code: "ERR_WEBHOOK_INVALID" });
  });

  it("refuses bad options with ERR_INVALID_CONFIG", async () => {
    const signed = signRaw(body);
    for (const bad of [
      { secret: "" },
      { secret: ncsSecret, webhookMaxSkewSeconds: 0 },
      { secret: ncsSecret, acceptSha1Signature: 1 },
      { secret: ncsSecret, clock: 1 },
    ]) {
      await expect(verifyAgoraCallback(signed, bad as never)).rejects.toMatchObject({
        code: "ERR_INVALID_CONFIG",
      });
    }
  });

  it("reads a Fetch Request signed by signAgoraCallback", async () => {
    const request = signAgoraCallback({
      secret: ncsSecret,
      clock: () => T0,
      eventType: 103,
      payload: { uid: 42 },
    });
    const event = await verifyAgoraCallback(request, options);
    expect(event.event).toBe("103");
    expect(event.details.noticeId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(() => signAgoraCallback({ secret: "" })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
  });

  it("any headers and body give an event or a typed callback error, never the secret", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom("Agora-Signature-V2", "Agora-Signature", "Date", "X"),
          fc.string({ maxLength: 70 }),
        ),
        fc.oneof(fc.string(), fc.constant(body)),
        async (headers, raw) => {
          try {
            await verifyAgoraCallback(
              { url: "/", headers, body: raw },
              { ...options, acceptSha1Signature: true },
            );
          } catch (error) {
            expect(error).toMatchObject({ name: "ImAuthError" });
            expect(["ERR_WEBHOOK_INVALID", "ERR_WEBHOOK_EXPIRED"]).toContain(
              (error as { code: string }).code,
            );
            expect((error as Error).message).not.toContain(ncsSecret);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("reply helpers", () => {
  it("answer HTTP 200 with a JSON body", async () => {
    expect(agoraCallbackReply()).toEqual({});
    expect(agoraCallbackReply({ ok: true })).toEqual({ ok: true });
    const response = agoraCallbackResponse();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(() => agoraCallbackReply(null as never)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_INPUT" }),
    );
  });
});
