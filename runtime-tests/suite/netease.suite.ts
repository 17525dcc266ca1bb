// @imauth/netease: every runtime export of ".", "./client" and "./testing", against the built package, with
// NetEase's documentation and official-test vectors.
import { ImAuthError, utf8Encode } from "@imauth/core";
import { type ConformanceHarness, runProviderConformance } from "@imauth/core/testing";
import {
  assertAccid,
  bodyMd5,
  CHECKSUM_VALIDITY_MS,
  callbackCheckSum,
  checkSum,
  createCheckSumHeaders,
  createNeteaseProvider,
  DEFAULT_CALLBACK_MAX_SKEW_MS,
  DEFAULT_CREDENTIAL_TTL_SECONDS,
  decodeDynamicToken,
  decodeNertcPermissionKey,
  decodeNertcToken,
  genDynamicToken,
  genNertcPermissionKey,
  genNertcToken,
  MAX_ACCID_LENGTH,
  MAX_NERTC_TOKEN_TTL_SECONDS,
  MAX_NONCE_LENGTH,
  MAX_STATIC_TOKEN_LENGTH,
  MAX_TOKEN_TTL_SECONDS,
  NERTC_PRIVILEGE,
  NETEASE_REGIONS,
  neteaseCallbackReply,
  randomNonce,
  verifyDynamicToken,
  verifyNertcPermissionKey,
  verifyNertcToken,
  verifyNeteaseCallback,
} from "@imauth/netease";
import {
  createNeteaseImClient,
  createNeteaseStaticProvider,
  NETEASE_RATE_LIMIT_CODE,
  NETEASE_RETRY_CODES,
  neteaseRetryDecision,
} from "@imauth/netease/client";
import { createNeteaseEmulator } from "@imauth/netease/testing";
import v from "../../vectors/netease.json";
import { assert, equal, fixedClock, rejects, suite, throws } from "./harness.js";

const test = suite("@imauth/netease");
const appKey = v.imDynamicToken[0]!.appKey;
const appSecret = v.apiCheckSum[0]!.appSecret;

test("checkSum and createCheckSumHeaders: the documented API CheckSum", () => {
  const c = v.apiCheckSum[0]!;
  equal(checkSum(c.appSecret, c.nonce, c.curTime), c.expected, "checkSum");
  const headers = createCheckSumHeaders({
    appKey,
    appSecret,
    nonce: c.nonce,
    clock: fixedClock(Number(c.curTime) * 1000),
  });
  equal(
    [headers.AppKey, headers.Nonce, headers.CurTime, headers.CheckSum],
    [appKey, c.nonce, c.curTime, c.expected],
    "headers (CurTime in seconds)",
  );
  const a = randomNonce();
  assert(/^[0-9a-f]{32}$/.test(a) && a !== randomNonce(), "randomNonce: fresh 32 hex characters");
  throws(
    () => createCheckSumHeaders({ appKey, appSecret, nonce: "n".repeat(MAX_NONCE_LENGTH + 1) }),
    "ERR_INVALID_INPUT",
    "long nonce",
  );
  equal(CHECKSUM_VALIDITY_MS, 5 * 60 * 1000, "a CheckSum is valid for 5 minutes");
});

test("bodyMd5, callbackCheckSum and verifyNeteaseCallback: the callback vector", async () => {
  const c = v.callback[0]!;
  equal(bodyMd5(c.body), c.md5, "MD5 of the raw body");
  equal(bodyMd5(utf8Encode(c.body)), c.md5, "MD5 of bytes");
  equal(callbackCheckSum(c.appSecret, c.md5, c.curTimeMs), c.checkSum, "CheckSum");
  const headers = { AppKey: appKey, CurTime: c.curTimeMs, MD5: c.md5, CheckSum: c.checkSum };
  const clock = fixedClock(Number(c.curTimeMs));
  const event = await verifyNeteaseCallback(
    { url: "/cb", headers, body: c.body },
    { appSecret, appKey, clock },
  );
  equal([event.vendor, event.rawBody, event.payload], ["netease", c.body, {}], "verified");
  const lower = Object.fromEntries(Object.entries(headers).map(([k, x]) => [k.toLowerCase(), x]));
  await verifyNeteaseCallback(
    new Request("https://app.example/cb", { method: "POST", headers: lower, body: c.body }),
    { appSecret, clock },
  );
  await rejects(
    () => verifyNeteaseCallback({ url: "/cb", headers, body: "{ }" }, { appSecret, clock }),
    "ERR_WEBHOOK_INVALID",
    "re-serialised body",
  );
  await rejects(
    () => verifyNeteaseCallback({ url: "/cb", headers, body: c.body }, { appSecret: "other", clock }),
    "ERR_WEBHOOK_INVALID",
    "secret",
  );
  await rejects(
    () => verifyNeteaseCallback({ url: "/cb", headers, body: c.body }, { appSecret, appKey: "other", clock }),
    "ERR_WEBHOOK_INVALID",
    "app",
  );
  const late = fixedClock(Number(c.curTimeMs) + DEFAULT_CALLBACK_MAX_SKEW_MS + 1);
  await rejects(
    () => verifyNeteaseCallback({ url: "/cb", headers, body: c.body }, { appSecret, clock: late }),
    "ERR_WEBHOOK_EXPIRED",
    "stale",
  );
});

test("neteaseCallbackReply answers HTTP 200 with NetEase's reply", async () => {
  const ok = neteaseCallbackReply();
  equal([ok.status, await ok.json()], [200, { errCode: 0, responseCode: 200 }], "default");
  const reject = await neteaseCallbackReply({ errCode: 1, responseCode: 20000 }).json();
  equal(reject, { errCode: 1, responseCode: 20000 }, "reject");
});

test("genDynamicToken, decodeDynamicToken and verifyDynamicToken: the official dynamic token", () => {
  const t = v.imDynamicToken[0]!;
  const clock = fixedClock(t.curTimeMs);
  equal(
    genDynamicToken({ appKey, appSecret, accid: t.accid, ttlSeconds: t.ttlSeconds, clock }),
    t.token,
    "token",
  );
  const d = decodeDynamicToken(t.token);
  equal([d.signature, d.curTimeMs, d.ttlSeconds], [t.signature, t.curTimeMs, t.ttlSeconds], "decoded");
  verifyDynamicToken({ token: t.token, appKey, appSecret, accid: t.accid, clock });
  throws(
    () => verifyDynamicToken({ token: t.token, appKey, appSecret, accid: "user02", clock }),
    "ERR_SIGNATURE_INVALID",
    "other accid",
  );
  const later = fixedClock(t.curTimeMs + (t.ttlSeconds + 1) * 1000);
  throws(
    () => verifyDynamicToken({ token: t.token, appKey, appSecret, accid: t.accid, clock: later }),
    "ERR_CREDENTIAL_EXPIRED",
    "expired",
  );
  throws(() => decodeDynamicToken("%%%"), "ERR_MALFORMED_CREDENTIAL", "garbage");
  assertAccid("user_01@x.y-z");
  throws(() => assertAccid("a".repeat(MAX_ACCID_LENGTH + 1)), "ERR_INVALID_INPUT", "long accid");
  throws(
    () => genDynamicToken({ appKey, appSecret, accid: "u", ttlSeconds: MAX_TOKEN_TTL_SECONDS + 1, clock }),
    "ERR_INVALID_INPUT",
    "ttl",
  );
});

test("genNertcToken, decodeNertcToken and verifyNertcToken: the official NERTC token", () => {
  const t = v.nertcToken[0]!;
  const clock = fixedClock(t.curTimeMs);
  const opts = { appKey, appSecret, uid: t.uid, channelName: t.channelName };
  equal(genNertcToken({ ...opts, ttlSeconds: t.ttlSeconds, clock }), t.expected, "token");
  equal(decodeNertcToken(t.expected).ttlSeconds, t.ttlSeconds, "decoded ttl");
  verifyNertcToken({ ...opts, token: t.expected, clock });
  throws(
    () => verifyNertcToken({ ...opts, channelName: "room2", token: t.expected, clock }),
    "ERR_SIGNATURE_INVALID",
    "room",
  );
  throws(
    () => genNertcToken({ ...opts, ttlSeconds: MAX_NERTC_TOKEN_TTL_SECONDS + 1, clock }),
    "ERR_INVALID_INPUT",
    "ttl over a day",
  );
});

test("genNertcPermissionKey, decodeNertcPermissionKey and verifyNertcPermissionKey: the official key", () => {
  const k = v.nertcPermissionKey[0]!;
  const clock = fixedClock(k.curTimeSec * 1000);
  const official = decodeNertcPermissionKey(k.expected);
  const want = k.decodedJson;
  const fields = (d: typeof official) => [
    d.appKey,
    d.checksum,
    d.channelName,
    d.curTimeSeconds,
    d.ttlSeconds,
    d.privilege,
    d.uid,
  ];
  equal(
    fields(official),
    [want.appkey, want.checksum, want.cname, want.curTime, want.expireTime, want.privilege, String(want.uid)],
    "official key decodes",
  );
  const ours = genNertcPermissionKey({
    appKey,
    permSecret: k.permSecret,
    uid: k.uid,
    channelName: k.channelName,
    ttlSeconds: k.ttlSeconds,
    privilege: k.privilege,
    clock,
  });
  equal(fields(decodeNertcPermissionKey(ours)), fields(official), "ours decodes to the same document");
  verifyNertcPermissionKey({ key: k.expected, appKey, permSecret: k.permSecret, clock });
  throws(
    () => verifyNertcPermissionKey({ key: ours, appKey: "x", permSecret: k.permSecret, clock }),
    "ERR_APP_MISMATCH",
    "app",
  );
  throws(
    () => verifyNertcPermissionKey({ key: ours, appKey, permSecret: "0".repeat(64), clock }),
    "ERR_SIGNATURE_INVALID",
    "secret",
  );
  equal(NERTC_PRIVILEGE.ALL, 63, "privilege bits");
});

const nowMs = 1_700_000_000_000;
function harness(): ConformanceHarness {
  return {
    name: "netease",
    createProvider: (clock) => createNeteaseProvider({ appKey, appSecret, clock }),
    secrets: [appSecret],
    verifyCredential: (c, clock) => {
      verifyDynamicToken({ token: c.token, appKey, appSecret, accid: c.userId, clock });
    },
    defaultTtlSeconds: DEFAULT_CREDENTIAL_TTL_SECONDS,
    maxUserIdLength: MAX_ACCID_LENGTH,
    sampleRequest: () =>
      new Request("https://api-cn.yunxinapi.com/nimserver/user/create.action?trace=1", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8", "x-request-id": "r1" },
        body: "accid=conformance-user",
      }),
    verifySignedRequest: (request, clock) =>
      createNeteaseEmulator({ appKey, appSecret, clock }).verifyRequest(request),
    signWebhook: ({ body, nowMs: at, wrongSecret }) =>
      createNeteaseEmulator({ appKey, appSecret }).signCallback(body, {
        nowMs: at,
        ...(wrongSecret ? { appSecret: "wrong" } : {}),
      }),
    maxWebhookAgeMs: DEFAULT_CALLBACK_MAX_SKEW_MS,
    invalidConfigs: [
      () => createNeteaseProvider({ appKey, appSecret: "" }),
      () => createNeteaseProvider({} as never),
    ],
  };
}

test("createNeteaseProvider passes the core conformance suite", async () => {
  const failed = (await runProviderConformance(harness())).filter((r) => !r.ok);
  equal(
    failed.map((r) => `${r.name}: ${String(r.error)}`),
    [],
    "failed checks",
  );
  equal(NETEASE_REGIONS.cn[0], "https://api-cn.yunxinapi.com/nimserver/", "cn primary domain");
  assert(MAX_STATIC_TOKEN_LENGTH >= 32, "static tokens up to 128 characters");
});

test("createNeteaseImClient against createNeteaseEmulator: fresh headers on every retry, failover, errors", async () => {
  const clock = fixedClock(nowMs);
  const emulator = createNeteaseEmulator({ appKey, appSecret, clock, rejectReplayedNonce: true });
  const provider = createNeteaseProvider({ appKey, appSecret, clock });
  const client = createNeteaseImClient(provider, {
    baseUrl: ["http://nim.test/nimserver/", "http://nim-backup.test/nimserver/"],
    fetch: emulator.fetch as typeof fetch,
    sleep: async () => {},
    random: () => 0,
  });
  await client.createAccount("user01");
  emulator.failNext(1, { code: 503 });
  emulator.rateLimitNext(1);
  const { token } = await client.refreshToken("user01");
  assert(emulator.acceptsLogin("user01", token), "the emulator accepts the new static token");
  const nonces = emulator.requests.map((r) => r.nonce);
  equal(new Set(nonces).size, nonces.length, "every attempt had its own Nonce");
  equal(
    emulator.requests.map((r) => r.code),
    [200, 503, NETEASE_RATE_LIMIT_CODE, 200],
    "created; then 503, 416 and success for the idempotent refresh",
  );
  const e = await rejects(() => client.createAccount("user01"), "ERR_VENDOR_API", "existing account");
  assert(typeof (e as ImAuthError).vendorCode === "number", "vendor code kept");
  assert(NETEASE_RETRY_CODES.includes(503), "503 is retried");
  equal(
    neteaseRetryDecision(new ImAuthError("ERR_VENDOR_API", "x", { vendorCode: 414, status: 200 }), 1).retry,
    false,
    "414 is not",
  );
});

test("createNeteaseStaticProvider issues static tokens through the client", async () => {
  const clock = fixedClock(nowMs);
  const emulator = createNeteaseEmulator({ appKey, appSecret, clock });
  const provider = createNeteaseStaticProvider({
    appKey,
    appSecret,
    clock,
    baseUrl: "http://nim.test/nimserver/",
    fetch: emulator.fetch as typeof fetch,
    sleep: async () => {},
  });
  const first = await provider.issueCredential("user02");
  const again = await provider.issueCredential("user02");
  assert(emulator.acceptsLogin("user02", again.token), "refreshed token accepted");
  assert(first.token !== again.token, "an existing account gets a refreshed token");
  equal(
    again.expiresAt.getTime() - again.issuedAt.getTime(),
    DEFAULT_CREDENTIAL_TTL_SECONDS * 1000,
    "policy lifetime",
  );
});
