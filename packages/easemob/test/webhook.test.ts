import { Secret } from "@imauth/core";
import { outcomeOf } from "@imauth/core/testing";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_WEBHOOK_MAX_SKEW_SECONDS,
  easemobCallbackReply,
  easemobCallbackResponse,
  easemobCallbackSecurity,
  verifyEasemobCallback,
  verifyEasemobSecurity,
} from "../src/index.js";
import { signEasemobCallback } from "../src/testing/index.js";
import { appKey, callbackSecret, setup, signedWebhook, T0 } from "./helpers.js";

const clock = () => T0;
const verify = (body: string, secret: unknown = callbackSecret, at = clock) =>
  outcomeOf(() =>
    verifyEasemobCallback({ url: "/cb", headers: {}, body }, { secret: secret as string, clock: at }),
  );

/** A body signed by hand, so its text can be shaped freely. */
function handSigned(callId: string, timestampText: string, extra = ""): string {
  const security = easemobCallbackSecurity(callId, callbackSecret, timestampText.replace(/"/g, "").trim());
  return `{"callId":${JSON.stringify(callId)},"timestamp":${timestampText},${extra}"security":"${security}"}`;
}

describe("verifyEasemobCallback", () => {
  it("accepts a signed callback; as a Request too; returns the body, callId, appId and event", async () => {
    const w = await signedWebhook({ from: "alice", to: "bob", payload: { bodies: [] } }, T0);
    const event = await verifyEasemobCallback(w, { secret: callbackSecret, clock });
    expect(event).toMatchObject({ vendor: "easemob", appId: appKey, event: "chat", rawBody: w.body });
    expect(event.details).toMatchObject({ timestamp: String(T0), securityVersion: "1.0.0" });
    expect(event.details.callId!.startsWith(`${appKey}_`)).toBe(true);
    const request = signEasemobCallback({
      appKey,
      secret: new Secret(callbackSecret),
      clock,
      kind: "before-send",
    });
    expect((await verifyEasemobCallback(request, { secret: callbackSecret, clock })).event).toBeUndefined();
  });

  it("hashes timestamp as the text it has in the body", async () => {
    expect(await verify(handSigned("org#app_1", "1700000000000"))).toBe("accepted");
    expect(await verify(handSigned("org#app_1", '"1700000000000"'))).toBe("accepted");
    expect(await verify(handSigned("org#app_1", " 1700000000000 ", '"n":[1,{"a":"}"}],'))).toBe("accepted");
    // Numbers that are not plain digits are not the text Easemob hashed.
    for (const t of ["1.7e12", "1700000000000.0", "-1700000000000", '"17e11"', "true", "null"]) {
      const security = easemobCallbackSecurity("org#app_1", callbackSecret, 1_700_000_000_000);
      const body = `{"callId":"org#app_1","timestamp":${t},"security":"${security}"}`;
      expect(await verify(body)).toBe("ERR_WEBHOOK_INVALID");
    }
  });

  it("refuses duplicated signed fields, missing fields and non-objects", async () => {
    const good = handSigned("org#app_1", "1700000000000");
    expect(await verify(good.replace('"callId"', '"callId":"other","callId"'))).toBe("ERR_WEBHOOK_INVALID");
    expect(await verify(good.replace('"timestamp"', '"timestamp":1,"timestamp"'))).toBe(
      "ERR_WEBHOOK_INVALID",
    );
    expect(await verify(good.replace('"callId"', '"call\\u0049d":"x","callId"'))).toBe("ERR_WEBHOOK_INVALID");
    for (const body of [
      "",
      "[]",
      "1",
      "{}",
      '{"callId":"a","timestamp":1}',
      '{"callId":5,"timestamp":1,"security":"x"}',
    ]) {
      expect(await verify(body)).toBe("ERR_WEBHOOK_INVALID");
    }
    const lone = `{"callId":"\\ud800","timestamp":1700000000000,"security":"${"0".repeat(32)}"}`;
    expect(await verify(lone)).toBe("ERR_WEBHOOK_INVALID");
    await expect(
      verifyEasemobCallback({ url: "/", headers: {}, body: new Uint8Array([0xff, 0x7b]) }, { secret: "s" }),
    ).rejects.toMatchObject({ code: "ERR_WEBHOOK_INVALID" });
  });

  it("accepts uppercase hex, refuses another secret, and tries every secret of a rotation", async () => {
    const good = handSigned("org#app_1", "1700000000000");
    const security = JSON.parse(good).security as string;
    expect(await verify(good.replace(security, security.toUpperCase()))).toBe("accepted");
    expect(await verify(good, "other")).toBe("ERR_WEBHOOK_INVALID");
    expect(await verify(good, ["new-secret", new Secret(callbackSecret)])).toBe("accepted");
    expect(await verify(good, [])).toBe("ERR_INVALID_CONFIG");
  });

  it(`refuses callbacks more than webhookMaxSkewSeconds (default ${DEFAULT_WEBHOOK_MAX_SKEW_SECONDS}) away`, async () => {
    const good = handSigned("org#app_1", "1700000000000");
    const at = (ms: number) => () => ms;
    expect(await verify(good, callbackSecret, at(T0 + 300_000))).toBe("accepted");
    expect(await verify(good, callbackSecret, at(T0 + 300_001))).toBe("ERR_WEBHOOK_EXPIRED");
    expect(await verify(good, callbackSecret, at(T0 - 300_001))).toBe("ERR_WEBHOOK_EXPIRED");
    const wide = await outcomeOf(() =>
      verifyEasemobCallback(
        { url: "/", headers: {}, body: good },
        { secret: callbackSecret, clock: at(T0 + 86_400_000), webhookMaxSkewSeconds: 604_800 },
      ),
    );
    expect(wide).toBe("accepted");
    for (const webhookMaxSkewSeconds of [0, 604_801, 1.5]) {
      const o = await outcomeOf(() =>
        verifyEasemobCallback({ url: "/", headers: {}, body: good }, { secret: "s", webhookMaxSkewSeconds }),
      );
      expect(o).toBe("ERR_INVALID_CONFIG");
    }
  });

  it("verifyEasemobSecurity checks already-parsed fields", () => {
    const security = easemobCallbackSecurity("org#app_1", callbackSecret, 5);
    expect(verifyEasemobSecurity({ callId: "org#app_1", timestamp: "5", security }, callbackSecret)).toBe(
      true,
    );
    expect(verifyEasemobSecurity({ callId: "org#app_1", timestamp: 6, security }, callbackSecret)).toBe(
      false,
    );
    expect(verifyEasemobSecurity({ callId: "org#app_1", timestamp: 5, security: "zz" }, callbackSecret)).toBe(
      false,
    );
    expect(() => verifyEasemobSecurity({ callId: "a", timestamp: -1, security }, callbackSecret)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_INPUT" }),
    );
    expect(() => easemobCallbackSecurity(5 as never, "s", 1)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_INPUT" }),
    );
  });
});

describe("replies", () => {
  it("easemobCallbackReply: { valid: true } by default, before-send fields when given", () => {
    expect(easemobCallbackReply()).toEqual({ valid: true });
    expect(
      easemobCallbackReply({ valid: false, code: "blocked", chatroomMsgLevel: "low", payload: { msg: "x" } }),
    ).toEqual({ valid: false, code: "blocked", chatroom_msg_level: "low", payload: { msg: "x" } });
    for (const bad of [
      { valid: "yes" },
      { code: 5 },
      { chatroomMsgLevel: "urgent" },
      { payload: [] },
      { payload: { msg: "x".repeat(1000) } },
      { payload: { n: 10n } },
    ]) {
      expect(() => easemobCallbackReply(bad as never)).toThrow(
        expect.objectContaining({ code: "ERR_INVALID_INPUT" }),
      );
    }
  });

  it("easemobCallbackResponse: HTTP 200 JSON", async () => {
    const response = easemobCallbackResponse({ valid: false });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toEqual({ valid: false });
  });

  it("the emulator delivers callbacks; a before-send one counts only when answered valid: true", async () => {
    const { emulator, provider } = setup();
    const handler = async (request: Request) => {
      const event = await provider.verifyWebhook(request);
      const blocked = JSON.stringify(event.payload).includes("banned");
      return easemobCallbackResponse({ valid: !blocked });
    };
    expect((await emulator.sendCallback(handler, { body: { msg: "hi" } })).ok).toBe(true);
    const before = await emulator.sendCallback(handler, { kind: "before-send", body: { msg: "banned" } });
    expect([before.ok, before.reply]).toEqual([false, { valid: false }]);
    const asString = await emulator.sendCallback(handler, { kind: "before-send", timestampAsString: true });
    expect(asString.ok).toBe(true);
    expect(() => emulator.signCallback({ url: "not a url" })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_INPUT" }),
    );
  });
});
