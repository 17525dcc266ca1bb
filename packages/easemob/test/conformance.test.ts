import type { Clock, ImCredential, RawWebhook } from "@imauth/core";
import { type ConformanceHarness, conformanceChecks, runProviderConformance } from "@imauth/core/testing";
import { describe, expect, it } from "vitest";
import { createEasemobProvider, DEFAULT_CREDENTIAL_TTL_SECONDS } from "../src/index.js";
import { createEasemobEmulator } from "../src/testing/index.js";
import { appName, callbackSecret, clientId, clientSecret, host, orgName, signedWebhook } from "./helpers.js";

function tamper(w: RawWebhook): RawWebhook[] {
  const body = JSON.parse(w.body as string) as Record<string, unknown>;
  const variant = (change: Record<string, unknown>, drop?: string) => {
    const copy: Record<string, unknown> = { ...body, ...change };
    if (drop !== undefined) delete copy[drop];
    return { ...w, body: JSON.stringify(copy) };
  };
  const security = body.security as string;
  return [
    variant({ security: `${security[0] === "0" ? "1" : "0"}${security.slice(1)}` }),
    variant({ timestamp: (body.timestamp as number) + 1 }),
    variant({ callId: `${body.callId as string}x` }),
    variant({}, "security"),
    variant({}, "callId"),
    { ...w, body: (w.body as string).replace('"security"', '"security":"0","security"') },
    { ...w, body: "not json" },
  ];
}

function base(): Omit<ConformanceHarness, "name" | "createProvider"> {
  return {
    secrets: [clientSecret, callbackSecret],
    defaultTtlSeconds: DEFAULT_CREDENTIAL_TTL_SECONDS,
    maxUserIdLength: 64,
    sampleRequest: () =>
      new Request(`https://${host}/${orgName}/${appName}/users?limit=2`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-extra": "kept" },
        body: JSON.stringify({ username: "alice", password: "pässword" }),
      }),
    verifySignedRequest: () => {
      throw new Error("replaced per harness");
    },
    signWebhook: ({ body, nowMs, wrongSecret }) =>
      signedWebhook(JSON.parse(body), nowMs, wrongSecret ? "wrong-secret" : callbackSecret),
    tamperWebhook: tamper,
    maxWebhookAgeMs: 300_000,
    invalidConfigs: [
      () => createEasemobProvider({ orgName, appName, clientId, clientSecret: "" }),
      () => createEasemobProvider({ orgName: "", appName, clientId, clientSecret }),
      () => createEasemobProvider({ orgName, appName: "a/b", clientId, clientSecret }),
      () => createEasemobProvider({ orgName, appName, clientId: "", clientSecret }),
      () => createEasemobProvider({ orgName, appName, clientId, clientSecret, region: "mars" as "cn1" }),
      () => createEasemobProvider({ orgName, appName, clientId, clientSecret, region: "cn1", baseUrl: host }),
      () =>
        createEasemobProvider({
          orgName,
          appName,
          clientId,
          clientSecret,
          baseUrl: "https://x.example/path",
        }),
      () =>
        createEasemobProvider({ orgName, appName, clientId, clientSecret, ttlUnit: "hours" as "seconds" }),
      () => createEasemobProvider({ orgName, appName, clientId, clientSecret, callbackSecret: [] }),
      () => createEasemobProvider({ orgName, appName, clientId, clientSecret, clock: 5 as unknown as Clock }),
      () => createEasemobProvider({ orgName, appName, clientId, clientSecret, unknown: 1 } as never),
      () => createEasemobProvider(null as never),
    ],
    rooms: "unsupported",
  };
}

/** The inherit mode against one emulator whose clock follows the provider built last. */
function inheritHarness(): ConformanceHarness {
  let current: Clock = () => 1_700_000_000_000;
  const emulator = createEasemobEmulator({
    orgName,
    appName,
    clientId,
    clientSecret,
    callbackSecret,
    clock: () => current(),
  });
  return {
    ...base(),
    name: "easemob inherit",
    createProvider: (clock) => {
      current = clock;
      return createEasemobProvider({
        orgName,
        appName,
        clientId,
        clientSecret,
        callbackSecret,
        baseUrl: host,
        clock,
        fetch: emulator.fetch,
      });
    },
    verifyCredential: (credential: ImCredential, clock: Clock) => {
      current = clock;
      emulator.verifyLogin(credential.userId, credential.token);
    },
    verifySignedRequest: (request) => emulator.verifyRequest(request),
  };
}

/** The offline mode, with a stand-in strategy (the Agora Chat token itself is tested in vectors.test.ts). */
function strategyHarness(): ConformanceHarness {
  const emulator = createEasemobEmulator({
    orgName,
    appName,
    clientId,
    clientSecret,
    clock: () => 1_700_000_000_000,
  });
  return {
    ...base(),
    name: "easemob strategy",
    createProvider: (clock) =>
      createEasemobProvider({
        orgName,
        appName,
        clientId,
        clientSecret,
        callbackSecret,
        baseUrl: host,
        clock,
        fetch: emulator.fetch,
        userTokens: (userId, expireSeconds, frozen) => `stand-in:${userId}:${expireSeconds}:${frozen?.()}`,
      }),
    verifySignedRequest: (request) => emulator.verifyRequest(request),
  };
}

for (const harness of [inheritHarness(), strategyHarness()]) {
  describe(harness.name, () => {
    for (const check of conformanceChecks(harness)) {
      if (check.skip !== undefined) {
        it.skip(`${check.name} (skipped: ${check.skip})`, () => check.run());
      } else {
        it(check.name, () => check.run());
      }
    }
  });
}

it("runProviderConformance: every check that applies passes", async () => {
  const results = await runProviderConformance(inheritHarness());
  const failed = results.filter((r) => r.status === "failed").map((r) => r.name);
  expect(failed).toEqual([]);
  expect(results.filter((r) => r.status === "passed").length).toBeGreaterThan(15);
});
