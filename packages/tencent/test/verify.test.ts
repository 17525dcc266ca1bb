import { createHmac } from "node:crypto";
import { deflateRawSync, deflateSync } from "node:zlib";
import { isImAuthError } from "@imauth/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/tencent-usersig-v2.json" with { type: "json" };
import { decodeUserSig, verifyUserSig } from "../src/index.js";
import { MAX_USERSIG_LENGTH } from "../src/verify.js";
import { expectCode, packWithNode } from "./suites/usersig.js";

const { sdkAppId, secretKey, userId, expireSeconds, nowSeconds } = vectors.inputs;
const clock = () => nowSeconds * 1000;
const options = { sdkAppId, secretKey, userId, clock };
const userBuf = "AQAHeGlhb2p1blNyTgAAAAAAZkE/AAAAAP8AAAAAAAoxMDAwMDAwMDQw";

/** The signature over the vector inputs, computed here with node:crypto. */
function sig(withUserBuf: boolean): string {
  let content = `TLS.identifier:${userId}\nTLS.sdkappid:${sdkAppId}\nTLS.time:${nowSeconds}\nTLS.expire:${expireSeconds}\n`;
  if (withUserBuf) content += `TLS.userbuf:${userBuf}\n`;
  return createHmac("sha256", secretKey).update(content).digest("base64");
}

type Entry = [string, unknown];
const fields = (withUserBuf: boolean): Record<string, Entry> => ({
  ver: ["TLS.ver", "2.0"],
  identifier: ["TLS.identifier", userId],
  sdkappid: ["TLS.sdkappid", sdkAppId],
  time: ["TLS.time", nowSeconds],
  expire: ["TLS.expire", expireSeconds],
  ...(withUserBuf ? { userbuf: ["TLS.userbuf", userBuf] as Entry } : {}),
  sig: ["TLS.sig", sig(withUserBuf)],
});

/** Writes the document as a given producer would: key order, separators, escaping, trailing text. */
function produce(
  order: string[],
  withUserBuf: boolean,
  style: { spaces?: boolean; escapeSlashes?: boolean; trailing?: string } = {},
): string {
  const f = fields(withUserBuf);
  const [comma, colon] = style.spaces ? [", ", ": "] : [",", ":"];
  const parts = order
    .filter((k) => f[k])
    .map((k) => JSON.stringify(f[k]![0]) + colon + JSON.stringify(f[k]![1]));
  let json = `{${parts.join(comma)}}${style.trailing ?? ""}`;
  if (style.escapeSlashes) json = json.replaceAll("/", "\\/");
  return json;
}

const NODE = ["ver", "identifier", "sdkappid", "time", "expire", "userbuf", "sig"];
const PYTHON_GO_PHP = ["ver", "identifier", "sdkappid", "expire", "time", "userbuf", "sig"];
const CPP = ["ver", "sdkappid", "identifier", "time", "expire", "userbuf", "sig"];
const CSHARP = ["ver", "identifier", "sdkappid", "expire", "time", "sig", "userbuf"];
const SORTED = ["expire", "identifier", "sdkappid", "sig", "time", "userbuf", "ver"];
const JAVA = ["sig", "ver", "expire", "userbuf", "identifier", "time", "sdkappid"];

describe("verifyUserSig accepts every official producer's format", () => {
  const producers: [string, string[], Parameters<typeof produce>[2], number][] = [
    ["Node (zlib 6)", NODE, {}, 6],
    ["Python (spaces)", PYTHON_GO_PHP, { spaces: true }, 6],
    ["PHP (escaped slashes)", PYTHON_GO_PHP, { escapeSlashes: true }, 6],
    ["Go >= 1.4 (trailing newline, stored blocks)", PYTHON_GO_PHP, { trailing: "\n" }, 0],
    ["Go <= 1.3 (sorted keys)", SORTED, { trailing: "\n" }, 6],
    ["C++ (sdkappid first)", CPP, {}, 6],
    ["C# (sig before userbuf)", CSHARP, {}, 6],
    ["Java (hash-map order, level 1)", JAVA, {}, 1],
    ["level 9", NODE, {}, 9],
  ];
  for (const [name, order, style, level] of producers) {
    for (const withUserBuf of [false, true]) {
      it(`${name}${withUserBuf ? ", with userbuf" : ""}`, () => {
        const json = produce(order, withUserBuf, style);
        const userSig = packWithNode(json, level);
        const expected = withUserBuf ? Buffer.from(userBuf, "base64") : null;
        const d = verifyUserSig(userSig, { ...options, userBuf: expected });
        expect(d).toMatchObject({ userId, sdkAppId, issuedAtSeconds: nowSeconds, expireSeconds });
        expect(d.userBuf?.privateMapKey?.roomId).toBe(withUserBuf ? "1000000040" : undefined);
        // A changed signed value under a valid-looking document fails the HMAC.
        const forged = packWithNode(json.replace(String(expireSeconds), String(expireSeconds + 1)), level);
        expectCode(() => verifyUserSig(forged, options), "ERR_SIGNATURE_INVALID");
      });
    }
  }
});

describe("verifyUserSig error codes", () => {
  const good = packWithNode(produce(NODE, false));
  const withBuf = packWithNode(produce(NODE, true));

  it("names the failure", () => {
    expectCode(() => verifyUserSig(good, { ...options, sdkAppId: sdkAppId + 1 }), "ERR_APP_MISMATCH");
    expectCode(() => verifyUserSig(good, { ...options, userId: "someone" }), "ERR_USER_MISMATCH");
    expectCode(
      () => verifyUserSig(good, { ...options, secretKey: `${secretKey}0` }),
      "ERR_SIGNATURE_INVALID",
    );
    expectCode(
      () => verifyUserSig(good, { ...options, userBuf: new Uint8Array([1]) }),
      "ERR_USERBUF_MISMATCH",
    );
    expectCode(() => verifyUserSig(withBuf, { ...options, userBuf: null }), "ERR_USERBUF_MISMATCH");
    expectCode(() => verifyUserSig(withBuf, { ...options, userBuf: "AAAA" }), "ERR_USERBUF_MISMATCH");
    expect(verifyUserSig(withBuf, { ...options, userBuf: Buffer.from(userBuf, "base64") }).userId).toBe(
      userId,
    );
    const late = () => (nowSeconds + expireSeconds + 1) * 1000;
    expectCode(() => verifyUserSig(good, { ...options, clock: late }), "ERR_CREDENTIAL_EXPIRED");
    expectCode(() => verifyUserSig(good, { ...options, secretKey: "" }), "ERR_INVALID_CONFIG");
    expectCode(() => verifyUserSig(good, { ...options, sdkAppId: -1 }), "ERR_INVALID_CONFIG");
    expectCode(() => verifyUserSig(good, { ...options, userBuf: 5 as never }), "ERR_INVALID_INPUT");
    expectCode(() => verifyUserSig(good, { ...options, userBuf: "a\uD800" }), "ERR_INVALID_INPUT");
    expectCode(() => verifyUserSig(good, null as never), "ERR_INVALID_INPUT");
  });

  it("reads a string userBuf as UTF-8 text, as @imauth/legacy-ecdsa does", () => {
    const text = "room 会议-7";
    const b64 = Buffer.from(text, "utf8").toString("base64");
    const content = `TLS.identifier:${userId}\nTLS.sdkappid:${sdkAppId}\nTLS.time:${nowSeconds}\nTLS.expire:${expireSeconds}\nTLS.userbuf:${b64}\n`;
    const s = createHmac("sha256", secretKey).update(content).digest("base64");
    const doc = `{"TLS.ver":"2.0","TLS.identifier":"${userId}","TLS.sdkappid":${sdkAppId},"TLS.time":${nowSeconds},"TLS.expire":${expireSeconds},"TLS.userbuf":"${b64}","TLS.sig":"${s}"}`;
    const userSig = packWithNode(doc);
    expect(verifyUserSig(userSig, { ...options, userBuf: text }).userBuf?.base64).toBe(b64);
    expectCode(() => verifyUserSig(userSig, { ...options, userBuf: b64 }), "ERR_USERBUF_MISMATCH");
  });

  it("checks a PrivateMapKey's own expiry too", () => {
    // A userbuf expiring before the document (as no official library writes, but a forger might try).
    const buf = Buffer.from(userBuf, "base64");
    buf.writeUInt32BE(nowSeconds + 10, 3 + 7 + 8);
    const b64 = buf.toString("base64");
    const content = `TLS.identifier:${userId}\nTLS.sdkappid:${sdkAppId}\nTLS.time:${nowSeconds}\nTLS.expire:${expireSeconds}\nTLS.userbuf:${b64}\n`;
    const s = createHmac("sha256", secretKey).update(content).digest("base64");
    const doc = `{"TLS.ver":"2.0","TLS.identifier":"${userId}","TLS.sdkappid":${sdkAppId},"TLS.time":${nowSeconds},"TLS.expire":${expireSeconds},"TLS.userbuf":"${b64}","TLS.sig":"${s}"}`;
    const userSig = packWithNode(doc);
    expect(verifyUserSig(userSig, { ...options, clock: () => (nowSeconds + 10) * 1000 }).userId).toBe(userId);
    expectCode(
      () => verifyUserSig(userSig, { ...options, clock: () => (nowSeconds + 11) * 1000 }),
      "ERR_CREDENTIAL_EXPIRED",
    );
  });
});

describe("decodeUserSig rejects malformed input with ERR_MALFORMED_CREDENTIAL", () => {
  const doc = (patch: Record<string, unknown>, drop: string[] = []) => {
    const base: Record<string, unknown> = Object.fromEntries(Object.values(fields(false)));
    for (const k of drop) delete base[k];
    return JSON.stringify({ ...base, ...patch });
  };
  const cases: [string, string][] = [
    ["not JSON", packWithNode("{not json")],
    ["a JSON array", packWithNode("[1,2]")],
    ["JSON null", packWithNode("null")],
    [
      "invalid UTF-8",
      Buffer.from(deflateSync(Buffer.from([0x7b, 0xff, 0x7d])))
        .toString("base64")
        .replace(/[+/=]/g, (c) => (c === "+" ? "*" : c === "/" ? "-" : "_")),
    ],
    ["version 1", packWithNode(doc({ "TLS.ver": "1.0" }))],
    ["numeric version", packWithNode(doc({ "TLS.ver": 2 }))],
    ["missing identifier", packWithNode(doc({}, ["TLS.identifier"]))],
    ["numeric identifier", packWithNode(doc({ "TLS.identifier": 5 }))],
    ["string sdkappid", packWithNode(doc({ "TLS.sdkappid": String(sdkAppId) }))],
    ["negative time", packWithNode(doc({ "TLS.time": -1 }))],
    ["fractional expire", packWithNode(doc({ "TLS.expire": 1.5 }))],
    [
      "overflowing expire",
      packWithNode(doc({}).replace(`"TLS.expire":${expireSeconds}`, '"TLS.expire":1e400')),
    ],
    ["expire beyond u32", packWithNode(doc({ "TLS.expire": 2 ** 32 }))],
    [
      "unsafe integer time",
      packWithNode(doc({}).replace(`"TLS.time":${nowSeconds}`, '"TLS.time":9007199254740993')),
    ],
    ["short sig", packWithNode(doc({ "TLS.sig": "AAAA" }))],
    ["non-base64 sig", packWithNode(doc({ "TLS.sig": "!".repeat(44) }))],
    ["numeric userbuf", packWithNode(doc({ "TLS.userbuf": 1 }))],
    ["non-base64 userbuf", packWithNode(doc({ "TLS.userbuf": "***" }))],
    ["empty", ""],
    ["standard base64 characters", "eJyr+g=="],
    [
      "whitespace",
      " eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMogMiUZOamKlkZmqOKplYUZBaBxE1NTY3gosWZ6UpWSj5ljuYp*p7l5unBxXnF2WVhVU4uAf7Ozi5JpX7O5SbuHuUhzgZJmQXaTia2SrUAohcx8g__",
    ],
    ["not zlib", Buffer.from("hello world, not zlib").toString("base64").replace(/=/g, "_")],
    [
      "raw deflate without zlib header",
      deflateRawSync(Buffer.from(doc({})))
        .toString("base64")
        .replace(/[+/=]/g, (c) => (c === "+" ? "*" : c === "/" ? "-" : "_")),
    ],
    ["too long", "A".repeat(MAX_USERSIG_LENGTH + 4)],
  ];
  for (const [name, input] of cases) {
    it(name, () => {
      expectCode(() => decodeUserSig(input), "ERR_MALFORMED_CREDENTIAL");
      expectCode(() => verifyUserSig(input, options), "ERR_MALFORMED_CREDENTIAL");
    });
  }

  it("non-strings", () => {
    for (const v of [undefined, null, 5, {}, [], new Uint8Array(3)]) {
      expectCode(() => decodeUserSig(v as never), "ERR_MALFORMED_CREDENTIAL");
    }
  });

  it("a zlib bomb fails fast without allocating its size", () => {
    const bomb = packWithNode(`{"TLS.ver":"2.0","pad":"${" ".repeat(50_000_000)}"}`, 9);
    expect(bomb.length).toBeLessThan(MAX_USERSIG_LENGTH * 40);
    const small = packWithNode(`{"TLS.ver":"2.0","pad":"${" ".repeat(200_000)}"}`, 9);
    expect(small.length).toBeLessThan(MAX_USERSIG_LENGTH);
    const before = process.memoryUsage().arrayBuffers;
    expectCode(() => decodeUserSig(small), "ERR_MALFORMED_CREDENTIAL");
    expectCode(() => decodeUserSig(bomb), "ERR_MALFORMED_CREDENTIAL");
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(10_000_000);
    try {
      decodeUserSig(small);
    } catch (error) {
      expect(String(error)).toContain("more than");
    }
  });

  it("__proto__ keys are harmless", () => {
    const json = `{"__proto__":{"TLS.ver":"2.0","TLS.identifier":"admin"},${produce(NODE, false).slice(1)}`;
    const d = verifyUserSig(packWithNode(json), options);
    expect(d.userId).toBe(userId);
    expect(({} as Record<string, unknown>)["TLS.ver"]).toBeUndefined();
    // Fields only under __proto__ are missing, not inherited.
    expectCode(
      () => decodeUserSig(packWithNode(`{"__proto__":${produce(NODE, false)}}`)),
      "ERR_MALFORMED_CREDENTIAL",
    );
  });

  it("any string either decodes or fails with a typed error (fuzz)", () => {
    const good = packWithNode(produce(NODE, true));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 600 }),
          fc.string({
            maxLength: 600,
            unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-_"),
          }),
          fc.tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 8 })).map(([a, b, s]) => {
            const i = a % good.length;
            return good.slice(0, i) + s + good.slice(i + (b % 8));
          }),
          fc.uint8Array({ maxLength: 400 }).map(
            (b) =>
              `eJ${Buffer.from(b)
                .toString("base64")
                .replace(/[+/=]/g, (c) => (c === "+" ? "*" : c === "/" ? "-" : "_"))}`,
          ),
        ),
        (input) => {
          try {
            verifyUserSig(input, options);
          } catch (error) {
            if (!isImAuthError(error)) throw error;
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
