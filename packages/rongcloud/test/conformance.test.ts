import type { Clock, RawWebhook } from "@imauth/core";
import { type ConformanceHarness, registerConformanceTests, withQueryParam } from "@imauth/core/testing";
import { describe, expect, it } from "vitest";
import { createRongCloudProvider, DEFAULT_CREDENTIAL_TTL_SECONDS, MAX_USER_ID_LENGTH } from "../src/index.js";
import { createRongCloudEmulator, signRongCloudCallback } from "../src/testing/index.js";

const appKey = "conformance0appkey";
const appSecret = "conformance-secret-0123";
const other = "another-secret-9876";

async function rawCallback(body: string, nowMs: number, secret: string): Promise<RawWebhook> {
  const request = signRongCloudCallback({ appSecret: secret, body, contentType: "json", clock: () => nowMs });
  return { url: request.url, headers: Object.fromEntries(request.headers), body };
}

const harness: ConformanceHarness = {
  name: "rongcloud",
  createProvider: (clock: Clock) => {
    const emulator = createRongCloudEmulator({ appKey, appSecret, clock });
    return createRongCloudProvider({
      appKey,
      appSecret,
      clock,
      baseUrl: "http://rc.test/",
      fetch: emulator.fetch,
    });
  },
  secrets: [appSecret],
  defaultTtlSeconds: DEFAULT_CREDENTIAL_TTL_SECONDS,
  maxUserIdLength: MAX_USER_ID_LENGTH,
  sampleRequest: () =>
    new Request("https://api-cn.ronghub.com/user/getToken.json?trace=1", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-extra": "kept" },
      body: "userId=user01&name=%E4%B8%96%E7%95%8C",
    }),
  verifySignedRequest: (request, clock) =>
    createRongCloudEmulator({ appKey, appSecret, clock }).verifyRequest(request),
  signWebhook: ({ body, nowMs, wrongSecret }) => rawCallback(body, nowMs, wrongSecret ? other : appSecret),
  tamperWebhook: (w) => {
    const q = new URL(w.url).searchParams;
    const signature = q.get("signature")!;
    return [
      withQueryParam(w, "signature", undefined),
      withQueryParam(
        w,
        "signature",
        signature.replace(/^./, (c) => (c === "0" ? "1" : "0")),
      ),
      withQueryParam(w, "signTimestamp", String(Number(q.get("signTimestamp")) + 1)),
      withQueryParam(w, "signTimestamp", `0${q.get("signTimestamp")}`),
      withQueryParam(w, "nonce", `${q.get("nonce")}1`),
      withQueryParam(w, "nonce", undefined),
      { ...w, url: "https://example.com/rongcloud/callback" },
    ];
  },
  maxWebhookAgeMs: 300_000,
  invalidConfigs: [
    () => createRongCloudProvider({ appKey, appSecret: "" }),
    () => createRongCloudProvider({ appKey: "", appSecret }),
    () => createRongCloudProvider({ appKey: "bad key", appSecret }),
    () => createRongCloudProvider({ appKey, appSecret: "line\n" }),
    () => createRongCloudProvider({ appKey, appSecret, region: "mars" as "cn" }),
    () => createRongCloudProvider({ appKey, appSecret, region: "cn", baseUrl: "https://x.example/" }),
    () => createRongCloudProvider({ appKey, appSecret, baseUrl: "not a url" }),
    () => createRongCloudProvider({ appKey, appSecret, clock: 5 as unknown as Clock }),
    () => createRongCloudProvider({ appKey, appSecret, defaultTtlSeconds: 0 }),
    () => createRongCloudProvider({ appKey, appSecret, webhookMaxSkewSeconds: 0 }),
    () => createRongCloudProvider({ appKey, appSecret, tokens: {} as never }),
    () => createRongCloudProvider({ appKey, appSecret, unknown: 1 } as never),
    () => createRongCloudProvider(null as never),
  ],
  rooms: "unsupported",
};

describe("conformance", () => registerConformanceTests(harness, it));

describe("the tokens the provider issues", () => {
  it("are tokens the emulator accepts, issued through user/getToken.json", async () => {
    const clock = () => 1_700_000_000_000;
    const emulator = createRongCloudEmulator({ appKey, appSecret, clock });
    const provider = createRongCloudProvider({
      appKey,
      appSecret,
      clock,
      baseUrl: "http://rc.test/",
      fetch: emulator.fetch,
    });
    const credential = await provider.issueCredential("user01", { ttlSeconds: 600 });
    expect(credential).toMatchObject({ vendor: "rongcloud", appId: appKey, userId: "user01" });
    expect(emulator.acceptsLogin("user01", credential.token)).toBe(true);
    expect(emulator.users.get("user01")?.name).toBe("user01");
    expect(emulator.calls.map((c) => [c.path, c.vendorCode, c.timestamp])).toEqual([
      ["user/getToken.json", 200, "1700000000000"],
    ]);
    emulator.revokeCredentials();
    expect(emulator.acceptsLogin("user01", credential.token)).toBe(false);
  });
});
