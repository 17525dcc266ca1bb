import type { Clock, ImCredential } from "@imauth/core";
import { type ConformanceHarness, registerConformanceTests, withQueryParam } from "@imauth/core/testing";
import { describe, it } from "vitest";
import { createTencentProvider } from "../src/provider.js";
import { signTencentCallback } from "../src/testing/callback.js";
import { createTencentEmulator } from "../src/testing/emulator.js";
import { verifyUserSig } from "../src/verify.js";

const SDK_APP_ID = 1400000001;
const SECRET_KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const CALLBACK_TOKEN = "conformance-callback-token";

/** TRTC privilege bits per room privilege, written out from Tencent's bit table rather than taken from src. */
const EXPECTED_BITS = { join: 1 | 2 | 8 | 32 | 128, publishAudio: 4, publishVideo: 16 | 64, publishData: 0 };

/** Checks credential.room with the package's own verifier: signature, user, room, privileges and expiry. */
function verifyRoomCredential(credential: ImCredential, clock: Clock): void {
  const room = credential.room;
  if (room === undefined) throw new Error("no credential.room");
  const decoded = verifyUserSig(room.token, {
    sdkAppId: Number(credential.appId),
    secretKey: SECRET_KEY,
    userId: credential.userId,
    clock,
  });
  const key = decoded.userBuf?.privateMapKey;
  if (key === undefined) throw new Error("room.token is not a PrivateMapKey");
  const bits = room.privileges.reduce((sum, p) => sum | EXPECTED_BITS[p], 0);
  if (key.roomId !== room.roomId) throw new Error(`PrivateMapKey is for room ${key.roomId}`);
  if (key.version !== (typeof room.roomId === "string" ? 1 : 0)) throw new Error("wrong room layout");
  if (key.privilegeMap !== bits || room.details?.privilegeMap !== String(bits)) {
    throw new Error(`privilege map ${key.privilegeMap}, expected ${bits}`);
  }
  if (key.expiresAt.getTime() !== room.expiresAt.getTime()) throw new Error("room.expiresAt differs");
}

const harness: ConformanceHarness = {
  name: "tencent",
  createProvider: (clock: Clock) =>
    createTencentProvider({
      sdkAppId: SDK_APP_ID,
      secretKey: SECRET_KEY,
      callbackToken: CALLBACK_TOKEN,
      clock,
    }),
  secrets: [SECRET_KEY, CALLBACK_TOKEN],
  verifyCredential(credential, clock) {
    verifyUserSig(credential.token, {
      sdkAppId: Number(credential.appId),
      secretKey: SECRET_KEY,
      userId: credential.userId,
      clock,
    });
  },
  defaultTtlSeconds: 15_552_000,
  maxUserIdLength: 32,
  sampleRequest: () =>
    new Request("https://console.tim.qq.com/v4/im_open_login_svc/account_import?trace=abc", {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "req-1" },
      body: JSON.stringify({ UserID: "conformance-user", Nick: "Zoë 张" }),
    }),
  async verifySignedRequest(request, clock) {
    const emulator = createTencentEmulator({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY, clock });
    const answer = (await (await emulator.fetch(request)).json()) as { ErrorCode: number; ErrorInfo: string };
    if (answer.ErrorCode !== 0) throw new Error(`emulator refused: ${answer.ErrorCode} ${answer.ErrorInfo}`);
    if (!emulator.accounts.has("conformance-user")) throw new Error("emulator did not run account_import");
  },
  signWebhook: async ({ body, nowMs, wrongSecret }) => {
    const request = signTencentCallback({
      sdkAppId: SDK_APP_ID,
      callbackToken: wrongSecret ? "not-the-callback-token" : CALLBACK_TOKEN,
      command: "State.StateChange",
      body,
      clock: () => nowMs,
    });
    return { url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() };
  },
  // Tencent's Sign covers the token and RequestTime, not the body: forgeries change what it covers, or the app.
  tamperWebhook(webhook) {
    const url = new URL(webhook.url);
    const sign = url.searchParams.get("Sign")!;
    const time = Number(url.searchParams.get("RequestTime"));
    return [
      withQueryParam(webhook, "Sign", (sign[0] === "0" ? "1" : "0") + sign.slice(1)),
      withQueryParam(webhook, "Sign", undefined),
      withQueryParam(webhook, "RequestTime", String(time + 1)),
      withQueryParam(webhook, "RequestTime", undefined),
      withQueryParam(webhook, "SdkAppid", String(SDK_APP_ID + 1)),
    ];
  },
  maxWebhookAgeMs: 60_000,
  rooms: { sampleRoomIds: [1234, "room-1"], verifyRoomCredential },
  invalidConfigs: [
    () => createTencentProvider({ sdkAppId: SDK_APP_ID } as never),
    () => createTencentProvider({ sdkAppId: SDK_APP_ID, secretKey: "" }),
    () => createTencentProvider({ sdkAppId: 0, secretKey: SECRET_KEY }),
    () => createTencentProvider({ sdkAppId: "1400000001", secretKey: SECRET_KEY } as never),
    () => createTencentProvider({ sdkAppId: 2 ** 32, secretKey: SECRET_KEY }),
    () => createTencentProvider({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY, region: "mars" } as never),
    () => createTencentProvider({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY, baseUrl: "not a url" }),
    () => createTencentProvider({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY, secretkey: "typo" } as never),
    () => createTencentProvider(null as never),
  ],
};

describe("conformance", () => registerConformanceTests(harness, it));
