import type { Clock, ImCredential } from "@imauth/core";
import { type ConformanceHarness, registerConformanceTests } from "@imauth/core/testing";
import { describe, expect, it } from "vitest";
import { createNeteaseStaticProvider } from "../src/client/index.js";
import {
  createNeteaseProvider,
  verifyDynamicToken,
  verifyNertcPermissionKey,
  verifyNertcToken,
} from "../src/index.js";
import { createNeteaseEmulator } from "../src/testing/index.js";
import { signRaw } from "./sign.js";

const appKey = "c37bf7a8758a4ed0conformance00000";
const appSecret = "conformance-secret-0123";
const other = "another-secret-9876";
const permSecret = "conformance-perm-secret-4567";

/** NERTC permission-key bits per room privilege, written out from NetEase's table rather than taken from src. */
const EXPECTED_BITS = { join: 16 | 32 | 4 | 8, publishAudio: 1, publishVideo: 2, publishData: 0 };

/** Checks credential.room with the package's verifiers: the NERTC token, and the permission key if any. */
function verifyRoomCredential(credential: ImCredential, clock: Clock): void {
  const room = credential.room;
  if (room === undefined) throw new Error("no credential.room");
  const uid = credential.userId;
  const channelName = String(room.roomId);
  if (room.details?.uid !== uid) throw new Error(`room.details.uid is ${room.details?.uid}, expected ${uid}`);
  const token = verifyNertcToken({ token: room.token, appKey, appSecret, uid, channelName, clock });
  if (token.expiresAt.getTime() !== room.expiresAt.getTime()) throw new Error("room.expiresAt differs");
  const bits = room.privileges.reduce((sum, p) => sum | EXPECTED_BITS[p], 0);
  const permissionKey = room.details.permissionKey;
  if (bits === 63) {
    if (permissionKey !== undefined) throw new Error("a permission key for unrestricted privileges");
    return;
  }
  if (permissionKey === undefined) throw new Error("restricted privileges without a permission key");
  const key = verifyNertcPermissionKey({ key: permissionKey, appKey, permSecret, clock });
  if (key.privilege !== bits || key.uid !== uid || key.channelName !== channelName) {
    throw new Error(`permission key grants ${key.privilege} to ${key.uid} in ${key.channelName}`);
  }
}

function base(): Omit<ConformanceHarness, "name" | "createProvider"> {
  return {
    secrets: [appSecret, permSecret],
    defaultTtlSeconds: 86_400,
    maxUserIdLength: 32,
    sampleRequest: () =>
      new Request("https://api-cn.yunxinapi.com/nimserver/user/create.action?trace=1", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8", "x-extra": "kept" },
        body: "accid=user01&name=%E4%B8%96%E7%95%8C",
      }),
    verifySignedRequest: (request: Request, clock: Clock) =>
      createNeteaseEmulator({ appKey, appSecret, clock }).verifyRequest(request),
    signWebhook: ({ body, nowMs, wrongSecret }) =>
      signRaw({ appKey, appSecret: wrongSecret ? other : appSecret, body, nowMs }),
    tamperWebhook: (w) => {
      const h = w.headers as Record<string, string>;
      const body = w.body as string;
      return [
        { ...w, body: `${body} ` },
        { ...w, body: body.replace("1", "2") },
        { ...w, headers: { ...h, CheckSum: h.CheckSum!.replace(/^./, (c) => (c === "0" ? "1" : "0")) } },
        { ...w, headers: { ...h, CurTime: String(Number(h.CurTime) + 1) } },
        { ...w, headers: { ...h, MD5: "0".repeat(32) } },
        { ...w, headers: { ...h, AppKey: "someone-else" } },
        { ...w, headers: { CurTime: h.CurTime!, MD5: h.MD5!, AppKey: h.AppKey! } },
      ];
    },
    maxWebhookAgeMs: 5 * 60 * 1000,
    rooms: { sampleRoomIds: [1234, "room-1"], userId: "10001", verifyRoomCredential },
    invalidConfigs: [
      () => createNeteaseProvider({ appKey, appSecret: "" }),
      () => createNeteaseProvider({ appKey: "", appSecret }),
      () => createNeteaseProvider({ appKey, appSecret, region: "mars" as "cn" }),
      () => createNeteaseProvider({ appKey, appSecret, baseUrl: "not a url" }),
      () => createNeteaseProvider({ appKey, appSecret, credentialMode: "static" }),
      () => createNeteaseProvider({ appKey, appSecret, clock: 5 as unknown as Clock }),
      () => createNeteaseProvider({ appKey, appSecret, defaultTtlSeconds: 0 }),
      () => createNeteaseProvider({ appKey, appSecret, unknown: 1 } as never),
      () => createNeteaseProvider({ appKey, appSecret, permSecret: "" }),
      () => createNeteaseProvider({ appKey, appSecret, permSecret: "line\n" }),
      () => createNeteaseProvider(null as never),
      () => createNeteaseStaticProvider({ appKey, appSecret: "" }),
    ],
  };
}

describe("dynamic credential mode", () => {
  const harness: ConformanceHarness = {
    ...base(),
    name: "netease dynamic",
    createProvider: (clock) => createNeteaseProvider({ appKey, appSecret, permSecret, clock }),
    verifyCredential: (credential: ImCredential, clock: Clock) => {
      verifyDynamicToken({ token: credential.token, appKey, appSecret, accid: credential.userId, clock });
    },
  };
  registerConformanceTests(harness, it);
});

describe("static credential mode", () => {
  const emulators: ReturnType<typeof createNeteaseEmulator>[] = [];
  const harness: ConformanceHarness = {
    ...base(),
    name: "netease static",
    createProvider: (clock) => {
      const emulator = createNeteaseEmulator({ appKey, appSecret, clock });
      emulators.push(emulator);
      return createNeteaseStaticProvider({
        appKey,
        appSecret,
        permSecret,
        clock,
        baseUrl: "http://nim.test/nimserver/",
        fetch: emulator.fetch,
        sleep: async () => {},
      });
    },
  };
  registerConformanceTests(harness, it);

  it("the tokens it issues are the emulator's current static tokens", async () => {
    const emulator = createNeteaseEmulator({ appKey, appSecret, clock: () => 1_700_000_000_000 });
    const provider = createNeteaseStaticProvider({
      appKey,
      appSecret,
      clock: () => 1_700_000_000_000,
      baseUrl: "http://nim.test/nimserver/",
      fetch: emulator.fetch,
    });
    const first = await provider.issueCredential("user01", { ttlSeconds: 600 });
    expect(emulator.acceptsLogin("user01", first.token)).toBe(true);
    const second = await provider.issueCredential("user01");
    expect(second.token).not.toBe(first.token);
    expect(emulator.acceptsLogin("user01", first.token)).toBe(false);
    expect(emulator.acceptsLogin("user01", second.token)).toBe(true);
    expect(second.expiresAt.getTime() - second.issuedAt.getTime()).toBe(86_400_000);
    expect(emulator.calls.map((r) => [r.path, r.vendorCode])).toEqual([
      ["user/create.action", 200],
      ["user/create.action", 414],
      ["user/refreshToken.action", 200],
    ]);
  });

  it("accepts a custom static token source", async () => {
    const seen: string[] = [];
    const provider = createNeteaseProvider({
      appKey,
      appSecret,
      credentialMode: "static",
      staticTokens: {
        issueToken: async (accid) => {
          seen.push(accid);
          return `stored-${accid}`;
        },
      },
      clock: () => 1_700_000_000_000,
    });
    const c = await provider.issueCredential("user02", { ttlSeconds: 60 });
    expect(c.token).toBe("stored-user02");
    expect(seen).toEqual(["user02"]);
    const bad = createNeteaseProvider({
      appKey,
      appSecret,
      credentialMode: "static",
      staticTokens: { issueToken: async () => "x".repeat(129) },
    });
    await expect(bad.issueCredential("user02")).rejects.toMatchObject({ code: "ERR_VENDOR_API" });
  });
});
