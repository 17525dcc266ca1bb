import { type Clock, ImAuthError } from "@imauth/core";
import {
  assertInteger,
  assertNonEmptyString,
  assertOptionsObject,
  isWellFormed,
  type KeyInput,
  readClock,
  utf8Encode,
} from "@imauth/core/adapter";
import { readTrtcCallbackKeys, trtcCallbackSignature } from "../trtc-callback.js";
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
  /** The callback authentication token; of a list, the first (current) token signs. */
  callbackToken: KeyInput;
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

/** Where a TRTC event callback is sent when it names no URL. */
export const DEFAULT_TRTC_CALLBACK_URL = "https://example.com/trtc/callback";

/**
 * A TRTC event callback: what `emulator.signTrtcCallback` and `emulator.sendTrtcCallback` take.
 *
 * @example
 * ```ts
 * const event: TrtcCallback = { eventGroupId: 1, eventType: 103, eventInfo: { RoomId: 12345, UserId: "alice", Role: 20 } };
 * ```
 */
export interface TrtcCallback {
  /** `EventGroupId`: 1 room events, 2 media events, 3 cloud recording, ... */
  eventGroupId: number;
  /** `EventType`, e.g. 101 room created, 103 entered the room, 104 left the room, 201 video started. */
  eventType: number;
  /** `EventInfo`; `EventTs` (s) and `EventMsTs` (ms) are filled from the clock unless given. */
  eventInfo?: Record<string, unknown>;
  /** A body to send as is instead of the one built from the fields above (then `CallbackTs` is yours). */
  body?: string;
  /** The application's callback URL (absolute). Default `https://example.com/trtc/callback`. */
  url?: string;
}

/**
 * Options of {@link signTrtcCallback}: a {@link TrtcCallback} and who signs it.
 *
 * @example
 * ```ts
 * const options: SignTrtcCallbackOptions = { sdkAppId, callbackKey: "testKey", eventGroupId: 1, eventType: 101 };
 * ```
 */
export interface SignTrtcCallbackOptions extends TrtcCallback {
  /** The SDKAppID written to the `SdkAppId` header. */
  sdkAppId: number;
  /** The TRTC callback key; of a list, the first (current) key signs. */
  callbackKey: KeyInput;
  /** When the callback is sent (epoch ms): `CallbackTs`. Default `Date.now`. */
  clock?: Clock;
}

/**
 * Builds a TRTC event callback the way TRTC sends it: a POST `Request` with the headers `Content-Type:
 * application/json`, `SdkAppId` and `Sign` (base64 HMAC-SHA256 of the body with the callback key) and a body
 * pretty-printed the way TRTC's servers print it (newlines and tabs), with `CallbackTs` from the clock. For
 * tests of callback handlers; the emulator's `signTrtcCallback` uses it.
 *
 * @example
 * ```ts
 * import { signTrtcCallback } from "@imauth/tencent/testing";
 *
 * const request = signTrtcCallback({ sdkAppId, callbackKey: "testKey", eventGroupId: 1, eventType: 104, eventInfo: { RoomId: 1, UserId: "alice" } });
 * const response = await app.fetch(request);
 * ```
 */
export function signTrtcCallback(options: SignTrtcCallbackOptions): Request {
  assertOptionsObject(options, "signTrtcCallback options", "ERR_INVALID_INPUT");
  const { eventGroupId, eventType, eventInfo = {} } = options;
  assertInteger(options.sdkAppId, "sdkAppId", { min: 1, max: 0xffff_ffff, code: "ERR_INVALID_CONFIG" });
  const callbackKey = readTrtcCallbackKeys(options.callbackKey)[0]!;
  assertInteger(eventGroupId, "eventGroupId", { min: 0, max: 0xffff_ffff });
  assertInteger(eventType, "eventType", { min: 0, max: 0xffff_ffff });
  assertOptionsObject(eventInfo, "eventInfo");
  const nowMs = readClock(options.clock);
  let body = options.body;
  if (body === undefined) {
    const info = { EventTs: Math.floor(nowMs / 1000), EventMsTs: nowMs, ...eventInfo };
    body = printLikeTrtc({
      EventGroupId: eventGroupId,
      EventType: eventType,
      CallbackTs: nowMs,
      EventInfo: info,
    });
  } else if (typeof body !== "string" || !isWellFormed(body)) {
    throw new ImAuthError("ERR_INVALID_INPUT", "body must be a well-formed string");
  }
  let url: URL;
  try {
    url = new URL(options.url ?? DEFAULT_TRTC_CALLBACK_URL);
  } catch (cause) {
    throw new ImAuthError("ERR_INVALID_INPUT", "url must be an absolute URL", { cause });
  }
  const bytes = utf8Encode(body);
  return new Request(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      SdkAppId: String(options.sdkAppId),
      Sign: trtcCallbackSignature(callbackKey, bytes),
    },
    body: bytes,
  });
}

/**
 * JSON as TRTC's servers print it (cJSON's formatted style, as in the documentation's examples): one member
 * per line, a tab after each colon, tabs for indentation, arrays on one line. Handlers must verify these
 * exact bytes, so the emulator sends them rather than compact JSON.
 */
function printLikeTrtc(value: unknown, depth = 0): string {
  if (Array.isArray(value)) return `[${value.map((v) => printLikeTrtc(v, depth)).join(", ")}]`;
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "null";
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  const indent = "\t".repeat(depth + 1);
  const members = entries.map(([k, v]) => `${indent}${JSON.stringify(k)}:\t${printLikeTrtc(v, depth + 1)}`);
  return `{\n${members.join(",\n")}\n${"\t".repeat(depth)}}`;
}
