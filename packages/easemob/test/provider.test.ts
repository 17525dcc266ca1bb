import { inspect } from "node:util";
import { type ImAuthError, Secret } from "@imauth/core";
import { describe, expect, it } from "vitest";
import { createEasemobProvider, EASEMOB_REGIONS, MAX_TOKEN_TTL_SECONDS } from "../src/index.js";
import { appName, callbackSecret, clientId, clientSecret, host, orgName, setup, T0 } from "./helpers.js";

const sample = () => new Request(`https://${host}/${orgName}/${appName}/users/alice`);

describe("app token: signRequest", () => {
  it("adds the bearer from client_credentials, reused until renewal, with a new X-Request-ID each time", async () => {
    const { emulator, provider } = setup();
    const a = await provider.signRequest(sample());
    const b = await provider.signRequest(sample());
    expect(a.headers.get("authorization")).toMatch(/^Bearer YWMt/);
    expect(b.headers.get("authorization")).toBe(a.headers.get("authorization"));
    expect(a.headers.get("x-request-id")).not.toBe(b.headers.get("x-request-id"));
    expect(a.redirect).toBe("manual");
    await emulator.verifyRequest(a);
    expect(emulator.calls.map((c) => [c.method, c.path, c.status])).toEqual([["POST", "token", 200]]);
  });

  it("sends the documented client_credentials body, ttl in the cluster's unit", async () => {
    const bodies: Record<string, unknown>[] = [];
    for (const ttlUnit of ["seconds", "milliseconds"] as const) {
      const { emulator } = setup({ ttlUnit });
      const provider = createEasemobProvider({
        orgName,
        appName,
        clientId,
        clientSecret: new Secret(clientSecret),
        baseUrl: host,
        ttlUnit,
        appTokenTtlSeconds: 7200,
        clock: () => T0,
        fetch: async (input, init) => {
          bodies.push(JSON.parse(String(init?.body)));
          return emulator.fetch(input, init);
        },
      });
      await provider.getAppToken();
    }
    expect(bodies).toEqual([
      { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, ttl: 7200 },
      { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, ttl: 7_200_000 },
    ]);
  });

  it("fetches once for concurrent callers (single flight)", async () => {
    const { emulator, provider } = setup();
    const signed = await Promise.all(Array.from({ length: 8 }, () => provider.signRequest(sample())));
    expect(new Set(signed.map((r) => r.headers.get("authorization"))).size).toBe(1);
    expect(emulator.calls.length).toBe(1);
  });

  it("renews renewBeforeSeconds before expiry, and keeps the old token when renewal fails early", async () => {
    const { mc, emulator, provider } = setup({ appTokenTtlSeconds: 3600, renewBeforeSeconds: 600 });
    const first = await provider.getAppToken();
    mc.advance(2999 * 1000);
    expect(await provider.getAppToken()).toBe(first);
    mc.advance(2000);
    emulator.failNext(1, { status: 503 });
    expect(await provider.getAppToken()).toBe(first);
    const renewed = await provider.getAppToken();
    expect(renewed).not.toBe(first);
    mc.advance(3600 * 1000);
    emulator.failNext(1, { status: 503 });
    await expect(provider.getAppToken()).rejects.toMatchObject({ code: "ERR_VENDOR_API", status: 503 });
  });

  it("halves the renewal margin for short lifetimes and converts expires_in in milliseconds", async () => {
    const { mc, emulator, provider } = setup({ ttlUnit: "milliseconds", appTokenTtlSeconds: 60 });
    const first = await provider.getAppToken();
    mc.advance(29_000);
    expect(await provider.getAppToken()).toBe(first);
    mc.advance(1000);
    expect(await provider.getAppToken()).not.toBe(first);
    expect(emulator.calls.length).toBe(2);
  });

  it("invalidateAppToken drops only the token named", async () => {
    const { provider } = setup();
    const first = await provider.getAppToken();
    provider.invalidateAppToken("some-older-token");
    expect(await provider.getAppToken()).toBe(first);
    provider.invalidateAppToken(first);
    expect(await provider.getAppToken()).not.toBe(first);
    provider.invalidateAppToken();
  });

  it("rejects what is not a Request", async () => {
    const { provider } = setup();
    await expect(provider.signRequest({} as Request)).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
  });
});

describe("token endpoint transport", () => {
  it("fails over to the backup host after a 5xx or a network failure, not after a 4xx", async () => {
    const { emulator } = setup();
    const hosts: string[] = [];
    const make = (failures: Array<number | "drop">) =>
      createEasemobProvider({
        orgName,
        appName,
        clientId,
        clientSecret,
        region: "sgp2",
        clock: () => T0,
        fetch: async (input, init) => {
          hosts.push(new URL(String(input)).host);
          const f = failures.shift();
          if (f === "drop") throw new TypeError("connection reset");
          if (f !== undefined) return new Response(JSON.stringify({ error: "x" }), { status: f });
          return emulator.fetch(input, init);
        },
      });
    await make([503]).getAppToken();
    await make(["drop"]).getAppToken();
    await expect(make([400]).getAppToken()).rejects.toMatchObject({ status: 400, vendorCode: "x" });
    await expect(make([503, 502]).getAppToken()).rejects.toMatchObject({ status: 502 });
    const sgp2 = EASEMOB_REGIONS.sgp2.map((origin) => new URL(origin).host);
    expect(hosts).toEqual([...sgp2, ...sgp2, "a61.easemob.com", ...sgp2]);
  });

  it("refuses redirects, non-JSON, oversized answers, and answers without a token", async () => {
    const answers: Array<() => Response> = [
      () => new Response(null, { status: 302, headers: { location: "https://evil.example/" } }),
      () => new Response("<html>", { status: 200 }),
      () => new Response("x".repeat(70_000), { status: 200 }),
      () => new Response(JSON.stringify({ access_token: "", expires_in: 1 }), { status: 200 }),
      () => new Response(JSON.stringify({ access_token: "t", expires_in: 0 }), { status: 200 }),
      () => new Response(JSON.stringify([1]), { status: 200 }),
    ];
    for (const answer of answers) {
      const provider = createEasemobProvider({
        orgName,
        appName,
        clientId,
        clientSecret,
        fetch: async () => answer(),
      });
      const error = await provider.getAppToken().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "ERR_VENDOR_API" });
      expect(String((error as Error).message)).not.toContain(clientSecret);
    }
  });

  it("turns network failures and timeouts into ERR_NETWORK without the request or its secret", async () => {
    const drop = createEasemobProvider({
      orgName,
      appName,
      clientId,
      clientSecret,
      fetch: async () => {
        throw Object.assign(new TypeError(`failed with ${clientSecret}`), { cause: clientSecret });
      },
    });
    const error = (await drop.getAppToken().catch((e: unknown) => e)) as ImAuthError;
    expect(error).toMatchObject({ code: "ERR_NETWORK", delivery: "unknown" });
    expect(inspect(error, { depth: 5 })).not.toContain(clientSecret);
    const slow = createEasemobProvider({
      orgName,
      appName,
      clientId,
      clientSecret,
      timeoutMs: 20,
      fetch: (_input, init) =>
        new Promise((_resolve, reject) =>
          init?.signal?.addEventListener("abort", () => reject(new Error("aborted"))),
        ),
    });
    await expect(slow.getAppToken()).rejects.toThrow(/timed out after 20 ms/);
  });
});

describe("issueCredential", () => {
  it("inherit grant: POST token with the app token, autoCreateUser, ttl; expiresAt from expires_in", async () => {
    const bodies: unknown[] = [];
    const { emulator } = setup();
    const provider = createEasemobProvider({
      orgName,
      appName,
      clientId,
      clientSecret,
      baseUrl: host,
      clock: () => T0,
      fetch: async (input, init) => {
        bodies.push(JSON.parse(String(init?.body)));
        return emulator.fetch(input, init);
      },
    });
    const c = await provider.issueCredential("Alice_01", { ttlSeconds: 600 });
    expect(bodies[1]).toEqual({
      grant_type: "inherit",
      username: "Alice_01",
      autoCreateUser: true,
      ttl: 600,
    });
    expect(c).toMatchObject({ vendor: "easemob", appId: `${orgName}#${appName}`, userId: "Alice_01" });
    expect(c.expiresAt.getTime() - c.issuedAt.getTime()).toBe(600_000);
    expect(emulator.acceptsLogin("alice_01", c.token)).toBe(true);
    expect(emulator.users.has("alice_01")).toBe(true);
  });

  it("without autoCreateUser an unknown user is Easemob's 404", async () => {
    const { provider } = setup({ autoCreateUser: false });
    await expect(provider.issueCredential("nobody")).rejects.toMatchObject({
      code: "ERR_VENDOR_API",
      status: 404,
      vendorCode: "service_resource_not_found",
    });
  });

  it("renews a refused app token once, then gives up", async () => {
    const { emulator, provider } = setup();
    await provider.getAppToken();
    emulator.revokeCredentials();
    await provider.issueCredential("alice");
    expect(emulator.calls.map((c) => c.status)).toEqual([200, 401, 200, 200]);
    emulator.failNext(2, { status: 401, error: "unauthorized" });
    await expect(provider.issueCredential("alice")).rejects.toMatchObject({ status: 401 });
  });

  it("gives up after one renewal when every inherit request is refused", async () => {
    let inherit = 0;
    const { emulator } = setup();
    // 401 to every inherit request, whatever the token; client_credentials still works
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const request = new Request(input, init);
      if ((await request.clone().text()).includes('"inherit"')) {
        inherit++;
        return Response.json({ error: "unauthorized", error_description: "refused" }, { status: 401 });
      }
      return emulator.fetch(request);
    };
    const provider = createEasemobProvider({
      orgName,
      appName,
      clientId,
      clientSecret,
      baseUrl: host,
      fetch,
      clock: () => T0,
    });
    await expect(provider.issueCredential("alice")).rejects.toMatchObject({ status: 401 });
    expect(inherit).toBe(2);
  });

  it("ttl in milliseconds on clusters that use them", async () => {
    const { provider, emulator } = setup({ ttlUnit: "milliseconds" });
    const c = await provider.issueCredential("bob", { ttlSeconds: 90 });
    expect(c.expiresAt.getTime() - c.issuedAt.getTime()).toBe(90_000);
    expect(emulator.acceptsLogin("bob", c.token)).toBe(true);
  });

  it("refuses a room scope, bad user IDs and bad TTLs before any I/O", async () => {
    const { provider, emulator } = setup();
    await expect(provider.issueCredential("alice", { room: { roomId: 1 } })).rejects.toThrow(/room/);
    for (const userId of ["a b", "a@b", "é", "x".repeat(65), ""]) {
      await expect(provider.issueCredential(userId)).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
    }
    await expect(
      provider.issueCredential("a", { ttlSeconds: MAX_TOKEN_TTL_SECONDS + 1 }),
    ).rejects.toMatchObject({
      code: "ERR_INVALID_INPUT",
    });
    await expect(provider.issueCredential("a", "x" as never)).rejects.toMatchObject({
      code: "ERR_INVALID_INPUT",
    });
    expect(emulator.calls).toEqual([]);
  });

  it("a strategy returning nothing usable is ERR_VENDOR_API", async () => {
    const { provider } = setup({ userTokens: () => "" });
    await expect(provider.issueCredential("alice")).rejects.toMatchObject({ code: "ERR_VENDOR_API" });
    const asyncOk = setup({ userTokens: async (u, s) => `${u}.${s}` }).provider;
    expect((await asyncOk.issueCredential("alice", { ttlSeconds: 5 })).token).toBe("alice.5");
  });
});

describe("configuration", () => {
  it("builds base URLs from a region, a host, an origin or a host list", () => {
    const make = (extra: object) =>
      createEasemobProvider({ orgName, appName, clientId, clientSecret, ...extra }).baseUrls;
    expect(make({})).toEqual([`https://a1.easemob.com/${orgName}/${appName}/`]);
    expect(make({ region: "de2" })).toEqual([
      `https://a71.easemob.com/${orgName}/${appName}/`,
      `https://a71.easecdn.com/${orgName}/${appName}/`,
    ]);
    expect(make({ baseUrl: "http://127.0.0.1:8080" })).toEqual([
      `http://127.0.0.1:8080/${orgName}/${appName}/`,
    ]);
    expect(make({ baseUrl: ["a1-hsb.easemob.com", "a1.easemob.com"] })).toHaveLength(2);
    for (const bad of [[], "", 5, Array(9).fill(host), "ftp://x"]) {
      expect(() => make({ baseUrl: bad })).toThrow(expect.objectContaining({ code: "ERR_INVALID_CONFIG" }));
    }
  });

  it("never shows the client or callback secret", async () => {
    const { provider } = setup();
    for (const text of [JSON.stringify(provider), String(provider), inspect(provider, { depth: 5 })]) {
      expect(text).not.toContain(clientSecret);
      expect(text).not.toContain(callbackSecret);
    }
    expect(JSON.parse(JSON.stringify(provider))).toEqual({
      vendor: "easemob",
      appId: `${orgName}#${appName}`,
      orgName,
      appName,
      credentialMode: "inherit",
    });
    expect(() =>
      createEasemobProvider({ orgName, appName, clientId, clientSecret: [clientSecret] as never }),
    ).toThrow(/not a list/);
  });

  it("verifyWebhook without a callbackSecret is a configuration error", async () => {
    const provider = createEasemobProvider({ orgName, appName, clientId, clientSecret });
    await expect(provider.verifyWebhook({ url: "/", headers: {}, body: "{}" })).rejects.toMatchObject({
      code: "ERR_INVALID_CONFIG",
    });
  });
});
