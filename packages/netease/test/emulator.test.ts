import { inspect } from "node:util";
import { Secret } from "@imauth/core";
import type { ImEmulator } from "@imauth/core/testing";
import { describe, expect, it } from "vitest";
import { createNeteaseImClient, createNeteaseStaticProvider } from "../src/client/index.js";
import { checkSum, createCheckSumHeaders, createNeteaseProvider, genDynamicToken } from "../src/index.js";
import { createNeteaseEmulator, type NeteaseCallback } from "../src/testing/index.js";

const appKey = "emu-app-key";
const appSecret = "emu-secret-5150";
const T0 = 1_700_000_000_000;
const clock = () => T0;
const url = "http://nim.test/nimserver/user/create.action";
const form = { "content-type": "application/x-www-form-urlencoded;charset=utf-8" };

function call(headers: Record<string, string>, body = "accid=u1") {
  return new Request(url, { method: "POST", headers: { ...form, ...headers }, body });
}

describe("emulator authentication", () => {
  it("answers 414 on a bad CheckSum, an old CurTime, an overlong Nonce or a missing header", async () => {
    const emulator = createNeteaseEmulator({ appKey, appSecret, clock });
    const good = createCheckSumHeaders({ appKey, appSecret, clock });
    const old = createCheckSumHeaders({ appKey, appSecret, clock: () => T0 - 5 * 60 * 1000 - 1000 });
    const longNonce = "n".repeat(129);
    const cases: Array<[Record<string, string>, number]> = [
      [{ ...good, CheckSum: checkSum("wrong", good.Nonce, good.CurTime) }, 414],
      [{ ...good, CurTime: String(Number(good.CurTime) + 1) }, 414],
      [old, 414],
      [{ ...good, Nonce: longNonce, CheckSum: checkSum(appSecret, longNonce, good.CurTime) }, 414],
      [{ AppKey: appKey, Nonce: good.Nonce, CurTime: good.CurTime }, 414],
      [{ ...good, CurTime: `${good.CurTime}000` }, 414],
      [{ ...good, AppKey: "someone-else" }, 403],
    ];
    for (const [headers, expected] of cases) {
      const response = await emulator.fetch(call(headers));
      expect(await response.json()).toMatchObject({ code: expected, desc: expect.any(String) });
    }
    const ok = await emulator.fetch(call(good));
    expect(await ok.json()).toMatchObject({ code: 200, info: { accid: "u1" } });
    expect(emulator.calls).toHaveLength(cases.length + 1);
    expect(emulator.calls.map((c) => c.vendorCode)).toEqual([...cases.map(([, code]) => code), 200]);
    await expect(emulator.verifyRequest(call(old))).rejects.toMatchObject({
      code: "ERR_SIGNATURE_INVALID",
      vendorCode: 414,
    });
  });

  it("accepts a CheckSum in upper case and a Nonce of exactly 128 characters", async () => {
    const emulator = createNeteaseEmulator({ appKey, appSecret, clock });
    const h = createCheckSumHeaders({ appKey, appSecret, clock, nonce: "n".repeat(128) });
    const response = await emulator.fetch(call({ ...h, CheckSum: h.CheckSum.toUpperCase() }));
    expect((await response.json()).code).toBe(200);
  });

  it("can refuse a replayed Nonce", async () => {
    const strict = createNeteaseEmulator({ appKey, appSecret, clock, rejectReplayedNonce: true });
    const lax = createNeteaseEmulator({ appKey, appSecret, clock });
    const h = createCheckSumHeaders({ appKey, appSecret, clock });
    expect((await (await strict.fetch(call(h, "accid=a1"))).json()).code).toBe(200);
    expect(await (await strict.fetch(call(h, "accid=a2"))).json()).toMatchObject({
      code: 414,
      desc: "Nonce replayed",
    });
    expect((await (await lax.fetch(call(h, "accid=a1"))).json()).code).toBe(200);
    expect((await (await lax.fetch(call(h, "accid=a2"))).json()).code).toBe(200);
  });

  it("v1 wants a form body and v2 a JSON body", async () => {
    const emulator = createNeteaseEmulator({ appKey, appSecret, clock });
    const h = () => createCheckSumHeaders({ appKey, appSecret, clock });
    const jsonToV1 = new Request(url, {
      method: "POST",
      headers: { ...h(), "content-type": "application/json" },
      body: '{"accid":"u1"}',
    });
    expect((await (await emulator.fetch(jsonToV1)).json()).code).toBe(414);
    const formToV2 = new Request("http://nim.test/nimserver/im/v2/accounts", {
      method: "POST",
      headers: { ...h(), ...form },
      body: "account_id=u1",
    });
    expect(await (await emulator.fetch(formToV2)).json()).toMatchObject({
      code: 414,
      msg: expect.any(String),
    });
    const v2 = new Request("http://nim.test/im/v2/accounts", {
      method: "POST",
      headers: { ...h(), "content-type": "application/json" },
      body: '{"account_id":"u1","token":"t1"}',
    });
    expect(await (await emulator.fetch(v2)).json()).toMatchObject({
      code: 200,
      msg: "success",
      data: { account_id: "u1", token: "t1", configuration: { enabled: true } },
    });
  });

  it("failure controls are validated", () => {
    const emulator = createNeteaseEmulator({ appKey, appSecret, clock });
    for (const failure of [{}, { vendorCode: 200 }, { status: 42 }, { vendorCode: 1.5 }]) {
      expect(() => emulator.failNext(1, failure)).toThrow(
        expect.objectContaining({ code: "ERR_INVALID_INPUT" }),
      );
    }
    expect(() => emulator.rateLimitNext(-1)).toThrow(expect.objectContaining({ code: "ERR_INVALID_INPUT" }));
    expect(() => createNeteaseEmulator({ appKey, appSecret: "" })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
  });
});

describe("the ImEmulator shape", () => {
  const provider = createNeteaseProvider({ appKey, appSecret, clock });

  it("is core's ImEmulator: fetch typed as fetch, calls[], failNext with a disconnect", async () => {
    const emulator = createNeteaseEmulator({ appKey, appSecret: new Secret(appSecret), clock });
    const shape: ImEmulator<NeteaseCallback> = emulator;
    const client = createNeteaseImClient(provider, {
      baseUrl: "http://nim.test/nimserver/",
      fetch: shape.fetch,
      sleep: async () => {},
    });
    emulator.failNext(1, { disconnect: true });
    emulator.failNext(1, { status: 502 });
    await client.refreshToken("nobody").catch(() => {});
    expect(emulator.calls.map(({ status, vendorCode }) => [status, vendorCode])).toEqual([
      [0, -1],
      [502, -1],
      [200, 414],
    ]);
    emulator.reset();
    expect(emulator.calls).toHaveLength(0);
  });

  it("revokeCredentials: static tokens and dynamic logins so far stop working, CheckSum calls do not", async () => {
    const emulator = createNeteaseEmulator({ appKey, appSecret, clock });
    const client = createNeteaseImClient(provider, {
      baseUrl: "http://nim.test/nimserver/",
      fetch: emulator.fetch,
    });
    const { token: staticToken } = await client.createAccount("static01");
    const dynamic = (await provider.issueCredential("dyn01", { ttlSeconds: 600 })).token;
    expect(emulator.acceptsLogin("static01", staticToken)).toBe(true);
    expect(emulator.acceptsLogin("dyn01", dynamic)).toBe(true);
    expect(emulator.acceptsLogin("dyn02", dynamic)).toBe(false);
    emulator.revokeCredentials();
    expect(emulator.acceptsLogin("static01", staticToken)).toBe(false);
    expect(emulator.acceptsLogin("dyn01", dynamic)).toBe(false);
    // The clock stands still: a token issued after the revocation, at the same instant, is valid.
    const later = (await provider.issueCredential("dyn01", { ttlSeconds: 300 })).token;
    expect(emulator.acceptsLogin("dyn01", later)).toBe(true);
    const { token: refreshed } = await client.refreshToken("static01");
    expect(emulator.acceptsLogin("static01", refreshed)).toBe(true);
  });
});

describe("secrets never leak", () => {
  it("providers, static providers, credentials and signed requests never show the AppSecret", async () => {
    const emulator = createNeteaseEmulator({ appKey, appSecret, clock });
    const dynamic = createNeteaseProvider({ appKey, appSecret, clock });
    const stat = createNeteaseStaticProvider({
      appKey,
      appSecret,
      clock,
      baseUrl: "http://nim.test/nimserver/",
      fetch: emulator.fetch,
    });
    for (const provider of [dynamic, stat]) {
      const credential = await provider.issueCredential("user01", { ttlSeconds: 60 });
      const signed = await provider.signRequest(new Request(url, { method: "POST", body: "x=1" }));
      const texts = [
        JSON.stringify(provider),
        String(provider),
        inspect(provider, { depth: 10, showHidden: true }),
        JSON.stringify(credential),
        JSON.stringify([...signed.headers]),
        inspect(stat.client, { depth: 10 }),
      ];
      for (const text of texts) expect(text).not.toContain(appSecret);
    }
    expect(JSON.parse(JSON.stringify(dynamic))).toEqual({
      vendor: "netease",
      appId: appKey,
      credentialMode: "dynamic",
    });
  });

  it("configuration errors name the field, never the value", () => {
    try {
      createNeteaseProvider({ appKey, appSecret, region: appSecret as "cn" });
      throw new Error("expected a rejection");
    } catch (error) {
      expect((error as Error).message).toContain("region");
      expect((error as Error).message).not.toContain(appSecret);
    }
    const badAccid = appSecret.replace(/-/g, " ");
    expect(() => genDynamicToken({ appKey, appSecret, accid: badAccid, ttlSeconds: 1 })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_INPUT", message: expect.not.stringContaining(badAccid) }),
    );
  });
});
