// @imauth/netease: every runtime export of ".", "./client" and "./testing", against the built package, with
// NetEase's documentation and official-test vectors.
import { ImAuthError, type ImCredential } from "@imauth/core";
import { utf8Encode } from "@imauth/core/adapter";
import { type ConformanceHarness, runProviderConformance } from "@imauth/core/testing";
import {
  checkSum,
  createCheckSumHeaders,
  createNeteaseProvider,
  DEFAULT_CREDENTIAL_TTL_SECONDS,
  DEFAULT_WEBHOOK_MAX_SKEW_SECONDS,
  decodeDynamicToken,
  decodeNertcPermissionKey,
  decodeNertcToken,
  genDynamicToken,
  genNertcPermissionKey,
  genNertcToken,
  MAX_NERTC_TOKEN_TTL_SECONDS,
  MAX_TOKEN_TTL_SECONDS,
  NERTC_PRIVILEGE,
  NETEASE_REGIONS,
  neteaseCallbackReply,
  neteaseCallbackResponse,
  verifyDynamicToken,
  verifyNertcPermissionKey,
  verifyNertcToken,
  verifyNeteaseCallback,
} from "@imauth/netease";
import {
  classifyNeteaseError,
  createNeteaseImClient,
  createNeteaseStaticProvider,
  NETEASE_IDEMPOTENT_APIS,
  NETEASE_RATE_LIMIT_CODE,
  NETEASE_RETRY_CODES,
  neteaseApiPath,
  parseNeteaseEnvelope,
} from "@imauth/netease/client";
import { createNeteaseEmulator, signNeteaseCallback } from "@imauth/netease/testing";
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
  const a = createCheckSumHeaders({ appKey, appSecret }).Nonce;
  assert(/^[0-9a-f]{32}$/.test(a), "a fresh nonce: 32 hex characters");
  assert(a !== createCheckSumHeaders({ appKey, appSecret }).Nonce, "a new nonce each time");
  throws(
    () => createCheckSumHeaders({ appKey, appSecret, nonce: "n".repeat(129) }),
    "ERR_INVALID_INPUT",
    "long nonce",
  );
});

test("verifyNeteaseCallback and signNeteaseCallback: the callback vector", async () => {
  const c = v.callback[0]!;
  const signed = signNeteaseCallback({
    appKey,
    appSecret: c.appSecret,
    body: c.body,
    clock: fixedClock(Number(c.curTimeMs)),
  });
  equal(
    [signed.headers.get("MD5"), signed.headers.get("CheckSum"), signed.headers.get("CurTime")],
    [c.md5, c.checkSum, c.curTimeMs],
    "signNeteaseCallback: MD5 of the raw body, CheckSum, CurTime in ms",
  );
  assert(new URL(signed.url).protocol === "https:", "an absolute callback URL");
  equal(
    signNeteaseCallback({
      appKey,
      appSecret: c.appSecret,
      body: utf8Encode(c.body),
      clock: fixedClock(1),
    }).headers.get("MD5"),
    c.md5,
    "MD5 of bytes",
  );
  const headers = { AppKey: appKey, CurTime: c.curTimeMs, MD5: c.md5, CheckSum: c.checkSum };
  const clock = fixedClock(Number(c.curTimeMs));
  const event = await verifyNeteaseCallback(
    { url: "/cb", headers, body: c.body },
    { appSecret, appKey, clock },
  );
  await verifyNeteaseCallback(signed, { appKey, appSecret: c.appSecret, clock });
  equal([event.vendor, event.rawBody, event.payload], ["netease", c.body, {}], "verified");
  const lower = Object.fromEntries(Object.entries(headers).map(([k, x]) => [k.toLowerCase(), x]));
  await verifyNeteaseCallback(
    new Request("https://app.example/cb", { method: "POST", headers: lower, body: c.body }),
    { appKey, appSecret, clock },
  );
  await rejects(
    () => verifyNeteaseCallback({ url: "/cb", headers, body: "{ }" }, { appKey, appSecret, clock }),
    "ERR_WEBHOOK_INVALID",
    "re-serialised body",
  );
  await rejects(
    () => verifyNeteaseCallback({ url: "/cb", headers, body: c.body }, { appKey, appSecret: "other", clock }),
    "ERR_WEBHOOK_INVALID",
    "secret",
  );
  await rejects(
    () => verifyNeteaseCallback({ url: "/cb", headers, body: c.body }, { appSecret, appKey: "other", clock }),
    "ERR_WEBHOOK_INVALID",
    "app",
  );
  const late = fixedClock(Number(c.curTimeMs) + DEFAULT_WEBHOOK_MAX_SKEW_SECONDS * 1000 + 1);
  await rejects(
    () => verifyNeteaseCallback({ url: "/cb", headers, body: c.body }, { appKey, appSecret, clock: late }),
    "ERR_WEBHOOK_EXPIRED",
    "stale",
  );
});

test("neteaseCallbackReply (a plain object) and neteaseCallbackResponse (HTTP 200) answer NetEase", async () => {
  equal(neteaseCallbackReply(), { errCode: 0, responseCode: 200 }, "default reply");
  const ok = neteaseCallbackResponse();
  equal([ok.status, await ok.json()], [200, { errCode: 0, responseCode: 200 }], "default response");
  const reject = await neteaseCallbackResponse({ errCode: 1, responseCode: 20000 }).json();
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
  genDynamicToken({ appKey, appSecret, accid: "user_01@x.y-z", ttlSeconds: 60, clock });
  throws(
    () => genDynamicToken({ appKey, appSecret, accid: "a".repeat(33), ttlSeconds: 60, clock }),
    "ERR_INVALID_INPUT",
    "long accid",
  );
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
const permSecret = v.nertcPermissionKey[0]!.permSecret;
/** NERTC permission-key bits per room privilege, from NetEase's table. */
const ROOM_BITS = { join: 16 | 32 | 4 | 8, publishAudio: 1, publishVideo: 2, publishData: 0 };

function verifyRoomCredential(c: ImCredential, clock: () => number): void {
  const room = c.room;
  assert(room !== undefined, "credential.room");
  const channelName = String(room.roomId);
  equal(room.details?.uid, c.userId, "room.details.uid");
  const token = verifyNertcToken({ token: room.token, appKey, appSecret, uid: c.userId, channelName, clock });
  equal(token.expiresAt, room.expiresAt, "room.expiresAt");
  const bits = room.privileges.reduce((sum, p) => sum | ROOM_BITS[p], 0);
  const key = room.details?.permissionKey;
  if (bits === NERTC_PRIVILEGE.ALL) {
    equal(key, undefined, "no permission key when nothing is withheld");
    return;
  }
  assert(key !== undefined, "a permission key for restricted privileges");
  const decoded = verifyNertcPermissionKey({ key, appKey, permSecret, clock });
  equal(
    [decoded.privilege, decoded.uid, decoded.channelName],
    [bits, c.userId, channelName],
    "permission key",
  );
}

function harness(): ConformanceHarness {
  return {
    name: "netease",
    createProvider: (clock) => createNeteaseProvider({ appKey, appSecret, permSecret, clock }),
    secrets: [appSecret, permSecret],
    verifyCredential: (c, clock) => {
      verifyDynamicToken({ token: c.token, appKey, appSecret, accid: c.userId, clock });
    },
    defaultTtlSeconds: DEFAULT_CREDENTIAL_TTL_SECONDS,
    maxUserIdLength: 32,
    sampleRequest: () =>
      new Request("https://api-cn.yunxinapi.com/nimserver/user/create.action?trace=1", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8", "x-request-id": "r1" },
        body: "accid=conformance-user",
      }),
    verifySignedRequest: (request, clock) =>
      createNeteaseEmulator({ appKey, appSecret, clock }).verifyRequest(request),
    async signWebhook({ body, nowMs: at, wrongSecret }) {
      const request = signNeteaseCallback({
        appKey,
        appSecret: wrongSecret ? "wrong" : appSecret,
        body,
        clock: fixedClock(at),
      });
      return { url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() };
    },
    maxWebhookAgeMs: DEFAULT_WEBHOOK_MAX_SKEW_SECONDS * 1000,
    rooms: { sampleRoomIds: [1234, "room-1"], userId: "10001", verifyRoomCredential },
    invalidConfigs: [
      () => createNeteaseProvider({ appKey, appSecret: "" }),
      () => createNeteaseProvider({ appKey, appSecret, permSecret: "" }),
      () => createNeteaseProvider({} as never),
      () =>
        createNeteaseProvider({ appKey, appSecret, region: "sg", baseUrl: "https://nim.example/nimserver/" }),
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
});

test("issueCredential with a room scope: the official NERTC token, and refusals", async () => {
  const t = v.nertcToken[0]!;
  const provider = createNeteaseProvider({
    appKey: t.appKey,
    appSecret: t.appSecret,
    clock: fixedClock(t.curTimeMs),
  });
  const c = await provider.issueCredential("alice", {
    ttlSeconds: t.ttlSeconds,
    room: { roomId: t.channelName, rtcUid: t.uid },
  });
  equal([c.room?.token, c.room?.details], [t.expected, { uid: String(t.uid) }], "room token");
  await rejects(
    () => provider.issueCredential("alice", { ttlSeconds: 60, room: { roomId: 1 } }),
    "ERR_INVALID_INPUT",
    "non-numeric accid without rtcUid",
  );
  await rejects(
    () => provider.issueCredential("10001", { ttlSeconds: 86_400, room: { roomId: 1 } }),
    "ERR_INVALID_INPUT",
    "room ttl above 86399",
  );
  await rejects(
    () => provider.issueCredential("10001", { ttlSeconds: 60, room: { roomId: 1, privileges: ["join"] } }),
    "ERR_INVALID_INPUT",
    "restricted privileges without permSecret",
  );
});

test("createNeteaseImClient against createNeteaseEmulator: fresh headers on every retry, failover, errors", async () => {
  const clock = fixedClock(nowMs);
  const emulator = createNeteaseEmulator({ appKey, appSecret, clock, rejectReplayedNonce: true });
  const provider = createNeteaseProvider({ appKey, appSecret, clock });
  const client = createNeteaseImClient(provider, {
    baseUrl: ["http://nim.test/nimserver/", "http://nim-backup.test/nimserver/"],
    fetch: emulator.fetch,
    sleep: async () => {},
    random: () => 0,
  });
  await client.createAccount("user01");
  emulator.failNext(1, { vendorCode: 503 });
  emulator.rateLimitNext(1);
  const { token } = await client.refreshToken("user01");
  assert(emulator.acceptsLogin("user01", token), "the emulator accepts the new static token");
  const nonces = emulator.calls.map((r) => r.nonce);
  equal(new Set(nonces).size, nonces.length, "every attempt had its own Nonce");
  equal(
    emulator.calls.map((r) => r.vendorCode),
    [200, 503, NETEASE_RATE_LIMIT_CODE, 200],
    "created; then 503, 416 and success for the idempotent refresh",
  );
  const e = await rejects(() => client.createAccount("user01"), "ERR_VENDOR_API", "existing account");
  assert(typeof (e as ImAuthError).vendorCode === "number", "vendor code kept");
  assert(NETEASE_RETRY_CODES.has(503), "503 is retried");
  equal(
    classifyNeteaseError(new ImAuthError("ERR_VENDOR_API", "x", { vendorCode: 414, status: 200 }), 1).retry,
    false,
    "414 is not",
  );
  assert(NETEASE_IDEMPOTENT_APIS.has("user/refreshToken.action"), "a token refresh may be repeated");
  equal(neteaseApiPath("/nimserver/user/create.action"), "user/create.action", "API path");
  equal(parseNeteaseEnvelope(200, { code: 200, info: {} }).code, 200, "envelope");
  emulator.revokeCredentials();
  assert(!emulator.acceptsLogin("user01", token), "revoked");
  const updated = await client.callV2<{ configuration: { enabled: boolean } }>(
    "PATCH",
    "im/v2/accounts/user01",
    {
      configuration: { enabled: false },
    },
  );
  equal(updated.configuration.enabled, false, "PATCH im/v2/accounts/{id}");
});

test("createNeteaseStaticProvider issues static tokens through the client", async () => {
  const clock = fixedClock(nowMs);
  const emulator = createNeteaseEmulator({ appKey, appSecret, clock });
  const provider = createNeteaseStaticProvider({
    appKey,
    appSecret,
    clock,
    baseUrl: "http://nim.test/nimserver/",
    fetch: emulator.fetch,
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

test("key rotation: every verifier and the provider take [current, ...previous]", async () => {
  const t = v.imDynamicToken[0]!;
  const n = v.nertcToken[0]!;
  const p = v.nertcPermissionKey[0]!;
  const cb = v.callback[0]!;
  const wrong = "wrong-secret";
  const dyn = (secrets: string[]) => () =>
    verifyDynamicToken({
      token: t.token,
      appKey: t.appKey,
      appSecret: secrets,
      accid: t.accid,
      clock: fixedClock(t.curTimeMs + 1000),
    });
  equal(dyn([wrong, t.appSecret])().ttlSeconds, t.ttlSeconds, "dynamic token [wrong, right]");
  throws(dyn([wrong]), "ERR_SIGNATURE_INVALID", "dynamic token [wrong]");
  throws(dyn([]), "ERR_INVALID_CONFIG", "dynamic token []");
  const nertc = (secrets: string[]) => () =>
    verifyNertcToken({
      token: n.expected,
      appKey: n.appKey,
      appSecret: secrets,
      uid: n.uid,
      channelName: n.channelName,
      clock: fixedClock(n.curTimeMs),
    });
  equal(nertc([wrong, n.appSecret])().ttlSeconds, n.ttlSeconds, "NERTC token [wrong, right]");
  throws(nertc([wrong]), "ERR_SIGNATURE_INVALID", "NERTC token [wrong]");
  const perm = (secrets: string[]) => () =>
    verifyNertcPermissionKey({
      key: p.expected,
      appKey: p.appKey,
      permSecret: secrets,
      clock: fixedClock(p.curTimeSec * 1000),
    });
  equal(perm([wrong, p.permSecret])().privilege, p.privilege, "permission key [wrong, right]");
  throws(perm([wrong]), "ERR_SIGNATURE_INVALID", "permission key [wrong]");
  const raw = {
    url: "/cb",
    headers: { md5: cb.md5, curtime: cb.curTimeMs, checksum: cb.checkSum },
    body: cb.body,
  };
  const clock = fixedClock(Number(cb.curTimeMs));
  await verifyNeteaseCallback(raw, { appSecret: [wrong, cb.appSecret], clock });
  await rejects(
    () => verifyNeteaseCallback(raw, { appSecret: [wrong], clock }),
    "ERR_WEBHOOK_INVALID",
    "callback [wrong]",
  );
  const provider = createNeteaseProvider({ appKey: "app", appSecret: ["current", cb.appSecret], clock });
  await provider.verifyWebhook({ ...raw, headers: { ...raw.headers, appkey: "app" } });
  const { token } = await provider.issueCredential("user01");
  verifyDynamicToken({ token, appKey: "app", appSecret: "current", accid: "user01", clock });
});
