import { inflateSync } from "node:zlib";
import { isImAuthError, type RoomPrivilege, Secret } from "@imauth/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/tencent-usersig-v2.json" with { type: "json" };
import { createTencentProvider } from "../src/provider.js";
import { hmacSigner } from "../src/signer.js";
import { decodeUserSig, verifyUserSig } from "../src/verify.js";
import { refusalOf } from "./helpers/refusal.js";

const SDK_APP_ID = 1400000001;
const SECRET_KEY = "room-test-secret-key-0123456789";
const T0 = 1_700_000_000_000;

/** Tencent's PrivateMapKey bits, written out from the TRTC documentation's table (not read from src). */
const CREATE = 1;
const ENTER = 2;
const SEND_AUDIO = 4;
const RECV_AUDIO = 8;
const SEND_VIDEO = 16;
const RECV_VIDEO = 32;
const SEND_SUB = 64;
const RECV_SUB = 128;
const JOIN = CREATE | ENTER | RECV_AUDIO | RECV_VIDEO | RECV_SUB;

function provider(options: { clock?: () => number } = {}) {
  return createTencentProvider({
    sdkAppId: SDK_APP_ID,
    secretKey: SECRET_KEY,
    clock: options.clock ?? (() => T0),
  });
}

/** Tencent base64 (`*`, `-`, `_`), then zlib, read with node:zlib independently of the package's reader. */
function inflate(userSig: string): unknown {
  const b64 = userSig.replace(/[*\-_]/g, (c) => (c === "*" ? "+" : c === "-" ? "/" : "="));
  return JSON.parse(inflateSync(Buffer.from(b64, "base64")).toString("utf8"));
}

describe("issueCredential with a room scope", () => {
  it.each([
    [["join"], JOIN],
    [["join", "publishAudio"], JOIN | SEND_AUDIO],
    [["join", "publishVideo"], JOIN | SEND_VIDEO | SEND_SUB],
    [["join", "publishData"], JOIN],
    [["publishVideo", "join", "publishAudio"], JOIN | SEND_AUDIO | SEND_VIDEO | SEND_SUB],
    [undefined, 255],
  ] as const)("privileges %j grant the privilege map %i", async (privileges, bits) => {
    const c = await provider().issueCredential("alice", {
      ttlSeconds: 600,
      room: { roomId: 1234, privileges: privileges as RoomPrivilege[] | undefined },
    });
    expect(c.room?.details).toEqual({ privilegeMap: String(bits) });
    const key = decodeUserSig(c.room!.token).userBuf?.privateMapKey;
    expect(key?.privilegeMap).toBe(bits);
    // Canonical order, duplicates dropped.
    const expected = (["join", "publishAudio", "publishVideo", "publishData"] as const).filter(
      (p) => privileges === undefined || (privileges as readonly string[]).includes(p),
    );
    expect(c.room?.privileges).toEqual(expected);
  });

  it("binds the PrivateMapKey to the user, the room and the UserSig's lifetime", async () => {
    const c = await provider({ clock: () => T0 + 999 }).issueCredential("alice", {
      ttlSeconds: 300,
      room: { roomId: "room-1", privileges: ["join"] },
    });
    const room = c.room!;
    expect(room.roomId).toBe("room-1");
    expect(room.expiresAt).toEqual(c.expiresAt);
    expect(room.expiresAt.getTime()).toBe(T0 + 300_000);
    const decoded = verifyUserSig(room.token, {
      sdkAppId: SDK_APP_ID,
      secretKey: SECRET_KEY,
      userId: "alice",
      clock: () => T0 + 300_000,
    });
    expect(decoded.userBuf?.privateMapKey).toMatchObject({
      version: 1,
      userId: "alice",
      sdkAppId: SDK_APP_ID,
      roomId: "room-1",
      expiresAtSeconds: T0 / 1000 + 300,
      accountType: 0,
    });
    expect(() =>
      verifyUserSig(room.token, {
        sdkAppId: SDK_APP_ID,
        secretKey: SECRET_KEY,
        userId: "bob",
        clock: () => T0,
      }),
    ).toThrow(expect.objectContaining({ code: "ERR_USER_MISMATCH" }));
    expect(() =>
      verifyUserSig(room.token, {
        sdkAppId: SDK_APP_ID,
        secretKey: SECRET_KEY,
        clock: () => T0 + 301_000,
      }),
    ).toThrow(expect.objectContaining({ code: "ERR_CREDENTIAL_EXPIRED" }));
  });

  it("leaves the credential without room when no scope is given", async () => {
    const c = await provider().issueCredential("alice", { ttlSeconds: 60 });
    expect(c).not.toHaveProperty("room");
  });

  it("makes the official library's PrivateMapKeys (numeric roomId and string strRoomId)", async () => {
    const { sdkAppId, secretKey, userId, expireSeconds, nowSeconds } = vectors.inputs;
    const p = createTencentProvider({
      sdkAppId,
      secretKey: new Secret(secretKey),
      clock: () => nowSeconds * 1000,
    });
    const cases = vectors.generate.filter((v) => v.name.startsWith("genPrivateMapKey"));
    expect(cases).toHaveLength(2);
    for (const v of cases) {
      expect(v.privilegeMap).toBe(255);
      const c = await p.issueCredential(userId, {
        ttlSeconds: expireSeconds,
        room: { roomId: v.roomId as number | string },
      });
      // The official library deflates at another level: the documents, not the strings, are identical.
      expect(inflate(c.room!.token)).toEqual(inflate(v.expected));
      expect(c.room!.expiresAt.getTime()).toBe((nowSeconds + expireSeconds) * 1000);
    }
  });

  it("refuses room.rtcUid: TRTC rooms know users by userId", async () => {
    const e = await refusalOf(provider().issueCredential("alice", { room: { roomId: 1234, rtcUid: 10001 } }));
    expect(e.code).toBe("ERR_INVALID_INPUT");
    expect(e.message).toMatch(/rtcUid.*userId/);
  });

  it("refuses room scopes when built on a custom signer, which cannot make PrivateMapKeys", async () => {
    const p = createTencentProvider({
      sdkAppId: SDK_APP_ID,
      signer: hmacSigner({ secretKey: SECRET_KEY }),
      vendor: "tencent-custom",
      clock: () => T0,
    });
    const e = await refusalOf(p.issueCredential("alice", { room: { roomId: 1234 } }));
    expect(e.code).toBe("ERR_INVALID_INPUT");
    expect(e.message).toMatch(/tencent-custom cannot scope a credential to a room: .*hmac-sha256 signer/);
    // A malformed scope is refused as malformed first, as on every other provider.
    const bad = await refusalOf(p.issueCredential("alice", { room: { roomId: 0 } }));
    expect(bad.message).toMatch(/room\.roomId/);
    // Without a room, the custom signer works as before.
    expect((await p.issueCredential("alice", { ttlSeconds: 60 })).room).toBeUndefined();
  });

  it("refuses a PrivateMapKey whose expiry does not fit its u32 field (2106)", async () => {
    const e = await refusalOf(
      provider({ clock: () => 4_000_000_000_000 }).issueCredential("alice", {
        ttlSeconds: 2 ** 31 - 1,
        room: { roomId: 1234 },
      }),
    );
    expect(e.code).toBe("ERR_INVALID_INPUT");
  });

  it("any room input gives a room credential or ERR_INVALID_INPUT, never a leaked secret", async () => {
    const p = provider();
    const privilege = fc.constantFrom("join", "publishAudio", "publishVideo", "publishData", "fly", "", 1);
    const room = fc.oneof(
      fc.record(
        {
          roomId: fc.oneof(
            fc.integer({ min: -5, max: 2 ** 32 + 5 }),
            fc.string({ maxLength: 70 }),
            fc.double(),
          ),
          privileges: fc.oneof(fc.array(privilege, { maxLength: 6 }), fc.string()),
          rtcUid: fc.oneof(fc.nat(), fc.string({ maxLength: 4 })),
        },
        { requiredKeys: ["roomId"] },
      ),
      fc.anything(),
    );
    await fc.assert(
      fc.asyncProperty(
        room,
        fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined }),
        async (r, ttl) => {
          try {
            const c = await p.issueCredential("alice", { ttlSeconds: ttl, room: r as never });
            if (r === undefined) {
              expect(c.room).toBeUndefined();
              return;
            }
            expect(c.room?.roomId).toBe((r as { roomId: unknown }).roomId);
            expect(decodeUserSig(c.room!.token).userBuf?.privateMapKey?.privilegeMap).toBe(
              Number(c.room!.details!.privilegeMap),
            );
            expect(c.room!.privileges[0]).toBe("join");
          } catch (error) {
            if (!isImAuthError(error, "ERR_INVALID_INPUT")) throw error;
            expect(error.message).not.toContain(SECRET_KEY);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
