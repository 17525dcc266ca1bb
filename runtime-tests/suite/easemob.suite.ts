// @imauth/easemob: every runtime export of ".", "./client" and "./testing", against the built package, with
// the callback vectors made with Easemob's documented formula and the Agora-realm Chat token vector.
import { ImAuthError, type RawWebhook } from "@imauth/core";
import { type ConformanceHarness, runProviderConformance } from "@imauth/core/testing";
import {
  createEasemobProvider,
  DEFAULT_CREDENTIAL_TTL_SECONDS,
  DEFAULT_WEBHOOK_MAX_SKEW_SECONDS,
  EASEMOB_REGIONS,
  easemobCallbackReply,
  easemobCallbackResponse,
  easemobCallbackSecurity,
  isEasemobUserId,
  MAX_TOKEN_TTL_SECONDS,
  MAX_USER_ID_LENGTH,
  verifyEasemobCallback,
  verifyEasemobSecurity,
} from "@imauth/easemob";
import { classifyEasemobError, createEasemobImClient, parseEasemobEnvelope } from "@imauth/easemob/client";
import { createEasemobEmulator, signEasemobCallback } from "@imauth/easemob/testing";
import v from "../../vectors/easemob.json";
import { assert, equal, fixedClock, rejects, suite, throws } from "./harness.js";

const test = suite("@imauth/easemob");
const nowMs = 1_700_000_000_000;
const app = {
  orgName: "1100220704109048",
  appName: "demo",
  clientId: "YXA6clientidEXAMPLE0000001",
  clientSecret: "YXA6clientSecretEXAMPLE000000000001",
};
const callbackSecret = "Xy9kLmN0pQrStUv";
const appKey = `${app.orgName}#${app.appName}`;
const callbacks = v.vectors.filter((x) => x.kind === "callbackSecurity") as Array<{
  callId: string;
  secret: string;
  timestampMs: number;
  security: string;
  exampleBody: Record<string, unknown>;
}>;

test("easemobCallbackSecurity, verifyEasemobSecurity, verifyEasemobCallback: the callback vectors", async () => {
  for (const c of callbacks) {
    equal(easemobCallbackSecurity(c.callId, c.secret, c.timestampMs), c.security, "security");
    assert(
      verifyEasemobSecurity({ callId: c.callId, timestamp: String(c.timestampMs), security: c.security }, [
        "other",
        c.secret,
      ]),
      "a rotation list",
    );
    const body = JSON.stringify(c.exampleBody);
    const clock = fixedClock(c.timestampMs);
    const event = await verifyEasemobCallback({ url: "/cb", headers: {}, body }, { secret: c.secret, clock });
    equal([event.vendor, event.rawBody, event.details.callId], ["easemob", body, c.callId], "verified");
    await rejects(
      () => verifyEasemobCallback({ url: "/cb", headers: {}, body }, { secret: "wrong", clock }),
      "ERR_WEBHOOK_INVALID",
      "wrong secret",
    );
    const late = fixedClock(c.timestampMs + DEFAULT_WEBHOOK_MAX_SKEW_SECONDS * 1000 + 1);
    await rejects(
      () => verifyEasemobCallback({ url: "/cb", headers: {}, body }, { secret: c.secret, clock: late }),
      "ERR_WEBHOOK_EXPIRED",
      "stale",
    );
  }
});

test("signEasemobCallback, easemobCallbackReply and easemobCallbackResponse", async () => {
  const request = signEasemobCallback({
    appKey,
    secret: callbackSecret,
    body: { from: "a" },
    clock: fixedClock(nowMs),
  });
  const event = await verifyEasemobCallback(request, { secret: callbackSecret, clock: fixedClock(nowMs) });
  equal([event.appId, event.event], [appKey, "chat"], "signed callback");
  equal(easemobCallbackReply(), { valid: true }, "default reply");
  equal(easemobCallbackReply({ valid: false, code: "no" }), { valid: false, code: "no" }, "blocking reply");
  const response = easemobCallbackResponse();
  equal([response.status, await response.json()], [200, { valid: true }], "response");
  throws(() => easemobCallbackReply({ code: 1 as never }), "ERR_INVALID_INPUT", "bad code");
});

test("the Agora-realm Chat token goes through the injected strategy, offline", async () => {
  const t = v.vectors.find((x) => x.kind === "agoraRealmChatUserToken") as {
    token: string;
    userId: string;
    expireSeconds: number;
    issueTs: number;
  };
  const provider = createEasemobProvider({
    ...app,
    clock: fixedClock(t.issueTs * 1000),
    fetch: () => Promise.reject(new TypeError("offline")),
    userTokens: (userId, expireSeconds, clock) =>
      userId === t.userId && expireSeconds === t.expireSeconds && clock?.() === t.issueTs * 1000
        ? t.token
        : "",
  });
  const c = await provider.issueCredential(t.userId, { ttlSeconds: t.expireSeconds });
  equal(
    [c.token, c.appId, c.expiresAt.getTime()],
    [t.token, appKey, (t.issueTs + t.expireSeconds) * 1000],
    "credential",
  );
  assert(isEasemobUserId(t.userId) && !isEasemobUserId("a".repeat(MAX_USER_ID_LENGTH + 1)), "user ID rule");
  await rejects(
    () => provider.issueCredential("alice", { ttlSeconds: MAX_TOKEN_TTL_SECONDS + 1 }),
    "ERR_INVALID_INPUT",
    "ttl",
  );
});

function harness(): ConformanceHarness {
  let current = fixedClock(nowMs);
  const emulator = createEasemobEmulator({ ...app, callbackSecret, clock: () => current() });
  return {
    name: "easemob",
    createProvider: (clock) => {
      current = clock;
      return createEasemobProvider({ ...app, callbackSecret, clock, fetch: emulator.fetch });
    },
    secrets: [app.clientSecret, callbackSecret],
    verifyCredential: (c, clock) => {
      current = clock;
      emulator.verifyLogin(c.userId, c.token);
    },
    defaultTtlSeconds: DEFAULT_CREDENTIAL_TTL_SECONDS,
    maxUserIdLength: MAX_USER_ID_LENGTH,
    sampleRequest: () =>
      new Request(`${EASEMOB_REGIONS.cn1[0]}${app.orgName}/${app.appName}/users?x=1`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-extra": "kept" },
        body: JSON.stringify({ username: "u1", password: "p" }),
      }),
    verifySignedRequest: (request) => emulator.verifyRequest(request),
    async signWebhook({ body, nowMs: at, wrongSecret }): Promise<RawWebhook> {
      const request = signEasemobCallback({
        appKey,
        secret: wrongSecret ? "wrong" : callbackSecret,
        body: JSON.parse(body),
        clock: fixedClock(at),
      });
      return { url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() };
    },
    tamperWebhook: (w) => {
      const body = JSON.parse(w.body as string) as Record<string, unknown>;
      return [
        { ...w, body: JSON.stringify({ ...body, timestamp: (body.timestamp as number) + 1 }) },
        { ...w, body: JSON.stringify({ ...body, callId: "x" }) },
      ];
    },
    maxWebhookAgeMs: DEFAULT_WEBHOOK_MAX_SKEW_SECONDS * 1000,
    invalidConfigs: [
      () => createEasemobProvider({ ...app, clientSecret: "" }),
      () => createEasemobProvider({ ...app, region: "cn1", baseUrl: "a1.easemob.com" }),
      () => createEasemobProvider({} as never),
    ],
    rooms: "unsupported",
  };
}

test("createEasemobProvider passes the core conformance suite", async () => {
  const failed = (await runProviderConformance(harness())).filter((r) => !r.ok);
  equal(
    failed.map((r) => `${r.name}: ${String(r.error)}`),
    [],
    "failed checks",
  );
  equal(new URL(EASEMOB_REGIONS.sgp2[1]!).host, "a61.easecdn.com", "sgp2 backup host");
});

test("createEasemobImClient against createEasemobEmulator: app token renewal on 401, 429, envelopes", async () => {
  const clock = fixedClock(nowMs);
  const emulator = createEasemobEmulator({ ...app, clock });
  const provider = createEasemobProvider({ ...app, baseUrl: "a1.easemob.com", clock, fetch: emulator.fetch });
  const client = createEasemobImClient(provider, {
    fetch: emulator.fetch,
    sleep: async () => {},
    random: () => 0,
  });
  await client.registerUser("alice", "pw");
  emulator.revokeCredentials();
  emulator.failNext(1, { status: 429 });
  equal((await client.getUser("ALICE")).username, "alice", "user");
  await client.deleteUser("alice");
  const e = await rejects(() => client.call("GET", "users/alice"), "ERR_VENDOR_API", "deleted");
  equal(
    [(e as ImAuthError).status, (e as ImAuthError).vendorCode],
    [404, "service_resource_not_found"],
    "404",
  );
  equal(
    emulator.calls.map((c) => c.status),
    [200, 200, 429, 401, 200, 200, 200, 404],
    "register; 429, 401, renew, get; delete; 404",
  );
  equal(parseEasemobEnvelope(200, { entities: [] }), { entities: [] }, "envelope");
  throws(() => parseEasemobEnvelope(503, { error: "busy" }), "ERR_VENDOR_API", "5xx envelope");
  const decision = classifyEasemobError(new ImAuthError("ERR_VENDOR_API", "x", { status: 429 }), 1);
  equal([decision.retry, decision.delayMs], [true, 1000], "429 waits");
  const credential = await provider.issueCredential("bob", { ttlSeconds: 60 });
  assert(emulator.acceptsLogin("bob", credential.token), "inherit token accepted");
});
