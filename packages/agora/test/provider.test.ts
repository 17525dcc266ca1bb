import { inspect } from "node:util";
import { runProviderConformance } from "@imauth/core/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createAgoraProvider, decodeAccessToken, verifyAccessToken } from "../src/index.js";
import { createAgoraEmulator } from "../src/testing/index.js";
import { appCertificate, appId, harnessFor, ncsSecret, signRaw, verifyRoomToken } from "./harness.js";

const T0 = 1_700_000_000_000;

function manual(start = T0) {
  let now = start;
  return { clock: () => now, set: (ms: number) => (now = ms) };
}

describe("product rtc", () => {
  const rtc = (clock = () => T0) =>
    createAgoraProvider({ appId, appCertificate, product: "rtc", ncsSecret, clock });

  it("refuses a credential without a room, saying why", async () => {
    await expect(rtc().issueCredential("alice")).rejects.toMatchObject({
      code: "ERR_INVALID_INPUT",
      message: expect.stringMatching(/channel/),
    });
  });

  it("issues the RTC token for the room: account = userId, or uid = rtcUid; only the privileges asked", async () => {
    const p = rtc();
    const c = await p.issueCredential("alice", {
      ttlSeconds: 600,
      room: { roomId: 1234, privileges: ["join", "publishAudio"] },
    });
    expect(c.token).toBe(c.room!.token);
    expect(c.room).toMatchObject({
      roomId: 1234,
      privileges: ["join", "publishAudio"],
      details: { account: "alice" },
    });
    expect(c.room!.expiresAt.getTime() - c.issuedAt.getTime()).toBe(600_000);
    const [service] = decodeAccessToken(c.token).services;
    expect(service).toMatchObject({ name: "rtc", channelName: "1234", uid: "alice" });
    expect(Object.keys(service!.privileges)).toEqual(["joinChannel", "publishAudioStream"]);
    verifyRoomToken(c, () => T0);

    const byUid = await p.issueCredential("alice", { room: { roomId: "room-1", rtcUid: 4_294_967_295 } });
    expect(byUid.room!.details).toEqual({ uid: "4294967295" });
    expect(decodeAccessToken(byUid.token).services[0]).toMatchObject({ uid: "4294967295" });
    expect(Object.keys(decodeAccessToken(byUid.token).services[0]!.privileges)).toHaveLength(4);
  });

  it("refuses rooms Agora cannot name and uids beyond 32 bits", async () => {
    const p = rtc();
    for (const room of [{ roomId: "频道" }, { roomId: 'a/b\\c"' }, { roomId: 1, rtcUid: "4294967296" }]) {
      await expect(p.issueCredential("alice", { room })).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
    }
    await expect(p.issueCredential("not an account ✗", { room: { roomId: 1 } })).rejects.toMatchObject({
      code: "ERR_INVALID_INPUT",
    });
  });

  it("passes the conformance suite except the checks that issue credentials without a room", async () => {
    const harness = {
      ...harnessFor("chat"),
      name: "agora rtc",
      createProvider: (clock: () => number) => rtc(clock),
    };
    const results = await runProviderConformance(harness);
    const failed = results.filter((r) => r.status === "failed");
    expect(failed.map((r) => r.name.replace("agora rtc: ", "")).sort()).toEqual([
      "issueCredential rejects bad user IDs with ERR_INVALID_INPUT",
      "issues a credential whose fields and expiry follow ttlSeconds and the clock",
      "issues credentials its own verifier accepts until they expire",
      "secrets never leak through JSON, String, inspect, credentials or signed requests",
      "uses the documented default ttl",
    ]);
    // Each fails on the same refusal: a credential without a room.
    for (const r of failed)
      expect(String((r.error as Error).message)).toMatch(/always for a channel|ERR_INVALID_INPUT/);
    expect(results.find((r) => r.name.includes("room credential for that room"))?.status).toBe("passed");
  });
});

describe("products rtm and chat", () => {
  it("issue the login token, and with a room an RTC token for it as well", async () => {
    for (const product of ["rtm", "chat"] as const) {
      const p = createAgoraProvider({ appId, appCertificate, product, clock: () => T0 });
      const c = await p.issueCredential("alice", {
        ttlSeconds: 60,
        room: { roomId: "room-1", privileges: ["join"] },
      });
      expect(decodeAccessToken(c.token).services.map((s) => s.name)).toEqual([product]);
      expect(decodeAccessToken(c.room!.token).services.map((s) => s.name)).toEqual(["rtc"]);
      expect(c).toMatchObject({ vendor: "agora", appId, userId: "alice", issuedAt: new Date(T0) });
      expect(c.expiresAt).toEqual(new Date(T0 + 60_000));
    }
  });

  it("chat user IDs follow Agora Chat's character set, RTM user IDs visible ASCII", async () => {
    const chat = createAgoraProvider({ appId, appCertificate, product: "chat" });
    const rtm = createAgoraProvider({ appId, appCertificate, product: "rtm" });
    await expect(chat.issueCredential("a b")).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
    await expect(rtm.issueCredential("a b", { ttlSeconds: 60 })).resolves.toMatchObject({ userId: "a b" });
    await expect(rtm.issueCredential("a\tb")).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
  });
});

describe("issueCredential on any input", () => {
  it("gives a credential or a typed ImAuthError, never a secret", async () => {
    for (const product of ["rtc", "rtm", "chat"] as const) {
      const p = createAgoraProvider({ appId, appCertificate, product, ncsSecret, clock: () => T0 });
      await fc.assert(
        fc.asyncProperty(fc.anything(), fc.anything(), fc.anything(), async (userId, ttlSeconds, room) => {
          try {
            const c = await p.issueCredential(userId as string, { ttlSeconds, room } as never);
            expect(JSON.stringify(c)).not.toContain(appCertificate);
          } catch (error) {
            expect(error).toMatchObject({ name: "ImAuthError" });
            expect(String((error as Error).message)).not.toContain(appCertificate);
          }
        }),
        { numRuns: 100 },
      );
    }
  });
});

describe("signRequest", () => {
  it("sends a cached Chat app token as bearer, renewed before it ends, and a fresh X-Request-Id", async () => {
    const mc = manual();
    const p = createAgoraProvider({
      appId,
      appCertificate,
      product: "chat",
      appTokenTtlSeconds: 3600,
      clock: mc.clock,
    });
    const sign = () =>
      p.signRequest(new Request("https://a41.chat.agora.io/org/app/users", { method: "POST", body: "{}" }));
    const a = await sign();
    const b = await sign();
    const bearer = (r: Request) => r.headers.get("Authorization")!.replace("Bearer ", "");
    expect(bearer(a)).toBe(bearer(b));
    expect(a.headers.get("X-Request-Id")).not.toBe(b.headers.get("X-Request-Id"));
    expect(a.headers.get("X-Request-Id")).toMatch(/^[0-9a-f]{32}$/);
    expect(a.redirect).toBe("manual");
    const d = verifyAccessToken(bearer(a), {
      appId,
      appCertificate,
      clock: mc.clock,
      service: "chat",
      userId: "",
      privileges: ["app"],
    });
    expect(d.expireSeconds).toBe(3600);
    // 3600 s of life: renewed when less than 360 s are left.
    mc.set(T0 + 3239_000);
    expect(bearer(await sign())).toBe(bearer(a));
    mc.set(T0 + 3240_000);
    const renewed = bearer(await sign());
    expect(renewed).not.toBe(bearer(a));
    expect(decodeAccessToken(renewed).issuedAtSeconds).toBe(T0 / 1000 + 3240);
    p.forgetAppToken();
    expect(bearer(await sign())).not.toBe(renewed);
    await createAgoraEmulator({ appId, appCertificate, clock: mc.clock }).verifyRequest(await sign());
  });
});

describe("verifyWebhook and redaction", () => {
  it("refuses to verify without an ncsSecret, and verifies with one", async () => {
    const body = JSON.stringify({ noticeId: "n1", productId: 1, eventType: 101, notifyMs: T0, payload: {} });
    const without = createAgoraProvider({ appId, appCertificate, product: "rtc", clock: () => T0 });
    await expect(without.verifyWebhook(signRaw(body))).rejects.toMatchObject({
      code: "ERR_INVALID_CONFIG",
    });
    const withSecret = createAgoraProvider({
      appId,
      appCertificate,
      product: "rtc",
      ncsSecret,
      clock: () => T0,
    });
    const event = await withSecret.verifyWebhook(signRaw(body));
    expect(event).toMatchObject({
      vendor: "agora",
      event: "101",
      details: { noticeId: "n1", productId: "1", eventType: "101" },
    });
  });

  it("never shows the certificate or the NCS secret", () => {
    const p = createAgoraProvider({
      appId,
      appCertificate,
      product: "chat",
      ncsSecret,
      orgName: "org",
      appName: "app",
    });
    for (const text of [JSON.stringify(p), String(p), inspect(p)]) {
      expect(text).not.toContain(appCertificate);
      expect(text).not.toContain(ncsSecret);
    }
    expect(p.chatBaseUrls).toEqual(["https://a41.chat.agora.io/org/app/"]);
  });

  it("never shows them for product rtc either (which the room-less conformance checks cannot reach)", async () => {
    const p = createAgoraProvider({ appId, appCertificate, product: "rtc", ncsSecret, clock: () => T0 });
    const c = await p.issueCredential("alice", { ttlSeconds: 600, room: { roomId: "room-1" } });
    const signed = await p.signRequest(new Request("https://a41.chat.agora.io/org/app/users"));
    const texts = [JSON.stringify(p), String(p), inspect(p), JSON.stringify(c), inspect(c), signed.url];
    for (const text of [...texts, JSON.stringify([...signed.headers])]) {
      expect(text).not.toContain(appCertificate);
      expect(text).not.toContain(ncsSecret);
    }
  });
});
