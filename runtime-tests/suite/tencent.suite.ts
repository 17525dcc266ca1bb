// @imauth/tencent: every runtime export of ".", "./compat", "./client" and "./testing", against the built
// package, with the official vectors (tls-sig-api-v2 outputs and the callback documentation example).
import { ImAuthError, type ImCredential, type RawWebhook } from "@imauth/core";
import { anyKeyMatches, base64Encode, hexDecode, hexEncode, keyList, MAX_KEYS } from "@imauth/core/adapter";
import { type ConformanceHarness, runProviderConformance } from "@imauth/core/testing";
import {
  createTencentProvider,
  DEFAULT_ADMIN_USERSIG_TTL_SECONDS,
  DEFAULT_EXPIRE_SECONDS,
  DEFAULT_TRTC_WEBHOOK_MAX_SKEW_SECONDS,
  DEFAULT_WEBHOOK_MAX_SKEW_SECONDS,
  decodePrivateMapKeyUserBuf,
  decodeUserSig,
  describePrivileges,
  encodePrivateMapKeyUserBuf,
  genPrivateMapKey,
  genUserSig,
  hmacSigner,
  hmacVerifier,
  MAX_USERSIG_TTL_SECONDS,
  TENCENT_REGIONS,
  TENCENT_USERSIG_ERROR_CODES,
  TRTC_PRIVILEGE,
  tencentCallbackReply,
  tencentCallbackResponse,
  trtcCallbackResponse,
  unpackUserSig,
  verifyTencentCallback,
  verifyTrtcCallback,
  verifyUserSig,
} from "@imauth/tencent";
import {
  classifyTencentError,
  createTencentImClient,
  parseTencentEnvelope,
  TENCENT_BLOCKED_CODE,
  TENCENT_FATAL_CODES,
  TENCENT_IDEMPOTENT_APIS,
  TENCENT_RATE_LIMIT_CODES,
  TENCENT_RENEW_CODES,
  TENCENT_TRANSIENT_CODES,
  tencentApiPath,
} from "@imauth/tencent/client";
import { Api } from "@imauth/tencent/compat";
import { createTencentEmulator, signTencentCallback, signTrtcCallback } from "@imauth/tencent/testing";
import callbackVectors from "../../vectors/tencent-callback.json";
import v from "../../vectors/tencent-usersig-v2.json";
import trtcVectors from "../../vectors/trtc-callback.json";
import { assert, equal, fixedClock, rejects, suite, throws } from "./harness.js";

const test = suite("@imauth/tencent");
const { sdkAppId, secretKey, userId, expireSeconds, nowSeconds } = v.inputs;
const clock = fixedClock(nowSeconds * 1000);
const byName = (name: string) => v.generate.find((g) => g.name === name)!;

test("genUserSig signs the official HMAC content (tls-sig-api-v2 vector)", () => {
  const sig = genUserSig({ sdkAppId, secretKey, userId, expireSeconds, clock });
  const d = decodeUserSig(sig);
  equal(
    [d.version, d.userId, d.sdkAppId, d.issuedAtSeconds, d.expireSeconds, d.signature, d.userBuf],
    ["2.0", userId, sdkAppId, nowSeconds, expireSeconds, v.hmacBase64, undefined],
    "decoded UserSig",
  );
  equal(d.expiresAt.getTime(), (nowSeconds + expireSeconds) * 1000, "expiresAt");
  const defaulted = decodeUserSig(genUserSig({ sdkAppId, secretKey, userId, clock }));
  equal(defaulted.expireSeconds, DEFAULT_EXPIRE_SECONDS, "default lifetime");
  equal(DEFAULT_EXPIRE_SECONDS, 180 * 86_400, "180 days, as the official libraries");
  throws(() => genUserSig({ sdkAppId, secretKey, userId: "", clock }), "ERR_INVALID_INPUT", "empty userId");
  throws(() => genUserSig({ sdkAppId: 0, secretKey, userId, clock }), "ERR_INVALID_CONFIG", "sdkAppId 0");
});

test("decodeUserSig reads the official UserSig; verifyUserSig accepts every official producer", () => {
  const official = byName("genUserSig");
  const d = decodeUserSig(official.expected);
  equal([d.userId, d.sdkAppId, d.signature], [userId, sdkAppId, official.decodedJson!["TLS.sig"]], "decoded");
  for (const a of v.verifyAccept) {
    const ok = verifyUserSig(a.userSig, { sdkAppId, secretKey, userId, clock });
    equal(ok.userId, userId, `accepts ${a.producer}`);
  }
  equal(unpackUserSig(official.expected), official.decodedJson, "unpackUserSig gives the raw document");
  throws(() => decodeUserSig("not a usersig"), "ERR_MALFORMED_CREDENTIAL", "garbage");
  throws(
    () => decodeUserSig("a".repeat(4097)) /* longest UserSig: 4096 */,
    "ERR_MALFORMED_CREDENTIAL",
    "too long",
  );
});

test("verifyUserSig: app, signature, user, userbuf and expiry, in that order", () => {
  const sig = byName("genUserSig").expected;
  const at = (s: number) => fixedClock(s * 1000);
  const ok = verifyUserSig(sig, {
    sdkAppId,
    secretKey,
    clock: at(nowSeconds + expireSeconds),
    userBuf: null,
  });
  equal(ok.userId, userId, "valid at exactly time + expire");
  throws(
    () => verifyUserSig(sig, { sdkAppId, secretKey, clock: at(nowSeconds + expireSeconds + 1) }),
    "ERR_CREDENTIAL_EXPIRED",
    "one second later",
  );
  throws(() => verifyUserSig(sig, { sdkAppId: sdkAppId + 1, secretKey, clock }), "ERR_APP_MISMATCH", "app");
  throws(() => verifyUserSig(sig, { sdkAppId, secretKey: "x", clock }), "ERR_SIGNATURE_INVALID", "key");
  throws(
    () => verifyUserSig(sig, { sdkAppId, secretKey, userId: "bob", clock }),
    "ERR_USER_MISMATCH",
    "user",
  );
  throws(
    () => verifyUserSig(sig, { sdkAppId, secretKey, userBuf: new Uint8Array([1]), clock }),
    "ERR_USERBUF_MISMATCH",
    "userbuf",
  );
  const e = throws(
    () => verifyUserSig(sig, { sdkAppId, secretKey: "x", clock }),
    "ERR_SIGNATURE_INVALID",
    "",
  );
  assert(!e.message.includes(sig.slice(0, 40)), "the UserSig is not echoed");
});

test("Api (compat) is byte-identical to tls-sig-api-v2 1.0.2", () => {
  const api = new Api(sdkAppId, secretKey, { clock });
  equal(api.genUserSig(userId, expireSeconds), byName("genUserSig").expected, "genUserSig");
  const pmk = byName("genPrivateMapKey");
  equal(
    api.genPrivateMapKey(userId, expireSeconds, pmk.roomId as number, pmk.privilegeMap!),
    pmk.expected,
    "PMK",
  );
  const spmk = byName("genPrivateMapKeyWithStringRoomID");
  equal(
    api.genPrivateMapKeyWithStringRoomID(userId, expireSeconds, spmk.roomId as string, spmk.privilegeMap!),
    spmk.expected,
    "PMK with a string room",
  );
  const withBuf = api.genSig(userId, expireSeconds, hexDecode(pmk.userBufHex!));
  equal(decodeUserSig(withBuf).userBuf?.bytes, hexDecode(pmk.userBufHex!), "genSig carries the userbuf");
  assert(!JSON.stringify(api).includes(secretKey), "the key is not enumerable");
});

test("genPrivateMapKey and the userbuf layout match the official vectors", () => {
  for (const name of ["genPrivateMapKey", "genPrivateMapKeyWithStringRoomID"]) {
    const g = byName(name);
    const key = genPrivateMapKey({
      sdkAppId,
      secretKey,
      userId,
      expireSeconds,
      roomId: g.roomId!,
      privilegeMap: g.privilegeMap!,
      clock,
    });
    const d = decodeUserSig(key);
    equal(base64Encode(d.userBuf!.bytes), g.userBufBase64, `${name}: userbuf`);
    equal(d.signature, g.hmacBase64, `${name}: HMAC`);
    verifyUserSig(key, { sdkAppId, secretKey, userBuf: hexDecode(g.userBufHex!), clock });
    const fields = decodePrivateMapKeyUserBuf(hexDecode(g.userBufHex!));
    equal(
      [fields.userId, fields.sdkAppId, fields.roomId, fields.privilegeMap],
      [userId, sdkAppId, g.roomId, 255],
      name,
    );
    equal(
      hexEncode(
        encodePrivateMapKeyUserBuf({
          userId,
          sdkAppId,
          roomId: g.roomId!,
          privilegeMap: 255,
          expiresAtSeconds: nowSeconds + expireSeconds,
        }),
      ),
      g.userBufHex,
      `${name}: encodePrivateMapKeyUserBuf`,
    );
  }
  equal(TRTC_PRIVILEGE.ALL, 255, "ALL");
  const p = describePrivileges(TRTC_PRIVILEGE.ENTER_ROOM | TRTC_PRIVILEGE.RECEIVE_AUDIO);
  equal(
    [p.enterRoom, p.receiveAudio, p.createRoom, p.sendVideo],
    [true, true, false, false],
    "describePrivileges",
  );
});

test("hmacSigner and hmacVerifier are the provider's default strategies", async () => {
  const signer = hmacSigner({ secretKey });
  const sig = await signer.sign({
    sdkAppId,
    userId: "administrator",
    expireSeconds: 3600,
    nowMs: nowSeconds * 1000,
  });
  const ok = await hmacVerifier({ secretKey }).verify(sig, { sdkAppId, userId: "administrator", clock });
  equal(
    [ok.userId, ok.sdkAppId, signer.algorithm],
    ["administrator", sdkAppId, hmacVerifier({ secretKey }).algorithm],
    "round trip",
  );
  await rejects(
    () => hmacVerifier({ secretKey: "other" }).verify(sig, { sdkAppId, clock }),
    "ERR_SIGNATURE_INVALID",
    "other key",
  );
});

test("signTencentCallback signs as documented; verifyTencentCallback checks app, sign and time", async () => {
  const ex = callbackVectors.examples[0]!;
  const nowMs = Number(ex.requestTime) * 1000;
  const signed = signTencentCallback({
    sdkAppId,
    callbackToken: ex.token,
    command: "State.StateChange",
    body: { Info: { To_Account: "alice" } },
    clock: fixedClock(nowMs),
  });
  const raw: RawWebhook = { url: signed.url, headers: {}, body: await signed.clone().text() };
  const verifyCallback = verifyTencentCallback;
  const verified = await verifyCallback(raw, { sdkAppId, callbackToken: ex.token, clock: fixedClock(nowMs) });
  equal(
    [verified.event, verified.appId, (verified.payload as any).Info.To_Account],
    ["State.StateChange", String(sdkAppId), "alice"],
    "verified",
  );
  const url = new URL(raw.url);
  equal(url.searchParams.get("Sign"), ex.sign, "the Sign is the documented one");
  const later = fixedClock(nowMs + (DEFAULT_WEBHOOK_MAX_SKEW_SECONDS + 1) * 1000);
  await rejects(
    () => verifyCallback(raw, { sdkAppId, callbackToken: ex.token, clock: later }),
    "ERR_WEBHOOK_EXPIRED",
    "stale",
  );
  await rejects(
    () => verifyCallback(raw, { sdkAppId, callbackToken: "other", clock: fixedClock(nowMs) }),
    "ERR_WEBHOOK_INVALID",
    "token",
  );
  await rejects(
    () => verifyCallback(raw, { sdkAppId: sdkAppId + 1, callbackToken: ex.token, clock: fixedClock(nowMs) }),
    "ERR_WEBHOOK_INVALID",
    "app",
  );
  equal(
    (await verifyCallback(signed, { sdkAppId, callbackToken: ex.token, clock: fixedClock(nowMs) })).event,
    "State.StateChange",
    "Request input",
  );
});

test("tencentCallbackReply and tencentCallbackResponse build Tencent's reply", async () => {
  equal(tencentCallbackReply(), { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" }, "default");
  const reject = tencentCallbackReply({ errorCode: 1, errorInfo: "blocked" });
  equal([reject.ErrorCode, reject.ErrorInfo], [1, "blocked"], "reject");
  const response = tencentCallbackResponse({ fields: { MsgBody: [] } });
  assert(response instanceof Response && response.status === 200, "a 200 Response");
  equal(await response.json(), { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", MsgBody: [] }, "JSON body");
});

test("REST policy: classifyTencentError, parseTencentEnvelope, tencentApiPath, regions and code sets", () => {
  const vendor = (code: number) => new ImAuthError("ERR_VENDOR_API", "x", { vendorCode: code, status: 200 });
  equal(
    classifyTencentError(new ImAuthError("ERR_NETWORK", "x"), 1),
    { retry: true, failover: true },
    "network",
  );
  equal(classifyTencentError(vendor(70001), 1), { retry: true, noEffect: true }, "expired admin UserSig");
  assert(TENCENT_RENEW_CODES.has(70001) && TENCENT_RENEW_CODES.has(70052), "renew codes");
  assert(TENCENT_IDEMPOTENT_APIS.has("v4/openim/query_online_status"), "queries are idempotent");
  assert(!TENCENT_IDEMPOTENT_APIS.has("v4/openim/sendmsg"), "sendmsg is not");
  assert(classifyTencentError(vendor(TENCENT_BLOCKED_CODE), 1).delayMs! >= 60_000, "70050 waits a minute");
  for (const c of TENCENT_RATE_LIMIT_CODES)
    assert(classifyTencentError(vendor(c), 1).retry, `rate limit ${c}`);
  for (const c of TENCENT_TRANSIENT_CODES) assert(classifyTencentError(vendor(c), 1).retry, `transient ${c}`);
  for (const c of TENCENT_FATAL_CODES) assert(!classifyTencentError(vendor(c), 1).retry, `fatal ${c}`);
  equal(parseTencentEnvelope(200, { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", X: 1 }).X, 1, "success");
  const e = throws(
    () => parseTencentEnvelope(200, { ActionStatus: "FAIL", ErrorCode: 70001, ErrorInfo: "expired" }),
    "ERR_VENDOR_API",
    "error envelope",
  );
  equal([(e as ImAuthError).vendorCode, (e as ImAuthError).status], [70001, 200], "vendor code kept");
  equal(tencentApiPath("v4/im_open_login_svc/account_import"), "v4/im_open_login_svc/account_import", "path");
  throws(() => tencentApiPath("https://evil.example/v4/a/b"), "ERR_INVALID_INPUT", "absolute URL refused");
  equal(
    TENCENT_REGIONS.china,
    ["https://console.tim.qq.com/", "https://adminapi.my-imcloud.com/"],
    "china domains",
  );
  equal(
    [DEFAULT_ADMIN_USERSIG_TTL_SECONDS, MAX_USERSIG_TTL_SECONDS],
    [86_400, 2 ** 31 - 1],
    "provider limits",
  );
});

const CALLBACK_TOKEN = "conformance-callback-token";
/** TRTC PrivateMapKey bits per room privilege, from Tencent's table. */
const ROOM_BITS = { join: 1 | 2 | 8 | 32 | 128, publishAudio: 4, publishVideo: 16 | 64, publishData: 0 };

function verifyRoomCredential(c: ImCredential, at: () => number): void {
  const room = c.room;
  assert(room !== undefined, "credential.room");
  const decoded = verifyUserSig(room.token, {
    sdkAppId: Number(c.appId),
    secretKey,
    userId: c.userId,
    clock: at,
  });
  const key = decoded.userBuf?.privateMapKey;
  assert(key !== undefined, "room.token is a PrivateMapKey");
  const bits = room.privileges.reduce((sum, p) => sum | ROOM_BITS[p], 0);
  equal([key.roomId, key.privilegeMap, key.expiresAt], [room.roomId, bits, room.expiresAt], "PrivateMapKey");
  equal(room.details, { privilegeMap: String(bits) }, "room.details");
}

function harness(): ConformanceHarness {
  const setParam = (w: RawWebhook, name: string, value?: string): RawWebhook => {
    const url = new URL(w.url);
    if (value === undefined) url.searchParams.delete(name);
    else url.searchParams.set(name, value);
    return { ...w, url: url.toString() };
  };
  return {
    name: "tencent",
    createProvider: (c) =>
      createTencentProvider({ sdkAppId, secretKey, callbackToken: CALLBACK_TOKEN, clock: c }),
    secrets: [secretKey, CALLBACK_TOKEN],
    verifyCredential: (cred, c) => {
      verifyUserSig(cred.token, { sdkAppId: Number(cred.appId), secretKey, userId: cred.userId, clock: c });
    },
    defaultTtlSeconds: DEFAULT_EXPIRE_SECONDS,
    maxUserIdLength: 32,
    sampleRequest: () =>
      new Request("https://console.tim.qq.com/v4/im_open_login_svc/account_import?trace=abc", {
        method: "POST",
        headers: { "content-type": "application/json", "x-request-id": "req-1" },
        body: JSON.stringify({ UserID: "conformance-user", Nick: "Zoë 张" }),
      }),
    async verifySignedRequest(request, c) {
      const emulator = createTencentEmulator({ sdkAppId, secretKey, clock: c });
      const answer = (await (await emulator.fetch(request)).json()) as { ErrorCode: number };
      if (answer.ErrorCode !== 0) throw new Error(`emulator refused the signed request: ${answer.ErrorCode}`);
    },
    async signWebhook({ body, nowMs, wrongSecret }) {
      const request = signTencentCallback({
        sdkAppId,
        callbackToken: wrongSecret ? "wrong-token" : CALLBACK_TOKEN,
        command: "State.StateChange",
        body,
        clock: fixedClock(nowMs),
      });
      return { url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() };
    },
    tamperWebhook: (w) => [
      setParam(w, "Sign", "0".repeat(64)),
      setParam(w, "RequestTime"),
      setParam(w, "SdkAppid", "1"),
    ],
    maxWebhookAgeMs: DEFAULT_WEBHOOK_MAX_SKEW_SECONDS * 1000,
    rooms: { sampleRoomIds: [1234, "room-1"], verifyRoomCredential },
    invalidConfigs: [
      () => createTencentProvider({ sdkAppId } as never),
      () => createTencentProvider({ sdkAppId: 0, secretKey }),
    ],
  };
}

test("createTencentProvider passes the core conformance suite", async () => {
  const failed = (await runProviderConformance(harness())).filter((r) => !r.ok);
  equal(
    failed.map((r) => `${r.name}: ${String(r.error)}`),
    [],
    "failed checks",
  );
});

test("issueCredential with a room scope: the official PrivateMapKeys, and refusals", async () => {
  const provider = createTencentProvider({ sdkAppId, secretKey, clock });
  for (const name of ["genPrivateMapKey", "genPrivateMapKeyWithStringRoomID"]) {
    const official = byName(name);
    const c = await provider.issueCredential(userId, {
      ttlSeconds: expireSeconds,
      room: { roomId: official.roomId as number | string },
    });
    // Another deflate level than the official library's: compare the decoded documents.
    const { userBuf, ...ours } = decodeUserSig(c.room!.token);
    const { userBuf: theirUserBuf, ...theirs } = decodeUserSig(official.expected);
    equal([ours, userBuf?.base64], [theirs, theirUserBuf?.base64], name);
  }
  await rejects(
    () => provider.issueCredential(userId, { room: { roomId: 1234, rtcUid: 1 } }),
    "ERR_INVALID_INPUT",
    "rtcUid",
  );
  const custom = createTencentProvider({ sdkAppId, signer: hmacSigner({ secretKey }), clock });
  await rejects(
    () => custom.issueCredential(userId, { room: { roomId: 1234 } }),
    "ERR_INVALID_INPUT",
    "signer",
  );
});

test("createTencentImClient against createTencentEmulator: calls, retries, renewal", async () => {
  const nowMs = nowSeconds * 1000;
  const now = () => nowMs;
  const emulator = createTencentEmulator({ sdkAppId, secretKey, callbackToken: CALLBACK_TOKEN, clock: now });
  const provider = createTencentProvider({ sdkAppId, secretKey, callbackToken: CALLBACK_TOKEN, clock: now });
  const retries: number[] = [];
  const client = createTencentImClient(provider, {
    fetch: emulator.fetch,
    sleep: async () => {},
    random: () => 0,
    onRetry: (info) => retries.push(info.attempt),
  });
  await client.importAccount({ userId: "alice" });
  assert(emulator.accounts.has("alice"), "account imported");
  emulator.failNext(1, { vendorCode: 70500 });
  await client.importAccount({ userId: "bob" });
  emulator.rateLimitNext(1);
  await client.call("v4/im_open_login_svc/account_import", { UserID: "carol" });
  emulator.revokeCredentials(); // with the clock standing still: the renewal is stamped in the next second
  await client.importAccount({ userId: "dave" });
  equal([...emulator.accounts.keys()].sort(), ["alice", "bob", "carol", "dave"], "accounts");
  equal(
    emulator.calls.map((c) => c.vendorCode),
    [0, 70500, 0, 60007, 0, 70052, 0],
    "one retry each for 70500 and 60007, one renewal after the revoked UserSig",
  );
  equal(retries, [1, 1, 1], "onRetry saw the retries after 70500, 60007 and the renewal after 70052");
  const e = await rejects(() => client.call("v4/unknown_svc/nothing", {}), "ERR_VENDOR_API", "unknown API");
  assert(typeof (e as ImAuthError).vendorCode === "number", "vendor code");
  const result = await emulator.sendCallback(
    async (request) => {
      await provider.verifyWebhook(request);
      return tencentCallbackResponse();
    },
    { command: "State.StateChange", body: { Info: {} } },
  );
  assert(emulator.signCallback({ command: "State.StateChange" }).url.startsWith("https://"), "absolute URL");
  assert(result.ok, "emulated callback verified by the provider");
});

test("verifyTrtcCallback accepts the official TRTC callback vectors and refuses changed ones", async () => {
  equal(DEFAULT_TRTC_WEBHOOK_MAX_SKEW_SECONDS, 300, "TRTC callback window");
  for (const t of trtcVectors.vectors) {
    const body = hexDecode(t.bodyUtf8Hex);
    const callbackTs = (JSON.parse(t.body) as { CallbackTs: number }).CallbackTs;
    const clock = fixedClock(callbackTs);
    const raw: RawWebhook = { url: "/trtc", headers: t.headers, body };
    const event = await verifyTrtcCallback(raw, {
      callbackKey: t.callbackKey,
      sdkAppId: Number(t.headers.SdkAppId),
      clock,
    });
    equal(
      [event.rawBody, event.appId, event.receivedAt.getTime()],
      [t.body, t.headers.SdkAppId, callbackTs],
      t.id,
    );
    const changed = body.slice();
    changed[changed.length - 2] = changed[changed.length - 2]! ^ 1;
    await rejects(
      () => verifyTrtcCallback({ ...raw, body: changed }, { callbackKey: t.callbackKey, clock }),
      "ERR_WEBHOOK_INVALID",
      "changed body",
    );
    const late = fixedClock(callbackTs + 301_000);
    await rejects(
      () => verifyTrtcCallback(raw, { callbackKey: t.callbackKey, clock: late }),
      "ERR_WEBHOOK_EXPIRED",
      "late",
    );
    await verifyTrtcCallback(raw, { callbackKey: ["wrongKey", t.callbackKey], clock });
    await rejects(
      () => verifyTrtcCallback(raw, { callbackKey: ["wrongKey"], clock }),
      "ERR_WEBHOOK_INVALID",
      "[wrong]",
    );
  }
  const reply = trtcCallbackResponse();
  equal([reply.status, await reply.text()], [200, '{"code":0}'], "trtcCallbackResponse");
});

test("provider.verifyWebhook dispatches IM and TRTC callbacks; the emulator signs and sends TRTC events", async () => {
  const app = 1400000001;
  const now = fixedClock(1_700_000_000_000);
  const provider = createTencentProvider({
    sdkAppId: app,
    secretKey,
    callbackToken: ["im-new", "im-old"],
    trtcCallbackKey: "trtcKey",
    clock: now,
  });
  const im = signTencentCallback({
    sdkAppId: app,
    callbackToken: "im-old",
    command: "State.StateChange",
    clock: now,
  });
  equal((await provider.verifyWebhook(im)).event, "State.StateChange", "IM callback, previous token");
  const trtc = signTrtcCallback({
    sdkAppId: app,
    callbackKey: "trtcKey",
    eventGroupId: 1,
    eventType: 103,
    clock: now,
  });
  equal((await provider.verifyWebhook(trtc)).event, "103", "TRTC callback");
  const emulator = createTencentEmulator({
    sdkAppId: app,
    secretKey,
    trtcCallbackKey: "trtcKey",
    clock: now,
  });
  const result = await emulator.sendTrtcCallback(
    async (request) => {
      await provider.verifyWebhook(request);
      return trtcCallbackResponse();
    },
    { eventGroupId: 2, eventType: 201, eventInfo: { RoomId: 1, UserId: "alice" } },
  );
  assert(result.ok, "emulated TRTC callback verified by the provider");
  assert(emulator.signTrtcCallback({ eventGroupId: 1, eventType: 101 }).headers.get("Sign"), "Sign header");
});

test("verifyUserSig refusals carry Tencent's codes; genUserSig signs a userBuf; keys rotate", () => {
  const sig = genUserSig({ sdkAppId, secretKey, userId, expireSeconds: 60, clock });
  const vendorCodeOf = (fn: () => unknown): unknown => {
    try {
      fn();
    } catch (error) {
      return (error as ImAuthError).vendorCode;
    }
    return undefined;
  };
  equal(
    [
      vendorCodeOf(() =>
        verifyUserSig(sig, { sdkAppId, secretKey, clock: fixedClock((nowSeconds + 61) * 1000) }),
      ),
      vendorCodeOf(() => verifyUserSig(sig, { sdkAppId, secretKey: "x", clock })),
      vendorCodeOf(() => verifyUserSig(sig, { sdkAppId, secretKey, userId: "other", clock })),
      vendorCodeOf(() => verifyUserSig(sig, { sdkAppId: sdkAppId + 1, secretKey, clock })),
      vendorCodeOf(() => verifyUserSig("garbage", { sdkAppId, secretKey, clock })),
    ],
    [70001, 70009, 70013, 70014, 70003],
    "vendor codes",
  );
  equal(TENCENT_USERSIG_ERROR_CODES.ERR_CREDENTIAL_EXPIRED, 70001, "table");
  const withBuf = genUserSig({ sdkAppId, secretKey, userId, userBuf: new Uint8Array([1, 2, 3]), clock });
  equal(
    verifyUserSig(withBuf, { sdkAppId, secretKey, userBuf: new Uint8Array([1, 2, 3]), clock }).userBuf?.bytes,
    new Uint8Array([1, 2, 3]),
    "userBuf",
  );
  throws(
    () =>
      genUserSig({
        sdkAppId,
        secretKey,
        userId,
        userBuf: new Uint8Array(1025) /* userBuf: at most 1024 bytes */,
        clock,
      }),
    "ERR_INVALID_INPUT",
    "userBuf cap",
  );
  equal(
    verifyUserSig(sig, { sdkAppId, secretKey: ["wrong", secretKey], clock }).userId,
    userId,
    "[wrong, right]",
  );
  throws(
    () => verifyUserSig(sig, { sdkAppId, secretKey: ["wrong"], clock }),
    "ERR_SIGNATURE_INVALID",
    "[wrong]",
  );
  throws(() => verifyUserSig(sig, { sdkAppId, secretKey: [], clock }), "ERR_INVALID_CONFIG", "[]");
  equal(keyList(["a", "b"], "key"), ["a", "b"], "keyList");
  throws(() => keyList(new Array(MAX_KEYS + 1).fill("k"), "key"), "ERR_INVALID_CONFIG", "too many keys");
  let tried = 0;
  equal(
    anyKeyMatches(["a", "b"], (k) => {
      tried++;
      return k === "a";
    }),
    true,
    "anyKeyMatches",
  );
  equal(tried, 2, "every key tried");
});
