import { createHash } from "node:crypto";
import {
  base64Encode,
  isWellFormed,
  tencentBase64Decode,
  tencentBase64Encode,
  utf8Decode,
  utf8Encode,
  zlibDecompress,
} from "@imauth/core/adapter";
import { zlibCompress } from "@imauth/core/deflate";
import { outcomeOf } from "@imauth/core/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkSum,
  createCheckSumHeaders,
  createNeteaseProvider,
  decodeNertcToken,
  genDynamicToken,
  genNertcPermissionKey,
  genNertcToken,
  verifyDynamicToken,
  verifyNertcPermissionKey,
  verifyNertcToken,
  verifyNeteaseCallback,
} from "../src/index.js";
import { bodyMd5, callbackCheckSum } from "../src/webhook.js";

const appKey = "c37bf7a8758a4ed0hardening0000000";
const appSecret = "hardening-secret";
const keys = { appKey, appSecret };
const at = (ms: number) => () => ms;
const T0 = 1_765_432_109_876;
const MAX_UID = (1n << 63n) - 1n;

function code(fn: () => unknown): string {
  try {
    fn();
    return "ok";
  } catch (error) {
    return (error as { code?: string }).code ?? `not an ImAuthError: ${String(error)}`;
  }
}

const codeOf = (promise: Promise<unknown>) => outcomeOf(() => promise);

const sha1 = (text: string) => createHash("sha1").update(text, "utf8").digest("hex");
const forge = (fields: Record<string, unknown>) => base64Encode(utf8Encode(JSON.stringify(fields)));
const signatureOf = (token: string): string => JSON.parse(atob(token)).signature;

/** A token carrying a genuine signature over `middle`, read as `claimed` + 13-digit curTime + ttl. */
function reread(signature: string, middle: string, claimed: string): string {
  const rest = middle.slice(claimed.length);
  return forge({ signature, curTime: Number(rest.slice(0, 13)), ttl: Number(rest.slice(13)) });
}

/** A dynamic token signed like NetEase signs one, with any curTime and ttl (the generator refuses some). */
function dynamicSignedAs(accid: string, curTime: number, ttl: number): string {
  return forge({ signature: sha1(appKey + accid + curTime + ttl + appSecret), curTime, ttl });
}

function nertcSignedAs(uid: string, curTime: number, ttl: number, channelName: string): string {
  return forge({ signature: sha1(appKey + uid + curTime + ttl + channelName + appSecret), curTime, ttl });
}

/** What UTF-8 encoding makes of a string: lone surrogates become U+FFFD. */
const asSigned = (text: string) => utf8Decode(utf8Encode(text));

const loneSurrogateText = fc
  .tuple(
    fc.string({ maxLength: 30, unit: "binary" }),
    fc.integer({ min: 0xd800, max: 0xdfff }),
    fc.string({ maxLength: 30, unit: "binary" }),
  )
  .map(([before, unit, after]) => before + String.fromCharCode(unit) + after)
  .filter((text) => !isWellFormed(text));

describe("field shifting in dynamic tokens", () => {
  it("refuses a token for alice1 read for alice (curTime gains the 1 and 14 digits)", () => {
    const token = genDynamicToken({ ...keys, accid: "alice1", ttlSeconds: 600, clock: at(T0) });
    const shifted = forge({ signature: signatureOf(token), curTime: Number(`1${T0}`), ttl: 600 });
    expect(code(() => verifyDynamicToken({ ...keys, token: shifted, accid: "alice", clock: at(T0) }))).toBe(
      "ERR_MALFORMED_CREDENTIAL",
    );
  });

  it("refuses a genuinely signed curTime that is not 13 digits, before 2000 or in the future", () => {
    const verify = (token: string, nowMs = T0) =>
      code(() => verifyDynamicToken({ ...keys, token, accid: "user01", clock: at(nowMs) }));
    const long = 2 ** 31 - 1;
    expect(verify(dynamicSignedAs("user01", 946_684_799_999, long))).toBe("ERR_MALFORMED_CREDENTIAL");
    expect(verify(dynamicSignedAs("user01", 999_999_999_999, long))).toBe("ERR_MALFORMED_CREDENTIAL");
    expect(verify(dynamicSignedAs("user01", Math.floor(T0 / 1000), long))).toBe("ERR_MALFORMED_CREDENTIAL");
    expect(verify(dynamicSignedAs("user01", 10_000_000_000_000, 600), 10_000_000_000_000)).toBe(
      "ERR_MALFORMED_CREDENTIAL",
    );
    expect(verify(dynamicSignedAs("user01", T0 + 5 * 60_000 + 1, 600))).toBe("ERR_MALFORMED_CREDENTIAL");
    expect(verify(dynamicSignedAs("user01", T0 + 5 * 60_000, 600))).toBe("ok");
    expect(verify(dynamicSignedAs("user01", 1_000_000_000_000, long), 1_000_000_000_000)).toBe("ok");
  });

  it("maxClockSkewMs sets how far ahead curTime may be, from 0 to an hour", () => {
    const token = dynamicSignedAs("user01", T0 + 1, 600);
    const verify = (maxClockSkewMs: unknown) =>
      code(() =>
        verifyDynamicToken({ ...keys, token, accid: "user01", clock: at(T0), maxClockSkewMs } as never),
      );
    expect(verify(0)).toBe("ERR_MALFORMED_CREDENTIAL");
    expect(verify(1)).toBe("ok");
    expect(verify(3_600_000)).toBe("ok");
    for (const bad of [-1, 3_600_001, Number.NaN, Number.POSITIVE_INFINITY, "1", null]) {
      expect(verify(bad)).toBe("ERR_INVALID_CONFIG");
    }
  });

  it("generators refuse a clock whose curTime verifiers would refuse", () => {
    const gen = (nowMs: number) =>
      code(() => genDynamicToken({ ...keys, accid: "user01", ttlSeconds: 60, clock: at(nowMs) }));
    const genRtc = (nowMs: number) =>
      code(() => genNertcToken({ ...keys, uid: 1, channelName: "room", ttlSeconds: 60, clock: at(nowMs) }));
    for (const nowMs of [0, 946_684_800_000, 999_999_999_999.9, 10_000_000_000_000]) {
      expect(gen(nowMs)).toBe("ERR_INVALID_CONFIG");
      expect(genRtc(nowMs)).toBe("ERR_INVALID_CONFIG");
    }
    for (const nowMs of [1_000_000_000_000, 9_999_999_999_999]) {
      expect(gen(nowMs)).toBe("ok");
      expect(genRtc(nowMs)).toBe("ok");
    }
  });

  it("property: a token issued since 2011 with ttl under 10^7 s never verifies for its accid ± a digit", () => {
    const accid = fc
      .tuple(fc.stringMatching(/^[A-Za-z0-9_@.-]{0,27}$/), fc.stringMatching(/^[0-9]{0,4}$/))
      .map(([head, digits]) => head + digits)
      .filter((id) => id.length > 0);
    fc.assert(
      fc.property(
        accid,
        fc.integer({ min: 1_300_000_000_000, max: 1_980_000_000_000 }),
        fc.integer({ min: 1, max: 9_999_999 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (id, curTime, ttl, age) => {
          const nowMs = curTime + Math.floor(age * ttl * 1000);
          const token = genDynamicToken({ ...keys, accid: id, ttlSeconds: ttl, clock: at(curTime) });
          expect(verifyDynamicToken({ ...keys, token, accid: id, clock: at(nowMs) }).curTimeMs).toBe(curTime);
          const middle = `${id}${curTime}${ttl}`;
          const claims = [id + String(curTime)[0]];
          if (/[0-9]$/.test(id) && id.length > 1) claims.push(id.slice(0, -1));
          for (const claimed of claims) {
            const shifted = reread(signatureOf(token), middle, claimed);
            const verdict = code(() =>
              verifyDynamicToken({ ...keys, token: shifted, accid: claimed, clock: at(nowMs) }),
            );
            expect(verdict).not.toBe("ok");
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("property: a shifted reading verifies exactly when it looks like a genuine token (the documented residue)", () => {
    const looksGenuine = (curTime: string, ttl: string, nowMs: number) =>
      /^[1-9][0-9]{12}$/.test(curTime) &&
      /^[1-9][0-9]{0,9}$/.test(ttl) &&
      Number(ttl) <= 2 ** 31 - 1 &&
      Number(curTime) <= nowMs + 5 * 60_000 &&
      nowMs < Number(curTime) + Number(ttl) * 1000;
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z]{1,10}[0-9]{0,9}$/),
        fc.integer({ min: 1_000_000_000_000, max: 1_999_999_999_999 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: -9, max: 9 }),
        fc.integer({ min: -1_000_000, max: 1_000_000_000 }),
        (id, curTime, ttl, shift, offsetMs) => {
          const middle = `${id}${curTime}${ttl}`;
          const claimed = middle.slice(0, Math.max(1, id.length + shift));
          fc.pre(claimed !== id && claimed.length <= 32);
          const rest = middle.slice(claimed.length);
          const shiftedTime = Number(rest.slice(0, 13));
          const nowMs = Number.isFinite(shiftedTime) ? Math.max(curTime, shiftedTime + offsetMs) : curTime;
          const token = genDynamicToken({ ...keys, accid: id, ttlSeconds: ttl, clock: at(curTime) });
          const verdict = code(() =>
            verifyDynamicToken({
              ...keys,
              token: reread(signatureOf(token), middle, claimed),
              accid: claimed,
              clock: at(nowMs),
            }),
          );
          if (looksGenuine(rest.slice(0, 13), rest.slice(13), nowMs)) expect(verdict).toBe("ok");
          else expect(verdict).not.toBe("ok");
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("documented residue: an accid plus trailing digits can still trade them with curTime and ttl", () => {
    const bob = genDynamicToken({ ...keys, accid: "bob1765", ttlSeconds: 600, clock: at(T0) });
    const asBob = forge({ signature: signatureOf(bob), curTime: 1_765_176_543_210, ttl: 9_876_600 });
    expect(code(() => verifyDynamicToken({ ...keys, token: asBob, accid: "bob", clock: at(T0) }))).toBe("ok");
    const alice = genDynamicToken({
      ...keys,
      accid: "alice",
      ttlSeconds: 1_086_400,
      clock: at(1_717_650_000_000),
    });
    const asAlice17 = forge({ signature: signatureOf(alice), curTime: 1_765_000_000_010, ttl: 86_400 });
    expect(
      code(() =>
        verifyDynamicToken({ ...keys, token: asAlice17, accid: "alice17", clock: at(1_765_000_005_000) }),
      ),
    ).toBe("ok");
  });
});

describe("field shifting in NERTC tokens", () => {
  it("refuses a token for uid 12 read for uid 1 (the 2 moved into curTime)", () => {
    const token = genNertcToken({ ...keys, uid: 12, channelName: "room", ttlSeconds: 600, clock: at(T0) });
    const shifted = forge({ signature: signatureOf(token), curTime: Number(`2${T0}`), ttl: 600 });
    expect(
      code(() => verifyNertcToken({ ...keys, token: shifted, uid: 1, channelName: "room", clock: at(T0) })),
    ).toBe("ERR_MALFORMED_CREDENTIAL");
  });

  it("refuses a genuinely signed ttl of a day or more, as the generator does", () => {
    const verify = (ttl: number) =>
      code(() =>
        verifyNertcToken({
          ...keys,
          token: nertcSignedAs("10000", T0, ttl, "room1"),
          uid: 10000,
          channelName: "room1",
          clock: at(T0),
        }),
      );
    expect(verify(86_399)).toBe("ok");
    for (const ttl of [86_400, 2 ** 31 - 1]) {
      expect(verify(ttl)).toBe("ERR_MALFORMED_CREDENTIAL");
      expect(code(() => decodeNertcToken(nertcSignedAs("10000", T0, ttl, "room1")))).toBe(
        "ERR_MALFORMED_CREDENTIAL",
      );
    }
    expect(
      code(() =>
        verifyNertcToken({
          ...keys,
          token: nertcSignedAs("1", T0 + 5 * 60_000 + 1, 600, "r"),
          uid: 1,
          channelName: "r",
          clock: at(T0),
        }),
      ),
    ).toBe("ERR_MALFORMED_CREDENTIAL");
  });

  it("property: a token never verifies for its uid with a digit moved to or from curTime", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: MAX_UID / 10n }),
        fc.stringMatching(/^[A-Za-z_-][A-Za-z0-9_-]{0,63}$/),
        fc.integer({ min: 1_300_000_000_000, max: 1_980_000_000_000 }),
        fc.integer({ min: 1, max: 86_399 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (uid, channelName, curTime, ttl, age) => {
          const nowMs = curTime + Math.floor(age * ttl * 1000);
          const options = { ...keys, channelName, clock: at(nowMs) };
          const token = genNertcToken({ ...options, uid, ttlSeconds: ttl, clock: at(curTime) });
          expect(verifyNertcToken({ ...options, token, uid }).ttlSeconds).toBe(ttl);
          const middle = `${uid}${curTime}${ttl}`;
          const claims = [`${uid}${String(curTime)[0]}`];
          if (uid >= 10n) claims.push((uid / 10n).toString());
          for (const claimed of claims) {
            const shifted = reread(signatureOf(token), middle, claimed);
            expect(code(() => verifyNertcToken({ ...options, token: shifted, uid: claimed }))).not.toBe("ok");
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("documented residue: the ttl trades digits with a channel name that starts with one", () => {
    const room = genNertcToken({ ...keys, uid: 42, channelName: "room", ttlSeconds: 1800, clock: at(T0) });
    const as0room = forge({ signature: signatureOf(room), curTime: T0, ttl: 180 });
    const options = { ...keys, uid: 42, clock: at(T0 + 1000) };
    expect(code(() => verifyNertcToken({ ...options, token: as0room, channelName: "0room" }))).toBe("ok");
    const fiveRoom = genNertcToken({
      ...keys,
      uid: 42,
      channelName: "5room",
      ttlSeconds: 600,
      clock: at(T0),
    });
    const asRoom = forge({ signature: signatureOf(fiveRoom), curTime: T0, ttl: 6005 });
    expect(code(() => verifyNertcToken({ ...options, token: asRoom, channelName: "room" }))).toBe("ok");
  });
});

describe("lone UTF-16 surrogates", () => {
  it("generators refuse a channel name with one instead of signing it as U+FFFD", () => {
    const options = { ...keys, uid: 1, ttlSeconds: 600, clock: at(T0) };
    expect(code(() => genNertcToken({ ...options, channelName: "room\uD800" }))).toBe("ERR_INVALID_INPUT");
    expect(
      code(() =>
        genNertcPermissionKey({
          ...options,
          permSecret: "p",
          channelName: "room\uDC00",
          privilege: 1,
        }),
      ),
    ).toBe("ERR_INVALID_INPUT");
    expect(genNertcToken({ ...options, channelName: "room\uD83D\uDE00" })).toMatch(/^ey/);
  });

  it("property: generation throws ERR_INVALID_INPUT and never yields the U+FFFD twin's token", () => {
    const options = { ...keys, uid: 7, ttlSeconds: 600, clock: at(T0) };
    const perm = { appKey, permSecret: "perm-secret", uid: 7, ttlSeconds: 600, privilege: 63, clock: at(T0) };
    const attempt = (make: () => unknown) => {
      try {
        return make();
      } catch (error) {
        return error as { name?: string; code?: string };
      }
    };
    fc.assert(
      fc.property(loneSurrogateText, (text) => {
        const twin = asSigned(text);
        const pairs: Array<[() => string, (() => string) | undefined]> = [
          [
            () => genNertcToken({ ...options, channelName: text }),
            () => genNertcToken({ ...options, channelName: twin }),
          ],
          [
            () => genNertcPermissionKey({ ...perm, channelName: text }),
            () => genNertcPermissionKey({ ...perm, channelName: twin }),
          ],
          [() => checkSum(appSecret, text, "1700000000"), () => checkSum(appSecret, twin, "1700000000")],
          [
            () => callbackCheckSum(appSecret, text, "1700000000000"),
            () => callbackCheckSum(appSecret, twin, "1700000000000"),
          ],
          [() => bodyMd5(text), () => bodyMd5(twin)],
          [() => genDynamicToken({ ...options, accid: text }), undefined],
        ];
        for (const [make, makeTwin] of pairs) {
          const result = attempt(make);
          expect(result).toMatchObject({ name: "ImAuthError", code: "ERR_INVALID_INPUT" });
          if (makeTwin) expect(result).not.toBe(makeTwin());
        }
        for (const make of [
          () => genDynamicToken({ ...options, accid: "user01", appSecret: text }),
          () => genNertcToken({ ...options, channelName: "room", appKey: text }),
          () => genNertcPermissionKey({ ...perm, channelName: "room", permSecret: text }),
          () => createCheckSumHeaders({ appKey, appSecret: text }),
        ]) {
          expect(attempt(make)).toMatchObject({ name: "ImAuthError", code: "ERR_INVALID_CONFIG" });
        }
      }),
      { numRuns: 300 },
    );
  });

  it("verifiers refuse such a channel name, and decoded documents holding one", () => {
    const token = genNertcToken({
      ...keys,
      uid: 1,
      channelName: "room\uFFFD",
      ttlSeconds: 600,
      clock: at(T0),
    });
    expect(
      code(() => verifyNertcToken({ ...keys, token, uid: 1, channelName: "room\uD800", clock: at(T0) })),
    ).toBe("ERR_INVALID_INPUT");
    const dynamic = JSON.parse(
      atob(genDynamicToken({ ...keys, accid: "u1", ttlSeconds: 60, clock: at(T0) })),
    );
    const withExtra = base64Encode(utf8Encode(JSON.stringify(dynamic).replace(/}$/, ',"x":"\\ud800"}')));
    expect(code(() => verifyDynamicToken({ ...keys, token: withExtra, accid: "u1", clock: at(T0) }))).toBe(
      "ERR_MALFORMED_CREDENTIAL",
    );
  });

  it("refuses a permission key whose cname is escaped as a lone surrogate but signs as U+FFFD", () => {
    const permSecret = "perm-secret";
    const key = genNertcPermissionKey({
      appKey,
      permSecret,
      uid: 10000,
      channelName: "room\uFFFD",
      privilege: 63,
      ttlSeconds: 600,
      clock: at(T0),
    });
    const json = utf8Decode(zlibDecompress(tencentBase64Decode(key), { maxBytes: 4096 }));
    const escaped = tencentBase64Encode(zlibCompress(utf8Encode(json.replace("\uFFFD", "\\ud800"))));
    const verify = (k: string) =>
      code(() => verifyNertcPermissionKey({ key: k, appKey, permSecret, clock: at(T0) }));
    expect(verify(key)).toBe("ok");
    expect(verify(escaped)).toBe("ERR_MALFORMED_CREDENTIAL");
  });

  it("a callback given as a string with a lone surrogate is refused", async () => {
    const body = '{"a":"\uD800"}';
    const headers = { AppKey: appKey, MD5: bodyMd5(asSigned(body)), CurTime: String(T0) };
    const signed = { ...headers, CheckSum: callbackCheckSum(appSecret, headers.MD5, headers.CurTime) };
    const options = { appKey, appSecret, clock: at(T0) };
    expect(
      await codeOf(verifyNeteaseCallback({ url: "/cb", headers: signed, body: asSigned(body) }, options)),
    ).toBe("accepted");
    expect(await codeOf(verifyNeteaseCallback({ url: "/cb", headers: signed, body }, options))).toBe(
      "ERR_WEBHOOK_INVALID",
    );
  });
});

describe("header-bound configuration", () => {
  const distinctive = "Q7-never-echo";
  const badAppKeys = [
    `${distinctive}\r\nX-Evil: 1`,
    `${distinctive}\n`,
    `${distinctive}键`,
    `${distinctive}é`,
    ` ${distinctive}`,
    `${distinctive} x`,
    `${distinctive}\u0000`,
    `${distinctive}\uD800`,
  ];

  it("createNeteaseProvider refuses an AppKey no header can carry, without echoing it", () => {
    for (const bad of badAppKeys) {
      try {
        createNeteaseProvider({ appKey: bad, appSecret });
        expect.unreachable(`accepted ${JSON.stringify(bad)}`);
      } catch (error) {
        expect(error).toMatchObject({ name: "ImAuthError", code: "ERR_INVALID_CONFIG" });
        expect((error as Error).message).not.toContain(distinctive);
      }
    }
  });

  it("createNeteaseProvider refuses an AppSecret with a control character or a lone surrogate", () => {
    for (const bad of [`${distinctive}\n`, `${distinctive}\r`, `\t${distinctive}`, `${distinctive}\uDFFF`]) {
      try {
        createNeteaseProvider({ appKey, appSecret: bad });
        expect.unreachable("accepted a bad appSecret");
      } catch (error) {
        expect(error).toMatchObject({ name: "ImAuthError", code: "ERR_INVALID_CONFIG" });
        expect((error as Error).message).not.toContain(distinctive);
      }
    }
    expect(createNeteaseProvider({ appKey, appSecret: "秘密 with spaces" }).appId).toBe(appKey);
  });

  it("property: any AppKey is refused at configuration or sent unchanged by signRequest", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 40, unit: "binary" }),
          fc.stringMatching(/^[!-~]{1,40}$/),
        ),
        async (key) => {
          let provider: ReturnType<typeof createNeteaseProvider>;
          try {
            provider = createNeteaseProvider({ appKey: key, appSecret, clock: at(T0) });
          } catch (error) {
            expect(error).toMatchObject({ name: "ImAuthError", code: "ERR_INVALID_CONFIG" });
            return;
          }
          const signed = await provider.signRequest(new Request("https://api.example/nimserver/x"));
          expect(signed.headers.get("AppKey")).toBe(key);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("createCheckSumHeaders and verifyNeteaseCallback check their header values too", async () => {
    for (const bad of badAppKeys) {
      expect(code(() => createCheckSumHeaders({ appKey: bad, appSecret }))).toBe("ERR_INVALID_CONFIG");
      expect(code(() => createCheckSumHeaders({ appKey, appSecret, nonce: bad }))).toBe("ERR_INVALID_INPUT");
      const callback = { url: "/cb", headers: {}, body: "{}" };
      expect(await codeOf(verifyNeteaseCallback(callback, { appSecret, appKey: bad }))).toBe(
        "ERR_INVALID_CONFIG",
      );
    }
    const headers = createCheckSumHeaders({ appKey, appSecret, nonce: "n!~0", clock: at(T0) });
    expect(new Headers(headers).get("Nonce")).toBe("n!~0");
  });
});
