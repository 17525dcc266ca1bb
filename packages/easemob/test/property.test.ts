import { isImAuthError } from "@imauth/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseEasemobEnvelope } from "../src/client/index.js";
import {
  createEasemobProvider,
  easemobCallbackReply,
  easemobCallbackSecurity,
  isEasemobUserId,
  verifyEasemobCallback,
} from "../src/index.js";
import { appName, callbackSecret, clientId, clientSecret, orgName, signedWebhook, T0 } from "./helpers.js";

/** Runs `fn`; returns "ok" or the ImAuthError code, failing on any other error or a leaked secret. */
async function typed(fn: () => unknown, allowed: string[]): Promise<string> {
  try {
    await fn();
    return "ok";
  } catch (error) {
    expect(isImAuthError(error)).toBe(true);
    const e = error as Error & { code: string };
    expect(allowed).toContain(e.code);
    expect(e.message).not.toContain(callbackSecret);
    expect(e.message).not.toContain(clientSecret);
    return e.code;
  }
}

const clock = () => T0;
const WEBHOOK_CODES = ["ERR_WEBHOOK_INVALID", "ERR_WEBHOOK_EXPIRED"];

describe("properties", () => {
  it("verifyEasemobCallback: any body gives an event or a typed webhook error", async () => {
    const bodies = fc.oneof(
      fc.string(),
      fc.json(),
      fc.uint8Array({ maxLength: 64 }),
      fc
        .record({
          callId: fc.string(),
          timestamp: fc.oneof(fc.integer(), fc.string(), fc.double()),
          security: fc.string(),
        })
        .map((o) => JSON.stringify(o)),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        await typed(
          () => verifyEasemobCallback({ url: "/", headers: {}, body }, { secret: callbackSecret, clock }),
          WEBHOOK_CODES,
        );
      }),
      { numRuns: 300 },
    );
  });

  it("a body signed as Easemob signs it verifies, with the payload intact, at any time in the window", async () => {
    const body = fc.dictionary(
      fc
        .string({ maxLength: 8 })
        .filter((k) => !["callId", "timestamp", "security", "securityVersion", "__proto__"].includes(k)),
      fc.jsonValue(),
      { maxKeys: 5 },
    );
    await fc.assert(
      fc.asyncProperty(body, fc.integer({ min: -300_000, max: 300_000 }), async (fields, skewMs) => {
        const w = await signedWebhook(fields, T0 + skewMs);
        const event = await verifyEasemobCallback(w, { secret: callbackSecret, clock });
        expect(event.rawBody).toBe(w.body);
        expect(event.payload).toEqual(JSON.parse(w.body as string));
      }),
      { numRuns: 100 },
    );
  });

  it("any change of callId, timestamp or security is refused", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 299_000 }),
        async (callId, delta) => {
          const security = easemobCallbackSecurity(
            callId.replace(/[\ud800-\udfff]/g, "x"),
            callbackSecret,
            T0,
          );
          const body = (id: string, t: number) => JSON.stringify({ callId: id, timestamp: t, security });
          const code = await typed(
            () =>
              verifyEasemobCallback(
                { url: "/", headers: {}, body: body(callId.replace(/[\ud800-\udfff]/g, "x"), T0 + delta) },
                { secret: callbackSecret, clock },
              ),
            WEBHOOK_CODES,
          );
          expect(code).toBe("ERR_WEBHOOK_INVALID");
        },
      ),
      { numRuns: 100 },
    );
  });

  it("issueCredential: any user ID is accepted exactly when Easemob's rule allows it", async () => {
    const provider = createEasemobProvider({
      orgName,
      appName,
      clientId,
      clientSecret,
      clock,
      userTokens: (userId) => `t-${userId}`,
    });
    const ids = fc.oneof(fc.string({ maxLength: 70 }), fc.stringMatching(/^[A-Za-z0-9_.-]{1,70}$/));
    await fc.assert(
      fc.asyncProperty(
        ids,
        fc.oneof(fc.integer(), fc.double(), fc.constant(undefined)),
        async (userId, ttlSeconds) => {
          const code = await typed(
            () => provider.issueCredential(userId, ttlSeconds === undefined ? {} : { ttlSeconds }),
            ["ERR_INVALID_INPUT"],
          );
          const ttlOk =
            ttlSeconds === undefined ||
            (Number.isInteger(ttlSeconds) && ttlSeconds >= 1 && ttlSeconds <= 2 ** 31 - 1);
          expect(code === "ok").toBe(isEasemobUserId(userId) && ttlOk);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("parseEasemobEnvelope and easemobCallbackReply: a result or a typed error", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 100, max: 599 }), fc.jsonValue(), async (status, json) => {
        await typed(() => parseEasemobEnvelope(status, json), ["ERR_VENDOR_API"]);
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (options) => {
        await typed(() => easemobCallbackReply(options as never), ["ERR_INVALID_INPUT"]);
      }),
    );
  });
});
