import { type ImAuthErrorCode, isImAuthError } from "../errors.js";
import type { Clock, ImAuthProvider, ImCredential, RawWebhook } from "../types.js";

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
   * credentials only on its own servers.
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
  /** Builds a callback signed the way the vendor signs them, at `nowMs`, with the right or a wrong secret. */
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
  /** Whether `issueCredential` must reject `ttlSeconds` values (default true). */
  validatesTtl?: boolean;
}

/**
 * One check of the conformance suite.
 *
 * @example
 * ```ts
 * for (const check of conformanceChecks(harness)) it(check.name, check.run);
 * ```
 */
export interface ConformanceCheck {
  /** What the check asserts. */
  name: string;
  /** Runs the check; rejects with a descriptive error when the provider does not conform. */
  run(): Promise<void>;
}

/**
 * The outcome of one check, as returned by {@link runProviderConformance}.
 *
 * @example
 * ```ts
 * const failed = (await runProviderConformance(harness)).filter((result) => !result.ok);
 * ```
 */
export interface ConformanceResult {
  name: string;
  ok: boolean;
  error?: unknown;
}

const T0 = 1_700_000_000_000;

class ConformanceError extends Error {
  override name = "ConformanceError";
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

/**
 * The checks every `ImAuthProvider` must pass, as a list, so a test runner can give each its own test.
 *
 * @example
 * ```ts
 * import { conformanceChecks } from "@imauth/core/testing";
 * for (const c of conformanceChecks(harness)) it(c.name, c.run);
 * ```
 */
export function conformanceChecks(h: ConformanceHarness): ConformanceCheck[] {
  const ttl = h.sampleTtlSeconds ?? 3600;
  const body = JSON.stringify({ event: "conformance", text: "héllo 世界", n: 1 });
  const list: Array<[string, () => Promise<void>]> = [
    [
      "exposes a vendor name",
      async () => {
        const p = await h.createProvider(manualClock().clock);
        check(typeof p.vendor === "string" && p.vendor.length > 0, "vendor must be a non-empty string");
      },
    ],
    [
      "issues a credential whose fields and expiry follow ttlSeconds and the clock",
      async () => {
        const { clock } = manualClock(T0 + 123);
        const p = await h.createProvider(clock);
        const c = await p.issueCredential("conformance-user", { ttlSeconds: ttl });
        check(
          c.vendor === p.vendor,
          `credential.vendor ${c.vendor} differs from provider.vendor ${p.vendor}`,
        );
        check(
          typeof c.appId === "string" && c.appId.length > 0,
          "credential.appId must be a non-empty string",
        );
        check(c.userId === "conformance-user", "credential.userId must be the requested user");
        check(
          typeof c.token === "string" && c.token.length > 0,
          "credential.token must be a non-empty string",
        );
        check(
          c.issuedAt instanceof Date && c.expiresAt instanceof Date,
          "issuedAt and expiresAt must be Dates",
        );
        check(
          Math.abs(c.issuedAt.getTime() - (T0 + 123)) < 1000,
          "issuedAt must come from the injected clock",
        );
        const lifetime = c.expiresAt.getTime() - c.issuedAt.getTime();
        check(
          lifetime === ttl * 1000,
          `expiresAt - issuedAt must be ttlSeconds (${ttl * 1000} ms), got ${lifetime}`,
        );
      },
    ],
    [
      "uses the documented default ttl",
      async () => {
        const p = await h.createProvider(manualClock().clock);
        const c = await p.issueCredential("conformance-user");
        const lifetime = c.expiresAt.getTime() - c.issuedAt.getTime();
        check(lifetime === h.defaultTtlSeconds * 1000, `default lifetime must be ${h.defaultTtlSeconds} s`);
      },
    ],
    [
      "issues credentials its own verifier accepts until they expire",
      async () => {
        if (!h.verifyCredential) return;
        const mc = manualClock();
        const p = await h.createProvider(mc.clock);
        const c = await p.issueCredential("conformance-user", { ttlSeconds: ttl });
        await h.verifyCredential(c, mc.clock);
        mc.set(c.expiresAt.getTime() + 1000);
        await expectCode("verifying an expired credential", ["ERR_CREDENTIAL_EXPIRED"], () =>
          h.verifyCredential!(c, mc.clock),
        );
      },
    ],
    [
      "signRequest returns a new request with method, body, headers and query preserved",
      async () => {
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
        for (const [k, v] of reference.headers) {
          check(signed.headers.get(k) === v, `header ${k} must be preserved`);
        }
        const [a, b] = await Promise.all([signed.clone().text(), reference.text()]);
        check(a === b, "body must be preserved byte for byte");
        await h.verifySignedRequest(signed, mc.clock);
      },
    ],
    [
      "signRequest signs afresh on every call",
      async () => {
        const p = await h.createProvider(manualClock().clock);
        const a = await p.signRequest(h.sampleRequest());
        const b = await p.signRequest(h.sampleRequest());
        const fingerprint = (r: Request) => `${r.url}\n${[...r.headers].map((e) => e.join(":")).join("\n")}`;
        check(fingerprint(a) !== fingerprint(b), "two signings must differ (fresh nonce or random)");
      },
    ],
    [
      "signRequest rejects what is not a Request",
      async () => {
        const p = await h.createProvider(manualClock().clock);
        await expectCode("signRequest(string)", ["ERR_INVALID_INPUT"], () =>
          p.signRequest("https://example.com" as unknown as Request),
        );
      },
    ],
    [
      "verifyWebhook accepts a correctly signed callback",
      async () => {
        const mc = manualClock();
        const p = await h.createProvider(mc.clock);
        const w = await h.signWebhook({ body, nowMs: T0 });
        const v = await p.verifyWebhook(w);
        check(v.vendor === p.vendor, "verified webhook must name the vendor");
        check(v.rawBody === body, "rawBody must be the body as received");
        check(
          JSON.stringify(v.payload) === JSON.stringify(JSON.parse(body)),
          "payload must be the parsed body",
        );
        check(v.receivedAt instanceof Date, "receivedAt must be a Date");
        const req = new Request(new URL(w.url, "http://localhost"), {
          method: "POST",
          headers: w.headers as HeadersInit,
          body: w.body as BodyInit,
        });
        await p.verifyWebhook(req);
      },
    ],
    [
      "verifyWebhook rejects a forged callback",
      async () => {
        const p = await h.createProvider(manualClock().clock);
        const w = await h.signWebhook({ body, nowMs: T0 });
        const variants = (h.tamperWebhook ?? defaultTamper)(w);
        check(variants.length > 0, "tamperWebhook must return at least one variant");
        for (const v of variants) {
          await expectCode("verifying a tampered callback", ["ERR_WEBHOOK_INVALID"], () =>
            p.verifyWebhook(v),
          );
        }
      },
    ],
    [
      "verifyWebhook rejects a callback signed with a wrong secret",
      async () => {
        const p = await h.createProvider(manualClock().clock);
        const w = await h.signWebhook({ body, nowMs: T0, wrongSecret: true });
        const e = await expectCode("verifying a wrongly signed callback", ["ERR_WEBHOOK_INVALID"], () =>
          p.verifyWebhook(w),
        );
        const found = leaked(String((e as Error).message), h.secrets);
        check(!found, "error message must not contain a secret");
      },
    ],
    [
      "verifyWebhook rejects a stale callback",
      async () => {
        const p = await h.createProvider(manualClock().clock);
        const w = await h.signWebhook({ body, nowMs: T0 - h.maxWebhookAgeMs - 5000 });
        await expectCode("verifying a stale callback", ["ERR_WEBHOOK_EXPIRED"], () => p.verifyWebhook(w));
      },
    ],
    [
      "verifyWebhook rejects garbage with a typed error",
      async () => {
        const p = await h.createProvider(manualClock().clock);
        const garbage: unknown[] = [null, 42, "text", {}, { url: "/", headers: {}, body: { parsed: true } }];
        for (const g of garbage) {
          await expectCode("verifyWebhook(garbage)", ["ERR_WEBHOOK_INVALID", "ERR_INVALID_INPUT"], () =>
            p.verifyWebhook(g as RawWebhook),
          );
        }
      },
    ],
    [
      "issueCredential rejects bad user IDs with ERR_INVALID_INPUT",
      async () => {
        const p = await h.createProvider(manualClock().clock);
        const bad: unknown[] = [
          "",
          "x".repeat(h.maxUserIdLength + 1),
          "x".repeat(100_000),
          123,
          null,
          undefined,
          {},
        ];
        for (const userId of bad) {
          await expectCode(`issueCredential(${typeof userId})`, ["ERR_INVALID_INPUT"], () =>
            p.issueCredential(userId as string),
          );
        }
        await p.issueCredential("x".repeat(h.maxUserIdLength), { ttlSeconds: ttl });
      },
    ],
    [
      "issueCredential rejects bad ttlSeconds with ERR_INVALID_INPUT",
      async () => {
        if (h.validatesTtl === false) return;
        const p = await h.createProvider(manualClock().clock);
        const bad: unknown[] = [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e15, "60", true];
        for (const ttlSeconds of bad) {
          await expectCode(`issueCredential ttlSeconds=${String(ttlSeconds)}`, ["ERR_INVALID_INPUT"], () =>
            p.issueCredential("conformance-user", { ttlSeconds: ttlSeconds as number }),
          );
        }
      },
    ],
    [
      "invalid configuration throws ERR_INVALID_CONFIG without echoing secrets",
      async () => {
        check(h.invalidConfigs.length > 0, "the harness must list at least one invalid configuration");
        for (const build of h.invalidConfigs) {
          const e = await expectCode("building a misconfigured provider", ["ERR_INVALID_CONFIG"], build);
          const found = leaked(String((e as Error).message), h.secrets);
          check(!found, "configuration error must not contain a secret");
        }
      },
    ],
    [
      "secrets never leak through JSON, String, inspect, credentials or signed requests",
      async () => {
        const p = await h.createProvider(manualClock().clock);
        const c = await p.issueCredential("conformance-user", { ttlSeconds: ttl });
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
          const found = leaked(text, h.secrets);
          check(!found, `a secret appeared in output: ${text.slice(0, 40)}...`);
        }
      },
    ],
  ];
  return list.map(([name, run]) => ({ name: `${h.name}: ${name}`, run }));
}

/**
 * Runs every conformance check and reports each outcome; never throws.
 *
 * @example
 * ```ts
 * const results = await runProviderConformance(harness);
 * const failed = results.filter((r) => !r.ok);
 * ```
 */
export async function runProviderConformance(h: ConformanceHarness): Promise<ConformanceResult[]> {
  const results: ConformanceResult[] = [];
  for (const c of conformanceChecks(h)) {
    try {
      await c.run();
      results.push({ name: c.name, ok: true });
    } catch (error) {
      results.push({ name: c.name, ok: false, error });
    }
  }
  return results;
}
