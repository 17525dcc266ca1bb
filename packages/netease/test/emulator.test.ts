import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createNeteaseStaticProvider } from "../src/client/index.js";
import { checkSum, createCheckSumHeaders, createNeteaseProvider, genDynamicToken } from "../src/index.js";
import { createNeteaseEmulator } from "../src/testing/index.js";

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
    expect(emulator.calls).toBe(cases.length + 1);
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
    expect(await (await emulator.fetch(v2)).json()).toEqual({
      code: 200,
      msg: "success",
      data: { account_id: "u1", token: "t1" },
    });
  });

  it("failure controls are validated", () => {
    const emulator = createNeteaseEmulator({ appKey, appSecret, clock });
    expect(() => emulator.failNext(1, { code: 414 as 500 })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_INPUT" }),
    );
    expect(() => emulator.rateLimitNext(-1)).toThrow(expect.objectContaining({ code: "ERR_INVALID_INPUT" }));
    expect(() => createNeteaseEmulator({ appKey, appSecret: "" })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
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
