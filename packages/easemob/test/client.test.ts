import { ImAuthError } from "@imauth/core";
import { createReferenceProvider } from "@imauth/core/testing";
import { describe, expect, it } from "vitest";
import { classifyEasemobError, createEasemobImClient, parseEasemobEnvelope } from "../src/client/index.js";
import { appName, host, orgName, setup } from "./helpers.js";

const quick = { sleep: async () => {}, random: () => 0 };

function wired(options: Parameters<typeof setup>[0] = {}) {
  const s = setup(options);
  const client = createEasemobImClient(s.provider, { fetch: s.emulator.fetch, ...quick });
  return { ...s, client };
}

describe("createEasemobImClient against the emulator", () => {
  it("registers, reads and deletes users with the app token", async () => {
    const { client, emulator } = wired();
    const alice = await client.registerUser("Alice", "a-password", "Ally");
    expect(alice).toMatchObject({ username: "alice", nickname: "Ally", activated: true });
    expect((await client.getUser("ALICE")).uuid).toBe(alice.uuid);
    await client.deleteUser("alice");
    await expect(client.getUser("alice")).rejects.toMatchObject({
      code: "ERR_VENDOR_API",
      status: 404,
      vendorCode: "service_resource_not_found",
      vendorMessage: "Service resource not found",
    });
    expect(emulator.calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      "POST token 200",
      "POST users 200",
      "GET users/ALICE 200",
      "DELETE users/alice 200",
      "GET users/alice 404",
    ]);
    expect(client.baseUrl).toBe(`https://${host}/${orgName}/${appName}/`);
  });

  it("a 401 renews the app token once and retries, even a POST", async () => {
    const { client, emulator } = wired();
    await client.registerUser("bob", "pw");
    emulator.revokeCredentials();
    await client.registerUser("carol", "pw");
    expect(emulator.calls.map((c) => c.status)).toEqual([200, 200, 401, 200, 200]);
    const before = new Set(emulator.calls.map((c) => c.method));
    emulator.failNext(2, { status: 401, error: "unauthorized" });
    await expect(client.getUser("bob")).rejects.toMatchObject({ status: 401, vendorCode: "unauthorized" });
    expect(before.has("POST")).toBe(true);
  });

  it("429 is retried after a wait, 5xx only for idempotent calls, 4xx never", async () => {
    const { client, emulator } = wired();
    await client.registerUser("dave", "pw");
    emulator.failNext(1, { status: 429 });
    await client.registerUser("erin", "pw");
    emulator.failNext(1, { status: 503 });
    await client.getUser("erin");
    emulator.failNext(1, { status: 503 });
    await expect(client.registerUser("frank", "pw")).rejects.toMatchObject({ status: 503 });
    await expect(client.registerUser("dave", "pw")).rejects.toMatchObject({
      status: 400,
      vendorCode: "duplicate_unique_property_exists",
    });
    emulator.failNext(1, { disconnect: true });
    await client.getUser("erin");
    expect(emulator.calls.filter((c) => c.status === 429).map((c) => c.error)).toEqual(["reach_limit"]);
  });

  it("call: any method and path under /{org}/{app}/, query and JSON; bad input refused", async () => {
    const { client } = wired();
    await client.registerUser("gina", "pw");
    const answer = await client.call<{ count: number }>("get", "/users/gina", { query: { limit: 1 } });
    expect(answer.count).toBe(1);
    await expect(client.call("GET", "chatgroups")).rejects.toMatchObject({ status: 404 });
    // "a..b" is a valid user ID, not a path segment
    await client.registerUser("a..b", "pw");
    expect((await client.getUser("a..b")).username).toBe("a..b");
    for (const [method, path] of [
      ["TRACE", "users"],
      ["GET", "https://evil.example/x"],
      ["GET", "../other/app/users"],
      ["GET", "users/.."],
      ["GET", "users/%2e%2E"],
      ["GET", ""],
    ]) {
      await expect(client.call(method!, path!)).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
    }
    await expect(client.call("GET", "users", null as never)).rejects.toMatchObject({
      code: "ERR_INVALID_INPUT",
    });
    await expect(client.registerUser("a b", "pw")).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
    await expect(client.registerUser("ok", "")).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
  });

  it("validates its own configuration", () => {
    const { provider } = setup();
    expect(() => createEasemobImClient(null as never)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
    expect(() => createEasemobImClient(provider, null as never)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
    expect(() => createEasemobImClient(provider, { region: "cn1" } as never)).toThrow(/baseUrl/);
    const other = createReferenceProvider({ appId: "x", secret: "reference-secret" });
    expect(() => createEasemobImClient(other)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
    expect(createEasemobImClient(other, { baseUrl: "https://a1.easemob.com/o/a/" }).baseUrl).toContain(
      "/o/a/",
    );
  });
});

describe("envelope and retry rules", () => {
  it("parseEasemobEnvelope: 2xx objects pass, errors carry error/error_description/status", () => {
    expect(parseEasemobEnvelope(200, { entities: [] })).toEqual({ entities: [] });
    expect(parseEasemobEnvelope(200, undefined)).toEqual({});
    const e = (() => {
      try {
        parseEasemobEnvelope(401, {
          error: "unauthorized",
          exception: "EasemobUnauthorizedException",
          error_description: "Unable to authenticate (OAuth)",
        });
      } catch (error) {
        return error as ImAuthError;
      }
    })()!;
    expect(e).toMatchObject({ code: "ERR_VENDOR_API", status: 401, vendorCode: "unauthorized" });
    expect(e.message).toContain("EasemobUnauthorizedException");
    expect(() => parseEasemobEnvelope(502, "<html>")).toThrow(expect.objectContaining({ vendorCode: 502 }));
    expect(() => parseEasemobEnvelope(200, [1])).toThrow(/not a JSON object/);
  });

  it("classifyEasemobError: 401 once with beforeRetry, 429 waits, others by core's default", async () => {
    const e = (status: number) => new ImAuthError("ERR_VENDOR_API", "x", { status });
    const dropped: Array<string | undefined> = [];
    const renewer = { invalidateAppToken: (t?: string) => dropped.push(t) };
    const context = {
      idempotent: false,
      request: new Request("https://x/", { headers: { authorization: "Bearer T1" } }),
    };
    const first = classifyEasemobError(e(401), 1, context, renewer);
    expect(first).toMatchObject({ retry: true, noEffect: true });
    await first.beforeRetry?.();
    expect(dropped).toEqual(["T1"]);
    expect(classifyEasemobError(e(401), 2, context, renewer).retry).toBe(false);
    expect(classifyEasemobError(e(401), 1).retry).toBe(false);
    expect(classifyEasemobError(e(429), 1)).toMatchObject({ retry: true, noEffect: true, delayMs: 1000 });
    expect(classifyEasemobError(e(503), 1)).toMatchObject({ retry: true, failover: true });
    expect(classifyEasemobError(e(400), 1).retry).toBe(false);
  });
});
