// Express 5: mount express.raw on the callback routes (never express.json) so req.body is the Buffer the
// vendor signed. Start it with app.listen(3000).
import { isImAuthError } from "@imauth/core";
import { createNeteaseProvider, neteaseCallbackReply } from "@imauth/netease";
import { createTencentProvider, tencentCallbackReply } from "@imauth/tencent";
import express, { type ErrorRequestHandler, type Request } from "express";

const env = process.env;
const tencent = createTencentProvider({
  sdkAppId: Number(env.TENCENT_SDKAPPID),
  secretKey: env.TENCENT_SECRET_KEY ?? "",
  callbackToken: env.TENCENT_CALLBACK_TOKEN ?? "",
});
const netease = createNeteaseProvider({ appKey: env.NIM_APP_KEY ?? "", appSecret: env.NIM_APP_SECRET ?? "" });

// Any content type, as bytes; a larger body is refused with 413 before it is read to the end.
const rawBody = express.raw({ type: () => true, limit: "1mb" });
// Tencent signs in the query string, so the URL keeps it (req.originalUrl); NetEase signs the body bytes.
const callback = (req: Request) => ({
  url: `http://${req.headers.host}${req.originalUrl}`,
  headers: req.headers,
  body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
});

export const app = express();

app.post("/im/callback", rawBody, async (req, res, next) => {
  try {
    const event = await tencent.verifyWebhook(callback(req));
    void event; // event.event is the CallbackCommand, event.payload the parsed body: handle it here
    res.json(tencentCallbackReply());
  } catch (error) {
    if (isImAuthError(error))
      res.status(403).end(); // forged or stale: no reason given to the caller
    else next(error);
  }
});

app.post("/netease/callback", rawBody, async (req, res, next) => {
  try {
    const event = await netease.verifyWebhook(callback(req));
    void event; // event.event is the eventType, event.payload the parsed body
    res.json(neteaseCallbackReply());
  } catch (error) {
    if (isImAuthError(error)) res.status(403).end();
    else next(error);
  }
});

// Every other error (the 413 of express.raw included) answers its status and no message.
const onError: ErrorRequestHandler = (error, _req, res, _next) => {
  res.status(Number(error?.status) || 500).end();
};
app.use(onError);
