import { isImAuthError } from "@imauth/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closedPortUrl, type LoopbackServer, serve } from "../../../test-support/loopback.js";
import { classifyNeteaseError, createNeteaseImClient } from "../src/client/index.js";
import { createNeteaseProvider, NETEASE_REGIONS } from "../src/index.js";
import { createNeteaseEmulator } from "../src/testing/index.js";

const appKey = "rest-app-key-000000000000000000";
const appSecret = "rest-secret-123";
let nowMs = 1_700_000_000_000;
const clock = () => nowMs;
const emulator = createNeteaseEmulator({ appKey, appSecret, clock, rejectReplayedNonce: true });
let server: LoopbackServer;
let busy: LoopbackServer;
let delays: number[];

beforeAll(async () => {
  server = await serve((request) => emulator.fetch(request));
  busy = await serve(async () => new Response("", { status: 503 }));
});
afterAll(async () => {
  await server.close();
  await busy.close();
});
beforeEach(() => {
  emulator.reset();
  delays = [];
  nowMs = 1_700_000_000_000;
});

function client(options: { baseUrl?: string[]; secret?: string; key?: string; retryLimit?: number } = {}) {
  // The clock moves a second per signing, so every retry also gets a new CurTime.
  const provider = createNeteaseProvider({
    appKey: options.key ?? appKey,
    appSecret: options.secret ?? appSecret,
    clock: () => (nowMs += 1000),
  });
  return createNeteaseImClient(provider, {
    baseUrl: options.baseUrl ?? [`${server.url}/nimserver/`],
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    ...(options.retryLimit === undefined ? {} : { retryLimit: options.retryLimit }),
  });
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isImAuthError(error)) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("v1 (form) calls", () => {
  it("sends a UTF-8 form and returns the reply", async () => {
    const reply = await client().callV1<{ code: number; info: { token: string; accid: string } }>(
      "user/create.action",
      { accid: "user01", name: "王小明 ✓" },
    );
    expect(reply.code).toBe(200);
    expect(reply.info.accid).toBe("user01");
    expect(emulator.accounts.get("user01")).toMatchObject({ token: reply.info.token, name: "王小明 ✓" });
    expect(emulator.calls[0]).toMatchObject({ method: "POST", path: "user/create.action", vendorCode: 200 });
  });

  it("typed helpers create, refresh and update tokens", async () => {
    const c = client();
    const created = await c.createAccount("user02");
    const refreshed = await c.refreshToken("user02");
    expect(refreshed.token).not.toBe(created.token);
    expect(emulator.acceptsLogin("user02", refreshed.token)).toBe(true);
    await c.updateToken("user02", "my-own-token");
    expect(emulator.acceptsLogin("user02", "my-own-token")).toBe(true);
    expect(await c.issueStaticToken("user03")).toBe(emulator.accounts.get("user03")!.token);
    const again = await c.issueStaticToken("user03");
    expect(emulator.acceptsLogin("user03", again)).toBe(true);
  });

  it("a non-200 code is ERR_VENDOR_API with the code and desc, and 414 is not retried", async () => {
    const c = client();
    await c.createAccount("dup");
    const error = await rejection(c.createAccount("dup"));
    expect(error).toMatchObject({
      code: "ERR_VENDOR_API",
      vendorCode: 414,
      vendorMessage: "already register",
    });
    expect(emulator.calls).toHaveLength(2);
    expect(delays).toEqual([]);
  });

  it("a wrong AppSecret is 414 and a wrong AppKey 403, neither retried, no secret in the message", async () => {
    const bad = await rejection(client({ secret: "wrong-secret-99" }).createAccount("user04"));
    expect(bad).toMatchObject({ code: "ERR_VENDOR_API", vendorCode: 414 });
    expect(bad.message).not.toContain("wrong-secret-99");
    const other = await rejection(client({ key: "another-app" }).createAccount("user04"));
    expect(other).toMatchObject({ code: "ERR_VENDOR_API", vendorCode: 403 });
    expect(emulator.calls).toHaveLength(2);
    expect(delays).toEqual([]);
  });

  it("an unknown path is 404 and not retried", async () => {
    const error = await rejection(client().callV1("user/nothing.action", {}));
    expect(error).toMatchObject({ code: "ERR_VENDOR_API", vendorCode: 404, status: 404 });
    expect(emulator.calls).toHaveLength(1);
  });

  it("a clock more than 5 minutes off is refused with 414", async () => {
    const provider = createNeteaseProvider({ appKey, appSecret, clock: () => nowMs - 6 * 60 * 1000 });
    const c = createNeteaseImClient(provider, { baseUrl: `${server.url}/nimserver/`, sleep: async () => {} });
    const error = await rejection(c.createAccount("late"));
    expect(error).toMatchObject({ vendorCode: 414, vendorMessage: expect.stringContaining("CurTime") });
    expect(emulator.calls).toHaveLength(1);
  });
});

describe("v2 (JSON) calls", () => {
  it("updates an account (PATCH im/v2/accounts/{id}): token and configuration", async () => {
    const c = client();
    const { token } = await c.createAccountV2("patched");
    const data = await c.callV2<{
      account_id: string;
      token: string;
      configuration: Record<string, unknown>;
    }>("PATCH", "im/v2/accounts/patched", {
      token: "my-own-token",
      configuration: { p2p_chat_banned: true },
    });
    expect(data).toMatchObject({
      account_id: "patched",
      token: "my-own-token",
      configuration: { enabled: true, p2p_chat_banned: true },
    });
    expect(emulator.acceptsLogin("patched", token)).toBe(false);
    expect(emulator.acceptsLogin("patched", "my-own-token")).toBe(true);
    await c.callV2("PATCH", "im/v2/accounts/patched", { configuration: { enabled: false } });
    expect(emulator.acceptsLogin("patched", "my-own-token")).toBe(false);
    const bad = await rejection(
      c.callV2("PATCH", "im/v2/accounts/patched", { configuration: { enabled: "no" } }),
    );
    expect(bad).toMatchObject({ code: "ERR_VENDOR_API", vendorCode: 414 });
    const missing = await rejection(c.callV2("PATCH", "im/v2/accounts/nobody", { configuration: {} }));
    expect(missing).toMatchObject({ code: "ERR_VENDOR_API", vendorCode: 404 });
  });

  it("an unknown v2 API answers NetEase's not-found error", async () => {
    const error = await rejection(client().callV2("GET", "im/v2/nothing"));
    expect(error).toMatchObject({ code: "ERR_VENDOR_API", vendorCode: 404, status: 404 });
    expect(emulator.calls.at(-1)).toMatchObject({
      method: "GET",
      path: "im/v2/nothing",
      status: 404,
      vendorCode: 404,
    });
  });

  it("creates, reads and refreshes an account", async () => {
    const c = client();
    const created = await c.createAccountV2("v2user", { name: "Zoë" });
    expect(emulator.acceptsLogin("v2user", created.token)).toBe(true);
    const read = await c.callV2<{ account_id: string; name: string }>("GET", "im/v2/accounts/v2user");
    expect(read).toMatchObject({ account_id: "v2user", name: "Zoë", configuration: { enabled: true } });
    const refreshed = await c.refreshTokenV2("v2user");
    expect(emulator.acceptsLogin("v2user", refreshed.token)).toBe(true);
    expect(emulator.calls.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST im/v2/accounts",
      "GET im/v2/accounts/v2user",
      "PATCH im/v2/accounts/v2user/actions/refresh_token",
    ]);
  });

  it("a non-200 code is ERR_VENDOR_API with msg", async () => {
    const error = await rejection(client().refreshTokenV2("nobody"));
    expect(error).toMatchObject({
      code: "ERR_VENDOR_API",
      vendorCode: 404,
      vendorMessage: "account not found",
    });
  });

  it("rejects bad methods and GET bodies", async () => {
    const c = client();
    await expect(c.callV2("TRACE" as "GET", "im/v2/accounts")).rejects.toMatchObject({
      code: "ERR_INVALID_INPUT",
    });
    await expect(c.callV2("GET", "im/v2/accounts", {})).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
    await expect(c.callV2("GET", "https://evil.example/x")).rejects.toMatchObject({
      code: "ERR_INVALID_INPUT",
    });
    expect(emulator.calls).toHaveLength(0);
  });
});

describe("retries", () => {
  for (const code of [500, 503, 514] as const) {
    it(`retries code ${code} of an idempotent call with fresh headers each time`, async () => {
      const { token: first } = await client().createAccount(`retry${code}`);
      emulator.failNext(2, { vendorCode: code });
      const { token } = await client().refreshToken(`retry${code}`);
      expect(token).not.toBe(first);
      expect(emulator.acceptsLogin(`retry${code}`, token)).toBe(true);
      const attempts = emulator.calls.slice(1);
      expect(attempts.map((r) => r.vendorCode)).toEqual([code, code, 200]);
      expect(new Set(attempts.map((r) => r.nonce)).size).toBe(3);
      expect(new Set(attempts.map((r) => r.checkSum)).size).toBe(3);
      expect(new Set(attempts.map((r) => r.curTime)).size).toBe(3);
      expect(delays).toHaveLength(2);
      expect(delays[1]!).toBeGreaterThan(delays[0]!);
    });

    it(`sends user/create.action once after code ${code}: a retry could create twice`, async () => {
      emulator.failNext(1, { vendorCode: code });
      await expect(client().createAccount(`once${code}`)).rejects.toMatchObject({ vendorCode: code });
      expect(emulator.calls).toHaveLength(1);
      emulator.failNext(1, { vendorCode: code });
      await client().callV1("user/create.action", { accid: `forced${code}` }, { idempotent: true });
      expect(emulator.calls).toHaveLength(3);
    });
  }

  it("retries 416 (rate limited) after at least a second, even for user/create.action", async () => {
    emulator.rateLimitNext(1);
    await client().createAccount("limited");
    expect(emulator.calls.map((r) => r.vendorCode)).toEqual([416, 200]);
    expect(delays[0]!).toBeGreaterThanOrEqual(1000);
  });

  it("retries an HTTP 502 from a gateway for an idempotent call", async () => {
    await client().createAccount("gateway");
    emulator.failNext(1, { vendorCode: 500, status: 502 });
    await client().updateToken("gateway", "new-static-token");
    expect(emulator.calls.map((r) => r.status)).toEqual([200, 502, 200]);
  });

  it("gives up after retryLimit retries with the last error", async () => {
    await client().createAccount("doomed");
    emulator.failNext(5, { vendorCode: 503 });
    const error = await rejection(client({ retryLimit: 2 }).refreshToken("doomed"));
    expect(error).toMatchObject({ code: "ERR_VENDOR_API", vendorCode: 503 });
    expect(emulator.calls).toHaveLength(4);
  });

  it("the policy never retries 414, 403, 404 or 417", () => {
    for (const vendorCode of [414, 403, 404, 417, 431]) {
      const error = { code: "ERR_VENDOR_API", vendorCode, status: 200 } as never;
      expect(classifyNeteaseError(error, 1).retry).toBe(false);
    }
  });
});

describe("domain failover", () => {
  it("fails over from an unreachable domain to the backup", async () => {
    const dead = await closedPortUrl();
    const retries: string[] = [];
    const provider = createNeteaseProvider({ appKey, appSecret, clock });
    const c = createNeteaseImClient(provider, {
      baseUrl: [`${dead}/nimserver/`, `${server.url}/nimserver/`],
      sleep: async () => {},
      onRetry: (info) => retries.push(`${info.error.code} -> ${info.baseUrl}`),
    });
    const { token } = await c.createAccount("failover1");
    expect(emulator.acceptsLogin("failover1", token)).toBe(true);
    expect(retries).toEqual([`ERR_NETWORK -> ${server.url}/nimserver/`]);
    expect(c.baseUrl).toBe(`${server.url}/nimserver/`);
  });

  it("fails over from a domain answering HTTP 503", async () => {
    await client().createAccount("failover2");
    const c = client({ baseUrl: [`${busy.url}/nimserver/`, `${server.url}/nimserver/`] });
    await c.refreshToken("failover2");
    expect(emulator.calls).toHaveLength(2);
    expect(c.baseUrl).toBe(`${server.url}/nimserver/`);
  });

  it("uses the provider's region domains by default", () => {
    const sg = createNeteaseImClient(createNeteaseProvider({ appKey, appSecret, region: "sg" }));
    expect(sg.baseUrl).toBe(NETEASE_REGIONS.sg[0]);
    const cn = createNeteaseImClient(createNeteaseProvider({ appKey, appSecret }));
    expect(cn.baseUrl).toBe("https://api-cn.yunxinapi.com/nimserver/");
    const own = createNeteaseProvider({ appKey, appSecret, baseUrl: "https://nim.example.com/nimserver" });
    expect(createNeteaseImClient(own).baseUrl).toBe("https://nim.example.com/nimserver/");
  });
});
