import type { RawWebhook } from "@imauth/core";
import { signNeteaseCallback } from "../src/testing/index.js";

const CANONICAL: Record<string, string> = {
  appkey: "AppKey",
  curtime: "CurTime",
  md5: "MD5",
  checksum: "CheckSum",
  "content-type": "Content-Type",
};

/** Options of {@link signRaw}. */
export interface SignRawOptions {
  appKey: string;
  appSecret: string;
  body: string | Uint8Array;
  nowMs: number;
  lowerCaseHeaders?: boolean;
}

/**
 * A callback signed by `signNeteaseCallback`, as a `RawWebhook` with a plain header object (NetEase's header
 * names unless `lowerCaseHeaders`) and the body as given, so tests can tamper with single fields.
 */
export function signRaw(options: SignRawOptions): RawWebhook & { headers: Record<string, string> } {
  const { appKey, appSecret, body, nowMs, lowerCaseHeaders = false } = options;
  const request = signNeteaseCallback({ appKey, appSecret, body, clock: () => nowMs, lowerCaseHeaders });
  const headers: Record<string, string> = {};
  for (const [name, value] of request.headers)
    headers[lowerCaseHeaders ? name : (CANONICAL[name] ?? name)] = value;
  return { url: request.url, headers, body };
}
