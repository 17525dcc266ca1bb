import { describe, expect, it } from "vitest";
import type { ImAuthProvider } from "../src/index.js";
import {
  type ConformanceHarness,
  conformanceChecks,
  referenceConformanceHarness,
  registerConformanceTests,
  runProviderConformance,
} from "../src/testing/index.js";

const SECRET = "reference-secret-value-0123456789";

const harness = (wrap?: (p: ImAuthProvider) => ImAuthProvider): ConformanceHarness =>
  referenceConformanceHarness({ secret: SECRET, ...(wrap ? { wrap } : {}) });

describe("conformance suite against the reference provider", () => {
  registerConformanceTests(harness(), it);
});

/** Each broken provider must fail the named check (and the suite must report it). */
const broken: Array<[string, string, (p: ImAuthProvider) => ImAuthProvider]> = [
  [
    "ignores ttlSeconds",
    "issues a credential whose fields",
    (p) => ({
      ...p,
      vendor: p.vendor,
      issueCredential: (u, o) => p.issueCredential(u, { ...o, ttlSeconds: 60 }),
    }),
  ],
  [
    "drops the query string",
    "method, body, headers and query preserved",
    (p) => ({
      vendor: p.vendor,
      issueCredential: p.issueCredential,
      verifyWebhook: p.verifyWebhook,
      signRequest: async (r) => {
        const signed = await p.signRequest(r);
        const url = new URL(signed.url);
        url.search = "";
        return new Request(url, signed);
      },
    }),
  ],
  [
    "accepts any callback",
    "rejects a forged callback",
    (p) => ({
      vendor: p.vendor,
      issueCredential: p.issueCredential,
      signRequest: p.signRequest,
      verifyWebhook: async (w) => {
        try {
          return await p.verifyWebhook(w);
        } catch {
          return { vendor: p.vendor, receivedAt: new Date(0), payload: {}, rawBody: "", details: {} };
        }
      },
    }),
  ],
  [
    "leaks its secret through JSON.stringify",
    "secrets never leak",
    (p) => Object.assign(Object.create(null), { ...p, vendor: p.vendor, secret: SECRET }) as ImAuthProvider,
  ],
  [
    "accepts an empty user ID",
    "rejects bad user IDs",
    (p) => ({
      vendor: p.vendor,
      signRequest: p.signRequest,
      verifyWebhook: p.verifyWebhook,
      issueCredential: (u, o) => p.issueCredential(u === "" ? "anonymous" : u, o),
    }),
  ],
  [
    "ignores a room scope it cannot honour",
    "refuses a room scope it cannot honour",
    (p) => ({
      vendor: p.vendor,
      signRequest: p.signRequest,
      verifyWebhook: p.verifyWebhook,
      issueCredential: (u, o) => p.issueCredential(u, { ...o, room: undefined }),
    }),
  ],
  [
    "throws plain errors on garbage callbacks",
    "rejects garbage with a typed error",
    (p) => ({
      vendor: p.vendor,
      issueCredential: p.issueCredential,
      signRequest: p.signRequest,
      verifyWebhook: (w) => {
        if (w === null) throw new TypeError("cannot read properties of null");
        return p.verifyWebhook(w);
      },
    }),
  ],
];

describe("the conformance suite catches broken providers", () => {
  it("passes the reference provider completely (its only skip: it has no rooms)", async () => {
    const results = await runProviderConformance(harness());
    expect(results.filter((r) => r.status === "failed")).toEqual([]);
    expect(results.filter((r) => r.status === "skipped").map((r) => r.reason)).toEqual([
      "the vendor has no room-scoped credentials",
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.length).toBeGreaterThanOrEqual(15);
  });

  for (const [what, failingCheck, wrap] of broken) {
    it(`fails a provider that ${what}`, async () => {
      const results = await runProviderConformance(harness(wrap));
      const failed = results.filter((r) => r.status === "failed");
      expect(failed.map((r) => r.name).filter((name) => name.includes(failingCheck))).toHaveLength(1);
      expect(failed.every((r) => !r.ok && r.error !== undefined)).toBe(true);
    });
  }
});

describe("checks that do not apply", () => {
  const withoutVerifier = (): ConformanceHarness => {
    const { verifyCredential: _, ...rest } = harness();
    return rest;
  };

  it("report as skipped with a reason, never as passed", async () => {
    const results = await runProviderConformance(withoutVerifier());
    const skipped = results.filter((r) => r.status === "skipped");
    expect(skipped.map((r) => r.name)).toEqual([
      "reference: issues credentials its own verifier accepts until they expire",
      "reference: issueCredential with a room scope issues a room credential for that room and those privileges",
    ]);
    expect(skipped[0]!.reason).toMatch(/verifyCredential/);
    expect(results.filter((r) => r.status === "passed")).toHaveLength(results.length - 2);
  });

  it("carry the reason on the check, and skip through the test context or reject without one", async () => {
    const check = conformanceChecks(withoutVerifier()).find((c) => c.skip !== undefined)!;
    expect(check.skip).toMatch(/verifyCredential/);
    await expect(check.run()).rejects.toThrow(/skipped/);
    const notes: Array<string | undefined> = [];
    await expect(check.run({ skip: (note) => void notes.push(note) })).rejects.toThrow(/skipped/);
    expect(notes).toEqual([check.skip]);
  });

  it("are registered as skipped tests by registerConformanceTests", () => {
    const registered: string[] = [];
    const test = Object.assign((name: string) => void registered.push(`run ${name}`), {
      skip: (name: string) => void registered.push(`skip ${name}`),
    });
    registerConformanceTests(withoutVerifier(), test);
    expect(registered.filter((r) => r.startsWith("skip"))).toHaveLength(2);
    expect(registered.filter((r) => r.startsWith("run"))).toHaveLength(registered.length - 2);
  });
});
