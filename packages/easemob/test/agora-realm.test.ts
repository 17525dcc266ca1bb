import { agoraChatUserTokens } from "@imauth/agora";
import { hexEncode } from "@imauth/core/adapter";
import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/easemob.json" with { type: "json" };
import { createEasemobProvider } from "../src/index.js";
import { hmac, le32, readAccessToken2 } from "./accesstoken2.js";

// Integration with @imauth/agora's strategy, which this package does not depend on: its Chat user tokens are
// checked with the test's own AccessToken2 reader (fields and HMAC chain), the vector's app as input.
const v = vectors.vectors.find((x) => x.kind === "agoraRealmChatUserToken") as any;

describe("Agora realm: createEasemobProvider with agoraChatUserTokens", () => {
  it("issues an AccessToken2 Chat user token for the user, the lifetime and the provider's clock", async () => {
    const provider = createEasemobProvider({
      orgName: "org",
      appName: "app",
      clientId: "YXA6client",
      clientSecret: "YXA6secret",
      clock: () => v.issueTs * 1000 + 999,
      fetch: () => Promise.reject(new Error("offline")),
      userTokens: agoraChatUserTokens({ appId: v.appId, appCertificate: v.appCertificate }),
    });
    const credential = await provider.issueCredential(v.userId, { ttlSeconds: v.expireSeconds });
    const t = readAccessToken2(credential.token);
    expect([t.appId, t.issueTs, t.expire]).toEqual([v.appId, v.issueTs, v.expireSeconds]);
    expect(t.services).toEqual([{ type: 5, privileges: { 1: v.expireSeconds }, userId: v.userId }]);
    const signature = hmac(hmac(le32(t.salt), hmac(le32(t.issueTs), v.appCertificate)), t.signed);
    expect(hexEncode(signature)).toBe(hexEncode(t.signature));
    expect(credential.expiresAt.getTime() - credential.issuedAt.getTime()).toBe(v.expireSeconds * 1000);
  });
});
