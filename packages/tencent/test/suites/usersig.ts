// The UserSig suite, run once per build: usersig.test.ts (portable primitives) and usersig-node.test.ts
// (the Node build's primitives swapped in with vi.mock). Oracles are the shared vectors, the official
// tls-sig-api-v2 package run side by side, and node:zlib / node:crypto in the test itself.
import { createHmac } from "node:crypto";
import { createRequire } from "node:module";
import { deflateSync, inflateSync } from "node:zlib";
import { isImAuthError } from "@imauth/core";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import vectors from "../../../../vectors/tencent-usersig-v2.json" with { type: "json" };
import {
  DEFAULT_EXPIRE_SECONDS,
  decodePrivateMapKeyUserBuf,
  decodeUserSig,
  genPrivateMapKey,
  genUserSig,
  hmacSigner,
  hmacVerifier,
  TRTC_PRIVILEGE,
  verifyUserSig,
} from "../../src/index.js";

const require = createRequire(import.meta.url);
const { Api } = require("tls-sig-api-v2") as {
  Api: new (
    sdkappid: number,
    key: string,
  ) => {
    genUserSig(userid: string, expire: number): string;
    genPrivateMapKey(userid: string, expire: number, roomid: number, privilegeMap: number): string;
    genPrivateMapKeyWithStringRoomID(
      userid: string,
      expire: number,
      roomstr: string,
      privilegeMap: number,
    ): string;
  };
};

const { sdkAppId, secretKey, userId, expireSeconds, nowSeconds } = vectors.inputs;
const clock = () => nowSeconds * 1000;
const TENCENT = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-_";

/** Inflates a UserSig with node:zlib, independently of the package's own reader. */
export function inflateWithNode(userSig: string): string {
  const b64 = userSig.replace(/[*\-_]/g, (c) => (c === "*" ? "+" : c === "-" ? "/" : "="));
  return inflateSync(Buffer.from(b64, "base64")).toString("utf8");
}

/** Encodes a JSON text as a UserSig with node:zlib at `level`. */
export function packWithNode(json: string, level = 6): string {
  return deflateSync(Buffer.from(json, "utf8"), { level })
    .toString("base64")
    .replace(/[+/=]/g, (c) => (c === "+" ? "*" : c === "/" ? "-" : "_"));
}

/** Asserts that `fn` throws an ImAuthError with `code`. */
export function expectCode(fn: () => unknown, code: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `expected ${code}`).toBeDefined();
  expect(isImAuthError(thrown), String(thrown)).toBe(true);
  expect((thrown as { code: string }).code).toBe(code);
}

/** Asserts that verifying `userSig` throws an ImAuthError (any code). */
function expectRejected(userSig: string, options: Parameters<typeof verifyUserSig>[1]): void {
  let thrown: unknown;
  let accepted = false;
  try {
    verifyUserSig(userSig, options);
    accepted = true;
  } catch (error) {
    thrown = error;
  }
  if (accepted) throw new Error(`accepted a changed UserSig: ${userSig}`);
  if (!isImAuthError(thrown)) throw new Error(`untyped failure: ${String(thrown)}`);
}

export function usersigSuite(build: string, expectedPlatform: string, platform: () => Promise<string>): void {
  describe(`UserSig (${build} build)`, () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it(`runs on the ${expectedPlatform} primitives`, async () => {
      expect(await platform()).toBe(expectedPlatform);
    });

    describe("shared vectors", () => {
      it("hmacContent and hmacBase64 match the document genUserSig writes", () => {
        const doc = JSON.parse(
          inflateWithNode(genUserSig({ sdkAppId, secretKey, userId, expireSeconds, clock })),
        );
        expect(doc["TLS.sig"]).toBe(vectors.hmacBase64);
        expect(createHmac("sha256", secretKey).update(vectors.hmacContent).digest("base64")).toBe(
          vectors.hmacBase64,
        );
      });

      for (const v of vectors.generate) {
        it(`${v.name} decodes to the official document (${v.producer})`, () => {
          const ours =
            v.name === "genUserSig"
              ? genUserSig({ sdkAppId, secretKey, userId, expireSeconds, clock })
              : genPrivateMapKey({
                  sdkAppId,
                  secretKey,
                  userId,
                  expireSeconds,
                  clock,
                  roomId: v.roomId as number | string,
                  privilegeMap: v.privilegeMap as number,
                });
          // Our deflate level differs from theirs (stored blocks vs 6); the documents are byte-identical.
          expect(inflateWithNode(ours)).toBe(inflateWithNode(v.expected));
          const official = JSON.parse(inflateWithNode(v.expected));
          if ("decodedJson" in v) expect(official).toEqual(v.decodedJson);
          if ("userBufBase64" in v) {
            expect(official["TLS.userbuf"]).toBe(v.userBufBase64);
            expect(Buffer.from(v.userBufBase64 as string, "base64").toString("hex")).toBe(v.userBufHex);
            expect(official["TLS.sig"]).toBe(v.hmacBase64);
          }
          const decoded = verifyUserSig(ours, { sdkAppId, secretKey, userId, clock });
          expect(decoded.userBuf?.base64).toBe(official["TLS.userbuf"]);
          // The official output itself verifies too.
          verifyUserSig(v.expected, { sdkAppId, secretKey, userId, clock });
        });
      }

      for (const v of vectors.verifyAccept) {
        it(`verifies: ${v.producer}`, () => {
          const userBuf = "userBufBase64" in v ? Buffer.from(v.userBufBase64 as string, "base64") : null;
          const d = verifyUserSig(v.userSig, { sdkAppId, secretKey, userId, userBuf, clock });
          expect(d.userId).toBe(userId);
          expect(d.sdkAppId).toBe(sdkAppId);
          expect(d.issuedAtSeconds).toBe(nowSeconds);
          expect(d.expireSeconds).toBe(expireSeconds);
          expect(d.expiresAt.getTime()).toBe((nowSeconds + expireSeconds) * 1000);
        });
      }

      it(`validity: ${vectors.validity}`, () => {
        for (const v of vectors.verifyAccept) {
          const last = () => (nowSeconds + expireSeconds) * 1000 + 999;
          verifyUserSig(v.userSig, { sdkAppId, secretKey, clock: last });
          expectCode(
            () => verifyUserSig(v.userSig, { sdkAppId, secretKey, clock: () => last() + 1 }),
            "ERR_CREDENTIAL_EXPIRED",
          );
        }
      });

      it("decodes PrivateMapKey userbufs of both layouts", () => {
        const [, numeric, stringRoom] = vectors.generate;
        const a = decodeUserSig(numeric!.expected).userBuf!.privateMapKey!;
        expect(a).toMatchObject({
          version: 0,
          userId,
          sdkAppId,
          roomId: 10000,
          privilegeMap: 255,
          accountType: 0,
        });
        expect(a.expiresAtSeconds).toBe(nowSeconds + expireSeconds);
        expect(Object.values(a.privileges).every(Boolean)).toBe(true);
        const b = decodeUserSig(stringRoom!.expected).userBuf!.privateMapKey!;
        expect(b).toMatchObject({ version: 1, roomId: "1000000040", privilegeMap: 255 });
        expect(decodeUserSig(vectors.generate[0]!.expected).userBuf).toBeUndefined();
      });
    });

    describe("differential against tls-sig-api-v2 (mocked clock)", () => {
      const ascii = fc.string({
        minLength: 1,
        maxLength: 32,
        unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      });
      const common = {
        sdkAppId: fc.integer({ min: 1, max: 0xffffffff }),
        key: fc.string({ minLength: 1, maxLength: 80 }),
        userId: ascii,
        expire: fc.integer({ min: 1, max: 400_000_000 }),
        nowMs: fc.integer({ min: 0, max: 3_800_000_000_000 }),
      };

      it("genUserSig and genPrivateMapKey decode to the official documents (1,200 cases)", () => {
        fc.assert(
          fc.property(
            fc.record({
              ...common,
              kind: fc.constantFrom("user", "numeric", "string"),
              roomNumber: fc.integer({ min: 1, max: 0xffffffff }),
              roomString: fc.string({
                minLength: 1,
                maxLength: 64,
                unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
              }),
              privilegeMap: fc.oneof(
                fc.integer({ min: 0, max: 255 }),
                fc.integer({ min: 0, max: 0xffffffff }),
              ),
            }),
            (c) => {
              vi.spyOn(Date, "now").mockReturnValue(c.nowMs);
              const api = new Api(c.sdkAppId, c.key);
              const clk = () => c.nowMs;
              const base = {
                sdkAppId: c.sdkAppId,
                secretKey: c.key,
                userId: c.userId,
                expireSeconds: c.expire,
                clock: clk,
              };
              let theirs: string;
              let ours: string;
              if (c.kind === "user") {
                theirs = api.genUserSig(c.userId, c.expire);
                ours = genUserSig(base);
              } else if (c.kind === "numeric") {
                theirs = api.genPrivateMapKey(c.userId, c.expire, c.roomNumber, c.privilegeMap);
                ours = genPrivateMapKey({ ...base, roomId: c.roomNumber, privilegeMap: c.privilegeMap });
              } else {
                theirs = api.genPrivateMapKeyWithStringRoomID(
                  c.userId,
                  c.expire,
                  c.roomString,
                  c.privilegeMap,
                );
                ours = genPrivateMapKey({ ...base, roomId: c.roomString, privilegeMap: c.privilegeMap });
              }
              vi.restoreAllMocks();
              // Same fields, values, order, userbuf and HMAC: the inflated texts are identical.
              expect(inflateWithNode(ours)).toBe(inflateWithNode(theirs));
              // And each verifies with the other's expectations.
              const a = verifyUserSig(theirs, {
                sdkAppId: c.sdkAppId,
                secretKey: c.key,
                userId: c.userId,
                clock: clk,
              });
              const b = verifyUserSig(ours, {
                sdkAppId: c.sdkAppId,
                secretKey: c.key,
                userId: c.userId,
                clock: clk,
              });
              expect(b).toEqual(a);
            },
          ),
          { numRuns: 1200 },
        );
      });

      it("non-ASCII user IDs: same UserSig document; the userbuf differs on purpose (UTF-8 vs UTF-16 low bytes)", () => {
        vi.spyOn(Date, "now").mockReturnValue(nowSeconds * 1000);
        const api = new Api(sdkAppId, secretKey);
        const u = "用户-ü";
        expect(inflateWithNode(genUserSig({ sdkAppId, secretKey, userId: u, expireSeconds, clock }))).toBe(
          inflateWithNode(api.genUserSig(u, expireSeconds)),
        );
        const ours = decodeUserSig(
          genPrivateMapKey({
            sdkAppId,
            secretKey,
            userId: u,
            expireSeconds,
            clock,
            roomId: "房间",
            privilegeMap: 255,
          }),
        );
        const theirs = decodeUserSig(api.genPrivateMapKeyWithStringRoomID(u, expireSeconds, "房间", 255));
        expect(ours.userBuf!.privateMapKey).toMatchObject({ userId: u, roomId: "房间" });
        expect(Buffer.from(ours.userBuf!.bytes).includes(Buffer.from(u, "utf8"))).toBe(true);
        expect(theirs.userBuf!.privateMapKey!.userId).not.toBe(u);
      });
    });

    describe("properties", () => {
      const userIdArb = fc
        .string({ minLength: 1, maxLength: 10, unit: "grapheme" })
        .filter(
          (s) => Buffer.byteLength(s) <= 32 && ![...s].some((c) => c.charCodeAt(0) < 0x20 || c === "\u007f"),
        );

      it("gen -> verify round trips (user and PrivateMapKey)", () => {
        fc.assert(
          fc.property(
            fc.integer({ min: 1, max: 0xffffffff }),
            fc.string({ minLength: 1, maxLength: 64 }),
            userIdArb,
            fc.integer({ min: 1, max: 1_000_000_000 }),
            fc.integer({ min: 0, max: 3_000_000_000_000 }),
            fc.option(fc.oneof(fc.integer({ min: 1, max: 0xffffffff }), userIdArb)),
            fc.integer({ min: 0, max: 0xffffffff }),
            (app, key, user, expire, nowMs, room, privilegeMap) => {
              const clk = () => nowMs;
              const opts = { sdkAppId: app, secretKey: key, userId: user, expireSeconds: expire, clock: clk };
              const sig =
                room === null ? genUserSig(opts) : genPrivateMapKey({ ...opts, roomId: room, privilegeMap });
              const at = (s: number) => () => s * 1000;
              const issued = Math.floor(nowMs / 1000);
              const d = verifyUserSig(sig, {
                sdkAppId: app,
                secretKey: key,
                userId: user,
                clock: at(issued + expire),
              });
              expect(d).toMatchObject({
                userId: user,
                sdkAppId: app,
                issuedAtSeconds: issued,
                expireSeconds: expire,
              });
              if (room === null) expect(d.userBuf).toBeUndefined();
              else
                expect(d.userBuf!.privateMapKey).toMatchObject({
                  userId: user,
                  sdkAppId: app,
                  roomId: room,
                  privilegeMap,
                  expiresAtSeconds: issued + expire,
                });
              expectCode(
                () => verifyUserSig(sig, { sdkAppId: app, secretKey: key, clock: at(issued + expire + 1) }),
                "ERR_CREDENTIAL_EXPIRED",
              );
              expectCode(
                () => verifyUserSig(sig, { sdkAppId: app, secretKey: `${key}x`, clock: clk }),
                "ERR_SIGNATURE_INVALID",
              );
              expectCode(
                () => verifyUserSig(sig, { sdkAppId: app, secretKey: key, userId: `${user}x`, clock: clk }),
                "ERR_USER_MISMATCH",
              );
              expectCode(
                () => verifyUserSig(sig, { sdkAppId: app === 1 ? 2 : app - 1, secretKey: key, clock: clk }),
                "ERR_APP_MISMATCH",
              );
            },
          ),
          { numRuns: 300 },
        );
      });

      it("any single-character change to a generated UserSig is rejected with a typed error", () => {
        fc.assert(
          fc.property(
            userIdArb,
            fc.option(fc.integer({ min: 1, max: 0xffffffff })),
            fc.nat(),
            fc.oneof(fc.constantFrom(...TENCENT), fc.constantFrom("+", "/", "=", " ", "\n", "é", "\u0000")),
            (user, room, index, replacement) => {
              const opts = { sdkAppId, secretKey, userId: user, clock };
              const sig =
                room === null
                  ? genUserSig(opts)
                  : genPrivateMapKey({ ...opts, roomId: room, privilegeMap: 255 });
              const i = index % sig.length;
              fc.pre(sig[i] !== replacement);
              expectRejected(sig.slice(0, i) + replacement + sig.slice(i + 1), {
                sdkAppId,
                secretKey,
                clock,
              });
            },
          ),
          { numRuns: 3000 },
        );
      });

      it("every single-character change to our UserSigs is rejected (exhaustive)", () => {
        const sigs = [
          genUserSig({ sdkAppId, secretKey, userId, clock }),
          genPrivateMapKey({ sdkAppId, secretKey, userId, clock, roomId: "1000000040", privilegeMap: 42 }),
        ];
        let checked = 0;
        for (const sig of sigs) {
          for (let i = 0; i < sig.length; i++) {
            for (const c of TENCENT) {
              if (c === sig[i]) continue;
              expectRejected(sig.slice(0, i) + c + sig.slice(i + 1), { sdkAppId, secretKey, clock });
              checked++;
            }
          }
        }
        expect(checked).toBeGreaterThan(20_000);
      });

      it("a single-character change to an official (deflated) UserSig is rejected unless it re-encodes the same document", () => {
        // Deflate is not canonical: a back-reference to an earlier copy of the same bytes (another distance)
        // inflates to the identical, still validly signed document. Any change to the document is rejected.
        let checked = 0;
        let sameDocument = 0;
        for (const { userSig: sig } of vectors.verifyAccept) {
          const original = inflateWithNode(sig);
          for (let i = 0; i < sig.length; i++) {
            for (const c of TENCENT) {
              if (c === sig[i]) continue;
              const changed = sig.slice(0, i) + c + sig.slice(i + 1);
              checked++;
              try {
                verifyUserSig(changed, { sdkAppId, secretKey, clock });
              } catch (error) {
                if (!isImAuthError(error)) throw new Error(`untyped failure: ${String(error)}`);
                continue;
              }
              expect(inflateWithNode(changed)).toBe(original);
              sameDocument++;
            }
          }
        }
        expect(checked).toBeGreaterThan(40_000);
        expect(sameDocument).toBeLessThan(checked / 1000);
      });
    });

    describe("signer and verifier strategies", () => {
      it("hmacSigner makes UserSigs hmacVerifier accepts, and hides the key", async () => {
        const signer = hmacSigner({ secretKey });
        const verifier = hmacVerifier({ secretKey });
        expect(signer.algorithm).toBe("hmac-sha256");
        const sig = await signer.sign({
          sdkAppId,
          userId: "administrator",
          expireSeconds: 600,
          nowMs: clock(),
        });
        expect(sig).toBe(
          genUserSig({ sdkAppId, secretKey, userId: "administrator", expireSeconds: 600, clock }),
        );
        const v = await verifier.verify(sig, { sdkAppId, userId: "administrator", clock });
        expect(v).toMatchObject({ userId: "administrator", sdkAppId });
        expect(v.expiresAt.getTime() - v.issuedAt.getTime()).toBe(600_000);
        const later = () => clock() + 601_000;
        await expect(async () => verifier.verify(sig, { sdkAppId, clock: later })).rejects.toMatchObject({
          code: "ERR_CREDENTIAL_EXPIRED",
        });
        await expect(async () =>
          hmacVerifier({ secretKey: "other" }).verify(sig, { sdkAppId, clock }),
        ).rejects.toMatchObject({
          code: "ERR_SIGNATURE_INVALID",
        });
        for (const s of [
          JSON.stringify(signer),
          String(signer),
          JSON.stringify(verifier),
          require("node:util").inspect(signer),
        ]) {
          expect(s).not.toContain(secretKey);
        }
        expectCode(() => hmacSigner({ secretKey: "" }), "ERR_INVALID_CONFIG");
        expectCode(() => hmacVerifier(null as never), "ERR_INVALID_CONFIG");
      });
    });

    describe("input validation", () => {
      it("rejects bad options with typed errors naming the field", () => {
        const ok = { sdkAppId, secretKey, userId, clock };
        expectCode(() => genUserSig(null as never), "ERR_INVALID_INPUT");
        expectCode(() => genUserSig({ ...ok, sdkAppId: 0 }), "ERR_INVALID_CONFIG");
        expectCode(() => genUserSig({ ...ok, sdkAppId: 2 ** 32 }), "ERR_INVALID_CONFIG");
        expectCode(() => genUserSig({ ...ok, sdkAppId: "1400000000" as never }), "ERR_INVALID_CONFIG");
        expectCode(() => genUserSig({ ...ok, secretKey: "" }), "ERR_INVALID_CONFIG");
        expectCode(() => genUserSig({ ...ok, userId: "" }), "ERR_INVALID_INPUT");
        expectCode(() => genUserSig({ ...ok, userId: "a".repeat(33) }), "ERR_INVALID_INPUT");
        expectCode(() => genUserSig({ ...ok, userId: "a\nb" }), "ERR_INVALID_INPUT");
        expectCode(() => genUserSig({ ...ok, expireSeconds: 0 }), "ERR_INVALID_INPUT");
        expectCode(() => genUserSig({ ...ok, expireSeconds: 1.5 }), "ERR_INVALID_INPUT");
        expectCode(() => genUserSig({ ...ok, clock: () => Number.NaN }), "ERR_INVALID_CONFIG");
        const pm = { ...ok, roomId: 1, privilegeMap: 255 };
        expectCode(() => genPrivateMapKey({ ...pm, roomId: 0 }), "ERR_INVALID_INPUT");
        expectCode(() => genPrivateMapKey({ ...pm, roomId: "" }), "ERR_INVALID_INPUT");
        expectCode(() => genPrivateMapKey({ ...pm, roomId: "r".repeat(65) }), "ERR_INVALID_INPUT");
        expectCode(() => genPrivateMapKey({ ...pm, roomId: null as never }), "ERR_INVALID_INPUT");
        expectCode(() => genPrivateMapKey({ ...pm, privilegeMap: -1 }), "ERR_INVALID_INPUT");
        expectCode(() => genPrivateMapKey({ ...pm, expireSeconds: 0xffffffff }), "ERR_INVALID_INPUT");
        try {
          genUserSig({ ...ok, userId: "a".repeat(40) });
        } catch (error) {
          expect(String(error)).toContain("userId");
          expect(String(error)).not.toContain(secretKey);
        }
      });

      it("defaults to 180 days and exposes the privilege bits", () => {
        expect(decodeUserSig(genUserSig({ sdkAppId, secretKey, userId, clock })).expireSeconds).toBe(
          DEFAULT_EXPIRE_SECONDS,
        );
        expect(DEFAULT_EXPIRE_SECONDS).toBe(180 * 86400);
        expect(TRTC_PRIVILEGE.ENTER_ROOM | TRTC_PRIVILEGE.RECEIVE_AUDIO | TRTC_PRIVILEGE.RECEIVE_VIDEO).toBe(
          42,
        );
        const buf = decodeUserSig(
          genPrivateMapKey({ sdkAppId, secretKey, userId, clock, roomId: 7, privilegeMap: 42 }),
        ).userBuf!;
        expect(buf.privateMapKey!.privileges).toEqual({
          createRoom: false,
          enterRoom: true,
          sendAudio: false,
          receiveAudio: true,
          sendVideo: false,
          receiveVideo: true,
          sendSubStream: false,
          receiveSubStream: false,
        });
        expect(decodePrivateMapKeyUserBuf(buf.bytes)).toEqual(buf.privateMapKey);
      });
    });
  });
}
