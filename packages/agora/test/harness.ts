import type { Clock, ImCredential, RawWebhook, RoomPrivilege } from "@imauth/core";
import { utf8Encode } from "@imauth/core/adapter";
import type { ConformanceHarness } from "@imauth/core/testing";
import { type AgoraProduct, createAgoraProvider, verifyAccessToken } from "../src/index.js";
import { createAgoraEmulator } from "../src/testing/index.js";
import { ncsSignatures } from "../src/webhook.js";

export const appId = "970CA35de60c44645bbae8a215061b33";
export const appCertificate = "5CFd2fd1755d40ecb72977518be15d3b";
export const ncsSecret = "conformance-ncs-secret-0123";
const otherSecret = "another-ncs-secret-9876";

/** An NCS callback as the Notification Center signs it (the body as given). */
export function signRaw(body: string, secret = ncsSecret): RawWebhook {
  const { v1, v2 } = ncsSignatures(secret, utf8Encode(body));
  return {
    url: "https://app.example/agora/ncs",
    headers: { "Content-Type": "application/json", "Agora-Signature": v1, "Agora-Signature-V2": v2 },
    body,
  };
}

/** The suite's JSON body with the `notifyMs` every Notification Center event carries, added as NCS dates it. */
export function withNotifyMs(body: string, nowMs: number): string {
  return JSON.stringify({ ...(JSON.parse(body) as object), notifyMs: nowMs });
}

const PRIVILEGE_NAMES: Record<RoomPrivilege, string> = {
  join: "joinChannel",
  publishAudio: "publishAudioStream",
  publishVideo: "publishVideoStream",
  publishData: "publishDataStream",
};

/** Checks a credential's room token as Agora would: channel, account or uid, and every privilege granted. */
export function verifyRoomToken(credential: ImCredential, clock: Clock): void {
  const room = credential.room!;
  const decoded = verifyAccessToken(room.token, {
    appId,
    appCertificate,
    clock,
    service: "rtc",
    channelName: String(room.roomId),
    uid: room.details?.uid !== undefined ? Number(room.details.uid) : credential.userId,
    privileges: room.privileges.map((p) => PRIVILEGE_NAMES[p]),
  });
  const granted = Object.keys(decoded.services[0]!.privileges);
  if (granted.length !== room.privileges.length) throw new Error("the room token grants more than asked");
}

/** The conformance harness of one product ("rtm" or "chat": an "rtc" provider needs a room for every credential). */
export function harnessFor(product: Exclude<AgoraProduct, "rtc">): ConformanceHarness {
  const service = product === "chat" ? "chat" : "rtm";
  return {
    name: `agora ${product}`,
    createProvider: (clock) => createAgoraProvider({ appId, appCertificate, product, ncsSecret, clock }),
    secrets: [appCertificate, ncsSecret],
    verifyCredential: (credential, clock) => {
      verifyAccessToken(credential.token, {
        appId,
        appCertificate,
        clock,
        service,
        userId: credential.userId,
        privileges: [product === "chat" ? "user" : "login"],
      });
    },
    defaultTtlSeconds: 86_400,
    maxUserIdLength: 64,
    sampleRequest: () =>
      new Request("https://a41.chat.agora.io/org/app/users?trace=1", {
        method: "POST",
        headers: { "content-type": "application/json", "x-extra": "kept" },
        body: JSON.stringify({ username: "alice", password: "世界" }),
      }),
    verifySignedRequest: (request, clock) =>
      createAgoraEmulator({ appId, appCertificate, clock }).verifyRequest(request),
    signWebhook: ({ body, nowMs, wrongSecret }) =>
      signRaw(withNotifyMs(body, nowMs), wrongSecret ? otherSecret : ncsSecret),
    tamperWebhook: (w) => {
      const h = w.headers as Record<string, string>;
      const body = w.body as string;
      const { "Agora-Signature-V2": _, ...sha1Only } = h;
      return [
        { ...w, body: `${body} ` },
        { ...w, body: body.replace("1", "2") },
        {
          ...w,
          headers: {
            ...h,
            "Agora-Signature-V2": h["Agora-Signature-V2"]!.replace(/^./, (c) => (c === "0" ? "1" : "0")),
          },
        },
        { ...w, headers: sha1Only },
        { ...w, headers: { ...h, "Agora-Signature-V2": "" } },
      ];
    },
    maxWebhookAgeMs: 300_000,
    invalidConfigs: [
      () => createAgoraProvider({ appId, appCertificate: "", product }),
      () => createAgoraProvider({ appId, appCertificate: appCertificate.slice(1), product }),
      () => createAgoraProvider({ appId: "not-an-app-id", appCertificate, product }),
      () => createAgoraProvider({ appId, appCertificate, product: "voice" as "rtc" }),
      () => createAgoraProvider({ appId, appCertificate, product, ncsSecret: "" }),
      () => createAgoraProvider({ appId, appCertificate, product, region: "mars" as "sg" }),
      () =>
        createAgoraProvider({
          appId,
          appCertificate,
          product,
          region: "sg",
          baseUrl: "https://a41.chat.agora.io",
        }),
      () => createAgoraProvider({ appId, appCertificate, product, orgName: "org", appName: "bad/name" }),
      () => createAgoraProvider({ appId, appCertificate, product, clock: 5 as unknown as Clock }),
      () => createAgoraProvider({ appId, appCertificate, product, defaultTtlSeconds: 86_401 }),
      () => createAgoraProvider({ appId, appCertificate, product, appTokenTtlSeconds: 10 }),
      () => createAgoraProvider({ appId, appCertificate, product, unknown: 1 } as never),
      () => createAgoraProvider(null as never),
    ],
    rooms: { sampleRoomIds: [1234, "room-1"], userId: "alice", verifyRoomCredential: verifyRoomToken },
  };
}
