// Hono: the same app runs on Node (@hono/node-server's serve({ fetch: app.fetch, port: 3000 })) and on
// Cloudflare Workers (this module is the Worker; with the nodejs_compat flag the vars are in process.env).
import { isImAuthError } from "@imauth/core";
import { createNeteaseProvider, neteaseCallbackReply } from "@imauth/netease";
import { createTencentProvider, tencentCallbackReply } from "@imauth/tencent";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";

const env = process.env;
const tencent = createTencentProvider({
  sdkAppId: Number(env.TENCENT_SDKAPPID),
  secretKey: env.TENCENT_SECRET_KEY ?? "",
  callbackToken: env.TENCENT_CALLBACK_TOKEN ?? "",
});
const netease = createNeteaseProvider({ appKey: env.NIM_APP_KEY ?? "", appSecret: env.NIM_APP_SECRET ?? "" });

const app = new Hono();

// A larger body is refused with 413, also when it comes without a Content-Length.
app.use(bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.body(null, 413) }));

// c.req.raw is the untouched Request: its URL has Tencent's query and its body is unread.
app.post("/im/callback", async (c) => {
  const event = await tencent.verifyWebhook(c.req.raw);
  void event; // event.event is the CallbackCommand, event.payload the parsed body: handle it here
  return c.json(tencentCallbackReply());
});

app.post("/netease/callback", async (c) => {
  const event = await netease.verifyWebhook(c.req.raw);
  void event; // event.event is the eventType, event.payload the parsed body
  return c.json(neteaseCallbackReply());
});

// A forged or stale callback is 403; no error message goes back to the caller.
app.onError((error, c) => c.body(null, isImAuthError(error) ? 403 : 500));

export default app;
