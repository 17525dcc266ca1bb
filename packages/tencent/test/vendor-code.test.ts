import { createRequire } from "node:module";
import { ImAuthError } from "@imauth/core";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import legacy from "../../../vectors/tencent-legacy-ecdsa.json" with { type: "json" };
import vectors from "../../../vectors/tencent-usersig-v2.json" with { type: "json" };
import {
  decodeUserSig,
  genPrivateMapKey,
  genUserSig,
  TENCENT_USERSIG_ERROR_CODES,
  verifyUserSig,
} from "../src/index.js";
import { MAX_USERBUF_BYTES } from "../src/usersig.js";

const require = createRequire(import.meta.url);
const Official = require("tls-sig-api-v2").Api as new (
  sdkappid: number,
  key: string,
) => { genSig(userId: string, expire: number, userBuf: Buffer | null): string };

const { sdkAppId, secretKey, userId, nowSeconds } = vectors.inputs;
const clock = () => nowSeconds * 1000;

function refusal(run: () => unknown): { code: string; vendorCode: unknown } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ImAuthError);
    return { code: (error as ImAuthError).code, vendorCode: (error as ImAuthError).vendorCode };
  }
  return { code: "accepted", vendorCode: undefined };
}

describe("verifyUserSig vendorCode: what Tencent's server answers for the same fault", () => {
  const userSig = genUserSig({ sdkAppId, secretKey, userId, expireSeconds: 60, clock });
  const at = (seconds: number) => () => seconds * 1000;

  it("70001 expired, 70009 wrong key, 70013 another user, 70014 another SDKAppID", () => {
    expect(
      refusal(() => verifyUserSig(userSig, { sdkAppId, secretKey, clock: at(nowSeconds + 61) })),
    ).toEqual({
      code: "ERR_CREDENTIAL_EXPIRED",
      vendorCode: 70001,
    });
    expect(refusal(() => verifyUserSig(userSig, { sdkAppId, secretKey: "other-key", clock }))).toEqual({
      code: "ERR_SIGNATURE_INVALID",
      vendorCode: 70009,
    });
    expect(refusal(() => verifyUserSig(userSig, { sdkAppId, secretKey, userId: "bob", clock }))).toEqual({
      code: "ERR_USER_MISMATCH",
      vendorCode: 70013,
    });
    expect(refusal(() => verifyUserSig(userSig, { sdkAppId: sdkAppId + 1, secretKey, clock }))).toEqual({
      code: "ERR_APP_MISMATCH",
      vendorCode: 70014,
    });
  });

  it("70003 for anything that does not parse, 70002 for an empty UserSig", () => {
    for (const bad of ["not a usersig", userSig.slice(0, 40), "eJw_", `${userSig}x`]) {
      expect(refusal(() => verifyUserSig(bad, { sdkAppId, secretKey, clock }))).toEqual({
        code: "ERR_MALFORMED_CREDENTIAL",
        vendorCode: 70003,
      });
    }
    expect(refusal(() => verifyUserSig("", { sdkAppId, secretKey, clock }))).toEqual({
      code: "ERR_MALFORMED_CREDENTIAL",
      vendorCode: 70002,
    });
  });

  it("a PrivateMapKey past its room expiry is 70001; the table is frozen", () => {
    const pmk = genPrivateMapKey({
      sdkAppId,
      secretKey,
      userId,
      roomId: 1,
      privilegeMap: 255,
      expireSeconds: 10,
      clock,
    });
    expect(
      refusal(() => verifyUserSig(pmk, { sdkAppId, secretKey, clock: at(nowSeconds + 11) })).vendorCode,
    ).toBe(70001);
    expect(Object.isFrozen(TENCENT_USERSIG_ERROR_CODES)).toBe(true);
  });

  it("says a legacy ECDSA UserSig is one (with 70003)", () => {
    const sample = legacy.generatedByOfficial[0]?.userSig;
    expect(sample).toBeTypeOf("string");
    try {
      verifyUserSig(sample!, { sdkAppId, secretKey, clock });
      expect.unreachable();
    } catch (error) {
      expect((error as ImAuthError).vendorCode).toBe(70003);
      expect((error as Error).message).toMatch(/legacy ECDSA/);
    }
  });

  it("property: every refusal of a mutated UserSig carries one of the documented codes (or none for userbuf)", () => {
    const documented = new Set<unknown>([70001, 70002, 70003, 70009, 70013, 70014]);
    fc.assert(
      fc.property(fc.nat({ max: userSig.length - 1 }), fc.integer({ min: 32, max: 126 }), (i, c) => {
        const mutated = userSig.slice(0, i) + String.fromCharCode(c) + userSig.slice(i + 1);
        const { code, vendorCode } = refusal(() =>
          verifyUserSig(mutated, { sdkAppId, secretKey, userId, clock }),
        );
        if (code !== "accepted") expect(documented.has(vendorCode)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe("genUserSig userBuf (genSigWithUserbuf)", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("decodes to the official genSig document for the same userbuf (300 random cases)", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.integer({ min: 1, max: 400_000_000 }),
        fc.integer({ min: 1_500_000_000, max: 2_000_000_000 }),
        (bytes, expire, now) => {
          vi.spyOn(Date, "now").mockReturnValue(now * 1000);
          const theirs = new Official(sdkAppId, secretKey).genSig(userId, expire, Buffer.from(bytes));
          const ours = genUserSig({
            sdkAppId,
            secretKey,
            userId,
            expireSeconds: expire,
            userBuf: bytes,
            clock: () => now * 1000,
          });
          const a = decodeUserSig(ours);
          const b = decodeUserSig(theirs);
          expect(a.signature).toBe(b.signature);
          expect(a.userBuf?.base64).toBe(b.userBuf?.base64);
          expect([...(a.userBuf?.bytes ?? [])]).toEqual([...bytes]);
          expect(
            verifyUserSig(theirs, { sdkAppId, secretKey, userBuf: bytes, clock: () => now * 1000 }).userId,
          ).toBe(userId);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("takes a string as UTF-8 and refuses a lone surrogate, a non-bytes value and more than the cap", () => {
    const s = genUserSig({ sdkAppId, secretKey, userId, userBuf: "héllo", clock });
    expect(
      verifyUserSig(s, { sdkAppId, secretKey, userBuf: new TextEncoder().encode("héllo"), clock }).userId,
    ).toBe(userId);
    expect(refusal(() => verifyUserSig(s, { sdkAppId, secretKey, userBuf: null, clock })).code).toBe(
      "ERR_USERBUF_MISMATCH",
    );
    for (const userBuf of ["\uD800", 5, new Uint8Array(MAX_USERBUF_BYTES + 1)]) {
      expect(
        refusal(() => genUserSig({ sdkAppId, secretKey, userId, userBuf: userBuf as never, clock })).code,
      ).toBe("ERR_INVALID_INPUT");
    }
    const max = genUserSig({
      sdkAppId,
      secretKey,
      userId,
      userBuf: new Uint8Array(MAX_USERBUF_BYTES).fill(7),
      clock,
    });
    expect(verifyUserSig(max, { sdkAppId, secretKey, clock }).userBuf?.bytes.length).toBe(MAX_USERBUF_BYTES);
  });
});
