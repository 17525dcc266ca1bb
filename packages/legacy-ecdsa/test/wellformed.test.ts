// Lone UTF-16 surrogates: the signed text is UTF-8 encoded, which turns each into U+FFFD, so "a\uD800" would
// sign like "a\uFFFD". Generation must refuse such strings, and a document that spells one with a JSON escape
// (a genuine UserSig for the U+FFFD version, rewritten) must never verify.
import { sign as nodeSign, verify as nodeVerify } from "node:crypto";
import { isImAuthError } from "@imauth/core";
import { isWellFormed } from "@imauth/core/adapter";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeLegacyUserSig, ecdsaSigner, genLegacyUserSig, verifyLegacyUserSig } from "../src/index.js";
import { deflateUserSig, inflateUserSig, opensslKey } from "./helpers.js";

const key = opensslKey("secp256k1");
const sdkAppId = 1400000000;
const nowSeconds = 1_700_000_000;
const clock = () => nowSeconds * 1000;

// Well-formed text (graphemes never end in a lone high half nor start with a low one), no control characters.
const text = (maxLength: number) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: IDs must not hold control characters
  fc.string({ unit: "grapheme", maxLength }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s));
const lone = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** A string with one injected lone surrogate (`bad`) and the string UTF-8 turns it into (`replaced`). */
const collision = fc
  .tuple(text(4), lone, text(4))
  .map(([a, s, b]) => ({ bad: a + s + b, replaced: `${a}\uFFFD${b}` }))
  .filter((c) => Buffer.byteLength(c.replaced) <= 32);

async function expectCode(promise: unknown, code: string, message?: RegExp): Promise<void> {
  let thrown: unknown;
  try {
    await promise;
  } catch (error) {
    thrown = error;
  }
  expect(isImAuthError(thrown, code as never), String(thrown)).toBe(true);
  if (message) expect((thrown as Error).message).toMatch(message);
}

const SIGNED = ["TLS.appid_at_3rd", "TLS.account_type", "TLS.identifier", "TLS.sdk_appid", "TLS.time"];

/** A legacy document signed with OpenSSL over its fields, as an official v1 library signs it. */
function signedDocument(fields: Record<string, string>): string {
  let content = "";
  for (const name of [...SIGNED, "TLS.expire_after", "TLS.userbuf"]) {
    if (fields[name] !== undefined) content += `${name}:${fields[name]}\n`;
  }
  const sig = nodeSign("sha256", Buffer.from(content, "utf8"), key.privateKey).toString("base64");
  return deflateUserSig(JSON.stringify({ ...fields, "TLS.sig": sig }));
}

const baseFields = {
  "TLS.account_type": "0",
  "TLS.identifier": "alice",
  "TLS.appid_at_3rd": "0",
  "TLS.sdk_appid": String(sdkAppId),
  "TLS.expire_after": "86400",
  "TLS.version": "201610110000",
  "TLS.time": String(nowSeconds),
};

describe("generation refuses strings with a lone surrogate", () => {
  it("genLegacyUserSig (userId, userBuf as text) and ecdsaSigner", async () => {
    const signer = ecdsaSigner({ privateKey: key.pkcs8 });
    await fc.assert(
      fc.asyncProperty(collision, async ({ bad, replaced }) => {
        expect(isWellFormed(bad)).toBe(false);
        const base = { sdkAppId, privateKey: key.sec1, clock };
        const refused = /well-formed UTF-16/;
        await expectCode(genLegacyUserSig({ ...base, userId: bad }), "ERR_INVALID_INPUT", refused);
        await expectCode(
          genLegacyUserSig({ ...base, userId: "a", userBuf: bad }),
          "ERR_INVALID_INPUT",
          refused,
        );
        await expectCode(
          signer.sign({ sdkAppId, userId: bad, expireSeconds: 60, nowMs: clock() }),
          "ERR_INVALID_INPUT",
          refused,
        );
        // The well-formed twin is accepted: the refusal is for the surrogate alone.
        await genLegacyUserSig({ ...base, userId: replaced, userBuf: replaced });
      }),
      { numRuns: 60 },
    );
  });
});

describe("a UserSig rewritten to hold a lone surrogate never verifies", () => {
  const options = { sdkAppId, publicKey: key.spki, clock };

  it("TLS.identifier of a genLegacyUserSig UserSig", async () => {
    await fc.assert(
      fc.asyncProperty(collision, async ({ bad, replaced }) => {
        const genuine = await genLegacyUserSig({ sdkAppId, privateKey: key.sec1, userId: replaced, clock });
        const doc = inflateUserSig(genuine);
        const forged = deflateUserSig(JSON.stringify({ ...doc, "TLS.identifier": bad }));
        // The collision is real: the signature covers the rewritten text too, byte for byte.
        const text = `TLS.appid_at_3rd:0\nTLS.account_type:0\nTLS.identifier:${bad}\nTLS.sdk_appid:${sdkAppId}\nTLS.time:${nowSeconds}\nTLS.expire_after:${doc["TLS.expire_after"]}\n`;
        expect(
          nodeVerify("sha256", Buffer.from(text), key.publicKey, Buffer.from(doc["TLS.sig"]!, "base64")),
        ).toBe(true);
        expect(() => decodeLegacyUserSig(forged)).toThrow(/TLS\.identifier is not well-formed/);
        await expectCode(verifyLegacyUserSig(forged, options), "ERR_MALFORMED_CREDENTIAL");
        await expectCode(
          verifyLegacyUserSig(forged, { ...options, userId: bad }),
          "ERR_MALFORMED_CREDENTIAL",
        );
        expect((await verifyLegacyUserSig(genuine, { ...options, userId: replaced })).userId).toBe(replaced);
      }),
      { numRuns: 40 },
    );
  });

  it("any other signed text field (account type, appid_at_3rd)", async () => {
    await fc.assert(
      fc.asyncProperty(
        collision,
        fc.constantFrom("TLS.account_type", "TLS.appid_at_3rd"),
        async ({ bad, replaced }, name) => {
          const genuine = signedDocument({ ...baseFields, [name]: replaced });
          await verifyLegacyUserSig(genuine, options);
          const forged = deflateUserSig(JSON.stringify({ ...inflateUserSig(genuine), [name]: bad }));
          await expectCode(verifyLegacyUserSig(forged, options), "ERR_MALFORMED_CREDENTIAL", /well-formed/);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("an expected userBuf given as text with a lone surrogate is refused, not matched as U+FFFD", async () => {
    await fc.assert(
      fc.asyncProperty(collision, async ({ bad, replaced }) => {
        const userSig = await genLegacyUserSig({
          sdkAppId,
          privateKey: key.sec1,
          userId: "a",
          userBuf: replaced,
          clock,
        });
        await verifyLegacyUserSig(userSig, { ...options, userBuf: replaced });
        await expectCode(verifyLegacyUserSig(userSig, { ...options, userBuf: bad }), "ERR_INVALID_INPUT");
      }),
      { numRuns: 40 },
    );
  });
});
