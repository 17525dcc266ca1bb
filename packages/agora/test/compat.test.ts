import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ChatTokenBuilder, RtcRole, RtcTokenBuilder, RtmTokenBuilder } from "../src/compat/index.js";
import { decodeAccessToken } from "../src/index.js";
import { contentHex } from "./inflate.js";
import { official, withFixedClockAndSalt } from "./official.js";

// The compat builders take the wall clock and a random salt, as the official ones do: each test fixes the
// clock, reads the salt the token carries, and has the official builder make the same token with that salt.

const appId = "970CA35de60c44645bbae8a215061b33";
const appCertificate = "5CFd2fd1755d40ecb72977518be15d3b";
const RTC_CHARS = "abcXYZ019 !#$%&()+-:;<=.>?@[]^_{}|~,".split("");
const rtcText = (max: number) =>
  fc.string({ unit: fc.constantFrom(...RTC_CHARS), minLength: 1, maxLength: max });
const issueTs = fc.integer({ min: 1, max: 0xffff_ffff });
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const expire = fc.integer({ min: 1, max: 0xffff_ffff });

afterEach(() => {
  vi.useRealTimers();
});

/** Makes our token at `ts`, then the official one with the same issue time and salt; compares the content. */
function sameAsOfficial(ts: number, ours: () => string, theirs: () => string): void {
  vi.useFakeTimers({ toFake: ["Date"], now: ts * 1000 });
  const token = ours();
  vi.useRealTimers();
  const { salt, issuedAtSeconds } = decodeAccessToken(token);
  expect(issuedAtSeconds).toBe(ts);
  expect(contentHex(token)).toBe(contentHex(withFixedClockAndSalt(ts, salt, theirs)));
}

describe("compat builders: the same content as agora-token", () => {
  it("RtcTokenBuilder with uid, account, per-privilege expiries and RTM", () => {
    fc.assert(
      fc.property(
        rtcText(63),
        u32,
        rtcText(255),
        fc.constantFrom(1, 2),
        expire,
        u32,
        u32,
        issueTs,
        (ch, uid, account, role, te, pe, pe2, ts) => {
          const R = RtcTokenBuilder;
          const O = official.RtcTokenBuilder;
          sameAsOfficial(
            ts,
            () => R.buildTokenWithUid(appId, appCertificate, ch, uid, role, te, pe),
            () => O.buildTokenWithUid(appId, appCertificate, ch, uid, role, te, pe),
          );
          sameAsOfficial(
            ts,
            () => R.buildTokenWithUid(appId, appCertificate, ch, uid, role, te),
            () => O.buildTokenWithUid(appId, appCertificate, ch, uid, role, te, 0),
          );
          sameAsOfficial(
            ts,
            () => R.buildTokenWithUserAccount(appId, appCertificate, ch, account, role, te, pe),
            () => O.buildTokenWithUserAccount(appId, appCertificate, ch, account, role, te, pe),
          );
          sameAsOfficial(
            ts,
            () => R.buildTokenWithUidAndPrivilege(appId, appCertificate, ch, uid, te, pe, pe2, 0, pe),
            () => O.buildTokenWithUidAndPrivilege(appId, appCertificate, ch, uid, te, pe, pe2, 0, pe),
          );
          sameAsOfficial(
            ts,
            () => R.BuildTokenWithUserAccountAndPrivilege(appId, appCertificate, ch, account, te, 1, 2, 3, 4),
            () => O.BuildTokenWithUserAccountAndPrivilege(appId, appCertificate, ch, account, te, 1, 2, 3, 4),
          );
          const rtm = account.slice(0, 64);
          sameAsOfficial(
            ts,
            () => R.buildTokenWithRtm(appId, appCertificate, ch, rtm, role, te, pe),
            () => O.buildTokenWithRtm(appId, appCertificate, ch, rtm, role, te, pe),
          );
          sameAsOfficial(
            ts,
            () => R.buildTokenWithRtm2(appId, appCertificate, ch, uid, role, te, pe, pe2, 0, 5, rtm, pe2),
            () => O.buildTokenWithRtm2(appId, appCertificate, ch, uid, role, te, pe, pe2, 0, 5, rtm, pe2),
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it("RtmTokenBuilder and ChatTokenBuilder", () => {
    const userId = fc.string({ unit: fc.constantFrom(..."aZ09_.-".split("")), minLength: 1, maxLength: 64 });
    fc.assert(
      fc.property(userId, expire, issueTs, (user, e, ts) => {
        sameAsOfficial(
          ts,
          () => RtmTokenBuilder.buildToken(appId, appCertificate, user, e),
          () => official.RtmTokenBuilder.buildToken(appId, appCertificate, user, e),
        );
        sameAsOfficial(
          ts,
          () => ChatTokenBuilder.buildUserToken(appId, appCertificate, user, e),
          () => official.ChatTokenBuilder.buildUserToken(appId, appCertificate, user, e),
        );
        sameAsOfficial(
          ts,
          () => ChatTokenBuilder.buildAppToken(appId, appCertificate, e),
          () => official.ChatTokenBuilder.buildAppToken(appId, appCertificate, e),
        );
      }),
      { numRuns: 40 },
    );
  });

  it("throws where agora-token returns an empty string or signs what Agora refuses", () => {
    expect(official.RtcTokenBuilder.buildTokenWithUid("x", appCertificate, "c", 1, 1, 60, 60)).toBe("");
    expect(RtcRole).toEqual({ PUBLISHER: 1, SUBSCRIBER: 2 });
    const cases: Array<[string, () => unknown]> = [
      ["ERR_INVALID_CONFIG", () => RtcTokenBuilder.buildTokenWithUid("x", appCertificate, "c", 1, 1, 60)],
      ["ERR_INVALID_CONFIG", () => ChatTokenBuilder.buildAppToken(appId, "", 60)],
      ["ERR_INVALID_INPUT", () => RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, "c", 1, 3, 60)],
      ["ERR_INVALID_INPUT", () => RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, "频道", 1, 1, 60)],
      [
        "ERR_INVALID_INPUT",
        () => RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, "c", 2 ** 32, 1, 60),
      ],
      [
        "ERR_INVALID_INPUT",
        () => RtcTokenBuilder.buildTokenWithRtm(appId, appCertificate, "c", 5 as never, 1, 60),
      ],
      ["ERR_INVALID_INPUT", () => RtmTokenBuilder.buildToken(appId, appCertificate, "", 60)],
      [
        "ERR_INVALID_INPUT",
        () => RtcTokenBuilder.buildTokenWithRtm2(appId, appCertificate, "c", 1, 1, 60, 1, 1, 1, 1, "", 1),
      ],
    ];
    for (const [code, run] of cases) expect(run, code).toThrow(expect.objectContaining({ code }));
  });
});
