import { inspect } from "node:util";
import { ImAuthError, type VerifiedWebhook } from "@imauth/core";
import type { ImEmulator } from "@imauth/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createTencentProvider } from "../src/provider.js";
import type { UserSigVerifier } from "../src/signer.js";
import { createTencentEmulator, type TencentCallback } from "../src/testing/index.js";
import { genUserSig } from "../src/usersig.js";
import { tencentCallbackResponse } from "../src/webhook.js";
import { type LoopbackServer, serve } from "./helpers/serve.js";

const SDK_APP_ID = 1400000001;
const SECRET_KEY = "emulator-test-secret-key-xyz";
const TOKEN = "emulator-callback-token";
const T0 = 1_700_000_000_000;
const clock = () => T0;
const API = "https://console.tim.qq.com/v4/im_open_login_svc/account_import";

function emulator() {
  return createTencentEmulator({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY, clock, callbackToken: TOKEN });
}

const adminSig = (options: { userId?: string; sdkAppId?: number; secretKey?: string; nowMs?: number } = {}) =>
  genUserSig({
    sdkAppId: options.sdkAppId ?? SDK_APP_ID,
    secretKey: options.secretKey ?? SECRET_KEY,
    userId: options.userId ?? "administrator",
    expireSeconds: 3600,
    clock: () => options.nowMs ?? T0,
  });

function query(overrides: Record<string, string | undefined> = {}): string {
  const base: Record<string, string | undefined> = {
    sdkappid: String(SDK_APP_ID),
    identifier: "administrator",
    usersig: adminSig(),
    random: "4294967295",
    contenttype: "json",
    ...overrides,
  };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(base)) if (v !== undefined) params.set(k, v);
  return params.toString();
}

async function answer(
  response: Response,
): Promise<{ ActionStatus: string; ErrorCode: number; ErrorInfo: string; status: number }> {
  return {
    ...((await response.json()) as { ActionStatus: string; ErrorCode: number; ErrorInfo: string }),
    status: response.status,
  };
}

const post = (q: string, body = '{"UserID":"alice"}', url = API, method = "POST") =>
  new Request(`${url}?${q}`, { method, body: method === "GET" ? undefined : body });

describe("createTencentEmulator: authentication", () => {
  it("accepts a request signed by the provider", async () => {
    const emu = emulator();
    const provider = createTencentProvider({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY, clock });
    const signed = await provider.signRequest(
      new Request(API, { method: "POST", body: '{"UserID":"alice"}' }),
    );
    expect(await answer(await emu.fetch(signed))).toEqual({
      ActionStatus: "OK",
      ErrorCode: 0,
      ErrorInfo: "",
      status: 200,
    });
    expect(emu.calls).toEqual([
      {
        method: "POST",
        path: "v4/im_open_login_svc/account_import",
        identifier: "administrator",
        status: 200,
        vendorCode: 0,
      },
    ]);
  });

  it.each([
    ["no sdkappid", { sdkappid: undefined }, 60012],
    ["another sdkappid", { sdkappid: "1400000002" }, 70020],
    ["no identifier", { identifier: undefined }, 60002],
    ["no usersig", { usersig: undefined }, 70003],
    ["a garbage usersig", { usersig: "eJyrVkrOz-garbage" }, 70003],
    ["an expired usersig", { usersig: adminSig({ nowMs: T0 - 3601_000 }) }, 70001],
    ["a usersig made with another key", { usersig: adminSig({ secretKey: "another-key" }) }, 70009],
    ["a usersig of another user", { usersig: adminSig({ userId: "bob" }) }, 70013],
    ["a usersig of another app", { usersig: adminSig({ sdkAppId: 1400000002 }) }, 70014],
    ["a non-admin identifier", { identifier: "bob", usersig: adminSig({ userId: "bob" }) }, 60010],
    ["no random", { random: undefined }, 60002],
    ["a random over 32 bits", { random: "4294967296" }, 60002],
    ["a negative random", { random: "-1" }, 60002],
    ["another contenttype", { contenttype: "xml" }, 60002],
  ])("answers %s with ErrorCode %i in an HTTP 200 envelope", async (_name, overrides, code) => {
    const result = await answer(await emulator().fetch(post(query(overrides))));
    expect(result).toMatchObject({ ActionStatus: "FAIL", ErrorCode: code, status: 200 });
    expect(result.ErrorInfo.length).toBeGreaterThan(0);
  });

  it("checks the method, the path and the JSON body", async () => {
    const emu = emulator();
    expect((await answer(await emu.fetch(post(query(), "", API, "GET")))).ErrorCode).toBe(60002);
    expect(
      (await answer(await emu.fetch(post(query(), "{}", "https://x.example/v4/nope/nope")))).ErrorCode,
    ).toBe(60002);
    expect((await answer(await emu.fetch(post(query(), "{not json")))).ErrorCode).toBe(60003);
    expect((await answer(await emu.fetch(post(query(), "[1]")))).ErrorCode).toBe(60003);
    expect((await answer(await emu.fetch(post(query(), '{"UserID":""}')))).ErrorCode).toBe(70402);
    expect(emu.accounts.size).toBe(0);
  });

  it("uses a given verifier (as @imauth/legacy-ecdsa does)", async () => {
    const seen: unknown[] = [];
    const verifier: UserSigVerifier = {
      algorithm: "test",
      verify(userSig, expected) {
        seen.push({ userSig, ...expected, clock: typeof expected.clock });
        if (userSig !== "good-sig") throw new ImAuthError("ERR_SIGNATURE_INVALID", "bad");
        return {
          userId: "administrator",
          sdkAppId: SDK_APP_ID,
          issuedAt: new Date(T0),
          expiresAt: new Date(T0 + 1),
        };
      },
    };
    const emu = createTencentEmulator({ sdkAppId: SDK_APP_ID, verifier, clock });
    const provider = createTencentProvider({
      sdkAppId: SDK_APP_ID,
      signer: { algorithm: "test", sign: () => "good-sig" },
      clock,
    });
    const signed = await provider.signRequest(new Request(API, { method: "POST", body: '{"UserID":"x"}' }));
    expect((await answer(await emu.fetch(signed))).ErrorCode).toBe(0);
    expect((await answer(await emu.fetch(post(query({ usersig: "bad-sig" }))))).ErrorCode).toBe(70009);
    expect(seen[0]).toEqual({
      userSig: "good-sig",
      sdkAppId: SDK_APP_ID,
      userId: "administrator",
      clock: "function",
    });
  });

  it("answers 70052 for UserSigs issued before revokeCredentials", async () => {
    let now = T0;
    const emu = createTencentEmulator({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY, clock: () => now });
    emu.revokeCredentials();
    now += 1000;
    expect((await answer(await emu.fetch(post(query())))).ErrorCode).toBe(70052);
    expect(
      (await answer(await emu.fetch(post(query({ usersig: adminSig({ nowMs: now }) }))))).ErrorCode,
    ).toBe(0);
  });
});

describe("createTencentEmulator: failures and state", () => {
  it("plays failures in order, then answers normally", async () => {
    const emu = emulator();
    emu.failNext(1);
    emu.rateLimitNext(1, 60019);
    emu.failNext(1, { status: 502 });
    emu.failNext(1, { disconnect: true });
    expect((await answer(await emu.fetch(post(query())))).ErrorCode).toBe(70500);
    expect((await answer(await emu.fetch(post(query())))).ErrorCode).toBe(60019);
    const bad = await emu.fetch(post(query()));
    expect(bad.status).toBe(502);
    await expect(emu.fetch(post(query()))).rejects.toBeInstanceOf(TypeError);
    expect((await answer(await emu.fetch(post(query())))).ErrorCode).toBe(0);
    expect(emu.calls.map((c) => [c.status, c.vendorCode])).toEqual([
      [200, 70500],
      [200, 60019],
      [502, -1],
      [0, -1],
      [200, 0],
    ]);
    emu.reset();
    expect(emu.calls).toHaveLength(0);
    expect(emu.accounts.size).toBe(0);
    expect(() => emu.failNext(-1)).toThrow(expect.objectContaining({ code: "ERR_INVALID_INPUT" }));
  });

  it("refuses a bad configuration and never shows its secrets", () => {
    expect(() => createTencentEmulator({ sdkAppId: SDK_APP_ID })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
    expect(() => createTencentEmulator({ sdkAppId: 0, secretKey: SECRET_KEY })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
    const emu = emulator();
    for (const text of [JSON.stringify(emu), String(emu), inspect(emu, { depth: 5 })]) {
      expect(text).not.toContain(SECRET_KEY);
      expect(text).not.toContain(TOKEN);
    }
  });
});

describe("createTencentEmulator: callbacks", () => {
  const servers: LoopbackServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  const provider = createTencentProvider({
    sdkAppId: SDK_APP_ID,
    secretKey: SECRET_KEY,
    callbackToken: TOKEN,
    clock,
  });

  /** An application's callback handler: rejects messages that contain "spam". */
  function appHandler(received: VerifiedWebhook[]) {
    return async (request: Request): Promise<Response> => {
      let event: VerifiedWebhook;
      try {
        event = await provider.verifyWebhook(request);
      } catch {
        return new Response("forbidden", { status: 403 });
      }
      received.push(event);
      const text = JSON.stringify(event.payload);
      return tencentCallbackResponse(text.includes("spam") ? { errorCode: 1, errorInfo: "blocked" } : {});
    };
  }

  it("signs callbacks that the provider accepts", async () => {
    const request = emulator().signCallback({
      command: "State.StateChange",
      body: { Info: { Action: "Login", To_Account: "alice" } },
    });
    expect(new URL(request.url).origin).toBe("https://example.com");
    const event = await provider.verifyWebhook(request);
    expect(event).toMatchObject({ event: "State.StateChange", payload: { Info: { To_Account: "alice" } } });
  });

  it("sends callbacks to a handler and reads its reply", async () => {
    const received: VerifiedWebhook[] = [];
    const emu = emulator();
    const body = {
      From_Account: "alice",
      MsgBody: [{ MsgType: "TIMTextElem", MsgContent: { Text: "spam 垃圾" } }],
    };
    const rejected = await emu.sendCallback(appHandler(received), {
      command: "C2C.CallbackBeforeSendMsg",
      body,
    });
    expect(rejected).toEqual({
      status: 200,
      ok: false,
      reply: { ActionStatus: "OK", ErrorCode: 1, ErrorInfo: "blocked" },
    });
    const allowed = await emu.sendCallback(appHandler(received), {
      command: "C2C.CallbackBeforeSendMsg",
      body: { text: "hi" },
    });
    expect(allowed.ok).toBe(true);
    expect(received.map((e) => e.event)).toEqual(["C2C.CallbackBeforeSendMsg", "C2C.CallbackBeforeSendMsg"]);
  });

  it("sends callbacks over HTTP to a real server", async () => {
    const received: VerifiedWebhook[] = [];
    const server = await serve(appHandler(received));
    servers.push(server);
    const result = await emulator().sendCallback(`${server.url}im/callback`, {
      command: "State.StateChange",
      body: { Info: {} },
      clientIp: "198.51.100.7",
      platform: "iOS",
    });
    expect(result.ok).toBe(true);
    expect(received[0]?.details).toMatchObject({ clientIp: "198.51.100.7", platform: "iOS" });
  });

  it("callbacks signed by an emulator with another token are refused by the handler", async () => {
    const other = createTencentEmulator({
      sdkAppId: SDK_APP_ID,
      secretKey: SECRET_KEY,
      clock,
      callbackToken: "x",
    });
    const result = await other.sendCallback(appHandler([]), { command: "State.StateChange" });
    expect(result).toMatchObject({ status: 403, ok: false });
  });

  it("needs callbackToken to sign", () => {
    const emu = createTencentEmulator({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY });
    expect(() => emu.signCallback({ command: "State.StateChange" })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
  });
});

describe("createTencentEmulator: the core ImEmulator shape", () => {
  it("is an ImEmulator whose fetch is the global fetch's type", async () => {
    const emu: ImEmulator<TencentCallback> = emulator();
    const options: { fetch: typeof fetch } = { fetch: emu.fetch };
    const response = await options.fetch(`${API}?${query()}`, {
      method: "POST",
      body: JSON.stringify({ UserID: "bob" }),
    });
    expect((await answer(response)).ErrorCode).toBe(0);
    expect(emu.calls[0]).toMatchObject({
      method: "POST",
      path: "v4/im_open_login_svc/account_import",
      status: 200,
      vendorCode: 0,
    });
  });

  it("revokes with a fixed clock: a UserSig issued in a later second is valid", async () => {
    const emu = emulator();
    emu.revokeCredentials();
    expect((await answer(await emu.fetch(post(query())))).ErrorCode).toBe(70052);
    const later = adminSig({ nowMs: T0 + 1000 });
    expect((await answer(await emu.fetch(post(query({ usersig: later }))))).ErrorCode).toBe(0);
  });

  it("answers an unknown API with Tencent's 60002 and lists groups for get_appid_group_list", async () => {
    const emu = createTencentEmulator({
      sdkAppId: SDK_APP_ID,
      secretKey: SECRET_KEY,
      clock,
      groups: [
        { groupId: "@TGS#1A", type: "Public" },
        { groupId: "@TGS#2B", type: "Private" },
        { groupId: "@TGS#3C", type: "Public" },
      ],
    });
    const url = (path: string) => `https://console.tim.qq.com/${path}?${query()}`;
    const unknown = await emu.fetch(url("v4/openim/no_such_command"), { method: "POST", body: "{}" });
    expect(await answer(unknown)).toMatchObject({ ActionStatus: "FAIL", ErrorCode: 60002 });
    const list = (body: unknown) =>
      emu.fetch(url("v4/group_open_http_svc/get_appid_group_list"), {
        method: "POST",
        body: JSON.stringify(body),
      });
    expect(await answer(await list({ Limit: 2 }))).toEqual({
      ActionStatus: "OK",
      ErrorCode: 0,
      ErrorInfo: "",
      TotalCount: 3,
      GroupIdList: [{ GroupId: "@TGS#1A" }, { GroupId: "@TGS#2B" }],
      Next: 2,
      status: 200,
    });
    expect(await answer(await list({ Limit: 2, Next: 2 }))).toMatchObject({
      GroupIdList: [{ GroupId: "@TGS#3C" }],
      Next: 0,
    });
    expect(await answer(await list({ GroupType: "Public" }))).toMatchObject({ TotalCount: 2 });
    expect(emu.groups).toHaveLength(3);
  });

  it("failNext takes core's vendorCode, status and disconnect", async () => {
    const emu = emulator();
    emu.failNext(1, { vendorCode: 70169, status: 200 });
    emu.failNext(1, { status: 503 });
    expect((await answer(await emu.fetch(post(query())))).ErrorCode).toBe(70169);
    expect((await emu.fetch(post(query()))).status).toBe(503);
    expect(() => emu.failNext(1, {})).toThrow(expect.objectContaining({ code: "ERR_INVALID_INPUT" }));
  });
});
