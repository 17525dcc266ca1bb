// Regression tests of the REST client against hostile conditions: admin UserSig renewal that coalesces and
// survives a revocation, retries that never repeat a non-idempotent call, no credential in any error.
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { createTencentImClient, type TencentImClientOptions } from "../src/client/index.js";
import { createTencentProvider } from "../src/provider.js";
import { createTencentEmulator } from "../src/testing/index.js";
import { genUserSig } from "../src/usersig.js";
import { recordingSigner } from "./helpers/recording-signer.js";
import { deadUrl, type LoopbackServer, serve } from "./helpers/serve.js";

const SDK_APP_ID = 1400000001;
const SECRET_KEY = "hardening-test-secret-key";
const T0 = 1_700_000_000_000;

const servers: LoopbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function setup(options: { clock?: () => number; client?: TencentImClientOptions; baseUrl?: string[] } = {}) {
  const clock = options.clock ?? (() => T0);
  const emulator = createTencentEmulator({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY, clock });
  const { signer, signings } = recordingSigner(SECRET_KEY);
  const provider = createTencentProvider({
    sdkAppId: SDK_APP_ID,
    signer,
    clock,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
  });
  const client = createTencentImClient(provider, {
    sleep: async () => {},
    fetch: ((request: Request) => emulator.fetch(request)) as typeof fetch,
    ...options.client,
  });
  return { emulator, provider, client, signings };
}

describe("admin UserSig renewal", () => {
  it("1,000 concurrent calls refused with 70001 make one new UserSig, not 1,001", async () => {
    const { emulator, client, signings } = setup();
    await client.checkAccounts(["warm"]);
    emulator.failNext(1000, { vendorCode: 70001 });
    await Promise.all(Array.from({ length: 1000 }, (_, i) => client.checkAccounts([`u${i}`])));
    expect(signings.length).toBeLessThanOrEqual(3);
    expect(emulator.calls.filter((c) => c.vendorCode === 0)).toHaveLength(1001);
  });

  it("after a revocation, a renewal in the same second (fixed clock) is issued after it and accepted", async () => {
    const { emulator, client, signings } = setup();
    await client.importAccount({ userId: "alice" });
    emulator.revokeCredentials();
    await client.importAccount({ userId: "bob" });
    expect(emulator.calls.map((c) => c.vendorCode)).toEqual([0, 70052, 0]);
    expect(signings).toEqual([T0, T0 + 1000]);
    // The renewed UserSig stays in use: no renewal storm on the following calls.
    await client.importAccount({ userId: "carol" });
    expect(signings).toHaveLength(2);
  });

  it("a burst refused with 70052 renews once and every call then succeeds", async () => {
    const { emulator, client, signings } = setup();
    await client.checkAccounts(["warm"]);
    emulator.revokeCredentials();
    await Promise.all(Array.from({ length: 200 }, (_, i) => client.checkAccounts([`u${i}`])));
    expect(signings.length).toBeLessThanOrEqual(3);
  });
});

describe("retries never duplicate a non-idempotent call", () => {
  it("sendmsg is sent once after a transient ErrorCode; account_check is retried", async () => {
    const { emulator, client } = setup();
    await client.importAccount({ userId: "bob" });
    emulator.failNext(1, { vendorCode: 70500 });
    await expect(client.sendTextMessage({ to: "bob", text: "hi" })).rejects.toMatchObject({
      vendorCode: 70500,
    });
    expect(emulator.messages).toHaveLength(0);
    expect(emulator.calls.filter((c) => c.path.endsWith("sendmsg"))).toHaveLength(1);
    emulator.failNext(1, { vendorCode: 70500 });
    await client.checkAccounts(["bob"]);
    expect(emulator.calls.filter((c) => c.path.endsWith("account_check"))).toHaveLength(2);
  });

  it("sendmsg is sent once after HTTP 500 or a dropped connection, unless the caller says it is idempotent", async () => {
    const { emulator, client } = setup();
    await client.importAccount({ userId: "bob" });
    for (const failure of [{ status: 500 }, { disconnect: true }]) {
      const before = emulator.calls.length;
      emulator.failNext(1, failure);
      await expect(client.sendTextMessage({ to: "bob", text: "hi" })).rejects.toMatchObject({});
      expect(emulator.calls.length - before).toBe(1);
    }
    emulator.failNext(1, { status: 500 });
    const body = {
      To_Account: "bob",
      MsgRandom: 1,
      MsgBody: [{ MsgType: "TIMTextElem", MsgContent: { Text: "x" } }],
    };
    await client.call("v4/openim/sendmsg", body, { idempotent: true });
    expect(emulator.messages).toHaveLength(1);
  });

  it("a rate-limited sendmsg is retried: the refusal had no effect", async () => {
    const { emulator, client } = setup();
    await client.importAccount({ userId: "bob" });
    emulator.rateLimitNext(1);
    await client.sendTextMessage({ to: "bob", text: "hi" });
    expect(emulator.messages).toHaveLength(1);
  });
});

describe("no credential leaves in errors", () => {
  it("a refused connection's error holds no admin UserSig in any rendering", async () => {
    const dead = await deadUrl();
    const retries: unknown[] = [];
    const { client } = setup({
      baseUrl: [dead],
      client: { fetch: globalThis.fetch, retryLimit: 2, onRetry: (info) => retries.push(info) },
    });
    const userSig = await genUserSig({
      sdkAppId: SDK_APP_ID,
      secretKey: SECRET_KEY,
      userId: "administrator",
      expireSeconds: 86_400,
      clock: () => T0,
    });
    const error = await client.checkAccounts(["a"]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ERR_NETWORK", delivery: "not-sent" });
    const shown = [inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error), String(error)];
    shown.push(inspect(retries, { depth: 10, showHidden: true }), String((error as Error).stack));
    for (const text of shown) {
      expect(text).not.toContain(userSig);
      expect(text).not.toContain(encodeURIComponent(userSig));
    }
    expect(String((error as Error).message)).toContain("usersig=[redacted]");
  });

  it("a redirect to another host is not followed", async () => {
    let stolen = 0;
    const thief = await serve(async () => {
      stolen++;
      return new Response("{}");
    });
    const redirector = await serve(
      async () => new Response(null, { status: 307, headers: { location: `${thief.url}v4/x/y` } }),
    );
    servers.push(thief, redirector);
    const { client } = setup({ baseUrl: [redirector.url], client: { fetch: globalThis.fetch } });
    await expect(client.checkAccounts(["a"])).rejects.toMatchObject({ code: "ERR_VENDOR_API", status: 307 });
    expect(stolen).toBe(0);
  });
});

describe("signRequest on its own", () => {
  it("marks the signed request never to follow a redirect", async () => {
    const { provider } = setup();
    const signed = await provider.signRequest(
      new Request("https://console.tim.qq.com/v4/a/b", { method: "POST" }),
    );
    expect(signed.redirect).toBe("manual");
  });
});
