// Runs one snippet inside the test app: every fetch to a vendor's domain (Tencent, NetEase, Agora Chat,
// RongCloud, Easemob) is answered by that package's own emulator (nothing else leaves 127.0.0.1), then the snippet module is imported, and a `POST`
// export (a route handler) or a default export with `fetch` (a Worker) is called with a genuine callback
// signed like the vendor (emulator.signCallback) and must answer 200.
import { AGORA_CHAT_REGIONS } from "@imauth/agora";
import { createAgoraEmulator } from "@imauth/agora/testing";
import { EASEMOB_REGIONS } from "@imauth/easemob";
import { createEasemobEmulator } from "@imauth/easemob/testing";
import { NETEASE_REGIONS } from "@imauth/netease";
import { createNeteaseEmulator } from "@imauth/netease/testing";
import { RONGCLOUD_REGIONS } from "@imauth/rongcloud";
import { createRongCloudEmulator } from "@imauth/rongcloud/testing";
import { TENCENT_REGIONS } from "@imauth/tencent";
import { createTencentEmulator } from "@imauth/tencent/testing";

const [file, vendorHint, legacy] = process.argv.slice(2);
const env = process.env;
const tencent = createTencentEmulator({
  sdkAppId: Number(env.TENCENT_SDKAPPID),
  callbackToken: env.TENCENT_IM_CALLBACK_TOKEN,
  ...(legacy === "legacy"
    ? {
        verifier: (await import("@imauth/legacy-ecdsa")).ecdsaVerifier({
          publicKey: env.TENCENT_IM_PUBLIC_KEY,
        }),
      }
    : { secretKey: env.TENCENT_IM_SECRET_KEY }),
  groups: [{ groupId: "@TGS#2J4SZEAEL", type: "Public" }],
});
const netease = createNeteaseEmulator({ appKey: env.NIM_APP_KEY, appSecret: env.NIM_APP_SECRET });
const agora = createAgoraEmulator({
  appId: env.AGORA_APP_ID,
  appCertificate: env.AGORA_APP_CERTIFICATE,
  ncsSecret: env.AGORA_NCS_SECRET,
  orgName: env.AGORA_CHAT_ORG_NAME,
  appName: env.AGORA_CHAT_APP_NAME,
});
const rongcloud = createRongCloudEmulator({
  appKey: env.RONGCLOUD_APP_KEY,
  appSecret: env.RONGCLOUD_APP_SECRET,
});
const easemob = createEasemobEmulator({
  orgName: env.EASEMOB_ORG_NAME,
  appName: env.EASEMOB_APP_NAME,
  clientId: env.EASEMOB_CLIENT_ID,
  clientSecret: env.EASEMOB_CLIENT_SECRET,
  callbackSecret: env.EASEMOB_CALLBACK_SECRET,
});

const hostsOf = (regions) =>
  new Set(Object.values(regions).flatMap((urls) => urls.map((u) => new URL(u).host)));
const routes = [
  [hostsOf(TENCENT_REGIONS), tencent],
  [hostsOf(NETEASE_REGIONS), netease],
  [hostsOf(AGORA_CHAT_REGIONS), agora],
  [hostsOf(RONGCLOUD_REGIONS), rongcloud],
  [hostsOf(EASEMOB_REGIONS), easemob],
];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const route = routes.find(([hosts]) => hosts.has(url.host));
  if (route) return route[1].fetch(input, init);
  if (url.hostname === "127.0.0.1") return realFetch(input, init);
  throw new TypeError(`a snippet may only reach the emulators and 127.0.0.1, not ${url.host}`);
};

const mod = await import(new URL(file, `file://${process.cwd()}/`).href);

const handler =
  typeof mod.POST === "function"
    ? mod.POST
    : typeof mod.default?.fetch === "function"
      ? (request) => mod.default.fetch(request, { ...env }, { waitUntil() {}, passThroughOnException() {} })
      : undefined;
if (handler) {
  const genuine = {
    netease: () => netease.signCallback({ eventType: "1", body: { eventType: "1", fromAccount: "user01" } }),
    agora: () => agora.signCallback({ eventType: 101, payload: { channelName: "room-1" } }),
    rongcloud: () => rongcloud.signCallback({ body: { fromUserId: "alice", toUserId: "bob" } }),
    easemob: () => easemob.signCallback({ body: { from: "alice", to: "bob", chat_type: "chat" } }),
    tencent: () =>
      tencent.signCallback({ command: "State.StateChange", body: { Info: { To_Account: "alice" } } }),
  };
  const request = (genuine[vendorHint] ?? genuine.tencent)();
  const response = await handler(request);
  if (!(response instanceof Response) || response.status !== 200) {
    throw new Error(`the handler answered a genuine ${vendorHint} callback with ${response?.status}`);
  }
  console.log(`callback ${vendorHint}: ${response.status}`);
}
