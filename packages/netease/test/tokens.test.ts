import { createHash, createHmac } from "node:crypto";
import { base64Encode, sha1Hex, utf8Encode } from "@imauth/core/adapter";
import { sha1 } from "@noble/hashes/legacy.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_NONCE_LENGTH, randomNonce } from "../src/checksum.js";
import {
  checkSum,
  createCheckSumHeaders,
  decodeDynamicToken,
  decodeNertcPermissionKey,
  decodeNertcToken,
  genDynamicToken,
  genNertcPermissionKey,
  genNertcToken,
  NERTC_PRIVILEGE,
  verifyDynamicToken,
  verifyNertcPermissionKey,
  verifyNertcToken,
} from "../src/index.js";

const T0 = 1_700_000_000_000;
const at = (ms: number) => () => ms;
const accid = fc.stringMatching(/^[A-Za-z0-9_@.-]{1,32}$/);
const secret = fc.string({ minLength: 1, maxLength: 64 });

function code(fn: () => unknown): string {
  try {
    fn();
    return "ok";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe("SHA-1", () => {
  it("matches @noble/hashes and node:crypto on any text, every padding length included", () => {
    const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
    for (let n = 0; n < 300; n++) {
      const text = "é".repeat(n % 7) + "x".repeat(n);
      expect(sha1Hex(text)).toBe(createHash("sha1").update(text, "utf8").digest("hex"));
    }
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 600 }), (text) => {
        const expected = hex(sha1(new TextEncoder().encode(text)));
        expect(sha1Hex(text)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("handles a long input after short ones (the scratch buffer grows)", () => {
    const big = "ab".repeat(50_000);
    expect(sha1Hex(big)).toBe(createHash("sha1").update(big).digest("hex"));
    expect(sha1Hex("abc")).toBe("a9993e364706816aba3e25717850c26c9cd0d89d");
  });
});

describe("createCheckSumHeaders", () => {
  it("makes a fresh 32-hex nonce each time and CurTime in seconds from the clock", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const h = createCheckSumHeaders({ appKey: "k", appSecret: "s", clock: at(T0 + 999) });
      expect(h.Nonce).toMatch(/^[0-9a-f]{32}$/);
      expect(h.CurTime).toBe("1700000000");
      expect(h.CheckSum).toBe(checkSum("s", h.Nonce, h.CurTime));
      seen.add(h.Nonce);
    }
    expect(seen.size).toBe(1000);
    expect(randomNonce()).toMatch(/^[0-9a-f]{32}$/);
  });

  it("validates its input without echoing the secret", () => {
    const overlong = "n".repeat(MAX_NONCE_LENGTH + 1);
    expect(code(() => createCheckSumHeaders({ appKey: "k", appSecret: "s", nonce: overlong }))).toBe(
      "ERR_INVALID_INPUT",
    );
    expect(code(() => createCheckSumHeaders({ appKey: "k", appSecret: "s", nonce: "n".repeat(128) }))).toBe(
      "ok",
    );
    expect(code(() => createCheckSumHeaders({ appKey: "k", appSecret: "" }))).toBe("ERR_INVALID_CONFIG");
    expect(code(() => createCheckSumHeaders({ appKey: "", appSecret: "s" }))).toBe("ERR_INVALID_CONFIG");
    expect(code(() => createCheckSumHeaders({ appKey: "k", appSecret: "s", clock: at(Number.NaN) }))).toBe(
      "ERR_INVALID_CONFIG",
    );
    expect(code(() => createCheckSumHeaders(null as never))).toBe("ERR_INVALID_CONFIG");
    expect(code(() => checkSum(1 as never, "n", "1"))).toBe("ERR_INVALID_INPUT");
  });

  it("checkSum is SHA-1 hex of the concatenation (node:crypto as the reference)", () => {
    fc.assert(
      fc.property(secret, fc.string({ maxLength: 128 }), fc.nat(), (s, nonce, t) => {
        expect(checkSum(s, nonce, String(t))).toBe(
          createHash("sha1")
            .update(s + nonce + t)
            .digest("hex"),
        );
      }),
    );
  });
});

describe("dynamic tokens", () => {
  it("round-trip: every token verifies for its own account until it expires", () => {
    fc.assert(
      fc.property(
        secret,
        secret,
        accid,
        fc.integer({ min: 1, max: 10 * 365 * 86400 }),
        fc.integer({ min: 1e12, max: 4e12 }), // 13 digits: what generators and verifiers accept
        (appKey, appSecret, id, ttlSeconds, nowMs) => {
          const token = genDynamicToken({ appKey, appSecret, accid: id, ttlSeconds, clock: at(nowMs) });
          const decoded = decodeDynamicToken(token);
          expect(decoded).toMatchObject({ curTimeMs: nowMs, ttlSeconds });
          const opts = { token, appKey, appSecret, accid: id };
          expect(verifyDynamicToken({ ...opts, clock: at(nowMs + ttlSeconds * 1000 - 1) }).ttlSeconds).toBe(
            ttlSeconds,
          );
          expect(code(() => verifyDynamicToken({ ...opts, clock: at(nowMs + ttlSeconds * 1000) }))).toBe(
            "ERR_CREDENTIAL_EXPIRED",
          );
          expect(
            code(() => verifyDynamicToken({ ...opts, accid: `${id}x`.slice(-32), clock: at(nowMs) })),
          ).toBe(`${id}x`.slice(-32) === id ? "ok" : "ERR_SIGNATURE_INVALID");
          expect(
            code(() => verifyDynamicToken({ ...opts, appSecret: `${appSecret}x`, clock: at(nowMs) })),
          ).toBe("ERR_SIGNATURE_INVALID");
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a tampered token is refused with a typed error", () => {
    const good = genDynamicToken({
      appKey: "k",
      appSecret: "s",
      accid: "user01",
      ttlSeconds: 600,
      clock: at(T0),
    });
    const json = JSON.parse(atob(good));
    const forge = (o: unknown) => base64Encode(utf8Encode(JSON.stringify(o)));
    const cases: Array<[string, string]> = [
      [forge({ ...json, ttl: 6000 }), "ERR_SIGNATURE_INVALID"],
      [forge({ ...json, curTime: json.curTime + 1 }), "ERR_SIGNATURE_INVALID"],
      [forge({ ...json, signature: "0".repeat(40) }), "ERR_SIGNATURE_INVALID"],
      [forge({ ...json, signature: "xyz" }), "ERR_MALFORMED_CREDENTIAL"],
      [forge({ ...json, ttl: -1 }), "ERR_MALFORMED_CREDENTIAL"],
      [forge({ ...json, ttl: 1e300 }), "ERR_MALFORMED_CREDENTIAL"],
      [forge({ ...json, curTime: "1" }), "ERR_MALFORMED_CREDENTIAL"],
      [forge({ ...json, curTime: 9e15 }), "ERR_MALFORMED_CREDENTIAL"],
      [forge([1, 2]), "ERR_MALFORMED_CREDENTIAL"],
      [btoa("not json"), "ERR_MALFORMED_CREDENTIAL"],
      ["!!!", "ERR_MALFORMED_CREDENTIAL"],
      ["", "ERR_MALFORMED_CREDENTIAL"],
      ["A".repeat(1_000_000), "ERR_MALFORMED_CREDENTIAL"],
    ];
    for (const [token, expected] of cases) {
      expect(
        code(() =>
          verifyDynamicToken({ token, appKey: "k", appSecret: "s", accid: "user01", clock: at(T0) }),
        ),
      ).toBe(expected);
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (junk) => {
        const c = code(() =>
          verifyDynamicToken({ token: junk, appKey: "k", appSecret: "s", accid: "user01" }),
        );
        expect(["ERR_MALFORMED_CREDENTIAL", "ERR_SIGNATURE_INVALID"]).toContain(c);
      }),
    );
  });

  it("validates its options", () => {
    const ok = { appKey: "k", appSecret: "s", accid: "user01", ttlSeconds: 60 };
    expect(code(() => genDynamicToken({ ...ok, accid: "has space" }))).toBe("ERR_INVALID_INPUT");
    expect(code(() => genDynamicToken({ ...ok, accid: "x".repeat(33) }))).toBe("ERR_INVALID_INPUT");
    expect(code(() => genDynamicToken({ ...ok, ttlSeconds: 0 }))).toBe("ERR_INVALID_INPUT");
    expect(code(() => genDynamicToken({ ...ok, ttlSeconds: 2 ** 31 }))).toBe("ERR_INVALID_INPUT");
    expect(code(() => genDynamicToken({ ...ok, appSecret: "" }))).toBe("ERR_INVALID_CONFIG");
    expect(code(() => genDynamicToken(undefined as never))).toBe("ERR_INVALID_INPUT");
  });
});

describe("NERTC tokens", () => {
  it("round-trip for numeric, bigint and string uids", () => {
    fc.assert(
      fc.property(
        secret,
        secret,
        fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
        fc.integer({ min: 1, max: 86_399 }),
        (appKey, appSecret, uid, channelName, ttlSeconds) => {
          const token = genNertcToken({ appKey, appSecret, uid, channelName, ttlSeconds, clock: at(T0) });
          expect(decodeNertcToken(token)).toMatchObject({ curTimeMs: T0, ttlSeconds });
          const opts = { token, appKey, appSecret, channelName, clock: at(T0) };
          expect(verifyNertcToken({ ...opts, uid: uid.toString() }).ttlSeconds).toBe(ttlSeconds);
          expect(code(() => verifyNertcToken({ ...opts, uid: (uid + 1n).toString() }))).toBe(
            uid + 1n > (1n << 63n) - 1n ? "ERR_INVALID_INPUT" : "ERR_SIGNATURE_INVALID",
          );
          expect(code(() => verifyNertcToken({ ...opts, uid, channelName: `${channelName}x` }))).toBe(
            "ERR_SIGNATURE_INVALID",
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("ttl must be below a day; uid and channel are validated", () => {
    const ok = { appKey: "k", appSecret: "s", uid: 1, channelName: "room", ttlSeconds: 60 };
    expect(code(() => genNertcToken({ ...ok, ttlSeconds: 86_399 }))).toBe("ok");
    expect(code(() => genNertcToken({ ...ok, ttlSeconds: 86_400 }))).toBe("ERR_INVALID_INPUT");
    for (const uid of [-1, 1.5, "01", "1e3", 2n ** 63n, Number.NaN, null]) {
      expect(code(() => genNertcToken({ ...ok, uid: uid as never }))).toBe("ERR_INVALID_INPUT");
    }
    expect(code(() => genNertcToken({ ...ok, channelName: "" }))).toBe("ERR_INVALID_INPUT");
    expect(code(() => genNertcToken({ ...ok, channelName: "c".repeat(65) }))).toBe("ERR_INVALID_INPUT");
  });
});

describe("NERTC permission keys", () => {
  it("round-trip; the checksum is HMAC-SHA256 per node:crypto", () => {
    fc.assert(
      fc.property(
        secret,
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }),
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.integer({ min: 1, max: 63 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        (appKey, permSecret, uid, channelName, privilege, ttlSeconds) => {
          const key = genNertcPermissionKey({
            appKey,
            permSecret,
            uid,
            channelName,
            privilege,
            ttlSeconds,
            clock: at(T0),
          });
          const decoded = verifyNertcPermissionKey({ key, appKey, permSecret, clock: at(T0) });
          expect(decoded).toMatchObject({
            appKey,
            channelName,
            privilege,
            ttlSeconds,
            uid: uid.toString(),
            curTimeSeconds: T0 / 1000,
          });
          const content = `appkey:${appKey}\nuid:${uid}\ncurTime:${T0 / 1000}\nexpireTime:${ttlSeconds}\ncname:${channelName}\nprivilege:${privilege}\n`;
          expect(decoded.checksum).toBe(createHmac("sha256", permSecret).update(content).digest("base64"));
          expect(
            code(() => verifyNertcPermissionKey({ key, appKey: `${appKey}x`, permSecret, clock: at(T0) })),
          ).toBe("ERR_APP_MISMATCH");
        },
      ),
      { numRuns: 100 },
    );
  });

  it("privilege bits and validation", () => {
    // NetEase's documented bits, in order: send audio, send video, receive audio, receive video, create, join.
    const { SEND_AUDIO, SEND_VIDEO, RECEIVE_AUDIO, RECEIVE_VIDEO, CREATE_ROOM, JOIN_ROOM, ALL } =
      NERTC_PRIVILEGE;
    expect([SEND_AUDIO, SEND_VIDEO, RECEIVE_AUDIO, RECEIVE_VIDEO, CREATE_ROOM, JOIN_ROOM, ALL]).toEqual([
      1, 2, 4, 8, 16, 32, 63,
    ]);
    const ok = { appKey: "k", permSecret: "p", uid: 1, channelName: "room", ttlSeconds: 60, privilege: 1 };
    for (const privilege of [0, 64, 1.5, -1]) {
      expect(code(() => genNertcPermissionKey({ ...ok, privilege }))).toBe("ERR_INVALID_INPUT");
    }
  });

  it("garbage and zlib bombs are refused with ERR_MALFORMED_CREDENTIAL", async () => {
    const { tencentBase64Encode } = await import("@imauth/core/adapter");
    const { zlibCompress } = await import("@imauth/core/deflate");
    const bomb = tencentBase64Encode(zlibCompress(new Uint8Array(1_000_000), 9));
    expect(bomb.length).toBeLessThan(2048);
    for (const key of [
      bomb,
      "",
      "***",
      "eJw_",
      "A".repeat(5000),
      tencentBase64Encode(zlibCompress(utf8Encode("[]"))),
    ]) {
      expect(code(() => decodeNertcPermissionKey(key))).toBe("ERR_MALFORMED_CREDENTIAL");
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (junk) => {
        expect(code(() => decodeNertcPermissionKey(junk))).toBe("ERR_MALFORMED_CREDENTIAL");
      }),
    );
  });
});
