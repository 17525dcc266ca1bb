import { base64Decode, hexEncode, utf8Decode } from "@imauth/core/adapter";
import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/easemob.json" with { type: "json" };
import * as client from "../src/client/index.js";
import * as main from "../src/index.js";
import { createEasemobProvider, easemobCallbackSecurity, verifyEasemobCallback } from "../src/index.js";
import * as testing from "../src/testing/index.js";
import { hmac, le32, readAccessToken2 } from "./accesstoken2.js";

// Vectors from the project's shared vector set, made by running Easemob's official code and the documented
// callback formula; see vectors/easemob.json for provenance. Expected values come only from there.

type Vector = (typeof vectors.vectors)[number];
const byKind = (kind: string) => vectors.vectors.filter((v: Vector) => v.kind === kind) as any[];

describe("callbackSecurity vectors", () => {
  for (const v of byKind("callbackSecurity")) {
    it(`${v.id}: MD5(callId + Secret + timestamp)`, () => {
      expect(v.md5Input).toBe(`${v.callId}${v.secret}${v.timestampMs}`);
      expect(easemobCallbackSecurity(v.callId, v.secret, v.timestampMs)).toBe(v.security);
      expect(easemobCallbackSecurity(v.callId, v.secret, String(v.timestampMs))).toBe(v.security);
    });

    it(`${v.id}: the example body verifies, as a number and as a string timestamp`, async () => {
      const clock = () => v.timestampMs + 1000;
      const body = JSON.stringify(v.exampleBody);
      const event = await verifyEasemobCallback(
        { url: "/cb", headers: {}, body },
        { secret: v.secret, clock },
      );
      expect(event.payload).toEqual(v.exampleBody);
      expect(event.receivedAt.getTime()).toBe(v.timestampMs);
      expect(event.details.callId).toBe(v.callId);
      expect(event.event).toBe(v.exampleBody.eventType);
      const asString = JSON.stringify({ ...v.exampleBody, timestamp: String(v.timestampMs) });
      await verifyEasemobCallback({ url: "/cb", headers: {}, body: asString }, { secret: v.secret, clock });
      await expect(
        verifyEasemobCallback({ url: "/cb", headers: {}, body }, { secret: `${v.secret}x`, clock }),
      ).rejects.toMatchObject({ code: "ERR_WEBHOOK_INVALID" });
    });
  }
});

describe("dynamicUserToken vectors: deliberately not implemented", () => {
  // The 'dt-' token exists only on an unreleased branch of Easemob's server SDK (not on master, not in the
  // documentation's released API), and its official wrapper passes clientSecret where the appkey belongs.
  // This package issues user tokens through the documented `inherit` grant or an Agora Chat token instead.
  const dt = byKind("dynamicUserToken");

  it("the vector file holds dynamic-token vectors, which this package does not reproduce", () => {
    expect(dt.length).toBeGreaterThan(0);
    for (const v of dt) expect(utf8Decode(base64Decode(v.token))).toBe(v.decoded);
  });

  it("no entry exports a dt- token generator or verifier", () => {
    const names = [...Object.keys(main), ...Object.keys(client), ...Object.keys(testing)];
    expect(names.filter((name) => /dynamic|dtoken|dt[A-Z_]|userToken/i.test(name))).toEqual([]);
  });

  it("issueCredential never makes a dt- token: without a strategy it asks Easemob's inherit grant", async () => {
    const v = dt[0];
    const [orgName, appName] = v.appkey.split("#");
    const seen: string[] = [];
    const provider = createEasemobProvider({
      orgName,
      appName,
      clientId: v.clientId,
      clientSecret: v.clientSecret,
      clock: () => v.curTimeSeconds * 1000,
      fetch: async (_input, init) => {
        seen.push(String(init?.body ?? ""));
        return new Response("{}", { status: 503 });
      },
    });
    await expect(provider.issueCredential(v.userId, { ttlSeconds: v.ttlSeconds })).rejects.toMatchObject({
      code: "ERR_VENDOR_API",
      status: 503,
    });
    expect(JSON.parse(seen[0]!).grant_type).toBe("client_credentials");
  });
});

describe("agoraRealmChatUserToken vectors", () => {
  for (const v of byKind("agoraRealmChatUserToken")) {
    it(`${v.id}: decodes to the official content and fields`, () => {
      const t = readAccessToken2(v.token);
      expect(hexEncode(t.content)).toBe(v.contentHex);
      expect(hexEncode(t.signature)).toBe(v.decoded.signatureHex);
      expect([t.appId, t.issueTs, t.expire, t.salt]).toEqual([v.appId, v.issueTs, v.expireSeconds, v.salt]);
      const [service] = t.services;
      expect(t.services.length).toBe(v.decoded.serviceCount);
      expect(service).toEqual({
        type: v.decoded.services[0].type,
        privileges: {
          [v.decoded.services[0].privileges.user.id]: v.decoded.services[0].privileges.user.expire,
        },
        userId: v.userId,
      });
    });

    it(`${v.id}: its signature is AccessToken2's HMAC chain over the content`, () => {
      const t = readAccessToken2(v.token);
      const signing = hmac(hmac(le32(v.salt), hmac(le32(v.issueTs), v.appCertificate)), t.signed);
      expect(hexEncode(signing)).toBe(v.decoded.signatureHex);
    });

    it(`${v.id}: createEasemobProvider issues it offline through the injected strategy`, async () => {
      const calls: unknown[][] = [];
      const provider = createEasemobProvider({
        orgName: "org",
        appName: "app",
        clientId: "YXA6client",
        clientSecret: "YXA6secret",
        clock: () => v.issueTs * 1000,
        fetch: () => Promise.reject(new Error("no network: the strategy is offline")),
        userTokens: (userId, expireSeconds, clock) => {
          calls.push([userId, expireSeconds, clock?.()]);
          return v.token;
        },
      });
      expect(provider.credentialMode).toBe("strategy");
      const credential = await provider.issueCredential(v.userId, { ttlSeconds: v.expireSeconds });
      expect(calls).toEqual([[v.userId, v.expireSeconds, v.issueTs * 1000]]);
      expect(credential.token).toBe(v.token);
      expect(credential.issuedAt.getTime() / 1000).toBe(v.issueTs);
      expect(credential.expiresAt.getTime() / 1000).toBe(v.decoded.tokenExpiresAt);
      expect(credential.appId).toBe("org#app");
    });
  }
});
