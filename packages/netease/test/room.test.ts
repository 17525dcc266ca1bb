import { createHmac } from "node:crypto";
import { inflateSync } from "node:zlib";
import { type ImAuthError, isImAuthError, type RoomPrivilege, Secret } from "@imauth/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/netease.json" with { type: "json" };
import {
  createNeteaseProvider,
  decodeNertcToken,
  genNertcPermissionKey,
  verifyNertcPermissionKey,
  verifyNertcToken,
} from "../src/index.js";

const appKey = "c37bf7a8758a4ed0room000000000000";
const appSecret = "room-test-app-secret";
const permSecret = "room-test-perm-secret";
const T0 = 1_700_000_000_000;

/** NERTC permission-key bits, written out from NetEase's documentation (not read from src). */
const SEND_AUDIO = 1;
const SEND_VIDEO = 2;
const JOIN = 4 | 8 | 16 | 32; // receive audio, receive video, create room, join room

function provider(options: { permSecret?: string; clock?: () => number } = {}) {
  return createNeteaseProvider({ appKey, appSecret, clock: options.clock ?? (() => T0), ...options });
}

async function refusal(promise: Promise<unknown>): Promise<ImAuthError> {
  try {
    await promise;
  } catch (error) {
    if (isImAuthError(error)) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

/** A permission key's JSON, read with node:zlib independently of the package's reader. */
function inflateKey(key: string): Record<string, unknown> {
  const b64 = key.replace(/[*\-_]/g, (c) => (c === "*" ? "+" : c === "-" ? "/" : "="));
  return JSON.parse(inflateSync(Buffer.from(b64, "base64")).toString("utf8"));
}

describe("issueCredential with a room scope", () => {
  it("makes the official NERTC token for the room (numeric accid as uid)", async () => {
    const v = vectors.nertcToken[0]!;
    const p = createNeteaseProvider({ appKey: v.appKey, appSecret: v.appSecret, clock: () => v.curTimeMs });
    const c = await p.issueCredential(String(v.uid), {
      ttlSeconds: v.ttlSeconds,
      room: { roomId: v.channelName },
    });
    expect(c.room).toEqual({
      roomId: v.channelName,
      token: v.expected,
      privileges: ["join", "publishAudio", "publishVideo", "publishData"],
      expiresAt: new Date(v.curTimeMs + v.ttlSeconds * 1000),
      details: { uid: String(v.uid) },
    });
    // The same room through room.rtcUid, for an accid that is not a number.
    const named = await p.issueCredential("alice", {
      ttlSeconds: v.ttlSeconds,
      room: { roomId: v.channelName, rtcUid: v.uid },
    });
    expect(named.room?.token).toBe(v.expected);
  });

  it.each([
    [["join"], JOIN],
    [["join", "publishAudio"], JOIN | SEND_AUDIO],
    [["join", "publishVideo"], JOIN | SEND_VIDEO],
    [["join", "publishData"], JOIN],
    [["publishAudio", "join", "publishAudio"], JOIN | SEND_AUDIO],
  ] as const)("privileges %j add a permission key with privilege %i", async (privileges, bits) => {
    const c = await provider({ permSecret }).issueCredential("10001", {
      ttlSeconds: 600,
      room: { roomId: 1234, privileges: privileges as readonly RoomPrivilege[] },
    });
    const key = c.room!.details!.permissionKey!;
    const json = inflateKey(key);
    expect(json).toMatchObject({
      appkey: appKey,
      cname: "1234",
      curTime: T0 / 1000,
      expireTime: 600,
      privilege: bits,
      uid: 10001,
    });
    // The checksum, recomputed with node:crypto from the documented content.
    const content = `appkey:${appKey}\nuid:10001\ncurTime:${T0 / 1000}\nexpireTime:600\ncname:1234\nprivilege:${bits}\n`;
    expect(json.checksum).toBe(createHmac("sha256", permSecret).update(content).digest("base64"));
    // The same document genNertcPermissionKey writes (it deflates; the provider stores, see room.ts).
    const standalone = genNertcPermissionKey({
      appKey,
      permSecret,
      uid: 10001,
      channelName: "1234",
      privilege: bits,
      ttlSeconds: 600,
      clock: () => T0,
    });
    expect(json).toEqual(inflateKey(standalone));
    expect(verifyNertcPermissionKey({ key, appKey, permSecret, clock: () => T0 }).privilege).toBe(bits);
    // Same key order as the official library writes.
    expect(Object.keys(json)).toEqual(Object.keys(vectors.nertcPermissionKey[0]!.decodedJson));
    expect(c.room!.details!.uid).toBe("10001");
  });

  it("adds no permission key when nothing NERTC can enforce is withheld", async () => {
    for (const privileges of [undefined, ["join", "publishAudio", "publishVideo"]] as const) {
      for (const p of [provider(), provider({ permSecret })]) {
        const c = await p.issueCredential("10001", {
          ttlSeconds: 600,
          room: { roomId: "room-1", privileges },
        });
        expect(c.room?.details).toEqual({ uid: "10001" });
      }
    }
  });

  it("refuses restricted privileges without permSecret, naming it", async () => {
    const e = await refusal(
      provider().issueCredential("10001", { ttlSeconds: 600, room: { roomId: 1234, privileges: ["join"] } }),
    );
    expect(e.code).toBe("ERR_INVALID_INPUT");
    expect(e.message).toMatch(/permSecret/);
  });

  it("refuses a room ttl above 86399 s rather than shortening it", async () => {
    for (const ttlSeconds of [86_400, undefined]) {
      const e = await refusal(provider().issueCredential("10001", { ttlSeconds, room: { roomId: 1234 } }));
      expect(e.code).toBe("ERR_INVALID_INPUT");
      expect(e.message).toMatch(/86399/);
    }
    const c = await provider().issueCredential("10001", { ttlSeconds: 86_399, room: { roomId: 1234 } });
    expect(decodeNertcToken(c.room!.token).ttlSeconds).toBe(86_399);
    // Without a room the provider's one-day default still applies.
    expect((await provider().issueCredential("10001")).room).toBeUndefined();
  });

  it("needs a numeric uid: room.rtcUid, or an accid that is a decimal number", async () => {
    for (const accid of ["alice", "0123", "10001a", "99999999999999999999"]) {
      const e = await refusal(provider().issueCredential(accid, { ttlSeconds: 60, room: { roomId: 1234 } }));
      expect(e.code).toBe("ERR_INVALID_INPUT");
      expect(e.message).toMatch(/^NERTC needs a numeric uid: pass room\.rtcUid/);
    }
    const big = "9223372036854775807";
    const c = await provider().issueCredential("alice", {
      ttlSeconds: 60,
      room: { roomId: "room-1", rtcUid: big },
    });
    expect(c.room?.details?.uid).toBe(big);
    verifyNertcToken({
      token: c.room!.token,
      appKey,
      appSecret,
      uid: big,
      channelName: "room-1",
      clock: () => T0,
    });
    for (const rtcUid of ["9223372036854775808", "18446744073709551615"]) {
      const e = await refusal(
        provider().issueCredential("alice", { ttlSeconds: 60, room: { roomId: 1, rtcUid } }),
      );
      expect(e.code).toBe("ERR_INVALID_INPUT");
      expect(e.message).toMatch(/room\.rtcUid/);
    }
  });

  it("issues room credentials in static mode too, without a static token for a refused scope", async () => {
    const asked: string[] = [];
    const p = createNeteaseProvider({
      appKey,
      appSecret,
      permSecret: new Secret(permSecret),
      credentialMode: "static",
      staticTokens: {
        issueToken: async (accid) => {
          asked.push(accid);
          return `static-${accid}`;
        },
      },
      clock: () => T0,
    });
    const c = await p.issueCredential("10001", {
      ttlSeconds: 600,
      room: { roomId: 1234, privileges: ["join"] },
    });
    expect(c.token).toBe("static-10001");
    verifyNertcToken({
      token: c.room!.token,
      appKey,
      appSecret,
      uid: 10001,
      channelName: "1234",
      clock: () => T0,
    });
    expect(inflateKey(c.room!.details!.permissionKey!).privilege).toBe(JOIN);
    await refusal(p.issueCredential("alice", { ttlSeconds: 600, room: { roomId: 1234 } }));
    expect(asked).toEqual(["10001"]);
  });

  it("never shows permSecret", async () => {
    const p = provider({ permSecret });
    const c = await p.issueCredential("10001", {
      ttlSeconds: 600,
      room: { roomId: 1, privileges: ["join"] },
    });
    for (const text of [JSON.stringify(p), String(p), JSON.stringify(c)])
      expect(text).not.toContain(permSecret);
    for (const bad of ["", "with\nnewline", 42]) {
      let message = "";
      try {
        createNeteaseProvider({ appKey, appSecret, permSecret: bad as string });
      } catch (error) {
        expect(error).toMatchObject({ code: "ERR_INVALID_CONFIG" });
        message = (error as Error).message;
      }
      expect(message).toMatch(/^permSecret/);
    }
  });

  it("any room input gives a room credential or ERR_INVALID_INPUT, never a leaked secret", async () => {
    const p = provider({ permSecret });
    const privilege = fc.constantFrom("join", "publishAudio", "publishVideo", "publishData", "fly", 1);
    const room = fc.oneof(
      fc.record(
        {
          roomId: fc.oneof(
            fc.integer({ min: -5, max: 2 ** 32 + 5 }),
            fc.string({ maxLength: 70 }),
            fc.double(),
          ),
          privileges: fc.oneof(fc.array(privilege, { maxLength: 6 }), fc.string()),
          rtcUid: fc.oneof(
            fc.nat(),
            fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String),
            fc.string({ maxLength: 4 }),
          ),
        },
        { requiredKeys: ["roomId"] },
      ),
      fc.anything(),
    );
    const accid = fc.oneof(fc.constantFrom("10001", "alice", "0"), fc.nat().map(String));
    const ttl = fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(accid, room, ttl, async (a, r, t) => {
        try {
          const c = await p.issueCredential(a, { ttlSeconds: t, room: r as never });
          if (r === undefined) {
            expect(c.room).toBeUndefined();
            return;
          }
          const uid = c.room!.details!.uid!;
          const channelName = String(c.room!.roomId);
          expect(c.room!.roomId).toBe((r as { roomId: unknown }).roomId);
          verifyNertcToken({ token: c.room!.token, appKey, appSecret, uid, channelName, clock: () => T0 });
        } catch (error) {
          if (!isImAuthError(error, "ERR_INVALID_INPUT")) throw error;
          expect(error.message).not.toContain(appSecret);
          expect(error.message).not.toContain(permSecret);
        }
      }),
      { numRuns: 300 },
    );
  });
});
