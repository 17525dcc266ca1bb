// A Fetch handler as a module's default export: `deno serve --allow-env --allow-net fetch.ts`, `bun fetch.ts`
// (PORT sets the port), or a Cloudflare Worker with the nodejs_compat flag (its vars are in process.env).
import { isImAuthError } from "@imauth/core";
import { createNeteaseProvider, neteaseCallbackResponse } from "@imauth/netease";
import { createTencentProvider, tencentCallbackResponse } from "@imauth/tencent";

const MAX_BODY_BYTES = 1024 * 1024;
const env = process.env;
const tencent = createTencentProvider({
  sdkAppId: Number(env.TENCENT_SDKAPPID),
  secretKey: env.TENCENT_SECRET_KEY ?? "",
  callbackToken: env.TENCENT_CALLBACK_TOKEN ?? "",
});
const netease = createNeteaseProvider({ appKey: env.NIM_APP_KEY ?? "", appSecret: env.NIM_APP_SECRET ?? "" });

async function handle(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  const vendor = pathname === "/im/callback" ? "tencent" : pathname === "/netease/callback" ? "netease" : "";
  if (request.method !== "POST" || !vendor) return new Response(null, { status: 404 });
  // Vendors send a Content-Length; a body that has none and runs past 4 MiB is refused by verifyWebhook.
  if (Number(request.headers.get("content-length")) > MAX_BODY_BYTES)
    return new Response(null, { status: 413 });
  try {
    // The untouched Request: its URL has Tencent's query and its body is unread.
    const event = await (vendor === "tencent" ? tencent : netease).verifyWebhook(request);
    void event; // event.event and event.payload: handle the callback here
    return vendor === "tencent" ? tencentCallbackResponse() : neteaseCallbackResponse();
  } catch (error) {
    // A forged or stale callback is 403; no error message goes back to the caller.
    return new Response(null, { status: isImAuthError(error) ? 403 : 500 });
  }
}

export default { fetch: handle };
