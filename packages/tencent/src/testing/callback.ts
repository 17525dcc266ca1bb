import { type Clock, ImAuthError, type Secret } from "@imauth/core";
import { assertNonEmptyString, assertOptionsObject, readClock } from "@imauth/core/adapter";
import { callbackSignature } from "../webhook.js";

/** Where a callback is sent when it names no URL. */
export const DEFAULT_CALLBACK_URL = "https://example.com/im/callback";

/**
 * A callback as Tencent IM sends it: the command, the body and the query's extra fields. What
 * `emulator.signCallback` and `emulator.sendCallback` take.
 *
 * @example
 * ```ts
 * const callback: TencentCallback = { command: "State.StateChange", body: { Info: { To_Account: "alice" } } };
 * ```
 */
export interface TencentCallback {
  /** The `CallbackCommand`, e.g. `"State.StateChange"`. */
  command: string;
  /** The body: a string is sent as is; an object is serialised with `CallbackCommand` first. Default `{}`. */
  body?: string | Record<string, unknown>;
  /** The application's callback URL (absolute). Default `https://example.com/im/callback`. */
  url?: string;
  /** The `ClientIP` query parameter. Default `127.0.0.1`. */
  clientIp?: string;
  /** The `OptPlatform` query parameter. Default `RESTAPI`. */
  platform?: string;
}

/**
 * Options of {@link signTencentCallback}: a {@link TencentCallback} and who signs it.
 *
 * @example
 * ```ts
 * const options: SignTencentCallbackOptions = { sdkAppId, callbackToken, command: "State.StateChange" };
 * ```
 */
export interface SignTencentCallbackOptions extends TencentCallback {
  /** The SDKAppID written to `SdkAppid`. */
  sdkAppId: number;
  /** The callback authentication token. */
  callbackToken: string | Secret;
  /** When the callback is signed (epoch ms). Default `Date.now`. */
  clock?: Clock;
}

/**
 * Builds a callback the way Tencent IM sends it: a POST `Request` to the absolute callback URL with the
 * query `SdkAppid`, `CallbackCommand`, `contenttype`, `ClientIP`, `OptPlatform`, `RequestTime` and `Sign`
 * (SHA-256 of the token and `RequestTime`), and a JSON body. For tests of callback handlers; the emulator's
 * `signCallback` uses it.
 *
 * @example
 * ```ts
 * import { signTencentCallback } from "@imauth/tencent/testing";
 *
 * const request = signTencentCallback({ sdkAppId, callbackToken, command: "State.StateChange", body: { Info: {} } });
 * const response = await app.fetch(request);
 * ```
 */
export function signTencentCallback(options: SignTencentCallbackOptions): Request {
  assertOptionsObject(options, "signTencentCallback options", "ERR_INVALID_INPUT");
  const { command, body = {} } = options;
  assertNonEmptyString(command, "command", "ERR_INVALID_INPUT");
  const nowMs = readClock(options.clock);
  const requestTime = String(Math.floor(nowMs / 1000));
  let url: URL;
  try {
    url = new URL(options.url ?? DEFAULT_CALLBACK_URL);
  } catch (cause) {
    throw new ImAuthError("ERR_INVALID_INPUT", "url must be an absolute URL", { cause });
  }
  url.searchParams.set("SdkAppid", String(options.sdkAppId));
  url.searchParams.set("CallbackCommand", command);
  url.searchParams.set("contenttype", "json");
  url.searchParams.set("ClientIP", options.clientIp ?? "127.0.0.1");
  url.searchParams.set("OptPlatform", options.platform ?? "RESTAPI");
  url.searchParams.set("RequestTime", requestTime);
  url.searchParams.set("Sign", callbackSignature(options.callbackToken, requestTime));
  return new Request(url, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8" },
    body: typeof body === "string" ? body : JSON.stringify({ CallbackCommand: command, ...body }),
  });
}
