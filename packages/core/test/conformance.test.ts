import { describe, expect, it } from "vitest";
import type { ImAuthProvider } from "../src/index.js";
import { type ConformanceHarness, conformanceChecks, runProviderConformance } from "../src/testing/index.js";
import {
  createReferenceProvider,
  REFERENCE_MAX_AGE_MS,
  signReferenceWebhook,
  verifyReferenceRequest,
  verifyReferenceToken,
} from "./reference-provider.js";

const SECRET = "reference-secret-value-0123456789";

function harness(wrap: (p: ImAuthProvider) => ImAuthProvider = (p) => p): ConformanceHarness {
  return {
    name: "reference",
    createProvider: (clock) => wrap(createReferenceProvider({ appId: "app-1", secret: SECRET, clock })),
    secrets: [SECRET],
    verifyCredential: (c, clock) => verifyReferenceToken(c.token, SECRET, clock),
    defaultTtlSeconds: 86_400,
    maxUserIdLength: 32,
    sampleRequest: () =>
      new Request("https://api.example.com/v1/users?page=2&tag=a&tag=b", {
        method: "PUT",
        headers: { "content-type": "application/json", "x-app": "demo" },
        body: JSON.stringify({ id: "alice", name: "Ålice 世界" }),
      }),
    verifySignedRequest: (request) => verifyReferenceRequest(request, SECRET),
    signWebhook: ({ body, nowMs, wrongSecret }) =>
      signReferenceWebhook(wrongSecret ? "nope" : SECRET, body, nowMs),
    maxWebhookAgeMs: REFERENCE_MAX_AGE_MS,
    invalidConfigs: [
      () => createReferenceProvider({ appId: "", secret: SECRET }),
      () => createReferenceProvider({ appId: "a", secret: 42 as unknown as string }),
      () => createReferenceProvider(undefined as never),
    ],
  };
}

describe("conformance suite against the reference provider", () => {
  for (const c of conformanceChecks(harness())) it(c.name, c.run);
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
  it("passes the reference provider completely", async () => {
    const results = await runProviderConformance(harness());
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(15);
  });

  for (const [what, failingCheck, wrap] of broken) {
    it(`fails a provider that ${what}`, async () => {
      const results = await runProviderConformance(harness(wrap));
      const failed = results.filter((r) => !r.ok).map((r) => r.name);
      expect(failed.some((name) => name.includes(failingCheck))).toBe(true);
    });
  }
});
