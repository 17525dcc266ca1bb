// @imauth/rongcloud: every runtime export of ".", "./client" and "./testing", against the built package, with
// the vectors made by RongCloud's official Node SDK and the documented formula.
import { ImAuthError } from "@imauth/core";
import { type ConformanceHarness, runProviderConformance, withQueryParam } from "@imauth/core/testing";
import {
  createRongCloudHeaders,
  createRongCloudProvider,
  DEFAULT_CREDENTIAL_TTL_SECONDS,
  DEFAULT_REQUEST_MAX_SKEW_SECONDS,
  DEFAULT_WEBHOOK_MAX_SKEW_SECONDS,
  MAX_CREDENTIAL_TTL_SECONDS,
  MAX_NONCE_LENGTH,
  MAX_USER_ID_LENGTH,
  RONGCLOUD_REGIONS,
  rongCloudCallbackReply,
  rongCloudCallbackResponse,
  rongCloudSignature,
  verifyRongCloudCallback,
  verifyRongCloudHeaders,
} from "@imauth/rongcloud";
import {
  classifyRongCloudError,
  createRongCloudImClient,
  parseRongCloudEnvelope,
  RONGCLOUD_IDEMPOTENT_APIS,
  RONGCLOUD_RATE_LIMIT_CODE,
  RONGCLOUD_RETRY_CODES,
  rongCloudApiPath,
} from "@imauth/rongcloud/client";
import { createRongCloudEmulator, signRongCloudCallback } from "@imauth/rongcloud/testing";
import v from "../../vectors/rongcloud.json";
import { assert, equal, fixedClock, rejects, suite, throws } from "./harness.js";

const test = suite("@imauth/rongcloud");
const api = v.vectors.filter((x) => x.kind === "apiSignature") as Array<Record<string, unknown>>;
const callbacks = v.vectors.filter((x) => x.kind === "callbackSignature") as Array<Record<string, unknown>>;
const docMs = api.find((x) => String(x.timestampUnit).startsWith("milli"))!;
const sdk = api.find((x) => typeof x.clockMsInjected === "number")!;
const appKey = String(docMs.appKey);
const appSecret = String(docMs.appSecret);
const nowMs = 1_700_000_000_000;

test("rongCloudSignature and createRongCloudHeaders: the documented and the SDK's signatures", () => {
  equal(
    rongCloudSignature(appSecret, String(docMs.nonce), String(docMs.timestamp)),
    docMs.signature,
    "documented (ms)",
  );
  const made = createRongCloudHeaders({
    appKey: String(sdk.appKey),
    appSecret: String(sdk.appSecret),
    nonce: String(sdk.nonce),
    clock: fixedClock(Number(sdk.clockMsInjected)),
    timestampUnit: "seconds",
  });
  const h = sdk.headers as Record<string, string>;
  equal(
    [made["App-Key"], made.Nonce, made.Timestamp, made.Signature],
    [h["App-Key"], h.Nonce, h.Timestamp, h.Signature],
    "the SDK's headers (seconds)",
  );
  const fresh = createRongCloudHeaders({ appKey, appSecret, clock: fixedClock(nowMs) });
  equal(fresh.Timestamp, String(nowMs), "milliseconds by default");
  assert(/^[0-9a-f]{16}$/.test(fresh.Nonce), "a 16-hex nonce");
  assert(fresh.Nonce !== createRongCloudHeaders({ appKey, appSecret }).Nonce, "a new nonce each time");
  throws(
    () => createRongCloudHeaders({ appKey, appSecret, nonce: "n".repeat(MAX_NONCE_LENGTH + 1) }),
    "ERR_INVALID_INPUT",
    "long nonce",
  );
});

test("verifyRongCloudHeaders: plain and RC- names, rotation, window", () => {
  const headers = docMs.headers as Record<string, string>;
  const clock = fixedClock(Number(docMs.timestamp));
  equal(
    verifyRongCloudHeaders(headers, { appKey, appSecret: ["x-secret", appSecret], clock }).nonce,
    docMs.nonce,
    "nonce",
  );
  const rc = Object.fromEntries(Object.entries(headers).map(([k, x]) => [`RC-${k}`, x]));
  assert(verifyRongCloudHeaders(rc, { appSecret, clock }).prefixed, "RC- names");
  throws(
    () => verifyRongCloudHeaders(headers, { appSecret: "wrong", clock }),
    "ERR_SIGNATURE_INVALID",
    "secret",
  );
  throws(
    () => verifyRongCloudHeaders(headers, { appKey: "other", appSecret, clock }),
    "ERR_APP_MISMATCH",
    "app",
  );
  const late = fixedClock(Number(docMs.timestamp) + DEFAULT_REQUEST_MAX_SKEW_SECONDS * 1000 + 1);
  throws(
    () => verifyRongCloudHeaders(headers, { appSecret, clock: late }),
    "ERR_CREDENTIAL_EXPIRED",
    "window",
  );
});

test("verifyRongCloudCallback and signRongCloudCallback: the callback vectors", async () => {
  for (const c of callbacks) {
    const clock = fixedClock(Number(c.signTimestamp));
    const event = await verifyRongCloudCallback(
      { url: String(c.url), headers: {}, body: "" },
      { appSecret: String(c.appSecret), clock },
    );
    equal(event.receivedAt.getTime(), Number(c.signTimestamp), "receivedAt");
    const signed = signRongCloudCallback({ appSecret: String(c.appSecret), nonce: String(c.nonce), clock });
    equal(new URL(signed.url).searchParams.get("signature"), c.signature, "signRongCloudCallback");
    await rejects(
      () =>
        verifyRongCloudCallback({ url: String(c.url), headers: {}, body: "" }, { appSecret: "wrong", clock }),
      "ERR_WEBHOOK_INVALID",
      "wrong secret",
    );
    const late = fixedClock(Number(c.signTimestamp) + DEFAULT_WEBHOOK_MAX_SKEW_SECONDS * 1000 + 1);
    await rejects(
      () =>
        verifyRongCloudCallback(
          { url: String(c.url), headers: {}, body: "" },
          { appSecret: String(c.appSecret), clock: late },
        ),
      "ERR_WEBHOOK_EXPIRED",
      "stale",
    );
  }
  const legacy = signRongCloudCallback({
    appSecret,
    legacyNames: true,
    clock: fixedClock(nowMs),
    body: { userid: "u1" },
  });
  const event = await verifyRongCloudCallback(legacy, { appSecret, clock: fixedClock(nowMs) });
  equal(event.payload, { userid: "u1" }, "rc- names, form body");
});

test("rongCloudCallbackReply (a plain object) and rongCloudCallbackResponse (HTTP 200)", async () => {
  equal(rongCloudCallbackReply(), { pass: 1 }, "default reply");
  const response = rongCloudCallbackResponse({ pass: false });
  equal([response.status, await response.json()], [200, { pass: 0 }], "response");
});

function harness(): ConformanceHarness {
  return {
    name: "rongcloud",
    createProvider: (clock) => {
      const emulator = createRongCloudEmulator({ appKey, appSecret, clock });
      return createRongCloudProvider({
        appKey,
        appSecret,
        clock,
        baseUrl: "http://rc.test/",
        fetch: emulator.fetch,
      });
    },
    secrets: [appSecret],
    defaultTtlSeconds: DEFAULT_CREDENTIAL_TTL_SECONDS,
    maxUserIdLength: MAX_USER_ID_LENGTH,
    sampleRequest: () =>
      new Request("https://api-cn.ronghub.com/user/getToken.json?trace=1", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-request-id": "r1" },
        body: "userId=conformance-user",
      }),
    verifySignedRequest: (request, clock) =>
      createRongCloudEmulator({ appKey, appSecret, clock }).verifyRequest(request),
    async signWebhook({ body, nowMs: at, wrongSecret }) {
      const request = signRongCloudCallback({
        appSecret: wrongSecret ? "wrong" : appSecret,
        body,
        contentType: "json",
        clock: fixedClock(at),
      });
      return { url: request.url, headers: Object.fromEntries(request.headers), body };
    },
    tamperWebhook: (w) => [
      withQueryParam(w, "signature", "0".repeat(40)),
      withQueryParam(w, "nonce", "forged"),
    ],
    maxWebhookAgeMs: DEFAULT_WEBHOOK_MAX_SKEW_SECONDS * 1000,
    invalidConfigs: [
      () => createRongCloudProvider({ appKey, appSecret: "" }),
      () => createRongCloudProvider({ appKey, appSecret, region: "sg", baseUrl: "https://rc.example/" }),
      () => createRongCloudProvider({ appKey, appSecret, defaultTtlSeconds: MAX_CREDENTIAL_TTL_SECONDS + 1 }),
    ],
    rooms: "unsupported",
  };
}

test("createRongCloudProvider passes the core conformance suite", async () => {
  const failed = (await runProviderConformance(harness())).filter((r) => !r.ok);
  equal(
    failed.map((r) => `${r.name}: ${String(r.error)}`),
    [],
    "failed checks",
  );
  equal(
    RONGCLOUD_REGIONS.cn.slice(0, 2),
    ["https://api-cn.ronghub.com/", "https://api2-cn.ronghub.com/"],
    "cn domains",
  );
});

test("createRongCloudImClient against createRongCloudEmulator: fresh headers on every retry, failover, errors", async () => {
  const clock = fixedClock(nowMs);
  const emulator = createRongCloudEmulator({ appKey, appSecret, clock, rejectReplayedNonce: true });
  const provider = createRongCloudProvider({ appKey, appSecret, clock });
  const client = createRongCloudImClient(provider, {
    baseUrl: ["http://rc.test/", "http://rc-backup.test/"],
    fetch: emulator.fetch,
    sleep: async () => {},
    random: () => 0,
  });
  emulator.failNext(1, { vendorCode: 1000 });
  emulator.rateLimitNext(1);
  const { token } = await client.getToken("user01", { name: "Alice" });
  assert(emulator.acceptsLogin("user01", token), "the emulator accepts the token");
  equal(
    emulator.calls.map((c) => c.vendorCode),
    [1000, RONGCLOUD_RATE_LIMIT_CODE, 200],
    "1000, 1008, then success",
  );
  equal(new Set(emulator.calls.map((c) => c.nonce)).size, 3, "every attempt had its own Nonce");
  await client.refreshUser("user01", { name: "Bob" });
  await client.publishPrivate({
    fromUserId: "user01",
    toUserId: ["user02", "user03"],
    objectName: "RC:TxtMsg",
    content: { content: "hi" },
  });
  equal(emulator.messages[0]?.toUserId, ["user02", "user03"], "repeated toUserId");
  await client.expireTokens("user01", nowMs + 1);
  assert(!emulator.acceptsLogin("user01", token), "expired");
  const reply = await client.call("user/getToken.json", { userId: "user04" });
  equal(reply.code, 200, "call");
  emulator.revokeCredentials();
  assert(!emulator.acceptsLogin("user04", String(reply.token)), "revoked");
  const e = await rejects(
    () => client.refreshUser("nobody", { name: "x" }),
    "ERR_VENDOR_API",
    "unknown user",
  );
  equal((e as ImAuthError).vendorCode, 1002, "vendor code kept");
  assert(RONGCLOUD_RETRY_CODES.has(1000), "1000 is retried");
  assert(RONGCLOUD_IDEMPOTENT_APIS.has("user/getToken.json"), "getToken may be repeated");
  equal(
    classifyRongCloudError(new ImAuthError("ERR_VENDOR_API", "x", { vendorCode: 1004, status: 401 }), 1)
      .retry,
    false,
    "1004 is not",
  );
  equal(rongCloudApiPath("/user/getToken.json"), "user/getToken.json", "API path");
  equal(parseRongCloudEnvelope(200, { code: 200 }).code, 200, "envelope");
});

test("createRongCloudProvider issues tokens through user/getToken.json, failing over", async () => {
  const clock = fixedClock(nowMs);
  const emulator = createRongCloudEmulator({ appKey, appSecret, clock });
  const provider = createRongCloudProvider({
    appKey,
    appSecret,
    clock,
    baseUrl: ["http://rc.test/", "http://rc-backup.test/"],
    fetch: emulator.fetch,
  });
  emulator.failNext(1, { disconnect: true });
  const credential = await provider.issueCredential("user05", { ttlSeconds: 600 });
  assert(emulator.acceptsLogin("user05", credential.token), "accepted");
  equal(credential.expiresAt.getTime() - credential.issuedAt.getTime(), 600_000, "the ttl hint");
  await rejects(
    () => provider.issueCredential("user05", { room: { roomId: 1 } }),
    "ERR_INVALID_INPUT",
    "room scope",
  );
});
