import { describe, expect, it } from "vitest";
import {
  agoraChatApiPath,
  classifyAgoraChatError,
  createAgoraChatClient,
  parseAgoraChatEnvelope,
} from "../src/client/index.js";
import { createAgoraProvider } from "../src/index.js";
import { createAgoraEmulator } from "../src/testing/index.js";
import { appCertificate, appId, ncsSecret } from "./harness.js";

const T0 = 1_700_000_000_000;

function setup(clock: () => number = () => T0) {
  const emulator = createAgoraEmulator({
    appId,
    appCertificate,
    ncsSecret,
    orgName: "org",
    appName: "app",
    clock,
  });
  const provider = createAgoraProvider({
    appId,
    appCertificate,
    product: "chat",
    orgName: "org",
    appName: "app",
    clock,
  });
  const client = createAgoraChatClient(provider, { fetch: emulator.fetch, sleep: async () => {} });
  return { emulator, provider, client };
}

describe("Chat REST client against the emulator", () => {
  it("registers users, reads them and sends messages", async () => {
    const { emulator, provider, client } = setup();
    const alice = await client.registerUser("Alice", "secret-1");
    expect(alice).toMatchObject({ username: "alice", activated: true, type: "user" });
    expect(await client.getUser("alice")).toMatchObject({ username: "alice", uuid: alice.uuid });
    const ids = await client.sendTextMessage({ to: ["alice"], text: "hi" });
    expect(Object.keys(ids)).toEqual(["alice"]);
    expect(emulator.messages).toMatchObject([
      { from: "admin", to: "alice", type: "txt", body: { msg: "hi" } },
    ]);
    const { token } = await provider.issueCredential("alice");
    expect(emulator.acceptsLogin("alice", token)).toBe(true);
    expect(emulator.acceptsLogin("bob", token)).toBe(false);
    expect(emulator.calls.map((c) => [c.method, c.path, c.status])).toEqual([
      ["POST", "users", 200],
      ["GET", "users/alice", 200],
      ["POST", "messages/users", 200],
    ]);
    expect(client.baseUrl).toBe("https://a41.chat.agora.io/org/app/");
  });

  it("turns error envelopes into ERR_VENDOR_API with Agora's error name", async () => {
    const { client } = setup();
    await client.registerUser("bob");
    await expect(client.registerUser("bob")).rejects.toMatchObject({
      code: "ERR_VENDOR_API",
      vendorCode: "duplicate_unique_property_exists",
      status: 400,
    });
    await expect(client.getUser("nobody")).rejects.toMatchObject({
      vendorCode: "service_resource_not_found",
      status: 404,
    });
    await expect(client.call("GET", "chatgroups")).rejects.toMatchObject({ status: 404 });
  });

  it("retries 429 whatever the call, 5xx and dropped connections only when it may repeat, 401 once", async () => {
    const { emulator, client } = setup();
    emulator.rateLimitNext(2);
    await expect(client.registerUser("carol")).resolves.toMatchObject({ username: "carol" });
    emulator.failNext(1, { status: 503 });
    await expect(client.registerUser("dave")).rejects.toMatchObject({
      status: 503,
      vendorCode: "service_unavailable",
    });
    emulator.failNext(1, { status: 503 });
    await expect(client.getUser("carol")).resolves.toMatchObject({ username: "carol" });
    emulator.failNext(1, { disconnect: true });
    await expect(client.getUser("carol")).resolves.toBeDefined();
    emulator.revokeCredentials();
    await expect(client.getUser("carol")).resolves.toBeDefined();
    expect(emulator.calls.filter((c) => c.status === 401)).toHaveLength(1);
  });

  it("a revoked app token is refused with 401 and replaced once", async () => {
    let now = T0;
    const { emulator, client } = setup(() => now);
    await client.registerUser("erin");
    emulator.revokeCredentials();
    now += 1000;
    await expect(client.getUser("erin")).resolves.toMatchObject({ username: "erin" });
    expect(emulator.calls.map((c) => c.status)).toEqual([200, 401, 200]);
    emulator.failNext(2, { status: 401 });
    await expect(client.getUser("erin")).rejects.toMatchObject({ status: 401, vendorCode: "unauthorized" });
  });

  it("the emulator refuses requests without a valid app token", async () => {
    const { emulator } = setup();
    const answer = await emulator.fetch("https://a41.chat.agora.io/org/app/users/x");
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({
      error: "unauthorized",
      error_description: expect.any(String),
    });
    const user = createAgoraProvider({ appId, appCertificate, product: "chat", clock: () => T0 });
    const { token } = await user.issueCredential("x");
    const withUserToken = await emulator.fetch("https://a41.chat.agora.io/org/app/users/x", {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(withUserToken.status).toBe(401);
    const otherApp = await emulator.fetch("https://a41.chat.agora.io/other/app/users/x");
    expect(await otherApp.json()).toMatchObject({ error: "organization_application_not_found" });
    await expect(emulator.verifyRequest(new Request("https://x/"))).rejects.toMatchObject({
      code: "ERR_SIGNATURE_INVALID",
    });
    expect(() => emulator.failNext(1, { vendorCode: 1 })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_INPUT" }),
    );
    emulator.reset();
    expect(emulator.calls).toHaveLength(0);
  });

  it("sends signed NCS callbacks to a handler", async () => {
    const { emulator } = setup();
    const provider = createAgoraProvider({
      appId,
      appCertificate,
      product: "rtc",
      ncsSecret,
      clock: () => T0,
    });
    const result = await emulator.sendCallback(
      async (request) => {
        const event = await provider.verifyWebhook(request);
        return Response.json({ event: event.event });
      },
      { eventType: 101, payload: { channelName: "room-1" } },
    );
    expect(result).toEqual({ ok: true, status: 200, reply: { event: "101" } });
    expect(() => createAgoraEmulator({ appId, appCertificate }).signCallback({})).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
  });

  it("checks its options", () => {
    const provider = createAgoraProvider({ appId, appCertificate, product: "chat" });
    expect(() => createAgoraChatClient(provider)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
    expect(createAgoraChatClient(provider, { orgName: "o", appName: "a", region: "us" }).baseUrl).toBe(
      "https://a61.chat.agora.io/o/a/",
    );
    expect(() => createAgoraChatClient(provider, { region: "us" })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
    expect(() => createAgoraChatClient({} as never)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
    expect(() => createAgoraEmulator({ appId, appCertificate, orgName: "a/b" })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
  });
});

describe("envelope and retry rules", () => {
  it("parseAgoraChatEnvelope", () => {
    expect(parseAgoraChatEnvelope(200, { action: "get", entities: [] })).toEqual({
      action: "get",
      entities: [],
    });
    expect(() => parseAgoraChatEnvelope(200, { error: "x" })).toThrow(
      expect.objectContaining({ vendorCode: "x", status: 200 }),
    );
    expect(() => parseAgoraChatEnvelope(502, undefined)).toThrow(
      expect.objectContaining({ vendorCode: 502 }),
    );
    expect(() => parseAgoraChatEnvelope(400, { error: "e", error_description: "d" })).toThrow(
      expect.objectContaining({ vendorMessage: "d" }),
    );
  });

  it("agoraChatApiPath", () => {
    expect(agoraChatApiPath("/users/a")).toBe("users/a");
    expect(agoraChatApiPath("users/a..b")).toBe("users/a..b"); // a name, not a segment
    for (const bad of ["", "https://evil/x", "../x", "users/..", "users/%2E%2e/x", "users/./a"]) {
      expect(() => agoraChatApiPath(bad)).toThrow(expect.objectContaining({ code: "ERR_INVALID_INPUT" }));
    }
  });

  it("classifyAgoraChatError", async () => {
    const { ImAuthError } = await import("@imauth/core");
    const vendor = (status: number) => new ImAuthError("ERR_VENDOR_API", "x", { status, vendorCode: "e" });
    expect(classifyAgoraChatError(vendor(429), 1)).toMatchObject({
      retry: true,
      noEffect: true,
      delayMs: 1000,
    });
    expect(classifyAgoraChatError(vendor(400), 1)).toEqual({ retry: false });
    expect(classifyAgoraChatError(vendor(401), 1)).toEqual({ retry: false });
    expect(classifyAgoraChatError(vendor(401), 1, undefined, () => {})).toMatchObject({
      retry: true,
      noEffect: true,
    });
    expect(classifyAgoraChatError(vendor(401), 2, undefined, () => {})).toEqual({ retry: false });
    // Once per call: a 401 after an earlier 429 of the same call still renews, a second 401 does not.
    const call = { idempotent: false };
    expect(classifyAgoraChatError(vendor(429), 1, call, () => {})).toMatchObject({ retry: true });
    expect(classifyAgoraChatError(vendor(401), 2, call, () => {})).toMatchObject({ retry: true });
    expect(classifyAgoraChatError(vendor(401), 3, call, () => {})).toEqual({ retry: false });
    expect(classifyAgoraChatError(vendor(503), 1)).toMatchObject({ retry: true, failover: true });
    expect(classifyAgoraChatError(new ImAuthError("ERR_NETWORK", "x"), 1)).toMatchObject({ retry: true });
  });
});
