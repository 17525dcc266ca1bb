import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closedPortUrl, serve } from "../../../test-support/loopback.js";
import {
  createRongCloudHeaders,
  createRongCloudProvider,
  verifyRongCloudCallback,
  verifyRongCloudHeaders,
} from "../src/index.js";
import { createRongCloudEmulator } from "../src/testing/index.js";

const appKey = "provider0appkey";
const appSecret = "provider-secret-0123";
const clock = () => 1_700_000_000_000;

describe("createRongCloudProvider issueCredential", () => {
  it("fails over from a closed port and a 500 to the next domain", async () => {
    const emulator = createRongCloudEmulator({ appKey, appSecret, clock });
    const server = await serve((request) => emulator.fetch(request));
    try {
      const provider = createRongCloudProvider({
        appKey,
        appSecret,
        clock,
        baseUrl: [`${await closedPortUrl()}/`, `${server.url}/`, `${server.url}/`],
        profile: (userId) => ({ name: `name of ${userId}` }),
      });
      emulator.failNext(1, { vendorCode: 1000 });
      const credential = await provider.issueCredential("user01");
      expect(emulator.acceptsLogin("user01", credential.token)).toBe(true);
      expect(emulator.users.get("user01")?.name).toBe("name of user01");
      expect(emulator.calls.map((c) => c.status)).toEqual([500, 200]);
    } finally {
      await server.close();
    }
  });

  it("stops at errors that another domain would repeat", async () => {
    const emulator = createRongCloudEmulator({ appKey, appSecret, clock });
    const provider = createRongCloudProvider({
      appKey,
      appSecret: "wrong-secret-0000",
      clock,
      baseUrl: ["http://a.test/", "http://b.test/"],
      fetch: emulator.fetch,
    });
    await expect(provider.issueCredential("user01")).rejects.toMatchObject({
      code: "ERR_VENDOR_API",
      vendorCode: 1004,
      status: 401,
    });
    expect(emulator.calls).toHaveLength(1);
  });

  it("times out a stalled answer and reports ERR_NETWORK", async () => {
    const stalled: typeof fetch = async (_input, init) =>
      new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(new Error("aborted"))));
    const provider = createRongCloudProvider({
      appKey,
      appSecret,
      clock,
      baseUrl: "http://a.test/",
      fetch: stalled,
      timeoutMs: 20,
    });
    await expect(provider.issueCredential("user01")).rejects.toMatchObject({ code: "ERR_NETWORK" });
  });

  it("refuses a non-JSON or token-less answer", async () => {
    const text: typeof fetch = async () => new Response("<html>", { status: 200 });
    const p1 = createRongCloudProvider({ appKey, appSecret, baseUrl: "http://a.test/", fetch: text });
    await expect(p1.issueCredential("user01")).rejects.toMatchObject({ code: "ERR_VENDOR_API" });
    const empty: typeof fetch = async () => Response.json({ code: 200 });
    const p2 = createRongCloudProvider({ appKey, appSecret, baseUrl: "http://a.test/", fetch: empty });
    await expect(p2.issueCredential("user01")).rejects.toMatchObject({ code: "ERR_VENDOR_API" });
  });

  it("takes tokens from a token source, and refuses room scopes", async () => {
    const provider = createRongCloudProvider({
      appKey,
      appSecret,
      clock,
      tokens: { issueToken: async (userId) => `stored-${userId}` },
    });
    const credential = await provider.issueCredential("user02", { ttlSeconds: 60 });
    expect(credential.token).toBe("stored-user02");
    expect(credential.expiresAt.getTime() - credential.issuedAt.getTime()).toBe(60_000);
    await expect(provider.issueCredential("user02", { room: { roomId: 1 } })).rejects.toMatchObject({
      code: "ERR_INVALID_INPUT",
      message: expect.stringMatching(/room/),
    });
    const bad = createRongCloudProvider({ appKey, appSecret, tokens: { issueToken: async () => "" } });
    await expect(bad.issueCredential("user02")).rejects.toMatchObject({ code: "ERR_VENDOR_API" });
  });
});

describe("signRequest, rotation and redaction", () => {
  it("signs with the first secret and verifies callbacks with any", async () => {
    const provider = createRongCloudProvider({ appKey, appSecret: ["current-secret", appSecret], clock });
    const signed = await provider.signRequest(
      new Request("https://api-cn.ronghub.com/user/info.json", { method: "POST" }),
    );
    expect(signed.redirect).toBe("manual");
    expect(
      verifyRongCloudHeaders(signed.headers, { appKey, appSecret: "current-secret", clock }).timestampUnit,
    ).toBe("ms");
    const text = `${JSON.stringify(provider)} ${String(provider)} ${inspect(provider)}`;
    expect(text).not.toContain("current-secret");
    expect(text).not.toContain(appSecret);
    await expect(provider.signRequest("x" as never)).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
  });
});

describe("properties", () => {
  it("any callback input gives a result or a typed error, never the secret", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), fc.string(), fc.string(), async (nonce, ts, sig, body) => {
        const url = `https://example.com/cb?${new URLSearchParams({ nonce, signTimestamp: ts, signature: sig })}`;
        try {
          await verifyRongCloudCallback({ url, headers: {}, body }, { appSecret, clock });
        } catch (error) {
          expect((error as { name: string }).name).toBe("ImAuthError");
          expect(String((error as Error).message)).not.toContain(appSecret);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("headers made with any nonce and time verify, and only with the right secret", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 18 }),
        // A Timestamp of 12 digits or more is read as ms (readEpochMs): ms clocks from 1973-03-03 on.
        fc.integer({ min: 100_000_000_000, max: 2 ** 45 }),
        (nonce, nowMs) => {
          let headers: ReturnType<typeof createRongCloudHeaders>;
          try {
            headers = createRongCloudHeaders({ appKey, appSecret, nonce, clock: () => nowMs });
          } catch (error) {
            // Only a nonce that is not 1 to 18 visible ASCII characters may be refused.
            expect(/^[\x21-\x7e]{1,18}$/.test(nonce)).toBe(false);
            expect(error).toMatchObject({ name: "ImAuthError", code: "ERR_INVALID_INPUT" });
            return;
          }
          const at = () => nowMs;
          expect(verifyRongCloudHeaders(headers, { appKey, appSecret, clock: at }).nonce).toBe(nonce);
          expect(() => verifyRongCloudHeaders(headers, { appSecret: `${appSecret}!`, clock: at })).toThrow(
            expect.objectContaining({ code: "ERR_SIGNATURE_INVALID" }),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("any user ID gives a credential or ERR_INVALID_INPUT", async () => {
    const emulator = createRongCloudEmulator({ appKey, appSecret, clock });
    const provider = createRongCloudProvider({
      appKey,
      appSecret,
      clock,
      baseUrl: "http://rc.test/",
      fetch: emulator.fetch,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 80 }), fc.stringMatching(/^[A-Za-z0-9+|=_-]{1,64}$/)),
        async (userId) => {
          try {
            const credential = await provider.issueCredential(userId);
            expect(emulator.acceptsLogin(userId, credential.token)).toBe(true);
          } catch (error) {
            // Only a user ID outside RongCloud's rules may be refused.
            expect(/^[A-Za-z0-9+|=_-]{1,64}$/.test(userId)).toBe(false);
            expect(error).toMatchObject({ name: "ImAuthError", code: "ERR_INVALID_INPUT" });
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
