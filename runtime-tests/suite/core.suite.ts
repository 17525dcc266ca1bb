// @imauth/core: every runtime export of ".", "./adapter", "./deflate", "./http" and "./testing", against the built package.
import { ImAuthError, isImAuthError, Secret, systemClock } from "@imauth/core";
import {
  adler32,
  assertInteger,
  assertNonEmptyString,
  assertOptionsObject,
  assertUserId,
  assertWellFormed,
  base64Alphabet,
  base64Decode,
  base64DecodeWith,
  base64Encode,
  base64EncodeWith,
  constantTimeEqual,
  DEFAULT_MAX_WEBHOOK_BYTES,
  hexDecode,
  hexEncode,
  isWellFormed,
  normalizeBaseUrl,
  parseConfig,
  ROOM_PRIVILEGES,
  randomHex,
  randomUint32,
  readBaseUrls,
  readCapped,
  readClock,
  readRoomScope,
  readWebhook,
  redactable,
  redactUrl,
  refuseRoomScope,
  resolveUnder,
  STANDARD_BASE64,
  sha1Hex,
  TENCENT_BASE64,
  tencentBase64Decode,
  tencentBase64Encode,
  typeName,
  utf8Decode,
  utf8Encode,
  zlibDecompress,
  zlibStore,
} from "@imauth/core/adapter";
import { zlibCompress } from "@imauth/core/deflate";
import { createImClient, defaultRetryDecision, isIdempotentMethod, mayRepeat } from "@imauth/core/http";
import {
  type ConformanceHarness,
  conformanceChecks,
  createFailureQueue,
  createReferenceProvider,
  deliverCallback,
  outcomeOf,
  referenceConformanceHarness,
  registerConformanceTests,
  runProviderConformance,
  verifyReferenceRequest,
  withQueryParam,
} from "@imauth/core/testing";
import { z } from "zod/mini";
import usersigV2 from "../../vectors/tencent-usersig-v2.json";
import { assert, equal, fixedClock, rejects, suite, throws } from "./harness.js";

const test = suite("@imauth/core");
const T0 = 1_700_000_000_000;
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

// RFC 4648 section 10 test vectors.
const RFC4648: Array<[string, string, string]> = [
  ["", "", ""],
  ["f", "Zg==", "66"],
  ["fo", "Zm8=", "666f"],
  ["foo", "Zm9v", "666f6f"],
  ["foob", "Zm9vYg==", "666f6f62"],
  ["fooba", "Zm9vYmE=", "666f6f6261"],
  ["foobar", "Zm9vYmFy", "666f6f626172"],
];

test("base64Encode/base64Decode: RFC 4648 vectors, strict decoding", () => {
  for (const [text, b64] of RFC4648) {
    equal(base64Encode(ascii(text)), b64, `base64Encode(${text})`);
    equal(base64Decode(b64), ascii(text), `base64Decode(${b64})`);
  }
  equal(base64Decode("Zg"), ascii("f"), "unpadded input is accepted");
  for (const bad of ["Z", "Zg=", "Zh==", "Zm9v!", "Zm-v", "Zm9v\n"]) {
    throws(() => base64Decode(bad), "ERR_INVALID_INPUT", `base64Decode(${JSON.stringify(bad)})`);
  }
});

test("hexEncode/hexDecode: RFC 4648 base16 vectors, either case", () => {
  for (const [text, , hex] of RFC4648) {
    equal(hexEncode(ascii(text)), hex, `hexEncode(${text})`);
    equal(hexDecode(hex.toUpperCase()), ascii(text), `hexDecode(${hex.toUpperCase()})`);
  }
  throws(() => hexDecode("abc"), "ERR_INVALID_INPUT", "odd length");
  throws(() => hexDecode("zz"), "ERR_INVALID_INPUT", "non-hex character");
});

test("utf8Encode/utf8Decode: multi-byte text, strict and lenient decoding", () => {
  // U+597D is E5 A5 BD in UTF-8 (Unicode 15, table 3-7).
  equal(utf8Encode("好"), new Uint8Array([0xe5, 0xa5, 0xbd]), "utf8Encode");
  equal(utf8Decode(new Uint8Array([0xe5, 0xa5, 0xbd])), "好", "utf8Decode");
  let threw = false;
  try {
    utf8Decode(new Uint8Array([0xff]));
  } catch (e) {
    threw = e instanceof TypeError;
  }
  assert(threw, "strict utf8Decode must throw a TypeError on invalid UTF-8");
  equal(utf8Decode(new Uint8Array([0x61, 0xff]), false), "a\ufffd", "lenient utf8Decode");
});

test("tencentBase64Decode + zlibDecompress + utf8Decode read an official UserSig", () => {
  const sig = usersigV2.generate[0]!.expected;
  const bytes = tencentBase64Decode(sig);
  const json = JSON.parse(utf8Decode(zlibDecompress(bytes, { maxBytes: 4096 })));
  equal(json, usersigV2.generate[0]!.decodedJson, "decoded UserSig document");
  equal(tencentBase64Encode(bytes), sig, "tencentBase64Encode round-trips the official string");
  equal(tencentBase64Encode(new Uint8Array([251, 255])), "*-8_", "variant alphabet");
  throws(() => tencentBase64Decode("+/8="), "ERR_INVALID_INPUT", "standard base64 characters are refused");
  equal(base64Encode(base64Decode(usersigV2.hmacBase64)), usersigV2.hmacBase64, "HMAC round-trip");
});

test("zlibStore/zlibCompress/zlibDecompress: round trip, size cap, header and checksum checks", () => {
  const data = utf8Encode(JSON.stringify({ text: "héllo 世界".repeat(50) }));
  for (const level of [0, 6, 9] as const) {
    const z9 = zlibCompress(data, level);
    equal(zlibDecompress(z9, { maxBytes: data.length }), data, `level ${level} round trip`);
  }
  equal(zlibStore(data), zlibCompress(data, 0), "level 0 is core's stored-block writer");
  equal(
    zlibStore(ascii("a")),
    Uint8Array.of(0x78, 1, 1, 1, 0, 0xfe, 0xff, 0x61, 0, 0x62, 0, 0x62),
    "stored blocks, RFC 1950 layout",
  );
  const bomb = zlibCompress(new Uint8Array(1_000_000));
  assert(bomb.length < 2000, "a megabyte of zeros compresses small");
  throws(() => zlibDecompress(bomb, { maxBytes: 10_000 }), "ERR_MALFORMED_CREDENTIAL", "zlib bomb");
  const corrupt = zlibCompress(data);
  corrupt[corrupt.length - 1]! ^= 1;
  throws(() => zlibDecompress(corrupt, { maxBytes: 100_000 }), "ERR_MALFORMED_CREDENTIAL", "bad checksum");
  const e = throws(
    () =>
      zlibDecompress(ascii("not zlib at all"), { maxBytes: 100, code: "ERR_WEBHOOK_INVALID", what: "body" }),
    "ERR_WEBHOOK_INVALID",
    "custom code",
  );
  assert(e.message.startsWith("body "), "message names the input");
});

test("adler32: the RFC 1950 checksum", () => {
  // Adler-32("Wikipedia") = 0x11E60398, the worked example of the checksum's definition.
  equal(adler32(ascii("Wikipedia")), 0x11e60398, "Wikipedia");
  equal(adler32(new Uint8Array(0)), 1, "empty input");
  equal(adler32(ascii("xxWikipediayy"), 2, 11), 0x11e60398, "a range");
});

test("constantTimeEqual compares strings and bytes", () => {
  assert(constantTimeEqual("abc", "abc"), "equal strings");
  assert(!constantTimeEqual("abc", "abd"), "different strings");
  assert(!constantTimeEqual("abc", "abcd"), "different lengths");
  assert(constantTimeEqual(new Uint8Array([1, 2]), "\u0001\u0002"), "bytes vs string");
  assert(!constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])), "different bytes");
});

test("ImAuthError and isImAuthError", () => {
  const cause = new Error("socket closed");
  const e = new ImAuthError("ERR_VENDOR_API", "vendor said no", {
    cause,
    vendorCode: 70001,
    vendorMessage: "bad sig",
    status: 200,
  });
  assert(e instanceof Error && e instanceof ImAuthError, "is an Error");
  equal(
    [e.name, e.code, e.message, e.vendorCode, e.vendorMessage, e.status],
    ["ImAuthError", "ERR_VENDOR_API", "vendor said no", 70001, "bad sig", 200],
    "fields",
  );
  assert(e.cause === cause, "cause is kept");
  assert(isImAuthError(e) && isImAuthError(e, "ERR_VENDOR_API"), "isImAuthError matches");
  assert(!isImAuthError(e, "ERR_NETWORK"), "isImAuthError checks the code");
  assert(isImAuthError({ name: "ImAuthError", code: "ERR_NETWORK" }), "works across copies");
  for (const v of [null, undefined, "ImAuthError", new Error("x"), { name: "ImAuthError" }]) {
    assert(!isImAuthError(v), `isImAuthError(${String(v)}) is false`);
  }
});

test("readClock and systemClock", () => {
  equal(readClock(fixedClock(T0)), T0, "reads the injected clock");
  for (const bad of [() => Number.NaN, () => -1, () => "1" as unknown as number, () => Infinity]) {
    throws(() => readClock(bad), "ERR_INVALID_CONFIG", "bad clock");
  }
  const now = systemClock();
  assert(typeof now === "number" && Number.isFinite(now) && now > 0, "systemClock gives epoch ms");
  assert(Number.isFinite(readClock(undefined)), "readClock falls back to the system clock");
});

test("parseConfig validates with zod/mini and never echoes values", () => {
  const Options = z.object({ appKey: z.string().check(z.minLength(4)), ttl: z.optional(z.number()) });
  equal(parseConfig(Options, { appKey: "abcd", ttl: 5 }, "options"), { appKey: "abcd", ttl: 5 }, "valid");
  const e = throws(
    () => parseConfig(Options, { appKey: "s3c", ttl: "not-a-number-secret" }, "test options"),
    "ERR_INVALID_CONFIG",
    "invalid",
  );
  assert(e.message.includes("appKey") && e.message.includes("ttl"), `names the fields: ${e.message}`);
  assert(!e.message.includes("s3c") && !e.message.includes("not-a-number-secret"), "no values echoed");
  throws(() => parseConfig(Options, null, "x", "ERR_INVALID_INPUT"), "ERR_INVALID_INPUT", "custom code");
});

test("randomHex and randomUint32", () => {
  const a = randomHex(16);
  const b = randomHex(16);
  assert(/^[0-9a-f]{32}$/.test(a), `randomHex(16) is 32 hex characters: ${a}`);
  assert(a !== b, "two random values differ");
  const seen = new Set<number>();
  for (let i = 0; i < 8; i++) {
    const n = randomUint32();
    assert(Number.isInteger(n) && n >= 0 && n <= 0xffffffff, "randomUint32 is an unsigned 32-bit integer");
    seen.add(n);
  }
  assert(seen.size > 1, "randomUint32 varies");
});

test("redactable and Secret hide secrets from JSON and String", () => {
  const secret = "super-secret-key-123";
  const p = redactable({ vendor: "x", appId: "app", key: new Secret(secret), sign: () => secret }, "Thing");
  equal(JSON.parse(JSON.stringify(p)), { vendor: "x", appId: "app" }, "JSON shows primitives only");
  equal(String(p), "[Thing]", "String()");
  const s = new Secret(secret);
  equal([JSON.stringify(s), String(s), `${s}`], ['"[redacted]"', "[redacted]", "[redacted]"], "Secret");
  equal(s.reveal(), secret, "reveal");
  const inspect = (s as unknown as Record<symbol, () => string>)[Symbol.for("nodejs.util.inspect.custom")];
  equal(inspect?.call(s), "[redacted]", "inspect hook");
});

test("assertUserId, assertInteger, assertNonEmptyString and typeName", () => {
  assertUserId("alice");
  assertUserId("好".repeat(10), { maxBytes: 30 });
  throws(() => assertUserId("好".repeat(11), { maxBytes: 32 }), "ERR_INVALID_INPUT", "too many bytes");
  throws(() => assertUserId(""), "ERR_INVALID_INPUT", "empty");
  throws(() => assertUserId("a\nb"), "ERR_INVALID_INPUT", "control character");
  throws(() => assertUserId(5, { code: "ERR_INVALID_CONFIG", what: "admin" }), "ERR_INVALID_CONFIG", "type");
  assertInteger(5, "n");
  throws(() => assertInteger(0, "n"), "ERR_INVALID_INPUT", "below min");
  throws(() => assertInteger(1.5, "n"), "ERR_INVALID_INPUT", "non-integer");
  throws(() => assertInteger(11, "n", { min: 1, max: 10 }), "ERR_INVALID_INPUT", "above max");
  assertNonEmptyString("k", "key");
  const e = throws(() => assertNonEmptyString("x".repeat(5000), "key"), "ERR_INVALID_CONFIG", "too long");
  assert(!e.message.includes("xxxx"), "value not echoed");
  throws(() => assertNonEmptyString(1, "key", "ERR_INVALID_INPUT"), "ERR_INVALID_INPUT", "custom code");
  equal(
    [null, [], Number.NaN, Infinity, 1.5, 2, "s", undefined, {}].map(typeName),
    ["null", "array", "NaN", "Infinity", "a non-integer number", "number", "string", "undefined", "object"],
    "typeName",
  );
});

test("readWebhook normalises Requests and raw bodies", async () => {
  equal(DEFAULT_MAX_WEBHOOK_BYTES, 4 * 1024 * 1024, "default cap");
  const body = '{"a":"好"}';
  const fromRequest = await readWebhook(
    new Request("https://app.example.com/cb?x=1", { method: "POST", headers: { "X-Sign": "s" }, body }),
  );
  equal(utf8Decode(fromRequest.body), body, "body bytes from a Request");
  equal(fromRequest.headers.get("x-sign"), "s", "headers from a Request");
  const raw = await readWebhook({ url: "/cb?x=1", headers: { "X-Sign": ["a", "b"], Skip: undefined }, body });
  equal(raw.url.href, "http://localhost/cb?x=1", "relative URL resolved");
  equal(raw.headers.get("x-sign"), "a, b", "header arrays joined");
  equal(raw.body, utf8Encode(body), "string body as UTF-8 bytes");
  const bytes = utf8Encode(body);
  equal((await readWebhook({ url: "/", headers: new Headers(), body: bytes })).body, bytes, "bytes kept");
  await rejects(
    () => readWebhook({ url: "/", headers: {}, body: { a: 1 } as unknown as string }),
    "ERR_WEBHOOK_INVALID",
    "parsed JSON body",
  );
  await rejects(
    () => readWebhook({ url: "/", headers: {}, body: "x".repeat(11) }, 10),
    "ERR_WEBHOOK_INVALID",
    "cap",
  );
  await rejects(() => readWebhook(null as unknown as Request), "ERR_WEBHOOK_INVALID", "null");
  await rejects(
    () => readWebhook({ url: "http://[bad", headers: {}, body: "" }),
    "ERR_WEBHOOK_INVALID",
    "bad URL",
  );
});

test("defaultRetryDecision retries network errors, 5xx (with failover) and 429", () => {
  const d = (e: ImAuthError) => defaultRetryDecision(e, 1);
  equal(d(new ImAuthError("ERR_NETWORK", "x")), { retry: true, failover: true }, "network");
  equal(d(new ImAuthError("ERR_VENDOR_API", "x", { status: 503 })), { retry: true, failover: true }, "503");
  equal(
    d(new ImAuthError("ERR_VENDOR_API", "x", { status: 429 })),
    { retry: true, noEffect: true, delayMs: 1000 },
    "429: refused, so repeatable",
  );
  equal(d(new ImAuthError("ERR_VENDOR_API", "x", { status: 400 })), { retry: false }, "400");
  equal(d(new ImAuthError("ERR_INVALID_INPUT", "x")), { retry: false }, "input error");
});

test("createImClient signs every attempt afresh, fails over and parses JSON", async () => {
  const secret = "reference-secret";
  const provider = createReferenceProvider({ appId: "app", secret, clock: fixedClock(T0) });
  const seen: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push(request.clone());
    if (request.url.startsWith("https://primary.example/")) throw new TypeError("connection refused");
    return new Response(JSON.stringify({ ok: true, echo: await request.json() }), {
      headers: { "content-type": "application/json" },
    });
  };
  const retries: string[] = [];
  const client = createImClient(provider, {
    baseUrl: ["https://primary.example/api", "https://backup.example/api/"],
    fetch: fetch as typeof globalThis.fetch,
    sleep: async () => {},
    random: () => 0,
    onRetry: (info) => retries.push(`${info.attempt}:${info.error.code}:${info.baseUrl}`),
  });
  const result = await client.request("v1/users", { json: { id: "alice" }, searchParams: { q: 1 } });
  equal(result, { ok: true, echo: { id: "alice" } }, "parsed answer");
  equal(seen.length, 2, "two attempts");
  equal(retries, ["1:ERR_NETWORK:https://backup.example/api/"], "one retry, failed over");
  equal(client.baseUrl, "https://backup.example/api/", "stays on the backup");
  equal(seen[1]!.url, "https://backup.example/api/v1/users?q=1", "path and query");
  for (const r of seen) await verifyReferenceRequest(r, secret);
  assert(seen[0]!.headers.get("x-nonce") !== seen[1]!.headers.get("x-nonce"), "each attempt signed afresh");
});

test("createImClient surfaces ERR_VENDOR_API and ERR_NETWORK, validates baseUrl", async () => {
  const provider = createReferenceProvider({ appId: "app", secret: "s3cret", clock: fixedClock(T0) });
  let calls = 0;
  const client = createImClient(provider, {
    baseUrl: "https://api.example/",
    fetch: (async () => {
      calls++;
      return new Response('{"error":"bad"}', { status: 400 });
    }) as typeof fetch,
    sleep: async () => {},
  });
  const e = await rejects(() => client.request("x", { form: { a: 1 } }), "ERR_VENDOR_API", "HTTP 400");
  equal([(e as ImAuthError).status, calls], [400, 1], "status kept, no retry on 400");
  const down = createImClient(provider, {
    baseUrl: "https://api.example/",
    retryLimit: 2,
    fetch: (async () => {
      throw new TypeError("offline");
    }) as typeof fetch,
    sleep: async () => {},
  });
  await rejects(() => down.request("x"), "ERR_NETWORK", "network failure after retries");
  const html = createImClient(provider, {
    baseUrl: "https://api.example/",
    fetch: (async () => new Response("<html>", { status: 502 })) as typeof fetch,
    retryLimit: 0,
  });
  await rejects(() => html.request("x"), "ERR_VENDOR_API", "non-JSON answer");
  throws(() => createImClient(provider, { baseUrl: "not a url" }), "ERR_INVALID_CONFIG", "bad baseUrl");
  throws(() => createImClient(provider, { baseUrl: [] }), "ERR_INVALID_CONFIG", "no baseUrl");
});

function referenceHarness(secret: string): ConformanceHarness {
  return referenceConformanceHarness({ secret });
}

test("runProviderConformance passes a conforming provider", async () => {
  const results = await runProviderConformance(referenceHarness("reference-secret-value"));
  const notPassed = results.filter((r) => r.status !== "passed").map((r) => `${r.name}: ${String(r.error)}`);
  // The reference vendor has no rooms: the check that issues room credentials is the one that does not apply.
  equal(
    notPassed,
    [
      "reference: issueCredential with a room scope issues a room credential for that room and those privileges: undefined",
    ],
    "checks not passed",
  );
  equal(results.length, conformanceChecks(referenceHarness("x")).length, "one result per check");
  assert(results.length >= 10, "the suite has its checks");
});

test("conformanceChecks fail a provider that leaks its secret and ignores the clock", async () => {
  const secret = "leaky-secret-value";
  const harness = referenceHarness(secret);
  harness.createProvider = () => {
    const p = createReferenceProvider({ appId: "app-1", secret, clock: () => T0 - 3_600_000 });
    return Object.assign(Object.create(null), p, { key: secret });
  };
  const checks = conformanceChecks(harness);
  const outcomes = await Promise.all(
    checks.map((c) =>
      c.run().then(
        () => true,
        () => false,
      ),
    ),
  );
  const failedNames = checks.filter((_, i) => !outcomes[i]).map((c) => c.name);
  assert(
    failedNames.some((n) => n.includes("secrets never leak")),
    `leak detected: ${failedNames.join("; ")}`,
  );
  assert(
    failedNames.some((n) => n.includes("follow ttlSeconds and the clock")),
    "clock misuse detected",
  );
});

test("conformance checks that do not apply report as skipped, never as passed", async () => {
  const { verifyCredential: _, ...harness } = referenceHarness("reference-secret-value");
  const results = await runProviderConformance(harness);
  const skipped = results.filter((r) => r.status === "skipped");
  equal(skipped.length, 2, "one check needs verifyCredential, one room-scoped credentials");
  assert(skipped[0]!.ok && /verifyCredential/.test(skipped[0]!.reason ?? ""), "skipped with a reason");
  assert(skipped[1]!.ok && /room/.test(skipped[1]!.reason ?? ""), "the room check skipped with a reason");
  const registered: string[] = [];
  const it = Object.assign((name: string) => void registered.push(name), {
    skip: (name: string) => void registered.push(`skip: ${name}`),
  });
  registerConformanceTests(harness, it);
  equal(registered.length, results.length, "one test per check");
  equal(
    registered.filter((n) => n.startsWith("skip: ")).length,
    2,
    "the skipped checks registered as skipped",
  );
  const tampered = withQueryParam(
    { url: "https://a.example/cb?Sign=1&x=2", headers: {}, body: "" },
    "Sign",
    undefined,
  );
  equal(tampered.url, "https://a.example/cb?x=2", "withQueryParam removes a parameter");
  equal(withQueryParam(tampered, "x", "3").url, "https://a.example/cb?x=3", "withQueryParam sets one");
});

test("readRoomScope and refuseRoomScope: the room scope of issueCredential", () => {
  equal(ROOM_PRIVILEGES, ["join", "publishAudio", "publishVideo", "publishData"], "canonical order");
  equal(readRoomScope({ roomId: 1234 }), { roomId: 1234, privileges: [...ROOM_PRIVILEGES] }, "default: all");
  equal(
    readRoomScope({ roomId: "room-1", privileges: ["publishAudio", "join", "join"], rtcUid: 42 }),
    { roomId: "room-1", privileges: ["join", "publishAudio"], rtcUid: "42" },
    "deduplicated, canonical order, uid as text",
  );
  for (const bad of [null, { roomId: 0 }, { roomId: 2 ** 32 }, { roomId: "" }, { roomId: "r".repeat(65) }]) {
    throws(() => readRoomScope(bad), "ERR_INVALID_INPUT", `room ${JSON.stringify(bad)}`);
  }
  throws(() => readRoomScope({ roomId: 1, privileges: ["publishAudio"] }), "ERR_INVALID_INPUT", "no join");
  throws(() => readRoomScope({ roomId: 1, rtcUid: "01" }), "ERR_INVALID_INPUT", "rtcUid digits");
  refuseRoomScope(undefined, "x", "no rooms");
  const e = throws(() => refuseRoomScope({ roomId: 1 }, "x", "no rooms"), "ERR_INVALID_INPUT", "refused");
  equal(e.message, "x cannot scope a credential to a room: no rooms", "refusal message");
  throws(() => refuseRoomScope({ roomId: 0 }, "x", "no rooms"), "ERR_INVALID_INPUT", "malformed first");
});

test("sha1Hex: the FIPS 180 examples", () => {
  equal(sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d", "abc");
  equal(sha1Hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709", "empty");
});

test("outcomeOf: accepted, the ImAuthError's code, anything else rethrown", async () => {
  equal(await outcomeOf(() => 1), "accepted", "a return");
  equal(await outcomeOf(async () => undefined), "accepted", "a resolved promise");
  const refused = () => Promise.reject(new ImAuthError("ERR_SIGNATURE_INVALID", "no"));
  equal(await outcomeOf(refused), "ERR_SIGNATURE_INVALID", "a rejected ImAuthError");
  const crash = new TypeError("x is undefined");
  let rethrown: unknown;
  try {
    await outcomeOf(() => {
      throw crash;
    });
  } catch (error) {
    rethrown = error;
  }
  assert(rethrown === crash, "a crash is rethrown, never read as a refusal");
});

test("@imauth/core/adapter: the shared internals, and one base64 by alphabet", async () => {
  const bytes = Uint8Array.from([251, 255, 0, 1]);
  equal(base64EncodeWith(bytes, STANDARD_BASE64), "+/8AAQ==", "standard alphabet");
  equal(base64EncodeWith(bytes, TENCENT_BASE64), "*-8AAQ__", "Tencent alphabet");
  equal(base64DecodeWith("*-8AAQ__", TENCENT_BASE64), bytes, "decodes by alphabet");
  throws(() => base64DecodeWith("+/8AAQ==", TENCENT_BASE64), "ERR_INVALID_INPUT", "other alphabet refused");
  const url = base64Alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", "=");
  equal(base64EncodeWith(bytes, url), "-_8AAQ==", "a custom alphabet");
  throws(() => base64Alphabet("abc", "="), "ERR_INVALID_CONFIG", "a short alphabet");
  throws(() => assertOptionsObject(null, "options"), "ERR_INVALID_INPUT", "options must be an object");
  assertOptionsObject(undefined, "options", "ERR_INVALID_CONFIG", true);
  equal(isWellFormed("a\uD800"), false, "isWellFormed");
  throws(() => assertWellFormed("a\uD800", "name"), "ERR_INVALID_INPUT", "assertWellFormed");
  equal(normalizeBaseUrl("https://api.example/v1"), "https://api.example/v1/", "normalizeBaseUrl");
  equal(resolveUnder("https://api.example/v1/", "x").href, "https://api.example/v1/x", "resolveUnder");
  const regions = { a: ["https://a.example/"], b: ["https://b.example/", "https://b2.example/"] };
  equal(
    readBaseUrls(undefined, undefined, regions, "a"),
    ["https://a.example/"],
    "readBaseUrls default region",
  );
  equal(
    readBaseUrls(undefined, "https://x.example/v1", regions, "a"),
    ["https://x.example/v1/"],
    "readBaseUrls baseUrl",
  );
  throws(
    () => readBaseUrls("b", "https://x.example/", regions, "a"),
    "ERR_INVALID_CONFIG",
    "region and baseUrl",
  );
  throws(() => readBaseUrls("c", undefined, regions, "a"), "ERR_INVALID_CONFIG", "unknown region");
  equal(redactUrl("https://a.example/p?sig=1"), "https://a.example/p?sig=[redacted]", "redactUrl");
  const capped = await readCapped(new Response("abc").body, 10, () => new ImAuthError("ERR_NETWORK", "x"));
  equal(capped, ascii("abc"), "readCapped");
});

test("isIdempotentMethod and mayRepeat: retries never duplicate a non-idempotent call", () => {
  equal(
    ["GET", "PUT", "DELETE", "POST", "PATCH"].map(isIdempotentMethod),
    [true, true, true, false, false],
    "methods",
  );
  const timeout = new ImAuthError("ERR_NETWORK", "timeout", { delivery: "unknown" });
  const refused = new ImAuthError("ERR_NETWORK", "refused", { delivery: "not-sent" });
  equal(mayRepeat(timeout, { retry: true }, false), false, "a POST after a timeout is not repeated");
  equal(mayRepeat(timeout, { retry: true }, true), true, "an idempotent call is");
  equal(mayRepeat(refused, { retry: true }, false), true, "a call that never left is");
});

test("createFailureQueue and deliverCallback: the emulators' shared failure queue and callback delivery", async () => {
  const queue = createFailureQueue((f: { code: number }) => ({ played: f.code }));
  queue.push(2, { code: 503 });
  equal(
    [queue.next(), queue.next(), queue.next()],
    [{ played: 503 }, { played: 503 }, undefined],
    "played in order",
  );
  throws(() => queue.push(-1, { code: 1 }), "ERR_INVALID_INPUT", "a negative count");
  const request = new Request("https://app.example.com/cb", { method: "POST", body: "{}" });
  const ok = await deliverCallback(
    () => Response.json({ code: 200 }),
    request,
    (r) => (r as { code?: number }).code === 200,
  );
  equal([ok.ok, ok.status, ok.reply], [true, 200, { code: 200 }], "a handler's JSON reply");
  const refused = await deliverCallback(
    () => new Response("no", { status: 403 }),
    request.clone(),
    () => true,
  );
  equal([refused.ok, refused.status, refused.reply], [false, 403, "no"], "a refusal");
});
