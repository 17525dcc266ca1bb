import { type ImAuthErrorCode, isImAuthError } from "../errors.js";
import type { Clock, ImAuthProvider, ImCredential, RawWebhook, RoomPrivilege } from "../types.js";

/**
 * What an adapter supplies so the shared conformance checks can exercise its provider.
 *
 * @example
 * ```ts
 * const harness: ConformanceHarness = {
 *   name: "my-vendor",
 *   createProvider: (clock) => createMyProvider({ appKey, appSecret, clock }),
 *   secrets: [appSecret],
 *   defaultTtlSeconds: 86_400,
 *   maxUserIdLength: 32,
 *   sampleRequest: () => new Request("https://api.example.com/v1/x?a=1", { method: "POST", body: "{}" }),
 *   verifySignedRequest: (request) => emulator.check(request),
 *   signWebhook: ({ body, nowMs, wrongSecret }) => signLikeTheVendor(body, nowMs, wrongSecret),
 *   maxWebhookAgeMs: 300_000,
 *   invalidConfigs: [() => createMyProvider({ appKey: "", appSecret })],
 * };
 * ```
 */
export interface ConformanceHarness {
  /** Name used in check titles, e.g. `"tencent"`. */
  name: string;
  /** Builds the provider under test. It must read time only from `clock`. */
  createProvider(clock: Clock): ImAuthProvider | Promise<ImAuthProvider>;
  /** Every secret the provider was built with; none may ever show up in output. */
  secrets: string[];
  /**
   * Checks a credential the provider issued, at the time `clock` shows; throws (preferably an ImAuthError
   * with `ERR_CREDENTIAL_EXPIRED` once expired) when it is not accepted. Omit when the vendor checks
   * credentials only on its own servers: the check that needs it is then reported as skipped.
   */
  verifyCredential?(credential: ImCredential, clock: Clock): void | Promise<void>;
  /** The credential lifetime used when `ttlSeconds` is not given, in seconds. */
  defaultTtlSeconds: number;
  /** A TTL the provider honours exactly, in seconds. Default 3600. */
  sampleTtlSeconds?: number;
  /** Longest user ID the provider accepts (the suite tries one character more). */
  maxUserIdLength: number;
  /** A server-API request the provider can sign, with method, headers, body and a query parameter. */
  sampleRequest(): Request;
  /** Accepts a signed request the way the vendor would (e.g. through the adapter's emulator), or throws. */
  verifySignedRequest(request: Request, clock: Clock): void | Promise<void>;
  /**
   * Builds a callback signed the way the vendor signs them, at `nowMs`, with the right or a wrong secret. Its
   * body is `body`, or `body` with fields added where the vendor signs inside the body (its JSON stays valid).
   */
  signWebhook(options: {
    body: string;
    nowMs: number;
    wrongSecret?: boolean;
  }): RawWebhook | Promise<RawWebhook>;
  /** Forged variants of a correctly signed callback, each of which must be rejected. Default: one body byte changed. */
  tamperWebhook?(webhook: RawWebhook): RawWebhook[];
  /** Age after which a callback is refused, in milliseconds. */
  maxWebhookAgeMs: number;
  /** Builders of providers with invalid configuration; each must throw `ERR_INVALID_CONFIG`. */
  invalidConfigs: Array<() => unknown>;
  /**
   * Whether the provider issues room-scoped credentials (`issueCredential(userId, { room })`): how to check
   * them, or `"unsupported"` when the vendor has none and the provider must refuse a room scope.
   */
  rooms: RoomConformance | "unsupported";
}

/**
 * The room part of a {@link ConformanceHarness}, for vendors with room-scoped credentials.
 *
 * @example
 * ```ts
 * const rooms: RoomConformance = {
 *   sampleRoomIds: [1234, "room-1"],
 *   verifyRoomCredential: (credential, clock) => emulator.checkRoomToken(credential.room!, clock),
 * };
 * ```
 */
export interface RoomConformance {
  /** Room IDs the provider must accept, one of each kind it supports (number, string). */
  sampleRoomIds: Array<number | string>;
  /** The user ID to issue room credentials for (some vendors need a numeric one). Default `"10001"`. */
  userId?: string;
  /**
   * Checks the room credential of `credential` at the time `clock` shows, including its room and privileges;
   * throws (`ERR_CREDENTIAL_EXPIRED` once expired) when it is not accepted. Omit when only the vendor can.
   */
  verifyRoomCredential?(credential: ImCredential, clock: Clock): void | Promise<void>;
}

/**
 * What a test runner hands a test function; only `skip` is used, as vitest's and bun's test context offers it.
 */
export interface ConformanceTestContext {
  skip?(note?: string): void;
}

/**
 * One check of the conformance suite. A check that does not apply to the harness (e.g. credential
 * verification when the harness has no `verifyCredential`) carries the reason in `skip`; its `run` then
 * skips through the test context when there is one, and otherwise rejects, so it is never counted as passed.
 *
 * @example
 * ```ts
 * for (const check of conformanceChecks(harness)) it(check.name, check.run);
 * ```
 */
export interface ConformanceCheck {
  /** What the check asserts. */
  name: string;
  /** Why the check does not apply to this harness; absent when it applies. */
  skip?: string;
  /** Runs the check; rejects with a descriptive error when the provider does not conform. */
  run(context?: ConformanceTestContext): Promise<void>;
}

/**
 * The outcome of one check, as returned by {@link runProviderConformance}: `"passed"`, `"failed"` (with the
 * `error`) or `"skipped"` (with the `reason`: the check does not apply to the harness). `ok` is false only for
 * a failed check.
 *
 * @example
 * ```ts
 * const failed = (await runProviderConformance(harness)).filter((result) => result.status === "failed");
 * ```
 */
export interface ConformanceResult {
  name: string;
  status: "passed" | "failed" | "skipped";
  /** `status !== "failed"`. */
  ok: boolean;
  error?: unknown;
  reason?: string;
}

const T0 = 1_700_000_000_000;
const WEBHOOK_BODY = JSON.stringify({ event: "conformance", text: "héllo 世界", n: 1 });

class ConformanceError extends Error {
  override name = "ConformanceError";
}

/** Thrown by the `run` of a check that does not apply, when no test context can mark it skipped. */
class ConformanceSkipped extends Error {
  override name = "ConformanceSkipped";
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceError(message);
}

async function expectCode(what: string, codes: ImAuthErrorCode[], fn: () => unknown): Promise<unknown> {
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  check(error !== undefined, `${what}: expected ImAuthError ${codes.join(" or ")}, but it succeeded`);
  check(
    isImAuthError(error) && codes.includes(error.code),
    `${what}: expected ImAuthError ${codes.join(" or ")}, got ${describe(error)}`,
  );
  return error;
}

function describe(error: unknown): string {
  if (isImAuthError(error)) return `ImAuthError ${error.code}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function manualClock(start = T0): { clock: Clock; set(ms: number): void } {
  let now = start;
  return { clock: () => now, set: (ms) => (now = ms) };
}

async function inspectText(value: unknown): Promise<string> {
  try {
    const util = await import(/* @vite-ignore */ "node:util" as string);
    return (util as typeof import("node:util")).inspect(value, { depth: 8, showHidden: false });
  } catch {
    return "";
  }
}

function leaked(text: string, secrets: string[]): string | undefined {
  return secrets.find((s) => s.length >= 4 && text.includes(s));
}

function defaultTamper(webhook: RawWebhook): RawWebhook[] {
  const body = typeof webhook.body === "string" ? webhook.body : new TextDecoder().decode(webhook.body);
  const i = Math.floor(body.length / 2);
  const changed = body.slice(0, i) + (body[i] === "x" ? "y" : "x") + body.slice(i + 1);
  return [{ ...webhook, body: changed }];
}

const ttlOf = (h: ConformanceHarness) => h.sampleTtlSeconds ?? 3600;

// The checks, one named function each, in the order they run.

async function exposesVendorName(h: ConformanceHarness): Promise<void> {
  const p = await h.createProvider(manualClock().clock);
  check(typeof p.vendor === "string" && p.vendor.length > 0, "vendor must be a non-empty string");
}

async function issuesCredentialFromClock(h: ConformanceHarness): Promise<void> {
  const ttl = ttlOf(h);
  const p = await h.createProvider(manualClock(T0 + 123).clock);
  const c = await p.issueCredential("conformance-user", { ttlSeconds: ttl });
  check(c.vendor === p.vendor, `credential.vendor ${c.vendor} differs from provider.vendor ${p.vendor}`);
  check(typeof c.appId === "string" && c.appId.length > 0, "credential.appId must be a non-empty string");
  check(c.userId === "conformance-user", "credential.userId must be the requested user");
  check(typeof c.token === "string" && c.token.length > 0, "credential.token must be a non-empty string");
  check(c.issuedAt instanceof Date && c.expiresAt instanceof Date, "issuedAt and expiresAt must be Dates");
  check(Math.abs(c.issuedAt.getTime() - (T0 + 123)) < 1000, "issuedAt must come from the injected clock");
  const lifetime = c.expiresAt.getTime() - c.issuedAt.getTime();
  check(
    lifetime === ttl * 1000,
    `expiresAt - issuedAt must be ttlSeconds (${ttl * 1000} ms), got ${lifetime}`,
  );
}

async function usesDefaultTtl(h: ConformanceHarness): Promise<void> {
  const p = await h.createProvider(manualClock().clock);
  const c = await p.issueCredential("conformance-user");
  const lifetime = c.expiresAt.getTime() - c.issuedAt.getTime();
  check(lifetime === h.defaultTtlSeconds * 1000, `default lifetime must be ${h.defaultTtlSeconds} s`);
}

async function ownVerifierAcceptsUntilExpiry(h: ConformanceHarness): Promise<void> {
  const verify = h.verifyCredential!.bind(h);
  const mc = manualClock();
  const p = await h.createProvider(mc.clock);
  const c = await p.issueCredential("conformance-user", { ttlSeconds: ttlOf(h) });
  await verify(c, mc.clock);
  mc.set(c.expiresAt.getTime() + 1000);
  await expectCode("verifying an expired credential", ["ERR_CREDENTIAL_EXPIRED"], () => verify(c, mc.clock));
}

async function signRequestPreservesRequest(h: ConformanceHarness): Promise<void> {
  const mc = manualClock();
  const p = await h.createProvider(mc.clock);
  const original = h.sampleRequest();
  const reference = h.sampleRequest();
  const signed = await p.signRequest(original);
  check(signed instanceof Request, "signRequest must resolve to a Request");
  check(signed !== original, "signRequest must return a new Request");
  check(signed.method === reference.method, "method must be preserved");
  const refUrl = new URL(reference.url);
  const signedUrl = new URL(signed.url);
  check(
    signedUrl.origin + signedUrl.pathname === refUrl.origin + refUrl.pathname,
    "URL path must be preserved",
  );
  for (const [k, v] of refUrl.searchParams) {
    check(signedUrl.searchParams.getAll(k).includes(v), `query parameter ${k} must be preserved`);
  }
  for (const [k, v] of reference.headers) check(signed.headers.get(k) === v, `header ${k} must be preserved`);
  const [a, b] = await Promise.all([signed.clone().text(), reference.text()]);
  check(a === b, "body must be preserved byte for byte");
  await h.verifySignedRequest(signed, mc.clock);
}

async function signRequestSignsAfresh(h: ConformanceHarness): Promise<void> {
  const p = await h.createProvider(manualClock().clock);
  const a = await p.signRequest(h.sampleRequest());
  const b = await p.signRequest(h.sampleRequest());
  const fingerprint = (r: Request) => `${r.url}\n${[...r.headers].map((e) => e.join(":")).join("\n")}`;
  check(fingerprint(a) !== fingerprint(b), "two signings must differ (fresh nonce or random)");
}

async function signRequestRejectsNonRequest(h: ConformanceHarness): Promise<void> {
  const p = await h.createProvider(manualClock().clock);
  await expectCode("signRequest(string)", ["ERR_INVALID_INPUT"], () =>
    p.signRequest("https://example.com" as unknown as Request),
  );
}

async function verifyWebhookAcceptsSigned(h: ConformanceHarness): Promise<void> {
  const p = await h.createProvider(manualClock().clock);
  const w = await h.signWebhook({ body: WEBHOOK_BODY, nowMs: T0 });
  // The body as sent: WEBHOOK_BODY itself, or (vendors that sign inside the body, like Easemob) with the
  // signature's fields added to it.
  const sent = typeof w.body === "string" ? w.body : new TextDecoder().decode(w.body);
  const v = await p.verifyWebhook(w);
  check(v.vendor === p.vendor, "verified webhook must name the vendor");
  check(v.rawBody === sent, "rawBody must be the body as received");
  check(JSON.stringify(v.payload) === JSON.stringify(JSON.parse(sent)), "payload must be the parsed body");
  check(v.receivedAt instanceof Date, "receivedAt must be a Date");
  const req = new Request(new URL(w.url, "http://localhost"), {
    method: "POST",
    headers: w.headers as HeadersInit,
    body: w.body as BodyInit,
  });
  await p.verifyWebhook(req);
}

async function verifyWebhookRejectsForged(h: ConformanceHarness): Promise<void> {
  const p = await h.createProvider(manualClock().clock);
  const w = await h.signWebhook({ body: WEBHOOK_BODY, nowMs: T0 });
  const variants = (h.tamperWebhook ?? defaultTamper)(w);
  check(variants.length > 0, "tamperWebhook must return at least one variant");
  for (const v of variants) {
    await expectCode("verifying a tampered callback", ["ERR_WEBHOOK_INVALID"], () => p.verifyWebhook(v));
  }
}

async function verifyWebhookRejectsWrongSecret(h: ConformanceHarness): Promise<void> {
  const p = await h.createProvider(manualClock().clock);
  const w = await h.signWebhook({ body: WEBHOOK_BODY, nowMs: T0, wrongSecret: true });
  const e = await expectCode("verifying a wrongly signed callback", ["ERR_WEBHOOK_INVALID"], () =>
    p.verifyWebhook(w),
  );
  check(!leaked(String((e as Error).message), h.secrets), "error message must not contain a secret");
}

async function verifyWebhookRejectsStale(h: ConformanceHarness): Promise<void> {
  const p = await h.createProvider(manualClock().clock);
  const w = await h.signWebhook({ body: WEBHOOK_BODY, nowMs: T0 - h.maxWebhookAgeMs - 5000 });
  await expectCode("verifying a stale callback", ["ERR_WEBHOOK_EXPIRED"], () => p.verifyWebhook(w));
}

async function verifyWebhookTypesGarbage(h: ConformanceHarness): Promise<void> {
  const p = await h.createProvider(manualClock().clock);
  const garbage: unknown[] = [null, 42, "text", {}, { url: "/", headers: {}, body: { parsed: true } }];
  for (const g of garbage) {
    await expectCode("verifyWebhook(garbage)", ["ERR_WEBHOOK_INVALID", "ERR_INVALID_INPUT"], () =>
      p.verifyWebhook(g as RawWebhook),
    );
  }
}

async function issueCredentialRejectsBadUserIds(h: ConformanceHarness): Promise<void> {
  const p = await h.createProvider(manualClock().clock);
  const tooLong = "x".repeat(h.maxUserIdLength + 1);
  const bad: unknown[] = ["", tooLong, "x".repeat(100_000), 123, null, undefined, {}];
  for (const userId of bad) {
    await expectCode(`issueCredential(${typeof userId})`, ["ERR_INVALID_INPUT"], () =>
      p.issueCredential(userId as string),
    );
  }
  await p.issueCredential("x".repeat(h.maxUserIdLength), { ttlSeconds: ttlOf(h) });
}

async function issueCredentialRejectsBadTtl(h: ConformanceHarness): Promise<void> {
  const p = await h.createProvider(manualClock().clock);
  const bad: unknown[] = [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e15, "60", true];
  for (const ttlSeconds of bad) {
    await expectCode(`issueCredential ttlSeconds=${String(ttlSeconds)}`, ["ERR_INVALID_INPUT"], () =>
      p.issueCredential("conformance-user", { ttlSeconds: ttlSeconds as number }),
    );
  }
}

async function invalidConfigThrowsConfigError(h: ConformanceHarness): Promise<void> {
  check(h.invalidConfigs.length > 0, "the harness must list at least one invalid configuration");
  for (const build of h.invalidConfigs) {
    const e = await expectCode("building a misconfigured provider", ["ERR_INVALID_CONFIG"], build);
    check(!leaked(String((e as Error).message), h.secrets), "configuration error must not contain a secret");
  }
}

async function secretsNeverLeak(h: ConformanceHarness): Promise<void> {
  const p = await h.createProvider(manualClock().clock);
  const c = await p.issueCredential("conformance-user", { ttlSeconds: ttlOf(h) });
  const signed = await p.signRequest(h.sampleRequest());
  const texts = [
    JSON.stringify(p) ?? "",
    String(p),
    `${p}`,
    await inspectText(p),
    JSON.stringify(c),
    c.token,
    signed.url,
    JSON.stringify([...signed.headers]),
  ];
  for (const text of texts) {
    check(!leaked(text, h.secrets), `a secret appeared in output: ${text.slice(0, 40)}...`);
  }
}

const ALL_PRIVILEGES: RoomPrivilege[] = ["join", "publishAudio", "publishVideo", "publishData"];

async function issuesRoomCredentials(h: ConformanceHarness): Promise<void> {
  const rooms = h.rooms as RoomConformance;
  const userId = rooms.userId ?? "10001";
  const ttl = ttlOf(h);
  check(rooms.sampleRoomIds.length > 0, "rooms.sampleRoomIds must list at least one room ID");
  for (const roomId of rooms.sampleRoomIds) {
    for (const privileges of [["join"], undefined] as const) {
      const mc = manualClock();
      const p = await h.createProvider(mc.clock);
      const c = await p.issueCredential(userId, { ttlSeconds: ttl, room: { roomId, privileges } });
      const room = c.room;
      check(room !== undefined, `issueCredential with a room scope must return credential.room`);
      check(room.roomId === roomId, `credential.room.roomId must be ${JSON.stringify(roomId)}`);
      check(
        typeof room.token === "string" && room.token.length > 0,
        "credential.room.token must be non-empty",
      );
      const expected = privileges ?? ALL_PRIVILEGES;
      check(
        JSON.stringify(room.privileges) === JSON.stringify(expected),
        `credential.room.privileges must be ${expected.join(",")}, got ${String(room.privileges)}`,
      );
      check(
        room.expiresAt instanceof Date && room.expiresAt.getTime() - c.issuedAt.getTime() === ttl * 1000,
        "credential.room.expiresAt must be issuedAt + ttlSeconds",
      );
      if (!rooms.verifyRoomCredential) continue;
      await rooms.verifyRoomCredential(c, mc.clock);
      mc.set(room.expiresAt.getTime() + 1000);
      await expectCode("verifying an expired room credential", ["ERR_CREDENTIAL_EXPIRED"], () =>
        rooms.verifyRoomCredential!(c, mc.clock),
      );
    }
  }
}

async function refusesRoomScope(h: ConformanceHarness): Promise<void> {
  const p = await h.createProvider(manualClock().clock);
  const e = await expectCode("issueCredential with a room scope", ["ERR_INVALID_INPUT"], () =>
    p.issueCredential("10001", { room: { roomId: 1234 } }),
  );
  check(/room/i.test((e as Error).message), "the refusal must say that rooms are not supported");
}

async function rejectsBadRoomScopes(h: ConformanceHarness): Promise<void> {
  const p = await h.createProvider(manualClock().clock);
  const userId = h.rooms === "unsupported" ? "10001" : (h.rooms.userId ?? "10001");
  const bad: unknown[] = [
    null,
    "room-1",
    { roomId: "" },
    { roomId: 0 },
    { roomId: -1 },
    { roomId: 1.5 },
    { roomId: 2 ** 32 },
    { roomId: "r".repeat(65) },
    { roomId: "a\u0000b" },
    { roomId: 1234, privileges: [] },
    { roomId: 1234, privileges: ["fly"] },
    { roomId: 1234, privileges: ["publishAudio"] },
    { roomId: 1234, privileges: "join" },
  ];
  for (const room of bad) {
    await expectCode(`issueCredential room=${JSON.stringify(room)}`, ["ERR_INVALID_INPUT"], () =>
      p.issueCredential(userId, { room: room as never }),
    );
  }
}

interface CheckDefinition {
  title: string;
  /** Why the check does not apply to `h`, or undefined when it does. */
  skipWhen?(h: ConformanceHarness): string | undefined;
  run(h: ConformanceHarness): Promise<void>;
}

const CHECKS: readonly CheckDefinition[] = [
  { title: "exposes a vendor name", run: exposesVendorName },
  {
    title: "issues a credential whose fields and expiry follow ttlSeconds and the clock",
    run: issuesCredentialFromClock,
  },
  { title: "uses the documented default ttl", run: usesDefaultTtl },
  {
    title: "issues credentials its own verifier accepts until they expire",
    skipWhen: (h) =>
      h.verifyCredential
        ? undefined
        : "the harness has no verifyCredential (the vendor checks credentials itself)",
    run: ownVerifierAcceptsUntilExpiry,
  },
  {
    title: "signRequest returns a new request with method, body, headers and query preserved",
    run: signRequestPreservesRequest,
  },
  { title: "signRequest signs afresh on every call", run: signRequestSignsAfresh },
  { title: "signRequest rejects what is not a Request", run: signRequestRejectsNonRequest },
  { title: "verifyWebhook accepts a correctly signed callback", run: verifyWebhookAcceptsSigned },
  { title: "verifyWebhook rejects a forged callback", run: verifyWebhookRejectsForged },
  {
    title: "verifyWebhook rejects a callback signed with a wrong secret",
    run: verifyWebhookRejectsWrongSecret,
  },
  { title: "verifyWebhook rejects a stale callback", run: verifyWebhookRejectsStale },
  { title: "verifyWebhook rejects garbage with a typed error", run: verifyWebhookTypesGarbage },
  {
    title: "issueCredential rejects bad user IDs with ERR_INVALID_INPUT",
    run: issueCredentialRejectsBadUserIds,
  },
  {
    title: "issueCredential rejects bad ttlSeconds with ERR_INVALID_INPUT",
    run: issueCredentialRejectsBadTtl,
  },
  {
    title: "issueCredential with a room scope issues a room credential for that room and those privileges",
    skipWhen: (h) => (h.rooms === "unsupported" ? "the vendor has no room-scoped credentials" : undefined),
    run: issuesRoomCredentials,
  },
  {
    title: "issueCredential refuses a room scope it cannot honour with ERR_INVALID_INPUT",
    skipWhen: (h) => (h.rooms === "unsupported" ? undefined : "the provider issues room-scoped credentials"),
    run: refusesRoomScope,
  },
  {
    title: "issueCredential rejects malformed room scopes with ERR_INVALID_INPUT",
    run: rejectsBadRoomScopes,
  },
  {
    title: "invalid configuration throws ERR_INVALID_CONFIG without echoing secrets",
    run: invalidConfigThrowsConfigError,
  },
  {
    title: "secrets never leak through JSON, String, inspect, credentials or signed requests",
    run: secretsNeverLeak,
  },
];

/**
 * The checks every `ImAuthProvider` must pass, as a list, so a test runner can give each its own test.
 * Checks that do not apply to the harness carry a `skip` reason; {@link registerConformanceTests} registers
 * them as skipped tests.
 *
 * @example
 * ```ts
 * import { conformanceChecks } from "@imauth/core/testing";
 * for (const c of conformanceChecks(harness)) it(c.name, c.run);
 * ```
 */
export function conformanceChecks(h: ConformanceHarness): ConformanceCheck[] {
  return CHECKS.map((definition) => {
    const name = `${h.name}: ${definition.title}`;
    const skip = definition.skipWhen?.(h);
    if (skip === undefined) return { name, run: () => definition.run(h) };
    return {
      name,
      skip,
      run: async (context?: ConformanceTestContext) => {
        context?.skip?.(skip);
        throw new ConformanceSkipped(`${name}: skipped (${skip})`);
      },
    };
  });
}

/**
 * Registers every conformance check as a test of your runner: the one set-up every adapter's conformance test
 * shares. Pass vitest's (or bun's, or node:test's) `it`/`test`; checks that do not apply are registered
 * through `test.skip` when the runner has it, and otherwise skip themselves through the test context.
 *
 * @example
 * ```ts
 * import { describe, it } from "vitest";
 * import { registerConformanceTests } from "@imauth/core/testing";
 *
 * describe("conformance", () => registerConformanceTests(harness, it));
 * ```
 */
export function registerConformanceTests(h: ConformanceHarness, test: ConformanceTestFunction): void {
  for (const c of conformanceChecks(h)) {
    if (c.skip !== undefined && test.skip) test.skip(`${c.name} (skipped: ${c.skip})`, c.run);
    else test(c.name, c.run);
  }
}

/**
 * A test runner's `it`/`test` function, as {@link registerConformanceTests} uses it.
 *
 * @example
 * ```ts
 * const test: ConformanceTestFunction = it; // vitest
 * ```
 */
export interface ConformanceTestFunction {
  (name: string, fn: (context: ConformanceTestContext) => Promise<void>): void;
  skip?: (name: string, fn: (context: ConformanceTestContext) => Promise<void>) => void;
}

/**
 * Runs every conformance check and reports each outcome, `"passed"`, `"failed"` or `"skipped"` (a check
 * that does not apply to the harness: never counted as passed); never throws.
 *
 * @example
 * ```ts
 * const results = await runProviderConformance(harness);
 * const failed = results.filter((r) => r.status === "failed");
 * const skipped = results.filter((r) => r.status === "skipped").map((r) => `${r.name}: ${r.reason}`);
 * ```
 */
export async function runProviderConformance(h: ConformanceHarness): Promise<ConformanceResult[]> {
  const results: ConformanceResult[] = [];
  for (const c of conformanceChecks(h)) {
    if (c.skip !== undefined) {
      results.push({ name: c.name, status: "skipped", ok: true, reason: c.skip });
      continue;
    }
    try {
      await c.run();
      results.push({ name: c.name, status: "passed", ok: true });
    } catch (error) {
      results.push({ name: c.name, status: "failed", ok: false, error });
    }
  }
  return results;
}

/**
 * A copy of `webhook` with the query parameter `name` of its URL set to `value`, or removed when `value` is
 * undefined: the building block of `tamperWebhook` for vendors that sign callbacks in the query string.
 *
 * @example
 * ```ts
 * tamperWebhook: (w) => [withQueryParam(w, "Sign", undefined), withQueryParam(w, "RequestTime", "1")],
 * ```
 */
export function withQueryParam(webhook: RawWebhook, name: string, value: string | undefined): RawWebhook {
  const url = new URL(webhook.url);
  if (value === undefined) url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  return { ...webhook, url: url.toString() };
}
