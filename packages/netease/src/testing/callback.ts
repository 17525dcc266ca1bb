import { type Clock, ImAuthError, type Secret } from "@imauth/core";
import { assertOptionsObject, isWellFormed, readClock } from "@imauth/core/adapter";
import { assertHeaderValue } from "../checksum.js";
import { revealSecret } from "../token.js";
import { bodyMd5, callbackCheckSum } from "../webhook.js";

/** Where a callback is sent when it names no URL. */
export const DEFAULT_CALLBACK_URL = "https://example.com/netease/callback";

/**
 * A callback as NetEase sends it (a message copy, a third-party pre-check, an event): the body and where it
 * goes. What `emulator.signCallback` and `emulator.sendCallback` take.
 *
 * @example
 * ```ts
 * const callback: NeteaseCallback = { eventType: "1", body: { fromAccount: "user01", msgType: "TEXT" } };
 * ```
 */
export interface NeteaseCallback {
  /** The body's `eventType`, written first when `body` is an object (e.g. `"1"` for a message copy). */
  eventType?: string | number;
  /** The body: a string or bytes are sent as they are; an object is serialised as JSON. Default `{}`. */
  body?: string | Uint8Array | Record<string, unknown>;
  /** The application's callback URL (absolute). Default `https://example.com/netease/callback`. */
  url?: string;
  /** Send header names in lower case, as some proxies deliver them. Default false. */
  lowerCaseHeaders?: boolean;
}

/**
 * Options of {@link signNeteaseCallback}: a {@link NeteaseCallback} and who signs it.
 *
 * @example
 * ```ts
 * const options: SignNeteaseCallbackOptions = { appKey, appSecret, eventType: "1", body: { msgType: "TEXT" } };
 * ```
 */
export interface SignNeteaseCallbackOptions extends NeteaseCallback {
  /** The AppKey written to the `AppKey` header. */
  appKey: string;
  /** The AppSecret the `CheckSum` is made with. */
  appSecret: string | Secret;
  /** When the callback is signed (epoch ms, the `CurTime` header). Default `Date.now`. */
  clock?: Clock;
}

/**
 * Builds a callback the way NetEase sends it: a POST `Request` to the absolute callback URL with the
 * headers `AppKey`, `CurTime` (epoch milliseconds), `MD5` (of the raw body) and `CheckSum` (SHA-1 of
 * AppSecret + MD5 + CurTime), and a JSON body. For tests of callback handlers; the emulator's
 * `signCallback` uses it.
 *
 * @example
 * ```ts
 * import { signNeteaseCallback } from "@imauth/netease/testing";
 *
 * const request = signNeteaseCallback({ appKey, appSecret, eventType: "1", body: { fromAccount: "user01" } });
 * const response = await app.fetch(request);
 * ```
 */
export function signNeteaseCallback(options: SignNeteaseCallbackOptions): Request {
  assertOptionsObject(options, "signNeteaseCallback options", "ERR_INVALID_INPUT");
  assertHeaderValue(options.appKey, "appKey", "ERR_INVALID_INPUT");
  const appSecret = revealSecret(options.appSecret, "appSecret");
  const body = callbackBody(options);
  const curTime = String(Math.floor(readClock(options.clock)));
  const md5 = bodyMd5(body);
  const headers: Record<string, string> = {
    AppKey: options.appKey,
    CurTime: curTime,
    MD5: md5,
    CheckSum: callbackCheckSum(appSecret, md5, curTime),
    "Content-Type": "application/json;charset=utf-8",
  };
  const finalHeaders = options.lowerCaseHeaders
    ? Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]))
    : headers;
  return new Request(callbackUrl(options.url), {
    method: "POST",
    headers: finalHeaders,
    body: body as BodyInit,
  });
}

function callbackUrl(url: unknown): URL {
  try {
    return new URL(url === undefined ? DEFAULT_CALLBACK_URL : String(url));
  } catch (cause) {
    throw new ImAuthError("ERR_INVALID_INPUT", "url must be an absolute URL", { cause });
  }
}

function callbackBody(callback: NeteaseCallback): string | Uint8Array {
  const { body = {}, eventType } = callback;
  if (typeof body === "string") {
    // It would hash as U+FFFD: that is no body anyone sent.
    if (!isWellFormed(body)) throw new ImAuthError("ERR_INVALID_INPUT", "body must be well-formed UTF-16");
    return body;
  }
  if (body instanceof Uint8Array) return body;
  assertOptionsObject(body, "body");
  return JSON.stringify(eventType === undefined ? body : { eventType: String(eventType), ...body });
}
