// @imauth/agora: every runtime export of ".", "./client", "./testing" and "./compat", against the built
// package, with the official builders' vectors (tokens compared after inflating) and NCS signature vectors.

import {
  AGORA_CHAT_REGIONS,
  AGORA_SERVICES,
  agoraCallbackReply,
  agoraCallbackResponse,
  agoraChatUserTokens,
  buildAccessToken,
  createAgoraProvider,
  DEFAULT_CREDENTIAL_TTL_SECONDS,
  DEFAULT_WEBHOOK_MAX_SKEW_SECONDS,
  decodeAccessToken,
  genChatAppToken,
  genChatUserToken,
  genRtcToken,
  genRtmToken,
  verifyAccessToken,
  verifyAgoraCallback,
} from "@imauth/agora";
import {
  agoraChatApiPath,
  classifyAgoraChatError,
  createAgoraChatClient,
  parseAgoraChatEnvelope,
} from "@imauth/agora/client";
import { ChatTokenBuilder, RtcRole, RtcTokenBuilder, RtmTokenBuilder } from "@imauth/agora/compat";
import { createAgoraEmulator, signAgoraCallback } from "@imauth/agora/testing";
import { ImAuthError } from "@imauth/core";
import { base64Decode, hexEncode, utf8Encode, zlibDecompress } from "@imauth/core/adapter";
import { type ConformanceHarness, runProviderConformance } from "@imauth/core/testing";
import v from "../../vectors/agora.json";
import { assert, equal, fixedClock, rejects, suite, throws } from "./harness.js";

const test = suite("@imauth/agora");
type Vector = Record<string, unknown> & { id: string; kind: string; appId: string; appCertificate: string };
const vectors = v.vectors as unknown as Vector[];
const find = (id: string) => vectors.find((x) => x.id === id)!;
const appId = find("agora-rtc-01-uid0-publisher").appId;
const appCertificate = find("agora-rtc-01-uid0-publisher").appCertificate;
const ncsSecret = "runtime-ncs-secret";
const T0 = 1_700_000_000_000;

const contentHex = (token: string) =>
  hexEncode(zlibDecompress(base64Decode(token.slice(3)), { maxBytes: 65_536 }));
const at = (x: Vector) => ({ clock: fixedClock((x.issueTs as number) * 1000), salt: x.salt as number });

test("genRtcToken, genRtmToken, genChatUserToken, genChatAppToken: the official content", () => {
  const rtc1 = find("agora-rtc-01-uid0-publisher");
  const a1 = rtc1.args as { channelName: string; uid: number; tokenExpire: number; privilegeExpire: number };
  const t1 = genRtcToken({
    appId,
    appCertificate,
    ...at(rtc1),
    channelName: a1.channelName,
    uid: a1.uid,
    role: "publisher",
    tokenExpireSeconds: a1.tokenExpire,
    privilegeExpireSeconds: a1.privilegeExpire,
  });
  equal(contentHex(t1), rtc1.contentHex, "rtc publisher uid 0");
  const rtc2 = find("agora-rtc-02-maxuid-subscriber");
  const a2 = rtc2.args as { channelName: string; uid: number; tokenExpire: number; privilegeExpire: number };
  const t2 = genRtcToken({
    appId,
    appCertificate,
    ...at(rtc2),
    channelName: a2.channelName,
    uid: a2.uid,
    role: "subscriber",
    tokenExpireSeconds: a2.tokenExpire,
    privilegeExpireSeconds: a2.privilegeExpire,
  });
  equal(contentHex(t2), rtc2.contentHex, "rtc subscriber max uid");
  const rtm = find("agora-rtm-01");
  const r = rtm.args as { userId: string; expire: number };
  equal(
    contentHex(genRtmToken({ appId, appCertificate, ...at(rtm), userId: r.userId, expireSeconds: r.expire })),
    rtm.contentHex,
    "rtm",
  );
  const user = find("agora-chat-user-01");
  const u = user.args as { userId: string; expire: number };
  equal(
    contentHex(
      genChatUserToken({ appId, appCertificate, ...at(user), userId: u.userId, expireSeconds: u.expire }),
    ),
    user.contentHex,
    "chat user",
  );
  const app = find("agora-chat-app-01");
  equal(
    contentHex(
      genChatAppToken({
        appId,
        appCertificate,
        ...at(app),
        expireSeconds: (app.args as { expire: number }).expire,
      }),
    ),
    app.contentHex,
    "chat app",
  );
  throws(
    () =>
      genRtcToken({
        appId: "x",
        appCertificate,
        channelName: "c",
        uid: 1,
        role: "publisher",
        tokenExpireSeconds: 1,
      }),
    "ERR_INVALID_CONFIG",
    "bad appId",
  );
  throws(
    () =>
      genRtcToken({
        appId,
        appCertificate,
        channelName: "频道",
        uid: 1,
        role: "publisher",
        tokenExpireSeconds: 1,
      }),
    "ERR_INVALID_INPUT",
    "channel charset",
  );
});

test("buildAccessToken: the official repository's own AccessToken2 vectors", () => {
  for (const x of vectors.filter((y) => y.kind === "accessToken2Direct")) {
    const services = (
      x.servicesAdded as Array<{
        type: 1;
        channelName: string;
        uid: number;
        privileges: Record<string, number>;
      }>
    ).map((s) => ({
      ...s,
      privileges: Object.fromEntries(Object.entries(s.privileges).map(([k, e]) => [Number(k), e])),
    }));
    const token = buildAccessToken({
      appId,
      appCertificate,
      ...at(x),
      expireSeconds: x.expire as number,
      services,
    });
    equal(contentHex(token), contentHex(x.expectedInRepoNodeTest as string), x.id);
  }
  equal(AGORA_SERVICES.rtc.type, 1, "rtc type");
  equal(AGORA_SERVICES.chat.privileges.app, 2, "chat app privilege");
});

test("decodeAccessToken and verifyAccessToken: every official token string", () => {
  for (const x of vectors.filter(
    (y) => typeof y.token === "string" || typeof y.expectedInRepoNodeTest === "string",
  )) {
    for (const token of [x.token, x.tokenPython, x.tokenEasemobJava, x.expectedInRepoNodeTest]) {
      if (typeof token !== "string") continue;
      const d = decodeAccessToken(token);
      const want = x.decoded as { signatureHex: string; salt: number; issueTs: number };
      equal([d.signatureHex, d.salt, d.issuedAtSeconds], [want.signatureHex, want.salt, want.issueTs], x.id);
      verifyAccessToken(token, { appId, appCertificate, clock: fixedClock((d.issuedAtSeconds + 1) * 1000) });
      throws(
        () =>
          verifyAccessToken(token, {
            appId,
            appCertificate: "0".repeat(32),
            clock: fixedClock(d.issuedAtSeconds * 1000),
          }),
        "ERR_SIGNATURE_INVALID",
        "other certificate",
      );
    }
  }
  throws(() => decodeAccessToken("007@@@"), "ERR_MALFORMED_CREDENTIAL", "not base64");
});

test("verifyAgoraCallback: the documented NCS signatures; reply helpers", async () => {
  for (const x of vectors.filter((y) => y.kind === "ncsWebhookSignature")) {
    const body = x.body as string;
    const notifyMs = (JSON.parse(body) as { notifyMs: number }).notifyMs;
    const event = await verifyAgoraCallback(
      {
        url: "https://app.example/ncs",
        headers: x.headers as Record<string, string>,
        body: utf8Encode(body),
      },
      { secret: x.secret as string, clock: fixedClock(notifyMs) },
    );
    equal(event.details.signature, "v2", `${x.id} V2`);
    await rejects(
      () =>
        verifyAgoraCallback(
          { url: "/", headers: x.headers as Record<string, string>, body },
          { secret: x.secret as string, clock: fixedClock(notifyMs + 301_000) },
        ),
      "ERR_WEBHOOK_EXPIRED",
      `${x.id} stale`,
    );
  }
  equal(DEFAULT_WEBHOOK_MAX_SKEW_SECONDS, 300, "default window");
  equal(agoraCallbackReply(), {}, "reply object");
  equal(agoraCallbackResponse().status, 200, "reply response");
});

function harness(): ConformanceHarness {
  return {
    name: "agora chat",
    createProvider: (clock) =>
      createAgoraProvider({ appId, appCertificate, product: "chat", ncsSecret, clock }),
    secrets: [appCertificate, ncsSecret],
    verifyCredential: (c, clock) => {
      verifyAccessToken(c.token, { appId, appCertificate, clock, service: "chat", userId: c.userId });
    },
    defaultTtlSeconds: DEFAULT_CREDENTIAL_TTL_SECONDS,
    maxUserIdLength: 64,
    sampleRequest: () =>
      new Request("https://a41.chat.agora.io/org/app/users?x=1", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"username":"alice"}',
      }),
    verifySignedRequest: (request, clock) =>
      createAgoraEmulator({ appId, appCertificate, clock }).verifyRequest(request),
    signWebhook: async ({ body, nowMs, wrongSecret }) => {
      // Every Notification Center event carries notifyMs in its signed body: add it to the suite's body.
      const dated = JSON.stringify({ ...(JSON.parse(body) as object), notifyMs: nowMs });
      const request = signAgoraCallback({ secret: wrongSecret ? "other-secret" : ncsSecret, body: dated });
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        headers[name] = value;
      });
      return { url: request.url, headers, body: dated };
    },
    maxWebhookAgeMs: 300_000,
    invalidConfigs: [
      () => createAgoraProvider({ appId, appCertificate: "", product: "chat" }),
      () => createAgoraProvider({ appId: "x", appCertificate, product: "chat" }),
      () => createAgoraProvider({ appId, appCertificate, product: "video" as "rtc" }),
    ],
    rooms: {
      sampleRoomIds: [1234, "room-1"],
      userId: "alice",
      verifyRoomCredential: (c, clock) => {
        verifyAccessToken(c.room!.token, {
          appId,
          appCertificate,
          clock,
          service: "rtc",
          channelName: String(c.room!.roomId),
          uid: "alice",
        });
      },
    },
  };
}

test("createAgoraProvider passes the core conformance suite (product chat); rtc needs a room", async () => {
  const failed = (await runProviderConformance(harness())).filter((r) => !r.ok);
  equal(
    failed.map((r) => `${r.name}: ${String(r.error)}`),
    [],
    "failed checks",
  );
  const rtc = createAgoraProvider({ appId, appCertificate, product: "rtc", clock: fixedClock(T0) });
  await rejects(() => rtc.issueCredential("alice"), "ERR_INVALID_INPUT", "rtc without a room");
  const c = await rtc.issueCredential("alice", {
    ttlSeconds: 600,
    room: { roomId: 7, rtcUid: 42, privileges: ["join"] },
  });
  equal([c.token === c.room!.token, c.room!.details], [true, { uid: "42" }], "rtc room token");
  equal(AGORA_CHAT_REGIONS.sg[0], "https://a41.chat.agora.io/", "sg host");
});

test("agoraChatUserTokens: a strategy for other providers", () => {
  const make = agoraChatUserTokens({ appId, appCertificate });
  const token = make("alice", 600, fixedClock(T0));
  equal(
    verifyAccessToken(token, {
      appId,
      appCertificate,
      clock: fixedClock(T0),
      service: "chat",
      userId: "alice",
    }).expireSeconds,
    600,
    "expiry",
  );
});

test("compat builders: agora-token's signatures", () => {
  const rtc = RtcTokenBuilder.buildTokenWithUid(
    appId,
    appCertificate,
    "room-1",
    42,
    RtcRole.PUBLISHER,
    600,
    600,
  );
  equal(decodeAccessToken(rtc).services[0]!.uid, "42", "uid");
  const account = RtcTokenBuilder.buildTokenWithUserAccount(
    appId,
    appCertificate,
    "room-1",
    "alice",
    RtcRole.SUBSCRIBER,
    600,
  );
  equal(Object.keys(decodeAccessToken(account).services[0]!.privileges), ["joinChannel"], "subscriber");
  const priv = RtcTokenBuilder.buildTokenWithUidAndPrivilege(appId, appCertificate, "c", 1, 600, 1, 2, 3, 4);
  equal(decodeAccessToken(priv).services[0]!.privileges.publishDataStream!.expireSeconds, 4, "per privilege");
  const priv2 = RtcTokenBuilder.BuildTokenWithUserAccountAndPrivilege(
    appId,
    appCertificate,
    "c",
    "a",
    600,
    1,
    2,
    3,
    4,
  );
  equal(decodeAccessToken(priv2).services[0]!.uid, "a", "account per privilege");
  const withRtm = RtcTokenBuilder.buildTokenWithRtm(
    appId,
    appCertificate,
    "c",
    "alice",
    RtcRole.PUBLISHER,
    600,
  );
  equal(
    decodeAccessToken(withRtm).services.map((s) => s.name),
    ["rtc", "rtm"],
    "with rtm",
  );
  const rtm2 = RtcTokenBuilder.buildTokenWithRtm2(
    appId,
    appCertificate,
    "c",
    5,
    1,
    600,
    600,
    600,
    600,
    600,
    "bob",
    300,
  );
  equal(decodeAccessToken(rtm2).services[1]!.userId, "bob", "rtm2 user");
  equal(
    decodeAccessToken(RtmTokenBuilder.buildToken(appId, appCertificate, "alice", 60)).services[0]!.name,
    "rtm",
    "rtm",
  );
  equal(
    decodeAccessToken(ChatTokenBuilder.buildUserToken(appId, appCertificate, "alice", 60)).services[0]!
      .userId,
    "alice",
    "chat user",
  );
  equal(
    decodeAccessToken(ChatTokenBuilder.buildAppToken(appId, appCertificate, 60)).services[0]!.userId,
    "",
    "chat app",
  );
  throws(
    () => RtcTokenBuilder.buildTokenWithUid("x", appCertificate, "c", 1, 1, 60),
    "ERR_INVALID_CONFIG",
    "bad appId",
  );
});

test("createAgoraChatClient against createAgoraEmulator: bearer, retries, errors, callbacks", async () => {
  const clock = fixedClock(T0);
  const emulator = createAgoraEmulator({
    appId,
    appCertificate,
    ncsSecret,
    orgName: "org",
    appName: "app",
    clock,
  });
  const provider = createAgoraProvider({
    appId,
    appCertificate,
    product: "chat",
    ncsSecret,
    orgName: "org",
    appName: "app",
    clock,
  });
  const client = createAgoraChatClient(provider, { fetch: emulator.fetch, sleep: async () => {} });
  emulator.rateLimitNext(1);
  equal((await client.registerUser("alice")).username, "alice", "registered");
  const error = await rejects(() => client.registerUser("alice"), "ERR_VENDOR_API", "duplicate");
  equal((error as ImAuthError).vendorCode, "duplicate_unique_property_exists", "vendorCode");
  emulator.failNext(1, { status: 503 });
  equal((await client.getUser("alice")).username, "alice", "retried GET");
  const ids = await client.sendTextMessage({ to: ["alice"], text: "hi" });
  assert(typeof ids.alice === "string", "message id");
  equal(emulator.acceptsLogin("alice", (await provider.issueCredential("alice")).token), true, "login");
  const result = await emulator.sendCallback(
    async (request) => {
      await provider.verifyWebhook(request);
      return agoraCallbackResponse();
    },
    { eventType: 101 },
  );
  equal(result.ok, true, "callback delivered");
  equal(agoraChatApiPath("/users"), "users", "api path");
  throws(() => parseAgoraChatEnvelope(429, { error: "reach_limit" }), "ERR_VENDOR_API", "envelope");
  equal(
    classifyAgoraChatError(new ImAuthError("ERR_VENDOR_API", "x", { status: 429 }), 1).retry,
    true,
    "429 retried",
  );
});
