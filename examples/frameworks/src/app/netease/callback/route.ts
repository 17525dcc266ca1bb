// Next.js route handler, app/netease/callback/route.ts: NetEase YunXin callbacks and message copies. Do not
// call request.json() first: NetEase signs the MD5 of the body bytes.
import { isImAuthError } from "@imauth/core";
import { createNeteaseProvider, neteaseCallbackResponse } from "@imauth/netease";

const MAX_BODY_BYTES = 1024 * 1024;
const env = process.env;
const netease = createNeteaseProvider({ appKey: env.NIM_APP_KEY ?? "", appSecret: env.NIM_APP_SECRET ?? "" });

export async function POST(request: Request): Promise<Response> {
  if (Number(request.headers.get("content-length")) > MAX_BODY_BYTES)
    return new Response(null, { status: 413 });
  try {
    const event = await netease.verifyWebhook(request);
    void event; // event.event is the eventType, event.payload the parsed body
    return neteaseCallbackResponse();
  } catch (error) {
    // A forged or stale callback is 403; no error message goes back to the caller.
    return new Response(null, { status: isImAuthError(error) ? 403 : 500 });
  }
}
