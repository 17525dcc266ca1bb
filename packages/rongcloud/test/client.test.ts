import { ImAuthError } from "@imauth/core";
import { describe, expect, it } from "vitest";
import { closedPortUrl, serve } from "../../../test-support/loopback.js";
import {
  classifyRongCloudError,
  createRongCloudImClient,
  parseRongCloudEnvelope,
  RONGCLOUD_IDEMPOTENT_APIS,
  rongCloudApiPath,
} from "../src/client/index.js";
import { createRongCloudProvider, RONGCLOUD_REGIONS } from "../src/index.js";
import { createRongCloudEmulator } from "../src/testing/index.js";

const appKey = "client0appkey";
const appSecret = "client-secret-0123";
const clock = () => 1_700_000_000_000;

function setup(baseUrl: string | string[] = ["http://rc.test/", "http://rc-backup.test/"]) {
  const emulator = createRongCloudEmulator({ appKey, appSecret, clock, rejectReplayedNonce: true });
  const provider = createRongCloudProvider({ appKey, appSecret, clock });
  const client = createRongCloudImClient(provider, {
    baseUrl,
    fetch: emulator.fetch,
    sleep: async () => {},
    random: () => 0,
  });
  return { emulator, provider, client };
}

describe("createRongCloudImClient", () => {
  it("gets a token, re-signing every retry and failing over to the backup domain", async () => {
    const { emulator, client } = setup();
    emulator.failNext(1, { vendorCode: 1000 });
    emulator.rateLimitNext(1);
    const { token } = await client.getToken("user01", {
      name: "Alice",
      portraitUri: "https://example.com/a.png",
    });
    expect(emulator.acceptsLogin("user01", token)).toBe(true);
    expect(emulator.calls.map((c) => [c.status, c.vendorCode])).toEqual([
      [500, 1000],
      [429, 1008],
      [200, 200],
    ]);
    const nonces = emulator.calls.map((c) => c.nonce);
    expect(new Set(nonces).size).toBe(3);
    expect(client.baseUrl).toBe("http://rc-backup.test/");
    expect(emulator.users.get("user01")).toMatchObject({
      name: "Alice",
      portraitUri: "https://example.com/a.png",
    });
  });

  it("maps error codes to ERR_VENDOR_API with RongCloud's code and message", async () => {
    const { emulator, client } = setup();
    emulator.failNext(1, { vendorCode: 1002, errorMessage: "userId is required" });
    await expect(client.getToken("user01")).rejects.toMatchObject({
      code: "ERR_VENDOR_API",
      vendorCode: 1002,
      status: 400,
      vendorMessage: "userId is required",
    });
    await expect(client.refreshUser("nobody", { name: "x" })).rejects.toMatchObject({ vendorCode: 1002 });
    await expect(client.call("no/such/api.json")).rejects.toMatchObject({ vendorCode: 404, status: 404 });
    expect(emulator.calls).toHaveLength(3);
  });

  it("sends a message once, with a list of receivers as repeated fields", async () => {
    const { emulator, client } = setup();
    await client.publishPrivate({
      fromUserId: "user01",
      toUserId: ["user02", "user03"],
      objectName: "RC:TxtMsg",
      content: { content: "你好" },
      pushContent: "hi",
    });
    expect(emulator.messages).toEqual([
      {
        fromUserId: "user01",
        toUserId: ["user02", "user03"],
        objectName: "RC:TxtMsg",
        content: '{"content":"你好"}',
      },
    ]);
    emulator.failNext(1, { vendorCode: 1050 });
    await expect(
      client.publishPrivate({
        fromUserId: "user01",
        toUserId: "user02",
        objectName: "RC:TxtMsg",
        content: "{}",
      }),
    ).rejects.toMatchObject({ vendorCode: 1050 });
    expect(emulator.messages).toHaveLength(1);
  });

  it("expires tokens and refreshes profiles", async () => {
    const { emulator, client } = setup();
    const { token } = await client.getToken("user01");
    await client.refreshUser("user01", { name: "Bob" });
    expect(emulator.users.get("user01")?.name).toBe("Bob");
    await client.expireTokens(["user01"], clock() + 1);
    expect(emulator.acceptsLogin("user01", token)).toBe(false);
    await expect(client.expireTokens([], 1)).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
    await expect(client.expireTokens("user01", -1)).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
  });

  it("checks its inputs and configuration", async () => {
    const { client, provider } = setup();
    await expect(client.getToken("bad id")).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
    await expect(client.call("https://evil.example/x.json")).rejects.toMatchObject({
      code: "ERR_INVALID_INPUT",
    });
    await expect(client.call("user/info.json", { userId: {} as never })).rejects.toMatchObject({
      code: "ERR_INVALID_INPUT",
    });
    expect(() => createRongCloudImClient(null as never)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
    expect(() => createRongCloudImClient(provider, { region: "sg" } as never)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
    expect(createRongCloudImClient(provider).baseUrl).toBe(RONGCLOUD_REGIONS.cn[0]);
  });

  it("fails over from a closed port to a real loopback server", async () => {
    const emulator = createRongCloudEmulator({ appKey, appSecret, clock });
    const server = await serve((request) => emulator.fetch(request));
    try {
      const provider = createRongCloudProvider({ appKey, appSecret, clock });
      const client = createRongCloudImClient(provider, {
        baseUrl: [`${await closedPortUrl()}/`, `${server.url}/`],
        sleep: async () => {},
      });
      const { token } = await client.getToken("user01");
      expect(emulator.acceptsLogin("user01", token)).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe("envelope and retry policy", () => {
  it("parses envelopes", () => {
    expect(parseRongCloudEnvelope(200, { code: 200, token: "t" }).token).toBe("t");
    expect(() => parseRongCloudEnvelope(401, { code: 1004, errorMessage: "signature error" })).toThrow(
      expect.objectContaining({ vendorCode: 1004, status: 401, vendorMessage: "signature error" }),
    );
    expect(() => parseRongCloudEnvelope(502, "gateway")).toThrow(
      expect.objectContaining({ vendorCode: 502 }),
    );
    expect(() => parseRongCloudEnvelope(200, { code: "1002" })).toThrow(
      expect.objectContaining({ vendorCode: 1002 }),
    );
    expect(rongCloudApiPath("/user/getToken.json")).toBe("user/getToken.json");
    expect(() => rongCloudApiPath("../x.json")).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_INPUT" }),
    );
  });

  it("classifies RongCloud's codes", () => {
    const vendor = (vendorCode: number, status: number) =>
      classifyRongCloudError(new ImAuthError("ERR_VENDOR_API", "x", { vendorCode, status }), 1);
    expect(vendor(1000, 500)).toEqual({ retry: true, failover: true });
    expect(vendor(1050, 504)).toEqual({ retry: true, failover: true });
    expect(vendor(1008, 429)).toMatchObject({ retry: true, noEffect: true, delayMs: 1000 });
    expect(vendor(1004, 401)).toEqual({ retry: false });
    expect(vendor(1002, 400)).toEqual({ retry: false });
    expect(classifyRongCloudError(new ImAuthError("ERR_NETWORK", "x"), 1)).toMatchObject({ retry: true });
    expect(RONGCLOUD_IDEMPOTENT_APIS.has("user/getToken.json")).toBe(true);
    expect(RONGCLOUD_IDEMPOTENT_APIS.has("message/private/publish.json")).toBe(false);
  });
});
