import {
  type Clock,
  constantTimeEqual,
  hexEncode,
  ImAuthError,
  isWellFormed,
  type RawWebhook,
  readClock,
  readWebhook,
  utf8Decode,
  type VerifiedWebhook,
} from "@imauth/core";
import { md5 } from "@noble/hashes/legacy.js";
import { assertHeaderValue } from "./checksum.js";
import { sha1Hex } from "./sha1.js";
import { assertSignedConfig } from "./token.js";

/**
 * How far a callback's `CurTime` may be from the clock by default, in milliseconds (5 minutes).
 *
 * @example
 * ```ts
 * await verifyNeteaseCallback(request, { appSecret, maxSkewMs: 2 * DEFAULT_CALLBACK_MAX_SKEW_MS });
 * ```
 */
export const DEFAULT_CALLBACK_MAX_SKEW_MS = 5 * 60 * 1000;

/**
 * Options of {@link verifyNeteaseCallback}.
 *
 * @example
 * ```ts
 * const options: VerifyNeteaseCallbackOptions = { appSecret, appKey, maxSkewMs: 60_000 };
 * const event = await verifyNeteaseCallback(request, options);
 * ```
 */
export interface VerifyNeteaseCallbackOptions {
  /** The application's AppSecret. */
  appSecret: string;
  /** When given, the callback's `AppKey` header must equal it. */
  appKey?: string;
  /** Source of the current time (epoch milliseconds). Default `Date.now`. */
  clock?: Clock;
  /** Largest accepted distance between `CurTime` and the clock, in milliseconds. Default 5 minutes. */
  maxSkewMs?: number;
}

/**
 * The `CheckSum` NetEase puts on callbacks and message copies: lowercase hex SHA-1 of
 * appSecret + md5 + curTimeMs, where `md5` is the lowercase hex MD5 of the raw body and `curTimeMs` the
 * `CurTime` header (milliseconds).
 *
 * @example
 * ```ts
 * callbackCheckSum("c00000000000", "99914b932bd37a50b983c5e7c90ae93b", "1700000000123");
 * // "14c49a15e28eca7b6ce7d918fbcc996510ce2710"
 * ```
 */
export function callbackCheckSum(appSecret: string, md5Hex: string, curTimeMs: string): string {
  if (typeof appSecret !== "string" || typeof md5Hex !== "string" || typeof curTimeMs !== "string") {
    throw new ImAuthError(
      "ERR_INVALID_INPUT",
      "callbackCheckSum(appSecret, md5, curTime) takes three strings",
    );
  }
  // A lone surrogate hashes as U+FFFD: refuse it rather than sign a text other than the one given.
  if (![appSecret, md5Hex, curTimeMs].every(isWellFormed)) {
    throw new ImAuthError("ERR_INVALID_INPUT", "callbackCheckSum arguments must be well-formed UTF-16");
  }
  return sha1Hex(appSecret + md5Hex + curTimeMs);
}

/**
 * Lowercase hex MD5 of the raw body bytes, as NetEase's `MD5` callback header carries it.
 *
 * @example
 * ```ts
 * bodyMd5("{}"); // "99914b932bd37a50b983c5e7c90ae93b"
 * ```
 */
export function bodyMd5(body: string | Uint8Array): string {
  if (typeof body === "string" && !isWellFormed(body)) {
    // It would hash as U+FFFD: that is no body anyone sent.
    throw new ImAuthError("ERR_INVALID_INPUT", "a string body must be well-formed UTF-16");
  }
  return hexEncode(md5(typeof body === "string" ? new TextEncoder().encode(body) : body));
}

function invalid(message: string): ImAuthError {
  return new ImAuthError("ERR_WEBHOOK_INVALID", message);
}

function header(headers: Headers, name: string): string {
  const value = headers.get(name);
  if (value === null || value.length === 0) throw invalid(`callback has no ${name} header`);
  return value.trim();
}

interface CallbackChecks {
  appSecret: string;
  appKey: string | undefined;
  clock: Clock | undefined;
  maxSkewMs: number;
}

function callbackOptions(options: VerifyNeteaseCallbackOptions): CallbackChecks {
  if (typeof options !== "object" || options === null) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "verifyNeteaseCallback options must be an object");
  }
  const { appSecret, appKey, clock, maxSkewMs = DEFAULT_CALLBACK_MAX_SKEW_MS } = options;
  assertSignedConfig(appSecret, "appSecret");
  // Compared with a header value: one that no header can carry would refuse every callback.
  if (appKey !== undefined) assertHeaderValue(appKey, "appKey", "ERR_INVALID_CONFIG");
  if (typeof maxSkewMs !== "number" || !(maxSkewMs >= 0) || !Number.isFinite(maxSkewMs)) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "maxSkewMs must be a finite, non-negative number");
  }
  return { appSecret, appKey, clock, maxSkewMs };
}

/**
 * Verifies a callback or message copy sent by NetEase to the app: the `MD5` header must be the MD5 of the
 * raw body bytes, `CheckSum` must be SHA-1(AppSecret + MD5 + CurTime) (compared in constant time), `CurTime`
 * (milliseconds) must be within `maxSkewMs` of the clock, and `AppKey` must match when `appKey` is given.
 * Header names are matched case-insensitively. Pass the body exactly as received: a re-serialised JSON body
 * has another MD5. Throws `ImAuthError` `ERR_WEBHOOK_INVALID` or `ERR_WEBHOOK_EXPIRED`. Answer the callback
 * with HTTP 200 ({@link neteaseCallbackReply}).
 *
 * @example
 * ```ts
 * import { verifyNeteaseCallback, neteaseCallbackReply } from "@imauth/netease";
 *
 * export async function POST(request: Request) {
 *   const event = await verifyNeteaseCallback(request, { appSecret, appKey });
 *   console.log(event.event, event.payload); // eventType and the parsed body
 *   return neteaseCallbackReply();
 * }
 * ```
 */
export async function verifyNeteaseCallback(
  input: Request | RawWebhook,
  options: VerifyNeteaseCallbackOptions,
): Promise<VerifiedWebhook> {
  const { appSecret, appKey, clock, maxSkewMs } = callbackOptions(options);
  const rawString = (input as Partial<RawWebhook> | null)?.body;
  // A string with a lone surrogate cannot be the body received: decoding never yields one.
  if (typeof rawString === "string" && !isWellFormed(rawString)) {
    throw invalid("callback body is a string that is not well-formed UTF-16 (pass the raw bytes)");
  }
  const { headers, body } = await readWebhook(input);
  const md5Header = header(headers, "MD5").toLowerCase();
  const checkSumHeader = header(headers, "CheckSum").toLowerCase();
  const curTime = header(headers, "CurTime");
  const appKeyHeader = headers.get("AppKey")?.trim() || undefined;
  if (!/^[0-9a-f]{32}$/.test(md5Header)) throw invalid("callback MD5 header is not 32 hex characters");
  if (!/^[0-9a-f]{40}$/.test(checkSumHeader)) {
    throw invalid("callback CheckSum header is not 40 hex characters");
  }
  if (!/^[0-9]{1,15}$/.test(curTime)) throw invalid("callback CurTime header is not epoch milliseconds");
  if (!constantTimeEqual(bodyMd5(body), md5Header)) {
    throw invalid("callback body does not match its MD5 header (was the body re-serialised?)");
  }
  if (!constantTimeEqual(callbackCheckSum(appSecret, md5Header, curTime), checkSumHeader)) {
    throw invalid("callback CheckSum does not match (wrong AppSecret?)");
  }
  if (appKey !== undefined && appKeyHeader !== appKey) {
    throw invalid(
      appKeyHeader === undefined ? "callback has no AppKey header" : "callback is for another AppKey",
    );
  }
  const curTimeMs = Number(curTime);
  if (Math.abs(readClock(clock) - curTimeMs) > maxSkewMs) {
    throw new ImAuthError(
      "ERR_WEBHOOK_EXPIRED",
      `callback CurTime is more than ${maxSkewMs} ms away from the clock`,
    );
  }
  const rawBody = utf8Decode(body, false);
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    payload = undefined;
  }
  const eventType =
    typeof payload === "object" && payload !== null
      ? (payload as { eventType?: unknown }).eventType
      : undefined;
  const verified: VerifiedWebhook = {
    vendor: "netease",
    receivedAt: new Date(curTimeMs),
    payload,
    rawBody,
    details: { md5: md5Header, curTime },
  };
  if (appKeyHeader !== undefined) verified.appId = appKeyHeader;
  if (typeof eventType === "string" || typeof eventType === "number") verified.event = String(eventType);
  return verified;
}

/**
 * What a third-party callback (message pre-check) answers; message copies only need HTTP 200.
 *
 * @example
 * ```ts
 * const reply: NeteaseCallbackReply = { errCode: 1, responseCode: 20000 };
 * return neteaseCallbackReply(reply);
 * ```
 */
export interface NeteaseCallbackReply {
  /** 0 lets the message or operation through, 1 rejects it. Default 0. */
  errCode?: 0 | 1;
  /** A custom result code for the sender (20000 to 20099), or 200. Default 200. */
  responseCode?: number;
  /** Replacement message fields (third-party message callbacks), sent as NetEase documents them. */
  modifyResponse?: Record<string, unknown>;
  /** Extra text returned to the sender. */
  callbackExt?: string;
}

/**
 * The HTTP 200 answer NetEase expects from the app. With no argument it accepts (`{"errCode":0,
 * "responseCode":200}`), which also suits message copies (their body is ignored).
 *
 * @example
 * ```ts
 * return neteaseCallbackReply(); // accept
 * return neteaseCallbackReply({ errCode: 1, responseCode: 20000 }); // reject a message in a pre-check
 * ```
 */
export function neteaseCallbackReply(reply: NeteaseCallbackReply = {}): Response {
  const body = { errCode: reply.errCode ?? 0, responseCode: reply.responseCode ?? 200 } as Record<
    string,
    unknown
  >;
  if (reply.modifyResponse !== undefined) body.modifyResponse = reply.modifyResponse;
  if (reply.callbackExt !== undefined) body.callbackExt = reply.callbackExt;
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { "content-type": "application/json;charset=utf-8" },
  });
}
