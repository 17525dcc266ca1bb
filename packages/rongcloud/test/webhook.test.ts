import { describe, expect, it } from "vitest";
import {
  DEFAULT_WEBHOOK_MAX_SKEW_SECONDS,
  rongCloudCallbackReply,
  rongCloudCallbackResponse,
  verifyRongCloudCallback,
} from "../src/index.js";
import { createRongCloudEmulator, signRongCloudCallback } from "../src/testing/index.js";

const appSecret = "webhook-secret-0123";
const nowMs = 1_700_000_000_123;
const clock = () => nowMs;

describe("verifyRongCloudCallback", () => {
  it("accepts a form body (message routing) and parses its fields", async () => {
    const request = signRongCloudCallback({
      appSecret,
      clock,
      body: { appKey: "app1", fromUserId: "user01", objectName: "RC:TxtMsg", content: { content: "你好" } },
    });
    const event = await verifyRongCloudCallback(request, { appSecret, clock });
    expect(event).toMatchObject({
      vendor: "rongcloud",
      appId: "app1",
      payload: { fromUserId: "user01", objectName: "RC:TxtMsg", content: '{"content":"你好"}' },
    });
    expect(event.receivedAt.getTime()).toBe(nowMs);
    expect(event.details.signTimestamp).toBe(String(nowMs));
  });

  it("accepts the older rc- names with a timestamp in seconds", async () => {
    const request = signRongCloudCallback({
      appSecret,
      clock,
      legacyNames: true,
      body: "[]",
      nonce: "14314",
    });
    const query = new URL(request.url).searchParams;
    expect(query.get("rc-timestamp")).toBe(String(Math.floor(nowMs / 1000)));
    const event = await verifyRongCloudCallback(request, { appSecret, clock });
    expect(event.payload).toEqual([]);
    expect(event.details.nonce).toBe("14314");
  });

  it("hashes the query values exactly as received", async () => {
    const request = signRongCloudCallback({ appSecret, clock, body: "{}" });
    const url = new URL(request.url);
    // A leading zero changes the signed text, though not the number.
    url.searchParams.set("signTimestamp", `0${url.searchParams.get("signTimestamp")}`);
    await expect(
      verifyRongCloudCallback({ url: url.href, headers: {}, body: "{}" }, { appSecret, clock }),
    ).rejects.toMatchObject({ code: "ERR_WEBHOOK_INVALID" });
  });

  it("refuses stale, missing and malformed signatures without echoing the secret", async () => {
    const signed = signRongCloudCallback({ appSecret, clock, body: "{}" });
    const late = () => nowMs + DEFAULT_WEBHOOK_MAX_SKEW_SECONDS * 1000 + 1;
    await expect(verifyRongCloudCallback(signed.clone(), { appSecret, clock: late })).rejects.toMatchObject({
      code: "ERR_WEBHOOK_EXPIRED",
    });
    await expect(
      verifyRongCloudCallback(signed.clone(), { appSecret, clock: late, webhookMaxSkewSeconds: 3600 }),
    ).resolves.toMatchObject({ vendor: "rongcloud" });
    const bare = { url: "https://example.com/cb?nonce=1&signTimestamp=1", headers: {}, body: "" };
    await expect(verifyRongCloudCallback(bare, { appSecret, clock })).rejects.toMatchObject({
      code: "ERR_WEBHOOK_INVALID",
    });
    const notHex = {
      url: "https://example.com/cb?nonce=1&signTimestamp=1&signature=zz",
      headers: {},
      body: "",
    };
    await expect(verifyRongCloudCallback(notHex, { appSecret, clock })).rejects.toMatchObject({
      code: "ERR_WEBHOOK_INVALID",
    });
    const error = await verifyRongCloudCallback(signed, { appSecret: "other-secret-value", clock }).catch(
      (e) => e,
    );
    expect(String(error.message)).not.toContain("other-secret-value");
    await expect(verifyRongCloudCallback(signed, { appSecret: [], clock })).rejects.toMatchObject({
      code: "ERR_INVALID_CONFIG",
    });
  });
});

describe("reply helpers and the emulator's callbacks", () => {
  it("builds replies", async () => {
    expect(rongCloudCallbackReply()).toEqual({ pass: 1 });
    expect(rongCloudCallbackReply({ pass: false, pushContent: "x" })).toEqual({ pass: 0, pushContent: "x" });
    expect(() => rongCloudCallbackReply({ pass: 1 as never })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_INPUT" }),
    );
    const response = rongCloudCallbackResponse({ replaceContent: '{"content":"***"}' });
    expect([response.status, await response.json()]).toEqual([
      200,
      { pass: 1, replaceContent: '{"content":"***"}' },
    ]);
  });

  it("sends signed callbacks to a handler", async () => {
    const emulator = createRongCloudEmulator({ appKey: "app1", appSecret, clock });
    const handler = async (request: Request) => {
      const event = await verifyRongCloudCallback(request, { appSecret, clock });
      const { content } = event.payload as { content: string };
      return rongCloudCallbackResponse({ pass: !content.includes("spam") });
    };
    const ok = await emulator.sendCallback(handler, { body: { content: "hello" } });
    expect(ok).toEqual({ ok: true, status: 200, reply: { pass: 1 } });
    const refused = await emulator.sendCallback(handler, { body: { content: "spam" } });
    expect(refused.ok).toBe(false);
  });
});
