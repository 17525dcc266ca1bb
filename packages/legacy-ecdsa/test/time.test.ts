// TLS.time and TLS.expire_after are u32 (the official C++ verifier keeps both in a uint32_t): beyond that a
// genuinely signed UserSig used to verify with an Invalid Date. Generation keeps TLS.time in range too.
import { sign as nodeSign } from "node:crypto";
import { isImAuthError } from "@imauth/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeLegacyUserSig, ecdsaSigner, genLegacyUserSig, verifyLegacyUserSig } from "../src/index.js";
import { deflateUserSig, opensslKey } from "./helpers.js";

const key = opensslKey("P-256");
const sdkAppId = 1400000000;
const U32_MAX = 0xffff_ffff;

/** A legacy UserSig with these times, signed over its fields with OpenSSL as an official v1 library does. */
function signedWithTimes(time: string, expire: string): string {
  const content = `TLS.appid_at_3rd:0\nTLS.account_type:0\nTLS.identifier:alice\nTLS.sdk_appid:${sdkAppId}\nTLS.time:${time}\nTLS.expire_after:${expire}\n`;
  const sig = nodeSign("sha256", Buffer.from(content), key.privateKey).toString("base64");
  return deflateUserSig(
    JSON.stringify({
      "TLS.account_type": "0",
      "TLS.identifier": "alice",
      "TLS.appid_at_3rd": "0",
      "TLS.sdk_appid": String(sdkAppId),
      "TLS.expire_after": expire,
      "TLS.version": "201610110000",
      "TLS.time": time,
      "TLS.sig": sig,
    }),
  );
}

async function expectCode(run: () => unknown, code: string, message?: RegExp): Promise<void> {
  let thrown: unknown;
  try {
    await run();
  } catch (error) {
    thrown = error;
  }
  expect(isImAuthError(thrown, code as never), String(thrown)).toBe(true);
  if (message) expect((thrown as Error).message).toMatch(message);
}

describe("decode and verify", () => {
  const options = { sdkAppId, publicKey: key.spki, clock: () => 1_700_000_000_000 };

  it("a genuinely signed TLS.time of 999999999999999 is malformed, not an Invalid Date", async () => {
    const userSig = signedWithTimes("999999999999999", "86400");
    await expectCode(() => verifyLegacyUserSig(userSig, options), "ERR_MALFORMED_CREDENTIAL", /TLS\.time/);
    await expectCode(() => decodeLegacyUserSig(userSig), "ERR_MALFORMED_CREDENTIAL", /out of range/);
  });

  it("so is a TLS.expire_after beyond a u32", async () => {
    const userSig = signedWithTimes("1700000000", "999999999999999");
    await expectCode(() => verifyLegacyUserSig(userSig, options), "ERR_MALFORMED_CREDENTIAL", /expire_after/);
  });

  it("any u32 pair decodes to valid Dates and verifies while unexpired; one more is refused", async () => {
    const u32 = fc.integer({ min: 0, max: U32_MAX });
    await fc.assert(
      fc.asyncProperty(u32, u32, async (time, expire) => {
        const userSig = signedWithTimes(String(time), String(expire));
        const d = await verifyLegacyUserSig(userSig, { ...options, clock: () => (time + expire) * 1000 });
        expect(d.issuedAt.getTime()).toBe(time * 1000);
        expect(d.expiresAt.getTime()).toBe((time + expire) * 1000);
      }),
      { numRuns: 40 },
    );
    const beyond = fc.integer({ min: U32_MAX + 1, max: 999_999_999_999_999 }).map(String);
    fc.assert(
      fc.property(beyond, fc.boolean(), (value, inTime) => {
        const userSig = inTime ? signedWithTimes(value, "60") : signedWithTimes("1700000000", value);
        expect(() => decodeLegacyUserSig(userSig)).toThrow(/out of range/);
      }),
      { numRuns: 40 },
    );
  });
});

describe("generation", () => {
  it("refuses a clock beyond 2106 (TLS.time would not fit a u32), accepts its last second", async () => {
    const base = { sdkAppId, privateKey: key.pkcs8, userId: "alice" };
    await expectCode(
      () => genLegacyUserSig({ ...base, clock: () => (U32_MAX + 1) * 1000 }),
      "ERR_INVALID_CONFIG",
      /2106/,
    );
    const last = await genLegacyUserSig({ ...base, clock: () => U32_MAX * 1000 + 999 });
    expect(decodeLegacyUserSig(last).issuedAtSeconds).toBe(U32_MAX);
    const signer = ecdsaSigner({ privateKey: key.pkcs8 });
    const input = { sdkAppId, userId: "alice", expireSeconds: 60 };
    await expectCode(
      () => signer.sign({ ...input, nowMs: (U32_MAX + 1) * 1000 }),
      "ERR_INVALID_INPUT",
      /2106/,
    );
    expect(decodeLegacyUserSig(await signer.sign({ ...input, nowMs: U32_MAX * 1000 })).issuedAtSeconds).toBe(
      U32_MAX,
    );
  });
});
