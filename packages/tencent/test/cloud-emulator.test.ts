import { inspect } from "node:util";
import { ImAuthError, Secret } from "@imauth/core";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  createTencentCloudClient,
  createTencentCloudSigner,
  type TencentCloudClientOptions,
  type TencentCloudSignerOptions,
} from "../src/cloud/index.js";
import { createTencentCloudEmulator, type TencentCloudEmulatorOptions } from "../src/testing/index.js";
import { refusalOf } from "./helpers/refusal.js";
import { type LoopbackServer, serve } from "./helpers/serve.js";

const secretId = "AKIDemulatorTEST0001";
const secretKey = "emulatorSecretKeyTEST0001";
const sdkAppId = 1400000001;
const nowMs = 1_735_689_600_000;
const base = "https://trtc.tencentcloudapi.com/";

function setup(
  opts: {
    emulator?: Partial<TencentCloudEmulatorOptions>;
    signer?: Partial<TencentCloudSignerOptions>;
    client?: Partial<TencentCloudClientOptions>;
  } = {},
) {
  const emulator = createTencentCloudEmulator({
    secretId,
    secretKey,
    sdkAppId,
    clock: () => nowMs,
    ...opts.emulator,
  });
  const signer = createTencentCloudSigner({
    secretId,
    secretKey,
    service: "trtc",
    region: "ap-guangzhou",
    version: "2019-07-22",
    clock: () => nowMs,
    ...opts.signer,
  });
  const delays: number[] = [];
  const client = createTencentCloudClient({
    signer,
    baseUrl: base,
    fetch: emulator.fetch,
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0,
    ...opts.client,
  });
  return { emulator, signer, client, delays };
}

describe("the TRTC room APIs on the emulator", () => {
  it("removes users and dismisses numeric rooms; a dismissed room no longer exists", async () => {
    const { emulator, client } = setup();
    emulator.enterRoom({ sdkAppId, roomId: 1234, userId: "alice" });
    emulator.enterRoom({ sdkAppId, roomId: 1234, userId: "bob" });
    const removed = await client.call("RemoveUser", { SdkAppId: sdkAppId, RoomId: 1234, UserIds: ["alice"] });
    expect(typeof removed.RequestId).toBe("string");
    expect(emulator.rooms[0]?.users).toEqual(["bob"]);
    await client.call("DismissRoom", { SdkAppId: sdkAppId, RoomId: 1234 });
    expect(emulator.rooms[0]?.dismissedAtSeconds).toBe(nowMs / 1000);
    const again = await refusalOf(client.call("DismissRoom", { SdkAppId: sdkAppId, RoomId: 1234 }));
    expect(again).toMatchObject({
      code: "ERR_VENDOR_API",
      vendorCode: "FailedOperation.RoomNotExist",
      status: 200,
    });
    expect(again.message).toMatch(/RequestId [0-9a-f-]{36}/);
  });

  it("keeps string rooms apart from numeric ones (the ByStrRoomId actions)", async () => {
    const { emulator, client } = setup();
    emulator.enterRoom({ sdkAppId, roomId: "1234", userId: "alice" });
    const missing = await refusalOf(client.call("DismissRoom", { SdkAppId: sdkAppId, RoomId: 1234 }));
    expect(missing.vendorCode).toBe("FailedOperation.RoomNotExist");
    await client.call("RemoveUserByStrRoomId", { SdkAppId: sdkAppId, RoomId: "1234", UserIds: ["alice"] });
    expect(emulator.rooms[0]?.users).toEqual([]);
    await client.call("DismissRoomByStrRoomId", { SdkAppId: sdkAppId, RoomId: "1234" });
    expect(emulator.rooms[0]?.dismissedAtSeconds).toBeDefined();
  });

  it("starts mixing in a live room and creates recordings with a TaskId", async () => {
    const { emulator, client } = setup();
    emulator.enterRoom({ sdkAppId, roomId: 7, userId: "anchor" });
    const mix = {
      SdkAppId: sdkAppId,
      RoomId: 7,
      OutputParams: { StreamId: "s1" },
      EncodeParams: { VideoWidth: 640 },
    };
    await client.call("StartMCUMixTranscode", mix);
    const noOutput = await refusalOf(
      client.call("StartMCUMixTranscode", { ...mix, OutputParams: undefined }),
    );
    expect(noOutput.vendorCode).toBe("MissingParameter.OutputParams");
    const recording = await client.call<{ TaskId: string }>("CreateCloudRecording", {
      SdkAppId: sdkAppId,
      RoomId: "7",
      RoomIdType: 1,
      UserId: "recorder",
      UserSig: "sig",
      RecordParams: { RecordMode: 2 },
      StorageParams: { CloudVod: {} },
    });
    expect(recording.TaskId).toMatch(/^[0-9a-f]{48}$/);
    expect(emulator.tasks.map((t) => [t.action, t.roomId])).toEqual([
      ["StartMCUMixTranscode", 7],
      ["CreateCloudRecording", 7],
    ]);
  });

  it("lists rooms with DescribeRoomInfo, over GET as well as POST", async () => {
    const { emulator, client } = setup();
    emulator.enterRoom({ sdkAppId, roomId: 42, userId: "alice" });
    emulator.enterRoom({ sdkAppId, roomId: "lobby", userId: "bob" });
    const query = { SdkAppId: sdkAppId, StartTime: nowMs / 1000 - 3600, EndTime: nowMs / 1000 };
    const post = await client.call<{ Total: number; RoomList: unknown[] }>("DescribeRoomInfo", query);
    expect(post.Total).toBe(2);
    expect(post.RoomList[0]).toEqual({
      CommId: "42",
      CreateTime: nowMs / 1000,
      DestroyTime: 0,
      IsFinished: false,
      UserId: "alice",
    });
    const get = setup({ client: { method: "GET" } });
    get.emulator.enterRoom({ sdkAppId, roomId: 42, userId: "alice" });
    const viaGet = await get.client.call<{ Total: number }>("DescribeRoomInfo", { ...query, RoomId: "42" });
    expect(viaGet.Total).toBe(1);
    expect(get.emulator.calls[0]).toMatchObject({ method: "GET", action: "DescribeRoomInfo", vendorCode: 0 });
    const tooLong = await refusalOf(
      client.call("DescribeRoomInfo", { ...query, StartTime: query.EndTime - 90_000 }),
    );
    expect(tooLong.vendorCode).toBe("InvalidParameter.QueryScaleOversize");
  });

  it("checks parameters with TRTC's codes", async () => {
    const { client } = setup();
    const cases: Array<[string, object, string]> = [
      ["DismissRoom", { RoomId: 1 }, "MissingParameter.SdkAppId"],
      ["DismissRoom", { SdkAppId: sdkAppId }, "MissingParameter.RoomId"],
      ["DismissRoom", { SdkAppId: sdkAppId, RoomId: "1" }, "InvalidParameter.RoomId"],
      ["DismissRoom", { SdkAppId: 1400000002, RoomId: 1 }, "UnauthorizedOperation.SdkAppId"],
      ["RemoveUser", { SdkAppId: sdkAppId, RoomId: 1 }, "MissingParameter.UserIds"],
      [
        "RemoveUser",
        { SdkAppId: sdkAppId, RoomId: 1, UserIds: Array(11).fill("u") },
        "InvalidParameter.UserIds",
      ],
      ["KickOutUser", { SdkAppId: sdkAppId }, "InvalidAction"],
    ];
    for (const [action, params, expected] of cases) {
      const error = await refusalOf(client.call(action, params, { idempotent: false }));
      expect([action, error.vendorCode]).toEqual([action, expected]);
    }
  });
});

describe("the emulator authenticates as Tencent Cloud does", () => {
  it("refuses a wrong key, an unknown SecretId and a malformed Authorization", async () => {
    const wrongKey = await refusalOf(
      setup({ signer: { secretKey: "other" } }).client.call("DescribeRoomInfo", {}),
    );
    expect(wrongKey.vendorCode).toBe("AuthFailure.SignatureFailure");
    const unknownId = await refusalOf(
      setup({ signer: { secretId: "AKIDother" } }).client.call("DescribeRoomInfo", {}),
    );
    expect(unknownId.vendorCode).toBe("AuthFailure.SecretIdNotFound");
    const { emulator } = setup();
    const answer = await emulator.fetch(
      new Request(base, {
        method: "POST",
        headers: { Authorization: "Bearer x", "X-TC-Action": "DismissRoom" },
      }),
    );
    expect((await answer.json()).Response.Error.Code).toBe("AuthFailure.InvalidAuthorization");
  });

  it("accepts a timestamp 300 s off and refuses 301 s off, either way", async () => {
    for (const [skewSeconds, ok] of [
      [300, true],
      [-300, true],
      [301, false],
      [-301, false],
    ] as const) {
      const { client } = setup({ signer: { clock: () => nowMs + skewSeconds * 1000 } });
      const result = client.call("DescribeRoomInfo", {
        SdkAppId: sdkAppId,
        StartTime: nowMs / 1000 - 60,
        EndTime: nowMs / 1000,
      });
      if (ok) await expect(result).resolves.toMatchObject({ Total: 0 });
      else expect((await refusalOf(result)).vendorCode).toBe("AuthFailure.SignatureExpire");
    }
  });

  it("refuses a request whose body, query, content type or host changed after signing", async () => {
    const { emulator, signer } = setup();
    const signed = await signer.signRequest(
      new Request(base, {
        method: "POST",
        headers: { "X-TC-Action": "DismissRoom", "Content-Type": "application/json" },
        body: '{"SdkAppId":1400000001,"RoomId":1}',
      }),
    );
    const body = await signed.clone().text();
    const variants = [
      new Request(signed, { body: body.replace("1}", "2}") }),
      new Request(`${base}?x=1`, { method: "POST", headers: signed.headers, body }),
      new Request(base, {
        method: "POST",
        headers: { ...Object.fromEntries(signed.headers), "content-type": "application/json; charset=utf-8" },
        body,
      }),
      new Request("https://trtc.ap-beijing.tencentcloudapi.com/", {
        method: "POST",
        headers: signed.headers,
        body,
      }),
    ];
    for (const request of variants) {
      const answer = await (await emulator.fetch(request)).json();
      expect(answer.Response.Error.Code).toBe("AuthFailure.SignatureFailure");
    }
    const untouched = await (await emulator.fetch(signed)).json();
    expect(untouched.Response.Error.Code).toBe("FailedOperation.RoomNotExist");
  });

  it("requires the session token of temporary credentials, and only then", async () => {
    const token = "tokenTEST_0001";
    const withToken = setup({
      emulator: { sessionToken: token },
      signer: { sessionToken: new Secret(token) },
    });
    await expect(
      withToken.client.call("DescribeRoomInfo", {
        SdkAppId: sdkAppId,
        StartTime: nowMs / 1000,
        EndTime: nowMs / 1000,
      }),
    ).resolves.toBeDefined();
    const missing = await refusalOf(
      setup({ emulator: { sessionToken: token } }).client.call("DescribeRoomInfo", {}),
    );
    expect(missing.vendorCode).toBe("AuthFailure.TokenFailure");
    const wrong = await refusalOf(
      setup({ emulator: { sessionToken: token }, signer: { sessionToken: "tokenTEST_0002" } }).client.call(
        "DescribeRoomInfo",
        {},
      ),
    );
    expect(wrong.vendorCode).toBe("AuthFailure.TokenFailure");
    const unexpected = await refusalOf(
      setup({ signer: { sessionToken: token } }).client.call("DescribeRoomInfo", {}),
    );
    expect(unexpected.vendorCode).toBe("AuthFailure.TokenFailure");
  });

  it("checks the version and revokes the key", async () => {
    const version = await refusalOf(
      setup({ signer: { version: "2018-01-01" } }).client.call("DescribeRoomInfo", {}),
    );
    expect(version.vendorCode).toBe("NoSuchVersion");
    const { emulator, client } = setup();
    emulator.revokeCredentials();
    expect((await refusalOf(client.call("DescribeRoomInfo", {}))).vendorCode).toBe(
      "AuthFailure.SecretIdNotFound",
    );
    emulator.reset();
    expect(emulator.calls).toEqual([]);
  });

  it("property: every single-byte change of a signed body is refused", async () => {
    const { emulator, signer } = setup();
    const body = '{"SdkAppId":1400000001,"RoomId":1234,"UserIds":["张三"]}';
    const signed = await signer.signRequest(
      new Request(base, {
        method: "POST",
        headers: { "X-TC-Action": "RemoveUser", "Content-Type": "application/json" },
        body,
      }),
    );
    const bytes = new TextEncoder().encode(body);
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: bytes.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (i, delta) => {
          const changed = bytes.slice();
          changed[i] = (changed[i]! + delta) & 255;
          const answer = await (await emulator.fetch(new Request(signed, { body: changed }))).json();
          expect(answer.Response.Error.Code).toBe("AuthFailure.SignatureFailure");
        },
      ),
      { seed: 16, numRuns: 200 },
    );
  });

  it("property: any Authorization header gets an error answer, never a crash", async () => {
    const { emulator } = setup();
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 300 }),
        fc.string({ maxLength: 20 }),
        async (authorization, timestamp) => {
          const headers = new Headers({ "X-TC-Action": "DismissRoom", "X-TC-Version": "2019-07-22" });
          try {
            headers.set("Authorization", authorization);
            headers.set("X-TC-Timestamp", timestamp);
          } catch {
            return; // not a valid header value: fetch itself refuses it
          }
          const answer = await (
            await emulator.fetch(new Request(base, { method: "POST", headers, body: "{}" }))
          ).json();
          expect(answer.Response.Error.Code).toMatch(/^(AuthFailure\.|MissingParameter|InvalidParameter)/);
        },
      ),
      { seed: 17, numRuns: 300 },
    );
  });
});

describe("the client's retries against the emulator", () => {
  const describeParams = { SdkAppId: sdkAppId, StartTime: nowMs / 1000 - 60, EndTime: nowMs / 1000 };

  it("retries InternalError for idempotent actions only", async () => {
    const { emulator, client } = setup();
    emulator.failNext(2);
    await expect(client.call("DescribeRoomInfo", describeParams)).resolves.toMatchObject({ Total: 0 });
    expect(emulator.calls.map((c) => c.errorCode ?? "ok")).toEqual(["InternalError", "InternalError", "ok"]);
    emulator.reset();
    emulator.failNext(1, { errorCode: "InternalError.BackendTimeOut" });
    const once = await refusalOf(client.call("CreateCloudRecording", {}));
    expect(once.vendorCode).toBe("InternalError.BackendTimeOut");
    expect(emulator.calls).toHaveLength(1);
  });

  it("retries RequestLimitExceeded after the rate-limit delay, even for CreateCloudRecording", async () => {
    const { emulator, client, delays } = setup({ client: { rateLimitDelayMs: 100 } });
    emulator.failNext(2, { errorCode: "RequestLimitExceeded" });
    const error = await refusalOf(client.call("CreateCloudRecording", { SdkAppId: sdkAppId }));
    expect(error.vendorCode).toBe("MissingParameter.RoomId");
    expect(emulator.calls).toHaveLength(3);
    expect(delays).toEqual([100, 200]);
  });

  it("never retries AuthFailure", async () => {
    const { emulator, client } = setup({ signer: { secretKey: "wrong" } });
    await refusalOf(client.call("DescribeRoomInfo", describeParams));
    expect(emulator.calls).toHaveLength(1);
  });

  it("fails over to the backup domain after a dropped connection or a 502", async () => {
    const { emulator, client } = setup({
      client: { baseUrl: ["https://trtc.ap-guangzhou.tencentcloudapi.com/", base] },
    });
    emulator.failNext(1, { disconnect: true });
    emulator.failNext(1, { status: 502 });
    await expect(client.call("DescribeRoomInfo", describeParams)).resolves.toMatchObject({ Total: 0 });
    expect(emulator.calls.map((c) => c.status)).toEqual([0, 502, 200]);
    expect(client.baseUrl).toBe("https://trtc.ap-guangzhou.tencentcloudapi.com/");
  });

  it("keeps keys, tokens and signatures out of errors and logs", async () => {
    const token = "tokenSECRET_0001";
    const { emulator, client, signer } = setup({ signer: { sessionToken: token } });
    emulator.failNext(1, { disconnect: true });
    const errors = [await refusalOf(client.call("CreateCloudRecording", {}))];
    errors.push(await refusalOf(client.call("DescribeRoomInfo", describeParams)));
    for (const error of errors) {
      for (const text of [
        error.message,
        JSON.stringify(error),
        inspect(error, { depth: 5 }),
        String(error.cause),
      ]) {
        expect(text).not.toContain(secretKey);
        expect(text).not.toContain(token);
        expect(text).not.toMatch(/Signature=|[0-9a-f]{64}/);
      }
    }
    for (const text of [JSON.stringify(emulator), inspect(emulator), JSON.stringify(signer)]) {
      expect(text).not.toContain(secretKey);
    }
  });

  it("checks failNext and enterRoom", () => {
    const { emulator } = setup();
    expect(() => emulator.failNext(1, {})).toThrow(ImAuthError);
    expect(() => emulator.failNext(1, { errorCode: "no spaces" })).toThrow(ImAuthError);
    expect(() => emulator.failNext(-1)).toThrow(ImAuthError);
    expect(() => emulator.enterRoom({ sdkAppId, roomId: 0, userId: "a" })).toThrow(ImAuthError);
    expect(() => createTencentCloudEmulator({ secretId: "", secretKey })).toThrow(ImAuthError);
    expect(() => createTencentCloudEmulator({ secretId, secretKey, sdkAppId: 0 })).toThrow(ImAuthError);
  });
});

describe("over a real loopback server", () => {
  let server: LoopbackServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("signs what actually travels: host, path and body as the server receives them", async () => {
    const { emulator, signer } = setup();
    server = await serve((request) => emulator.fetch(request));
    const client = createTencentCloudClient({ signer, baseUrl: server.url, retryLimit: 0 });
    emulator.enterRoom({ sdkAppId, roomId: 9, userId: "张三" });
    await client.call("RemoveUser", { SdkAppId: sdkAppId, RoomId: 9, UserIds: ["张三"] });
    expect(emulator.rooms[0]?.users).toEqual([]);
    const get = createTencentCloudClient({ signer, baseUrl: server.url, retryLimit: 0, method: "GET" });
    await get.call("DismissRoom", { SdkAppId: sdkAppId, RoomId: 9 });
    expect(emulator.calls.map((c) => [c.method, c.action, c.vendorCode])).toEqual([
      ["POST", "RemoveUser", 0],
      ["GET", "DismissRoom", 0],
    ]);
  });
});
