import { createHmac } from "node:crypto";
import { Secret } from "@imauth/core";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AGORA_SERVICES,
  agoraChatUserTokens,
  buildAccessToken,
  decodeAccessToken,
  genChatAppToken,
  genChatUserToken,
  genRtcToken,
  genRtmToken,
  verifyAccessToken,
} from "../src/index.js";
import { hmacSha256 } from "../src/sha256.js";
import { contentHex } from "./inflate.js";
import { OfficialAccessToken2, official, withFixedClockAndSalt } from "./official.js";

const appId = "970CA35de60c44645bbae8a215061b33";
const appCertificate = "5CFd2fd1755d40ecb72977518be15d3b";
const T = 1_700_000_000;
const clock = () => T * 1000 + 999;

// Agora's RTC character set (channel names and accounts), Chat user IDs and RTM user IDs.
const RTC_CHARS = "abcXYZ019 !#$%&()+-:;<=.>?@[]^_{}|~,".split("");
const rtcText = (max: number) =>
  fc.string({ unit: fc.constantFrom(...RTC_CHARS), minLength: 1, maxLength: max });
const chatUserId = fc.string({ unit: fc.constantFrom(..."aZ09_.-".split("")), minLength: 1, maxLength: 64 });
const salt = fc.integer({ min: 1, max: 99_999_999 });
const issueTs = fc.integer({ min: 1, max: 0xffff_ffff });
const expire = fc.integer({ min: 1, max: 0xffff_ffff });

describe("differential: the same content as the official agora-token builders", () => {
  it("RtcTokenBuilder.buildTokenWithUid / buildTokenWithUserAccount", () => {
    fc.assert(
      fc.property(
        rtcText(63),
        fc.oneof(fc.integer({ min: 0, max: 0xffff_ffff }), rtcText(255)),
        fc.constantFrom(1, 2),
        expire,
        fc.integer({ min: 0, max: 0xffff_ffff }),
        issueTs,
        salt,
        (channelName, user, role, tokenExpire, privilegeExpire, ts, s) => {
          const theirs = withFixedClockAndSalt(ts, s, () =>
            typeof user === "number"
              ? official.RtcTokenBuilder.buildTokenWithUid(
                  appId,
                  appCertificate,
                  channelName,
                  user,
                  role,
                  tokenExpire,
                  privilegeExpire,
                )
              : official.RtcTokenBuilder.buildTokenWithUserAccount(
                  appId,
                  appCertificate,
                  channelName,
                  user,
                  role,
                  tokenExpire,
                  privilegeExpire,
                ),
          );
          const ours = genRtcToken({
            appId,
            appCertificate,
            channelName,
            ...(typeof user === "number" ? { uid: user } : { account: user }),
            role: role === 1 ? "publisher" : "subscriber",
            tokenExpireSeconds: tokenExpire,
            privilegeExpireSeconds: privilegeExpire,
            clock: () => ts * 1000,
            salt: s,
          });
          expect(contentHex(ours)).toBe(contentHex(theirs));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("buildTokenWithUidAndPrivilege and buildTokenWithRtm", () => {
    const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
    fc.assert(
      fc.property(
        rtcText(63),
        rtcText(64),
        expire,
        u32,
        u32,
        u32,
        u32,
        issueTs,
        salt,
        (channel, account, te, a, b, c, d, ts, s) => {
          const theirs = withFixedClockAndSalt(ts, s, () =>
            official.RtcTokenBuilder.buildTokenWithUidAndPrivilege(
              appId,
              appCertificate,
              channel,
              account,
              te,
              a,
              b,
              c,
              d,
            ),
          );
          const ours = genRtcToken({
            appId,
            appCertificate,
            channelName: channel,
            account,
            tokenExpireSeconds: te,
            privileges: {
              joinChannel: a,
              publishAudioStream: b,
              publishVideoStream: c,
              publishDataStream: d,
            },
            clock: () => ts * 1000,
            salt: s,
          });
          expect(contentHex(ours)).toBe(contentHex(theirs));
          const withRtm = withFixedClockAndSalt(ts, s, () =>
            official.RtcTokenBuilder.buildTokenWithRtm(appId, appCertificate, channel, account, 1, te, a),
          );
          const oursRtm = genRtcToken({
            appId,
            appCertificate,
            channelName: channel,
            account,
            role: "publisher",
            tokenExpireSeconds: te,
            privilegeExpireSeconds: a,
            withRtm: true,
            clock: () => ts * 1000,
            salt: s,
          });
          expect(contentHex(oursRtm)).toBe(contentHex(withRtm));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("RtmTokenBuilder.buildToken and ChatTokenBuilder", () => {
    fc.assert(
      fc.property(chatUserId, expire, issueTs, salt, (userId, e, ts, s) => {
        const at = { clock: () => ts * 1000, salt: s };
        const rtm = withFixedClockAndSalt(ts, s, () =>
          official.RtmTokenBuilder.buildToken(appId, appCertificate, userId, e),
        );
        expect(contentHex(genRtmToken({ appId, appCertificate, userId, expireSeconds: e, ...at }))).toBe(
          contentHex(rtm),
        );
        const user = withFixedClockAndSalt(ts, s, () =>
          official.ChatTokenBuilder.buildUserToken(appId, appCertificate, userId, e),
        );
        expect(contentHex(genChatUserToken({ appId, appCertificate, userId, expireSeconds: e, ...at }))).toBe(
          contentHex(user),
        );
        const app = withFixedClockAndSalt(ts, s, () =>
          official.ChatTokenBuilder.buildAppToken(appId, appCertificate, e),
        );
        expect(contentHex(genChatAppToken({ appId, appCertificate, expireSeconds: e, ...at }))).toBe(
          contentHex(app),
        );
      }),
      { numRuns: 100 },
    );
  });

  it("the official parser reads and verifies our tokens, and we verify theirs", () => {
    fc.assert(
      fc.property(chatUserId, issueTs, salt, (userId, ts, s) => {
        const ours = genChatUserToken({
          appId,
          appCertificate,
          userId,
          expireSeconds: 600,
          clock: () => ts * 1000,
          salt: s,
        });
        const parser = new OfficialAccessToken2();
        expect(parser.from_string(ours)).toBe(true);
        expect(parser.verifySignature(appCertificate)).toBe(true);
        const theirs = withFixedClockAndSalt(ts, s, () =>
          official.ChatTokenBuilder.buildUserToken(appId, appCertificate, userId, 600),
        );
        const decoded = verifyAccessToken(theirs, {
          appId,
          appCertificate,
          clock: () => ts * 1000,
          service: "chat",
          userId,
        });
        expect(decoded.salt).toBe(s);
      }),
      { numRuns: 50 },
    );
  });
});

describe("hmacSha256", () => {
  it("equals @noble/hashes and node:crypto on random keys and messages", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 5000 }), (key, message) => {
        const ours = Buffer.from(hmacSha256(key, message)).toString("hex");
        expect(ours).toBe(Buffer.from(hmac(sha256, key, message)).toString("hex"));
        expect(ours).toBe(createHmac("sha256", key).update(message).digest("hex"));
      }),
      { numRuns: 300 },
    );
  });
});

describe("generators", () => {
  const base = { appId, appCertificate, clock, salt: 1 };

  it("take the issue time from the clock, in whole seconds, and a random salt when none is given", () => {
    const d = decodeAccessToken(
      genRtmToken({ appId, appCertificate, userId: "u1", expireSeconds: 60, clock }),
    );
    expect(d.issuedAtSeconds).toBe(T);
    expect(d.salt).toBeGreaterThanOrEqual(1);
    expect(d.salt).toBeLessThanOrEqual(99_999_999);
    const salts = new Set(
      Array.from(
        { length: 20 },
        () => decodeAccessToken(genChatAppToken({ appId, appCertificate, expireSeconds: 60, clock })).salt,
      ),
    );
    expect(salts.size).toBeGreaterThan(15);
  });

  it("a subscriber gets join only; privilegeExpireSeconds defaults to the token's", () => {
    const d = decodeAccessToken(
      genRtcToken({ ...base, channelName: "c", uid: 0, role: "subscriber", tokenExpireSeconds: 600 }),
    );
    expect(d.services[0]!.uid).toBe("");
    expect(Object.keys(d.services[0]!.privileges)).toEqual(["joinChannel"]);
    expect(d.services[0]!.privileges.joinChannel!.expireSeconds).toBe(600);
    expect(d.services[0]!.privileges.joinChannel!.expiresAt).toEqual(new Date((T + 600) * 1000));
  });

  it('keep the account "0" as "0" and write uid 0 as ""', () => {
    const account = decodeAccessToken(
      genRtcToken({ ...base, channelName: "c", account: "0", role: "publisher", tokenExpireSeconds: 60 }),
    );
    expect(account.services[0]!.uid).toBe("0");
  });

  it("withRtm adds RTM login for the account, expiring with the token", () => {
    const d = decodeAccessToken(
      genRtcToken({
        ...base,
        channelName: "c",
        account: "alice",
        role: "publisher",
        tokenExpireSeconds: 900,
        privilegeExpireSeconds: 60,
        withRtm: true,
      }),
    );
    expect(d.services.map((s) => [s.name, s.userId ?? s.uid])).toEqual([
      ["rtc", "alice"],
      ["rtm", "alice"],
    ]);
    expect(d.services[1]!.privileges.login!.expireSeconds).toBe(900);
  });

  it("buildAccessToken writes services sorted by type, keeping the order within a type", () => {
    const token = buildAccessToken({
      ...base,
      expireSeconds: 60,
      services: [
        { type: 5, userId: "b", privileges: { 1: 1 } },
        { type: 1, channelName: "x", uid: "u", privileges: { 4: 1, 1: 2 } },
        { type: 5, userId: "a", privileges: { 1: 1 } },
        { type: 4, privileges: { 1: 5 } },
      ],
    });
    const d = decodeAccessToken(token);
    expect(d.services.map((s) => [s.type, s.userId])).toEqual([
      [1, undefined],
      [4, undefined],
      [5, "b"],
      [5, "a"],
    ]);
    expect(Object.keys(d.services[0]!.privileges)).toEqual(["joinChannel", "publishDataStream"]);
    expect(d.services[1]!.name).toBe("fpa");
  });

  it("refuse what the official builders turn into an empty string, and what Agora refuses later", () => {
    const rtc = { ...base, channelName: "c", uid: 1, role: "publisher" as const, tokenExpireSeconds: 60 };
    const cases: Array<[string, () => unknown]> = [
      ["ERR_INVALID_CONFIG", () => genRtcToken({ ...rtc, appId: "x" })],
      [
        "ERR_INVALID_CONFIG",
        () => genRtcToken({ ...rtc, appCertificate: "5CFd2fd1755d40ecb72977518be15d3" }),
      ],
      ["ERR_INVALID_CONFIG", () => genRtcToken({ ...rtc, clock: () => Number.NaN })],
      ["ERR_INVALID_CONFIG", () => genRtcToken({ ...rtc, clock: () => 2 ** 32 * 1000 })],
      ["ERR_INVALID_INPUT", () => genRtcToken({ ...rtc, channelName: "" })],
      ["ERR_INVALID_INPUT", () => genRtcToken({ ...rtc, channelName: "c".repeat(64) })],
      ["ERR_INVALID_INPUT", () => genRtcToken({ ...rtc, channelName: "频道" })],
      ["ERR_INVALID_INPUT", () => genRtcToken({ ...rtc, uid: 2 ** 32 })],
      ["ERR_INVALID_INPUT", () => genRtcToken({ ...rtc, uid: -1 })],
      ["ERR_INVALID_INPUT", () => genRtcToken({ ...rtc, account: "a" })],
      ["ERR_INVALID_INPUT", () => genRtcToken({ ...rtc, role: "host" as "publisher" })],
      ["ERR_INVALID_INPUT", () => genRtcToken({ ...rtc, tokenExpireSeconds: 0 })],
      ["ERR_INVALID_INPUT", () => genRtcToken({ ...rtc, salt: 100_000_000 })],
      ["ERR_INVALID_INPUT", () => genRtcToken({ ...rtc, withRtm: true })],
      ["ERR_INVALID_INPUT", () => genChatUserToken({ ...base, userId: "a b", expireSeconds: 60 })],
      ["ERR_INVALID_INPUT", () => genRtmToken({ ...base, userId: "x".repeat(65), expireSeconds: 60 })],
      ["ERR_INVALID_INPUT", () => buildAccessToken({ ...base, expireSeconds: 60, services: [] })],
      [
        "ERR_INVALID_INPUT",
        () => buildAccessToken({ ...base, expireSeconds: 60, services: [{ type: 8 } as never] }),
      ],
      ["ERR_INVALID_INPUT", () => genChatAppToken(null as never)],
    ];
    for (const [code, run] of cases) expect(run, code).toThrow(expect.objectContaining({ code }));
  });

  it("never throw anything but an ImAuthError, and never echo the certificate", () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), (channelName, uid, tokenExpireSeconds) => {
        try {
          genRtcToken({ ...base, channelName, uid, role: "publisher", tokenExpireSeconds } as never);
        } catch (error) {
          expect(error).toMatchObject({ name: "ImAuthError" });
          expect(String((error as Error).message)).not.toContain(appCertificate);
        }
      }),
    );
  });

  it("take the certificate as a Secret", () => {
    const secret = new Secret(appCertificate);
    const a = genChatAppToken({ appId, appCertificate: secret, expireSeconds: 60, clock, salt: 3 });
    expect(a).toBe(genChatAppToken({ appId, appCertificate, expireSeconds: 60, clock, salt: 3 }));
    expect(verifyAccessToken(a, { appId, appCertificate: [new Secret(appCertificate)], clock }).salt).toBe(3);
  });

  it("agoraChatUserTokens checks the app when it is made and makes Chat user tokens", () => {
    expect(() => agoraChatUserTokens({ appId, appCertificate: "" })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
    const userTokens = agoraChatUserTokens({ appId, appCertificate });
    const token = userTokens("alice", 600, clock);
    const d = verifyAccessToken(token, {
      appId,
      appCertificate,
      clock,
      service: "chat",
      userId: "alice",
      privileges: ["user"],
    });
    expect(d.expireSeconds).toBe(600);
    expect(AGORA_SERVICES.chat.privileges.user).toBe(1);
  });
});
