// The callbacks every recipe is sent, made like the vendors make them (signTencentCallback and
// signNeteaseCallback), and what each must answer. Keys come from the official vectors.
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { signNeteaseCallback } from "@imauth/netease/testing";
import { signTencentCallback } from "@imauth/tencent/testing";
import { expect } from "vitest";

const vector = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../vectors/${name}`, import.meta.url), "utf8"));
const usersig = vector("tencent-usersig-v2.json").inputs;
const tencentCallback = vector("tencent-callback.json").examples[0];
const nim = vector("netease.json").imDynamicToken[0];

/** The environment every recipe reads its configuration from. */
export const ENV = {
  TENCENT_SDKAPPID: String(usersig.sdkAppId),
  TENCENT_SECRET_KEY: usersig.secretKey as string,
  TENCENT_CALLBACK_TOKEN: tencentCallback.token as string,
  NIM_APP_KEY: nim.appKey as string,
  NIM_APP_SECRET: nim.appSecret as string,
};

// A fixed instant long past: a callback signed then is stale whatever the server's clock says.
const LONG_AGO = () => 1_700_000_000_000;
const OVERSIZED = "x".repeat(2 * 1024 * 1024);

// What the vendors' documentation says a handler answers: Tencent's ActionStatus/ErrorCode/ErrorInfo, and
// NetEase's errCode/responseCode.
export const TENCENT_OK = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" };
export const NETEASE_OK = { errCode: 0, responseCode: 200 };

interface Case {
  name: string;
  request: (base: string) => Request;
  status: number;
  json?: unknown;
}

const tencent = (base: string, extra: Partial<Parameters<typeof signTencentCallback>[0]> = {}) =>
  signTencentCallback({
    sdkAppId: usersig.sdkAppId,
    callbackToken: ENV.TENCENT_CALLBACK_TOKEN,
    command: "State.StateChange",
    body: { Info: { Action: "Login", To_Account: "alice", Reason: "Register" } },
    url: `${base}/im/callback`,
    ...extra,
  });

const netease = (base: string, extra: Partial<Parameters<typeof signNeteaseCallback>[0]> = {}) =>
  signNeteaseCallback({
    appKey: ENV.NIM_APP_KEY,
    appSecret: ENV.NIM_APP_SECRET,
    eventType: "1",
    body: { fromAccount: "user01", to: "user02", msgType: "TEXT", body: "hello" },
    url: `${base}/netease/callback`,
    ...extra,
  });

export const CASES: Case[] = [
  { name: "a genuine Tencent callback: 200", request: (b) => tencent(b), status: 200, json: TENCENT_OK },
  {
    name: "a Tencent callback signed with another token: 403",
    request: (b) => tencent(b, { callbackToken: "not-the-token" }),
    status: 403,
  },
  { name: "a stale Tencent callback: 403", request: (b) => tencent(b, { clock: LONG_AGO }), status: 403 },
  {
    name: "a Tencent callback for another SDKAppID: 403",
    request: (b) => tencent(b, { sdkAppId: 1400000001 }),
    status: 403,
  },
  {
    name: "an oversized Tencent callback: 413",
    request: (b) => tencent(b, { body: OVERSIZED }),
    status: 413,
  },
  { name: "a genuine NetEase callback: 200", request: (b) => netease(b), status: 200, json: NETEASE_OK },
  {
    name: "a genuine NetEase callback with lower-case header names: 200",
    request: (b) => netease(b, { lowerCaseHeaders: true }),
    status: 200,
    json: NETEASE_OK,
  },
  {
    name: "a NetEase callback signed with another AppSecret: 403",
    request: (b) => netease(b, { appSecret: "0".repeat(12) }),
    status: 403,
  },
  {
    name: "a NetEase callback whose body was changed on the way: 403",
    request: (b) => {
      const genuine = netease(b);
      return new Request(genuine.url, {
        method: "POST",
        headers: genuine.headers,
        body: '{"eventType":"1"}',
      });
    },
    status: 403,
  },
  { name: "a stale NetEase callback: 403", request: (b) => netease(b, { clock: LONG_AGO }), status: 403 },
  {
    name: "an oversized NetEase callback: 413",
    request: (b) => netease(b, { body: OVERSIZED }),
    status: 413,
  },
];

/** Sends one case to a server on 127.0.0.1 and checks the status and body; a refusal carries no message. */
export async function expectCase(base: string, c: Case): Promise<void> {
  const response = await send(c.request(base));
  const text = response.body;
  expect({ case: c.name, status: response.status }).toEqual({ case: c.name, status: c.status });
  if (c.json !== undefined) expect(JSON.parse(text)).toEqual(c.json);
  else expect(text).not.toMatch(/callback|webhook|ImAuthError|ERR_/i);
}

/**
 * Sends a Request over a connection of its own, with a deadline. A large body is sent the way curl sends one:
 * headers first with `Expect: 100-continue`, the body after `100 Continue` or a second of silence. A server
 * that refuses it by its Content-Length answers before reading it and closes; had the client already pushed
 * bytes it never read, the close would be a TCP reset that can destroy the answer before it is read (seen
 * with Bun and workerd). Bun answers `100 Continue` by itself before the handler runs, so the body waits
 * another 200 ms for a final answer after it.
 */
async function send(request: Request): Promise<{ status: number; body: string }> {
  const body = Buffer.from(await request.arrayBuffer());
  const headers = Object.fromEntries(request.headers);
  headers["content-length"] = String(body.length);
  const large = body.length > 64 * 1024;
  if (large) headers.expect = "100-continue";
  return new Promise((resolve, reject) => {
    let answered = false;
    let sent = false;
    const req = httpRequest(request.url, { method: request.method, headers, agent: false, timeout: 15_000 });
    const sendBody = () => {
      if (answered || sent) return;
      sent = true;
      req.end(body);
    };
    req.on("response", (res) => {
      answered = true;
      clearTimeout(patience);
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
        req.destroy();
      });
      res.on("error", reject);
    });
    req.on("continue", () => {
      clearTimeout(patience);
      patience = setTimeout(sendBody, 200);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer from ${new URL(request.url).host} in 15 s`)));
    // Writing the rest of an oversized body fails once the server has answered and closed: that is fine.
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    let patience = setTimeout(sendBody, large ? 1000 : 0);
    if (large) req.flushHeaders();
  });
}
