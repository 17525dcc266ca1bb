import { base64Decode, base64Encode, zlibDecompress, zlibStore } from "@imauth/core/adapter";
import { outcomeOf } from "@imauth/core/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeAccessToken, genRtcToken, verifyAccessToken } from "../src/index.js";

const appId = "970CA35de60c44645bbae8a215061b33";
const appCertificate = "5CFd2fd1755d40ecb72977518be15d3b";
const previous = "0123456789abcdef0123456789abcdef";
const T = 1_700_000_000;
const at = (seconds: number) => () => seconds * 1000;

const token = genRtcToken({
  appId,
  appCertificate,
  channelName: "room-1",
  uid: 42,
  role: "subscriber",
  tokenExpireSeconds: 600,
  privilegeExpireSeconds: 300,
  clock: at(T),
  salt: 7,
});

/** A "007" token of arbitrary content (stored zlib blocks). */
const wrap = (content: Uint8Array) => `007${base64Encode(zlibStore(content))}`;

describe("verifyAccessToken", () => {
  const ok = { appId, appCertificate, clock: at(T + 1) };

  it("accepts with the current or a previous certificate, until the token expires", async () => {
    expect(await outcomeOf(() => verifyAccessToken(token, ok))).toBe("accepted");
    expect(
      await outcomeOf(() => verifyAccessToken(token, { ...ok, appCertificate: [previous, appCertificate] })),
    ).toBe("accepted");
    expect(await outcomeOf(() => verifyAccessToken(token, { ...ok, clock: at(T + 600) }))).toBe("accepted");
    expect(await outcomeOf(() => verifyAccessToken(token, { ...ok, clock: at(T + 601) }))).toBe(
      "ERR_CREDENTIAL_EXPIRED",
    );
    expect(await outcomeOf(() => verifyAccessToken(token, { ...ok, appCertificate: previous }))).toBe(
      "ERR_SIGNATURE_INVALID",
    );
    expect(await outcomeOf(() => verifyAccessToken(token, { ...ok, appId: previous }))).toBe(
      "ERR_APP_MISMATCH",
    );
  });

  it("checks the service, channel, uid and privileges when asked", async () => {
    const rtc = { ...ok, service: "rtc" as const };
    const cases: Array<[string, object]> = [
      ["accepted", { channelName: "room-1", uid: 42, privileges: ["joinChannel"] }],
      ["accepted", { uid: "42" }],
      ["ERR_USERBUF_MISMATCH", { channelName: "room-2" }],
      ["ERR_USER_MISMATCH", { uid: 43 }],
      ["ERR_USERBUF_MISMATCH", { privileges: ["publishAudioStream"] }],
      ["ERR_USERBUF_MISMATCH", { service: "chat" }],
      ["ERR_CREDENTIAL_EXPIRED", { privileges: ["joinChannel"], clock: at(T + 301) }],
    ];
    for (const [expected, extra] of cases) {
      expect(
        await outcomeOf(() => verifyAccessToken(token, { ...rtc, ...extra })),
        JSON.stringify(extra),
      ).toBe(expected);
    }
  });

  it("a uid-0 token lets any uid in", () => {
    const any = genRtcToken({
      appId,
      appCertificate,
      channelName: "c",
      uid: 0,
      role: "publisher",
      tokenExpireSeconds: 60,
      clock: at(T),
    });
    expect(
      verifyAccessToken(any, { appId, appCertificate, clock: at(T), service: "rtc", uid: 99 }).services[0]!
        .uid,
    ).toBe("");
  });

  it("any options give a result or a typed error", () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            service: fc.anything(),
            channelName: fc.anything(),
            uid: fc.anything(),
            userId: fc.anything(),
            privileges: fc.anything(),
            clock: fc.anything(),
          },
          { requiredKeys: [] },
        ),
        (extra) => {
          try {
            verifyAccessToken(token, { ...ok, ...(extra as object) });
          } catch (error) {
            expect(error).toMatchObject({ name: "ImAuthError" });
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses bad configuration with ERR_INVALID_CONFIG", () => {
    expect(() => verifyAccessToken(token, { appId, appCertificate: "short" })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
    expect(() => verifyAccessToken(token, { appId: "x", appCertificate })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
    expect(() => verifyAccessToken(token, null as never)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
  });
});

describe("decodeAccessToken on untrusted input", () => {
  it("refuses malformed tokens with ERR_MALFORMED_CREDENTIAL", () => {
    const sig = new Uint8Array(34);
    sig[0] = 32;
    const bad = [
      "",
      "006abc",
      "007***",
      `007${"A".repeat(9000)}`,
      "007eJw=",
      wrap(new Uint8Array([1, 0, 9])), // signature of 1 byte
      wrap(new Uint8Array([32, 0, ...new Uint8Array(31)])), // truncated signature
      wrap(sig), // nothing after the signature
      wrap(new Uint8Array([...sig, 0xff, 0xff])), // App ID length beyond the end
      token.slice(0, -4),
      `${token}A`,
    ];
    for (const t of bad)
      expect(() => decodeAccessToken(t), t.slice(0, 20)).toThrow(
        expect.objectContaining({ code: "ERR_MALFORMED_CREDENTIAL" }),
      );
    expect(() => decodeAccessToken(42 as never)).toThrow(
      expect.objectContaining({ code: "ERR_MALFORMED_CREDENTIAL" }),
    );
  });

  it("refuses trailing bytes after the last service, and stops at a service it cannot read", () => {
    const content = zlibDecompress(base64Decode(token.slice(3)), { maxBytes: 4096 });
    expect(() => decodeAccessToken(wrap(new Uint8Array([...content, 0])))).toThrow(
      expect.objectContaining({ code: "ERR_MALFORMED_CREDENTIAL" }),
    );
    expect(decodeAccessToken(wrap(content))).toEqual(decodeAccessToken(token));
    const decoded = decodeAccessToken(token);
    expect(decoded.unreadServiceType).toBeUndefined();
    const header = new Uint8Array([
      32,
      0,
      ...new Uint8Array(32),
      2,
      0,
      65,
      66,
      1,
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      3,
      0,
      0,
      0,
      1,
      0,
      8,
      0,
    ]);
    const rtm2 = decodeAccessToken(wrap(header));
    expect(rtm2.unreadServiceType).toBe(8);
    expect(rtm2.services).toEqual([]);
    expect(() => decodeAccessToken(wrap(new Uint8Array([...header.slice(0, -4), 0, 0, 7])))).toThrow(
      expect.objectContaining({ code: "ERR_MALFORMED_CREDENTIAL" }),
    );
  });

  it("any string or byte soup gives a result or ERR_MALFORMED_CREDENTIAL", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.uint8Array({ maxLength: 300 }).map(wrap)), (input) => {
        try {
          decodeAccessToken(input);
        } catch (error) {
          expect(error).toMatchObject({ name: "ImAuthError", code: "ERR_MALFORMED_CREDENTIAL" });
        }
      }),
      { numRuns: 500 },
    );
  });

  it("every bit flipped in a token's content, re-packed as valid zlib, is refused; signed bytes by the signature", async () => {
    const content = zlibDecompress(base64Decode(token.slice(3)), { maxBytes: 65_536 });
    const options = { appId, appCertificate, clock: at(T) };
    // Bytes 2 to 33 are the signature; the last byte is the uid's ("42"), covered only by the signature.
    const signatureOnly = new Set([...Array.from({ length: 32 }, (_, k) => k + 2), content.length - 1]);
    for (let i = 0; i < content.length; i++) {
      const changed = content.slice();
      changed[i] = changed[i]! ^ 0x01;
      const outcome = await outcomeOf(() => verifyAccessToken(wrap(changed), options));
      expect(outcome).not.toBe("accepted");
      if (signatureOnly.has(i)) expect(outcome).toBe("ERR_SIGNATURE_INVALID");
    }
  });

  it("every single-character change of a token is refused by the verifier", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (let i = 3; i < token.length; i++) {
      const c = token[i]!;
      const other = alphabet[(alphabet.indexOf(c) + 1) % 64] ?? "A";
      const changed = token.slice(0, i) + other + token.slice(i + 1);
      expect(() => verifyAccessToken(changed, { appId, appCertificate, clock: at(T) })).toThrow(
        expect.objectContaining({ name: "ImAuthError" }),
      );
    }
  });
});
