// Lone UTF-16 surrogates: UTF-8 encoding (of the HMAC input, of a userbuf) turns each into U+FFFD, so
// "a\uD800" would sign like "a\uFFFD". Generation must refuse such strings, and a document that spells one
// with a JSON escape (the attack path: a genuine UserSig for the U+FFFD name, rewritten) must never verify.
// Also: TLS.time and TLS.expire stay u32, so the decoded Dates are always valid.
import { createHmac } from "node:crypto";
import { createRequire } from "node:module";
import { isImAuthError } from "@imauth/core";
import { isWellFormed } from "@imauth/core/adapter";
import { Api } from "@imauth/tencent/compat";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  decodeUserSig,
  encodePrivateMapKeyUserBuf,
  genPrivateMapKey,
  genUserSig,
  verifyUserSig,
} from "../src/index.js";
import { callbackSignature as callbackSign } from "../src/webhook.js";
import { expectCode, inflateWithNode, packWithNode } from "./suites/usersig.js";

const require = createRequire(import.meta.url);
const Official = require("tls-sig-api-v2").Api as new (sdkappid: number | string, key: string) => Api;

const sdkAppId = 1400000000;
const secretKey = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const nowSeconds = 1_700_000_000;
const clock = () => nowSeconds * 1000;
const bytes = (s: string) => Buffer.byteLength(s, "utf8");

// Well-formed text (graphemes never end in a lone high half nor start with a low one), no control characters.
const text = (maxLength: number) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: IDs must not hold control characters
  fc.string({ unit: "grapheme", maxLength }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s));
const lone = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** A string with one injected lone surrogate (`bad`) and the string UTF-8 turns it into (`replaced`). */
const collision = (maxBytes: number) =>
  fc
    .tuple(text(4), lone, text(4))
    .map(([a, s, b]) => ({ bad: a + s + b, replaced: `${a}\uFFFD${b}` }))
    .filter((c) => bytes(c.replaced) <= maxBytes);

/** Asserts that `fn` throws ImAuthError ERR_INVALID_INPUT because of an unpaired surrogate. */
function expectRefused(fn: () => unknown): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(isImAuthError(thrown, "ERR_INVALID_INPUT"), String(thrown)).toBe(true);
  expect((thrown as Error).message).toMatch(/well-formed UTF-16/);
}

/** The UserSig with its document's TLS.identifier replaced (JSON.stringify writes `\udXXX` escapes). */
function rewriteIdentifier(userSig: string, identifier: string): string {
  const doc = JSON.parse(inflateWithNode(userSig)) as Record<string, unknown>;
  doc["TLS.identifier"] = identifier;
  return packWithNode(JSON.stringify(doc));
}

/** The HMAC a verifier that UTF-8-encodes without checking would compute for the rewritten document. */
function naiveHmac(userSig: string, identifier: string): string {
  const doc = JSON.parse(inflateWithNode(userSig)) as Record<string, string | number>;
  let content = `TLS.identifier:${identifier}\nTLS.sdkappid:${doc["TLS.sdkappid"]}\nTLS.time:${doc["TLS.time"]}\nTLS.expire:${doc["TLS.expire"]}\n`;
  if (doc["TLS.userbuf"] !== undefined) content += `TLS.userbuf:${doc["TLS.userbuf"]}\n`;
  return createHmac("sha256", secretKey).update(content, "utf8").digest("base64");
}

describe("generation refuses strings with a lone surrogate", () => {
  it("genUserSig, genPrivateMapKey and encodePrivateMapKeyUserBuf", () => {
    fc.assert(
      fc.property(collision(32), collision(64), ({ bad, replaced }, room) => {
        expect(isWellFormed(bad)).toBe(false);
        const base = { sdkAppId, secretKey, clock };
        expectRefused(() => genUserSig({ ...base, userId: bad }));
        expectRefused(() => genPrivateMapKey({ ...base, userId: bad, roomId: 1, privilegeMap: 255 }));
        expectRefused(() =>
          genPrivateMapKey({ ...base, userId: replaced, roomId: room.bad, privilegeMap: 255 }),
        );
        const fields = { sdkAppId, expiresAtSeconds: nowSeconds, privilegeMap: 255 };
        expectRefused(() => encodePrivateMapKeyUserBuf({ ...fields, userId: bad, roomId: 1 }));
        expectRefused(() => encodePrivateMapKeyUserBuf({ ...fields, userId: replaced, roomId: room.bad }));
        // The well-formed twins are accepted: the refusal is for the surrogate alone.
        genUserSig({ ...base, userId: replaced });
        genPrivateMapKey({ ...base, userId: replaced, roomId: room.replaced, privilegeMap: 255 });
      }),
      { numRuns: 300 },
    );
  });

  it("the /compat Api, in every string that reaches the HMAC", () => {
    fc.assert(
      fc.property(collision(32), collision(64), ({ bad, replaced }, room) => {
        const api = new Api(sdkAppId, secretKey, { clock });
        expectRefused(() => api.genUserSig(bad, 300));
        expectRefused(() => api.genSig(bad, 300, null));
        expectRefused(() => api.genSig(replaced, 300, room.bad));
        expectRefused(() => api.genPrivateMapKey(bad, 300, 1, 255));
        expectRefused(() => api.genPrivateMapKeyWithStringRoomID(replaced, 300, room.bad, 255));
        expectRefused(() => new Api(`${sdkAppId}${bad}`, secretKey, { clock }).genUserSig("a", 300));
        expectRefused(() => api.genUserSig("a", `300${bad}` as unknown as number));
      }),
      { numRuns: 300 },
    );
  });

  it("the official package signs the two alike, which is why /compat departs from it here", () => {
    vi.spyOn(Date, "now").mockReturnValue(nowSeconds * 1000);
    const official = new Official(sdkAppId, secretKey);
    const sigOf = (userSig: string) => JSON.parse(inflateWithNode(userSig))["TLS.sig"];
    expect(sigOf(official.genUserSig("a\uD800", 300))).toBe(sigOf(official.genUserSig("a\uFFFD", 300)));
    vi.restoreAllMocks();
  });

  it("callbackSign refuses a RequestTime with a lone surrogate", () => {
    expectRefused(() => callbackSign("token", "1700000000\uD800"));
  });
});

describe("/compat stays byte-identical to tls-sig-api-v2 for well-formed non-ASCII input", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("surrogate pairs and other graphemes in IDs, rooms and userbufs", () => {
    fc.assert(
      fc.property(
        text(8).filter((s) => s.length > 0),
        text(16),
        fc.constantFrom("genUserSig", "genSig", "genPrivateMapKey", "genPrivateMapKeyWithStringRoomID"),
        (user, extra, method) => {
          const run = (api: Api) =>
            method === "genUserSig"
              ? api.genUserSig(user, 300)
              : method === "genSig"
                ? api.genSig(user, 300, extra)
                : method === "genPrivateMapKey"
                  ? api.genPrivateMapKey(user, 300, 10000, 255)
                  : api.genPrivateMapKeyWithStringRoomID(user, 300, extra, 255);
          vi.spyOn(Date, "now").mockReturnValue(nowSeconds * 1000);
          const expected = run(new Official(sdkAppId, secretKey));
          vi.restoreAllMocks();
          expect(run(new Api(sdkAppId, secretKey, { clock }))).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("a UserSig rewritten to a lone-surrogate identifier never verifies", () => {
  const issuers = {
    genUserSig: (userId: string) => genUserSig({ sdkAppId, secretKey, userId, clock }),
    genPrivateMapKey: (userId: string) =>
      genPrivateMapKey({ sdkAppId, secretKey, userId, clock, roomId: "room", privilegeMap: 255 }),
    compat: (userId: string) => new Api(sdkAppId, secretKey, { clock }).genUserSig(userId, 86400),
  };

  it.each(Object.keys(issuers) as (keyof typeof issuers)[])("issued by %s", (issuer) => {
    fc.assert(
      fc.property(collision(32), ({ bad, replaced }) => {
        const genuine = issuers[issuer](replaced);
        const forged = rewriteIdentifier(genuine, bad);
        // The collision is real: the signature covers the rewritten document too, byte for byte.
        expect(naiveHmac(genuine, bad)).toBe(JSON.parse(inflateWithNode(genuine))["TLS.sig"]);
        expectCode(() => decodeUserSig(forged), "ERR_MALFORMED_CREDENTIAL");
        expectCode(() => verifyUserSig(forged, { sdkAppId, secretKey, clock }), "ERR_MALFORMED_CREDENTIAL");
        expectCode(
          () => verifyUserSig(forged, { sdkAppId, secretKey, userId: bad, clock }),
          "ERR_MALFORMED_CREDENTIAL",
        );
        expect(verifyUserSig(genuine, { sdkAppId, secretKey, userId: replaced, clock }).userId).toBe(
          replaced,
        );
      }),
      { numRuns: 150 },
    );
  });

  it("nor does what the official package writes for a lone-surrogate ID", () => {
    vi.spyOn(Date, "now").mockReturnValue(nowSeconds * 1000);
    const userSig = new Official(sdkAppId, secretKey).genUserSig("a\uDFFF", 300);
    vi.restoreAllMocks();
    expect(inflateWithNode(userSig)).toContain('"a\\udfff"');
    expectCode(() => verifyUserSig(userSig, { sdkAppId, secretKey, clock }), "ERR_MALFORMED_CREDENTIAL");
  });
});

describe("TLS.time and TLS.expire are u32, so the decoded Dates are valid", () => {
  /** A document signed with the key (as a forger holding it, or a buggy issuer, could) with these times. */
  function signedWithTimes(time: number, expire: number): string {
    const content = `TLS.identifier:a\nTLS.sdkappid:${sdkAppId}\nTLS.time:${time}\nTLS.expire:${expire}\n`;
    const sig = createHmac("sha256", secretKey).update(content).digest("base64");
    return packWithNode(
      `{"TLS.ver":"2.0","TLS.identifier":"a","TLS.sdkappid":${sdkAppId},"TLS.time":${time},"TLS.expire":${expire},"TLS.sig":"${sig}"}`,
    );
  }

  it("any u32 pair decodes to valid Dates and verifies while unexpired", () => {
    const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
    fc.assert(
      fc.property(u32, u32, (time, expire) => {
        const d = verifyUserSig(signedWithTimes(time, expire), {
          sdkAppId,
          secretKey,
          clock: () => time * 1000,
        });
        expect(d.issuedAt.getTime()).toBe(time * 1000);
        expect(d.expiresAt.getTime()).toBe((time + expire) * 1000);
      }),
      { numRuns: 200 },
    );
  });

  it("beyond a u32 (999999999999999 included) is malformed, never an Invalid Date", () => {
    const big = fc.oneof(fc.constant(999_999_999_999_999), fc.integer({ min: 2 ** 32, max: 2 ** 53 - 1 }));
    fc.assert(
      fc.property(big, fc.boolean(), (value, inTime) => {
        const userSig = inTime ? signedWithTimes(value, 60) : signedWithTimes(nowSeconds, value);
        expectCode(() => decodeUserSig(userSig), "ERR_MALFORMED_CREDENTIAL");
        expectCode(() => verifyUserSig(userSig, { sdkAppId, secretKey, clock }), "ERR_MALFORMED_CREDENTIAL");
      }),
      { numRuns: 100 },
    );
  });
});
