// Runs one snippet inside the test app: every fetch to a Tencent or NetEase domain is answered by the
// packages' own emulators (nothing else leaves 127.0.0.1), then the snippet module is imported, and a `POST`
// export (a route handler) or a default export with `fetch` (a Worker) is called with a genuine callback
// signed like the vendor (emulator.signCallback) and must answer 200.
import { NETEASE_REGIONS } from "@imauth/netease";
import { createNeteaseEmulator } from "@imauth/netease/testing";
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

const hostsOf = (regions) =>
  new Set(Object.values(regions).flatMap((urls) => urls.map((u) => new URL(u).host)));
const tencentHosts = hostsOf(TENCENT_REGIONS);
const neteaseHosts = hostsOf(NETEASE_REGIONS);
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (tencentHosts.has(url.host)) return tencent.fetch(input, init);
  if (neteaseHosts.has(url.host)) return netease.fetch(input, init);
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
  const request =
    vendorHint === "netease"
      ? netease.signCallback({ eventType: "1", body: { eventType: "1", fromAccount: "user01" } })
      : tencent.signCallback({ command: "State.StateChange", body: { Info: { To_Account: "alice" } } });
  const response = await handler(request);
  if (!(response instanceof Response) || response.status !== 200) {
    throw new Error(`the handler answered a genuine ${vendorHint} callback with ${response?.status}`);
  }
  console.log(`callback ${vendorHint}: ${response.status}`);
}
