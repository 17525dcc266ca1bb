// Fastify 5: a content-type parser that keeps the bytes (Fastify parses JSON by default, and a re-serialised
// body no longer matches NetEase's MD5). Start it with app.listen({ port: 3000 }).
import { isImAuthError } from "@imauth/core";
import { createNeteaseProvider, neteaseCallbackReply } from "@imauth/netease";
import { createTencentProvider, tencentCallbackReply } from "@imauth/tencent";
import Fastify, { type FastifyRequest } from "fastify";

const env = process.env;
const tencent = createTencentProvider({
  sdkAppId: Number(env.TENCENT_SDKAPPID),
  secretKey: env.TENCENT_SECRET_KEY ?? "",
  callbackToken: env.TENCENT_CALLBACK_TOKEN ?? "",
});
const netease = createNeteaseProvider({ appKey: env.NIM_APP_KEY ?? "", appSecret: env.NIM_APP_SECRET ?? "" });

// bodyLimit: a larger body is refused with 413 before it is read to the end.
export const app = Fastify({ bodyLimit: 1024 * 1024 });

app.removeAllContentTypeParsers();
app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));

// Tencent signs in the query string, so the URL keeps it (req.url); NetEase signs the body bytes.
const callback = (req: FastifyRequest) => ({
  url: `http://${req.headers.host}${req.url}`,
  headers: req.headers,
  body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
});

app.post("/im/callback", async (req, reply) => {
  const event = await tencent.verifyWebhook(callback(req));
  void event; // event.event is the CallbackCommand, event.payload the parsed body: handle it here
  return reply.send(tencentCallbackReply());
});

app.post("/netease/callback", async (req, reply) => {
  const event = await netease.verifyWebhook(callback(req));
  void event; // event.event is the eventType, event.payload the parsed body
  return reply.send(neteaseCallbackReply());
});

// A forged or stale callback is 403, the 413 stays 413; no error message goes back to the caller.
app.setErrorHandler((error, _req, reply) => {
  const status = isImAuthError(error) ? 403 : (error as { statusCode?: number }).statusCode;
  return reply.code(status && status >= 400 ? status : 500).send();
});
