import { createRequire } from "node:module";
import { inspect } from "node:util";
import { Api } from "@imauth/tencent/compat";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import vectors from "../../../vectors/tencent-usersig-v2.json" with { type: "json" };
import { verifyUserSig } from "../src/index.js";

const require = createRequire(import.meta.url);
const Official = require("tls-sig-api-v2").Api as new (sdkappid: number | string, key: string) => Api;

const { sdkAppId, secretKey, userId, expireSeconds, nowSeconds } = vectors.inputs;
const clock = () => nowSeconds * 1000;

describe("@imauth/tencent/compat Api", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("reproduces the shared vectors byte for byte", () => {
    const api = new Api(sdkAppId, secretKey, { clock });
    const [user, numeric, stringRoom] = vectors.generate;
    expect(api.genUserSig(userId, expireSeconds)).toBe(user!.expected);
    expect(
      api.genPrivateMapKey(userId, expireSeconds, numeric!.roomId as number, numeric!.privilegeMap!),
    ).toBe(numeric!.expected);
    expect(
      api.genPrivateMapKeyWithStringRoomID(
        userId,
        expireSeconds,
        stringRoom!.roomId as string,
        stringRoom!.privilegeMap!,
      ),
    ).toBe(stringRoom!.expected);
  });

  it("is byte-identical to tls-sig-api-v2 on 1,500 random cases (mocked clock)", () => {
    const ascii = (max: number) =>
      fc.string({
        minLength: 1,
        maxLength: max,
        unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      });
    fc.assert(
      fc.property(
        fc.record({
          sdkAppId: fc.oneof(
            fc.integer({ min: 1, max: 0xffffffff }),
            fc.integer({ min: 1400000000, max: 1600000000 }).map(String),
          ),
          key: fc.string({ minLength: 1, maxLength: 80 }),
          userId: ascii(32),
          expire: fc.integer({ min: 1, max: 400_000_000 }),
          nowMs: fc.integer({ min: 0, max: 3_800_000_000_000 }),
          method: fc.constantFrom(
            "genUserSig",
            "genPrivateMapKey",
            "genPrivateMapKeyWithStringRoomID",
            "genSig",
          ),
          room: fc.integer({ min: 0, max: 0xffffffff }),
          roomString: ascii(64),
          privilegeMap: fc.integer({ min: 0, max: 0xffffffff }),
          userBuf: fc.option(fc.uint8Array({ maxLength: 100 })),
        }),
        (c) => {
          vi.spyOn(Date, "now").mockReturnValue(c.nowMs);
          const theirs = new Official(c.sdkAppId, c.key);
          const ours = new Api(c.sdkAppId, c.key, { clock: () => c.nowMs });
          const run = (api: Api) =>
            c.method === "genUserSig"
              ? api.genUserSig(c.userId, c.expire)
              : c.method === "genPrivateMapKey"
                ? api.genPrivateMapKey(c.userId, c.expire, c.room, c.privilegeMap)
                : c.method === "genPrivateMapKeyWithStringRoomID"
                  ? api.genPrivateMapKeyWithStringRoomID(c.userId, c.expire, c.roomString, c.privilegeMap)
                  : api.genSig(c.userId, c.expire, c.userBuf === null ? null : Buffer.from(c.userBuf));
          const expected = run(theirs);
          vi.restoreAllMocks();
          expect(run(ours)).toBe(expected);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("reads Date.now() at each call when no clock is given, as the official package does", () => {
    vi.spyOn(Date, "now").mockReturnValue(nowSeconds * 1000);
    expect(new Api(sdkAppId, secretKey).genUserSig(userId, expireSeconds)).toBe(
      vectors.generate[0]!.expected,
    );
  });

  it("keeps the official userbuf for non-ASCII IDs (UTF-16 low bytes), which verifyUserSig still accepts", () => {
    vi.spyOn(Date, "now").mockReturnValue(nowSeconds * 1000);
    const expected = new Official(sdkAppId, secretKey).genPrivateMapKeyWithStringRoomID(
      "用户",
      300,
      "房间",
      255,
    );
    vi.restoreAllMocks();
    const ours = new Api(sdkAppId, secretKey, { clock }).genPrivateMapKeyWithStringRoomID(
      "用户",
      300,
      "房间",
      255,
    );
    expect(ours).toBe(expected);
    expect(verifyUserSig(ours, { sdkAppId, secretKey, userId: "用户", clock }).userId).toBe("用户");
  });

  it("does not show the key when logged", () => {
    const api = new Api(sdkAppId, secretKey);
    expect(JSON.stringify(api)).not.toContain(secretKey);
    expect(inspect(api)).not.toContain(secretKey);
    expect(api.key).toBe(secretKey);
  });
});
