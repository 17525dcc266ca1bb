import { ImAuthError, isImAuthError } from "@imauth/core";
import { afterEach, describe, expect, it } from "vitest";
import { parseTencentEnvelope, tencentApiPath } from "../src/client/envelope.js";
import { createTencentImClient, type TencentImClientOptions } from "../src/client/index.js";
import {
  classifyTencentError,
  TENCENT_FATAL_CODES,
  TENCENT_RATE_LIMIT_CODES,
  TENCENT_TRANSIENT_CODES,
} from "../src/client/retry.js";
import { createTencentProvider } from "../src/provider.js";
import { createTencentEmulator, type TencentEmulator } from "../src/testing/index.js";
import { recordingSigner } from "./helpers/recording-signer.js";
import { refusalOf } from "./helpers/refusal.js";
import { deadUrl, type LoopbackServer, serve } from "./helpers/serve.js";

const SDK_APP_ID = 1400000001;
const SECRET_KEY = "rest-test-secret-key-abcdef";
const T0 = 1_700_000_000_000;

const vendorError = (vendorCode: number, status = 200) =>
  new ImAuthError("ERR_VENDOR_API", "x", { vendorCode, status });

describe("classifyTencentError", () => {
  it("retries transient codes with backoff only", () => {
    for (const code of [60008, 70169, 70202, 70500, 10002, 20004, 20005, 30006, 30007, 90994, 90995, 91000]) {
      expect(TENCENT_TRANSIENT_CODES.has(code)).toBe(true);
      expect(classifyTencentError(vendorError(code), 1)).toEqual({ retry: true });
    }
  });

  it("retries rate limits after a longer, growing delay", () => {
    for (const code of [60007, 60011, 60018, 60019, 10006, 10023]) {
      expect(TENCENT_RATE_LIMIT_CODES.has(code)).toBe(true);
      expect(classifyTencentError(vendorError(code), 1)).toEqual({
        retry: true,
        noEffect: true,
        delayMs: 1000,
      });
      expect(classifyTencentError(vendorError(code), 3, { rateLimitDelayMs: 500 })).toEqual({
        retry: true,
        noEffect: true,
        delayMs: 2000,
      });
    }
  });

  it("waits at least 60 s after 70050, and retries 70001 and 70052 (refusals with no effect)", () => {
    const blocked = { retry: true, noEffect: true, delayMs: 60_000 };
    expect(classifyTencentError(vendorError(70050), 1)).toEqual(blocked);
    expect(classifyTencentError(vendorError(70050), 1, { blockedDelayMs: 10 })).toEqual(blocked);
    expect(classifyTencentError(vendorError(70001), 1)).toEqual({ retry: true, noEffect: true });
    expect(classifyTencentError(vendorError(70052), 1)).toEqual({ retry: true, noEffect: true });
  });

  it("never retries fatal or unknown codes", () => {
    const fatal = [60004, 60005, 60006, 60010, 60016, 60021, 70003, 70005, 70009, 70013, 70014, 70016, 70020];
    for (const code of [...fatal, 70398, 70403]) {
      expect(TENCENT_FATAL_CODES.has(code)).toBe(true);
      expect(classifyTencentError(vendorError(code), 1)).toEqual({ retry: false });
    }
    for (const code of [20003, 70402, 1, 99999])
      expect(classifyTencentError(vendorError(code), 1).retry).toBe(false);
    expect(classifyTencentError(new ImAuthError("ERR_INVALID_INPUT", "x"), 1).retry).toBe(false);
  });

  it("fails over on transport errors and HTTP 5xx", () => {
    expect(classifyTencentError(new ImAuthError("ERR_NETWORK", "x"), 1)).toEqual({
      retry: true,
      failover: true,
    });
    expect(classifyTencentError(vendorError(502, 502), 1)).toEqual({ retry: true, failover: true });
    // A 5xx is a server failure whatever the envelope says.
    expect(classifyTencentError(vendorError(70009, 500), 1)).toEqual({ retry: true, failover: true });
  });
});

describe("parseTencentEnvelope", () => {
  it("returns the answer when ErrorCode is 0", () => {
    const ok = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", MsgTime: 5 };
    expect(parseTencentEnvelope(200, ok)).toBe(ok);
  });

  it("turns a non-zero ErrorCode into ERR_VENDOR_API with code, info and display", () => {
    let error: unknown;
    try {
      parseTencentEnvelope(200, {
        ActionStatus: "FAIL",
        ErrorCode: 70009,
        ErrorInfo: "Fail to Parse TLS SIG",
        ErrorDisplay: "签名校验失败",
      });
    } catch (e) {
      error = e;
    }
    expect(isImAuthError(error, "ERR_VENDOR_API")).toBe(true);
    expect(error).toMatchObject({
      vendorCode: 70009,
      vendorMessage: "Fail to Parse TLS SIG (签名校验失败)",
      status: 200,
    });
  });

  it.each([
    ["no body", 200, undefined],
    ["an array", 200, []],
    ["no ErrorCode", 200, { ActionStatus: "OK" }],
    ["a string ErrorCode", 200, { ErrorCode: "0" }],
    ["HTTP 500 with an envelope", 500, { ErrorCode: 0 }],
    ["HTTP 404", 404, undefined],
  ])("refuses %s as ERR_VENDOR_API", (_name, status, json) => {
    expect(() => parseTencentEnvelope(status, json)).toThrow(
      expect.objectContaining({ code: "ERR_VENDOR_API", status }),
    );
  });
});

describe("tencentApiPath", () => {
  it("accepts v4 paths, with or without a leading slash", () => {
    expect(tencentApiPath("v4/im_open_login_svc/account_import")).toBe("v4/im_open_login_svc/account_import");
    expect(tencentApiPath("/v4/openim/sendmsg")).toBe("v4/openim/sendmsg");
  });

  it.each([
    "https://evil.example/v4/openim/sendmsg",
    "//evil.example/v4/openim/sendmsg",
    "v4/openim/../../x",
    "v4/openim/sendmsg?identifier=x",
    "v4/openim/sendmsg#x",
    "v4/openim",
    "v4/a/b/c",
    "",
  ])("refuses %j with ERR_INVALID_INPUT", (path) => {
    expect(() => tencentApiPath(path)).toThrow(expect.objectContaining({ code: "ERR_INVALID_INPUT" }));
  });
});

describe("createTencentImClient against the emulator on loopback", () => {
  const servers: LoopbackServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function setup(
    options: {
      secretKey?: string;
      adminUserId?: string;
      providerClock?: () => number;
      emulatorClock?: () => number;
      client?: TencentImClientOptions;
      primaryDown?: boolean;
      twoServers?: boolean;
    } = {},
  ) {
    let now = T0;
    const clock = () => now;
    const emulator: TencentEmulator = createTencentEmulator({
      sdkAppId: SDK_APP_ID,
      secretKey: SECRET_KEY,
      clock: options.emulatorClock ?? clock,
    });
    const hits: string[] = [];
    const tagged = (tag: string) => (request: Request) => {
      hits.push(tag);
      return emulator.fetch(request);
    };
    const a = await serve(tagged("a"));
    servers.push(a);
    let baseUrl: string[] = [a.url];
    if (options.twoServers) {
      const b = await serve(tagged("b"));
      servers.push(b);
      baseUrl = [a.url, b.url];
    }
    if (options.primaryDown) baseUrl = [await deadUrl(), a.url];
    const { signer, signings } = recordingSigner(options.secretKey ?? SECRET_KEY);
    const provider = createTencentProvider({
      sdkAppId: SDK_APP_ID,
      signer,
      baseUrl,
      clock: options.providerClock ?? clock,
      ...(options.adminUserId ? { adminUserId: options.adminUserId } : {}),
    });
    const sleeps: number[] = [];
    const client = createTencentImClient(provider, {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      timeoutMs: 5000,
      ...options.client,
    });
    return {
      emulator,
      client,
      provider,
      sleeps,
      signings,
      hits,
      advance: (ms: number) => {
        now += ms;
      },
    };
  }

  it("imports an account and sends a message through a real HTTP server", async () => {
    const { emulator, client } = await setup();
    const imported = await client.importAccount({ userId: "alice", nick: "Alice 爱丽丝" });
    expect(imported).toMatchObject({ ActionStatus: "OK", ErrorCode: 0 });
    expect(emulator.accounts.get("alice")).toMatchObject({ nick: "Alice 爱丽丝" });
    const sent = await client.sendTextMessage({ to: "alice", text: "你好" });
    expect(sent.MsgTime).toBe(T0 / 1000);
    expect(emulator.messages[0]).toMatchObject({
      from: "administrator",
      to: "alice",
      msgBody: [{ MsgType: "TIMTextElem", MsgContent: { Text: "你好" } }],
    });
  });

  it("covers the typed helpers", async () => {
    const { emulator, client } = await setup();
    expect((await client.importAccounts(["u1", "u2", "u3"])).FailAccounts).toEqual([]);
    expect((await client.checkAccounts(["u1", "nobody"])).ResultItem?.map((r) => r.AccountStatus)).toEqual([
      "Imported",
      "NotImported",
    ]);
    emulator.setOnlineStatus("u2", "Online");
    const status = await client.queryOnlineStatus(["u1", "u2"]);
    expect(status.QueryResult).toEqual([
      { To_Account: "u1", Status: "Offline" },
      { To_Account: "u2", Status: "Online" },
    ]);
    await client.kick("u2");
    expect(emulator.accounts.get("u2")?.status).toBe("Offline");
    await client.deleteAccounts(["u1"]);
    expect([...emulator.accounts.keys()]).toEqual(["u2", "u3"]);
    await expect(client.importAccounts([])).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
  });

  it("POSTs {} when the body is omitted", async () => {
    const bodies: string[] = [];
    const emulator = createTencentEmulator({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY, clock: () => T0 });
    const provider = createTencentProvider({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY, clock: () => T0 });
    const client = createTencentImClient(provider, {
      fetch: async (input) => {
        const request = input as Request;
        bodies.push(await request.clone().text());
        return emulator.fetch(request);
      },
    });
    const error = await refusalOf(client.call("v4/im_open_login_svc/account_import"));
    expect(bodies).toEqual(["{}"]);
    expect(error.vendorCode).toBe(70402);
  });

  it("turns an error envelope into ERR_VENDOR_API without retrying", async () => {
    const { emulator, client, sleeps } = await setup();
    const error = await refusalOf(client.sendTextMessage({ to: "nobody", text: "hi" }));
    expect(error).toMatchObject({ code: "ERR_VENDOR_API", vendorCode: 20003, status: 200 });
    expect(error.vendorMessage).toContain("recipient");
    expect(emulator.calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("retries transient codes with backoff and jitter", async () => {
    const { emulator, client, sleeps } = await setup();
    emulator.failNext(2, { vendorCode: 70500 });
    await client.importAccount({ userId: "alice" });
    expect(emulator.calls.map((c) => c.vendorCode)).toEqual([70500, 70500, 0]);
    expect(sleeps).toEqual([150, 300]);
  });

  it("gives up after retryLimit retries with the last error", async () => {
    const { emulator, client } = await setup({ client: { retryLimit: 2 } });
    emulator.failNext(5, { vendorCode: 90994 });
    const error = await refusalOf(client.importAccount({ userId: "alice" }));
    expect(error.vendorCode).toBe(90994);
    expect(emulator.calls).toHaveLength(3);
  });

  it("waits longer on rate limits", async () => {
    const { emulator, client, sleeps } = await setup();
    emulator.rateLimitNext(2, 60007);
    await client.importAccount({ userId: "alice" });
    expect(sleeps).toEqual([1000, 2000]);
  });

  it("waits at least 60 s after 70050", async () => {
    const { emulator, client, sleeps } = await setup();
    emulator.failNext(1, { vendorCode: 70050 });
    await client.importAccount({ userId: "alice" });
    expect(sleeps).toEqual([60_000]);
    expect(emulator.calls).toHaveLength(2);
  });

  it("renews the admin UserSig on 70001 and retries once", async () => {
    const { emulator, client, signings } = await setup();
    emulator.failNext(1, { vendorCode: 70001 });
    await client.importAccount({ userId: "alice" });
    expect(signings).toHaveLength(2);
    expect(emulator.calls.map((c) => c.vendorCode)).toEqual([70001, 0]);
  });

  it("renews only once: a second 70001 is returned", async () => {
    const { emulator, client, signings } = await setup();
    emulator.failNext(2, { vendorCode: 70001 });
    const error = await refusalOf(client.importAccount({ userId: "alice" }));
    expect(error.vendorCode).toBe(70001);
    expect(signings).toHaveLength(2);
    expect(emulator.calls).toHaveLength(2);
  });

  it("recovers from a revoked admin UserSig (70052) with a fresh one", async () => {
    const { emulator, client, signings, advance } = await setup();
    await client.importAccount({ userId: "alice" });
    emulator.revokeCredentials();
    advance(1000);
    await client.importAccount({ userId: "bob" });
    expect(emulator.calls.map((c) => c.vendorCode)).toEqual([0, 70052, 0]);
    // Stamped in the second after the refusal, so it is issued after the revocation instant.
    expect(signings).toEqual([T0, T0 + 2000]);
  });

  it("reports a real expiry (70001) after one renewal when the clocks disagree", async () => {
    const { emulator, client, signings } = await setup({ emulatorClock: () => T0 + 2 * 86_400_000 });
    const error = await refusalOf(client.importAccount({ userId: "alice" }));
    expect(error.vendorCode).toBe(70001);
    expect(signings).toHaveLength(2);
    expect(emulator.calls.map((c) => c.vendorCode)).toEqual([70001, 70001]);
  });

  it("never retries a wrong key (70009) or a non-admin identifier (60010)", async () => {
    const wrongKey = await setup({ secretKey: "not-the-key" });
    expect((await refusalOf(wrongKey.client.importAccount({ userId: "a" }))).vendorCode).toBe(70009);
    expect(wrongKey.emulator.calls).toHaveLength(1);
    const notAdmin = await setup({ adminUserId: "bob" });
    expect((await refusalOf(notAdmin.client.importAccount({ userId: "a" }))).vendorCode).toBe(60010);
    expect(notAdmin.emulator.calls).toHaveLength(1);
  });

  it("fails over to the backup domain when the primary is unreachable", async () => {
    const { client, emulator, provider } = await setup({ primaryDown: true });
    expect(client.baseUrl).toBe(provider.baseUrls[0]);
    await client.importAccount({ userId: "alice" });
    expect(client.baseUrl).toBe(provider.baseUrls[1]);
    expect(emulator.calls).toHaveLength(1);
    await client.importAccount({ userId: "bob" });
    expect(emulator.calls).toHaveLength(2);
  });

  it("fails over on HTTP 5xx", async () => {
    const { client, emulator, hits } = await setup({ twoServers: true });
    emulator.failNext(1, { status: 503 });
    await client.importAccount({ userId: "alice" });
    expect(hits).toEqual(["a", "b"]);
    expect(emulator.calls.map((c) => c.status)).toEqual([503, 200]);
  });

  it("retries a dropped connection as ERR_NETWORK", async () => {
    const retries: string[] = [];
    const { client, emulator, hits } = await setup({
      twoServers: true,
      client: { onRetry: (info) => retries.push(info.error.code) },
    });
    emulator.failNext(1, { disconnect: true });
    await client.importAccount({ userId: "alice" });
    expect(hits).toEqual(["a", "b"]);
    expect(emulator.accounts.has("alice")).toBe(true);
    expect(retries).toEqual(["ERR_NETWORK"]);
  });

  it("reports ERR_NETWORK when every domain is down", async () => {
    const provider = createTencentProvider({
      sdkAppId: SDK_APP_ID,
      secretKey: SECRET_KEY,
      baseUrl: [await deadUrl(), await deadUrl()],
      clock: () => T0,
    });
    const client = createTencentImClient(provider, { sleep: async () => {}, retryLimit: 2 });
    const error = await refusalOf(client.importAccount({ userId: "alice" }));
    expect(error.code).toBe("ERR_NETWORK");
  });

  it("refuses bad paths and bodies before sending", async () => {
    const { client, emulator } = await setup();
    await expect(client.call("https://evil.example/v4/a/b")).rejects.toMatchObject({
      code: "ERR_INVALID_INPUT",
    });
    await expect(client.call("v4/openim/sendmsg", "text" as never)).rejects.toMatchObject({
      code: "ERR_INVALID_INPUT",
    });
    expect(emulator.calls).toHaveLength(0);
    expect(() => createTencentImClient({} as never)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
  });
});
