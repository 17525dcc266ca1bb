// Next.js route handler, app/im/callback/route.ts: Tencent IM callbacks. Do not call request.json() first:
// the Request goes to verifyWebhook untouched.
import { isImAuthError } from "@imauth/core";
import { createTencentProvider, tencentCallbackResponse } from "@imauth/tencent";

const MAX_BODY_BYTES = 1024 * 1024;
const env = process.env;
const tencent = createTencentProvider({
  sdkAppId: Number(env.TENCENT_SDKAPPID),
  secretKey: env.TENCENT_SECRET_KEY ?? "",
  callbackToken: env.TENCENT_CALLBACK_TOKEN ?? "",
});

export async function POST(request: Request): Promise<Response> {
  if (Number(request.headers.get("content-length")) > MAX_BODY_BYTES)
    return new Response(null, { status: 413 });
  try {
    const event = await tencent.verifyWebhook(request);
    void event; // event.event is the CallbackCommand, event.payload the parsed body: handle it here
    return tencentCallbackResponse();
  } catch (error) {
    // A forged or stale callback is 403; no error message goes back to the caller.
    return new Response(null, { status: isImAuthError(error) ? 403 : 500 });
  }
}
