import { type Clock, ImAuthError, type RawWebhook, type VerifiedWebhook } from "@imauth/core";
import {
  anyKeyMatches,
  assertInteger,
  assertOptionsObject,
  constantTimeEqual,
  hexEncode,
  isWellFormed,
  type KeyInput,
  readClock,
  readWebhook,
  sha1Hex,
  utf8Decode,
} from "@imauth/core/adapter";
import { md5 } from "@noble/hashes/legacy.js";
import { assertHeaderValue } from "./checksum.js";
import { readSecretList } from "./verify.js";

/** Default largest accepted |CurTime - now| of a callback, in seconds (5 minutes, NetEase's CheckSum window). */
export const DEFAULT_WEBHOOK_MAX_SKEW_SECONDS = 300;

/**
 * Options of {@link verifyNeteaseCallback}.
 *
 * @example
 * ```ts
 * const options: VerifyNeteaseCallbackOptions = { appKey, appSecret, webhookMaxSkewSeconds: 60 };
 * const event = await verifyNeteaseCallback(request, options);
 * ```
 */
export interface VerifyNeteaseCallbackOptions {
  /**
   * The application's AppKey: when given, the callback's `AppKey` header must equal it. Optional so that a
   * callback whose AppKey header was dropped on the way (by a proxy) can still be checked by its CheckSum,
   * which the AppSecret already ties to the app; the provider always passes its own.
   */
  appKey?: string;
  /**
   * The application's AppSecret, or `[current, ...previous]` while it is being changed: a callback signed
   * with any of them is accepted.
   */
  appSecret: KeyInput;
  /** Largest accepted |CurTime - now|, in seconds (1 to 86400). Default 300 ({@link DEFAULT_WEBHOOK_MAX_SKEW_SECONDS}). */
  webhookMaxSkewSeconds?: number;
  /** Source of the current time (epoch milliseconds). Default `Date.now`. */
  clock?: Clock;
}

/**
 * @internal The `CheckSum` NetEase puts on callbacks and message copies: lowercase hex SHA-1 of
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
 * @internal Lowercase hex MD5 of the raw body bytes, as NetEase's `MD5` callback header carries it.
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
  appSecrets: readonly string[];
  appKey: string | undefined;
  clock: Clock | undefined;
  maxSkewSeconds: number;
}

function callbackOptions(options: VerifyNeteaseCallbackOptions): CallbackChecks {
  assertOptionsObject(options, "verifyNeteaseCallback options", "ERR_INVALID_CONFIG");
  const { appKey, clock, webhookMaxSkewSeconds = DEFAULT_WEBHOOK_MAX_SKEW_SECONDS } = options;
  const appSecrets = readSecretList(options.appSecret, "appSecret");
  // Compared with a header value: one that no header can carry would refuse every callback.
  if (appKey !== undefined) assertHeaderValue(appKey, "appKey", "ERR_INVALID_CONFIG");
  assertInteger(webhookMaxSkewSeconds, "webhookMaxSkewSeconds", {
    min: 1,
    max: 86_400,
    code: "ERR_INVALID_CONFIG",
  });
  if (clock !== undefined && typeof clock !== "function") {
    throw new ImAuthError("ERR_INVALID_CONFIG", "clock must be a function");
  }
  return { appSecrets, appKey, clock, maxSkewSeconds: webhookMaxSkewSeconds };
}

/**
 * Verifies a callback or message copy sent by NetEase to the app: the `MD5` header must be the MD5 of the
 * raw body bytes, `CheckSum` must be SHA-1(AppSecret + MD5 + CurTime) (compared in constant time), `CurTime`
 * (milliseconds) must be within `webhookMaxSkewSeconds` of the clock, and `AppKey` must be `appKey` when it is given.
 * Header names are matched case-insensitively. Pass the body exactly as received: a re-serialised JSON body
 * has another MD5. Throws `ImAuthError` `ERR_WEBHOOK_INVALID` or `ERR_WEBHOOK_EXPIRED`. Answer the callback
 * with HTTP 200 ({@link neteaseCallbackResponse}, or {@link neteaseCallbackReply} for the body alone).
 *
 * @example
 * ```ts
 * import { neteaseCallbackResponse, verifyNeteaseCallback } from "@imauth/netease";
 *
 * export async function POST(request: Request) {
 *   const event = await verifyNeteaseCallback(request, { appKey, appSecret });
 *   console.log(event.event, event.payload); // eventType and the parsed body
 *   return neteaseCallbackResponse();
 * }
 * ```
 */
export async function verifyNeteaseCallback(
  input: Request | RawWebhook,
  options: VerifyNeteaseCallbackOptions,
): Promise<VerifiedWebhook> {
  const { appSecrets, appKey, clock, maxSkewSeconds } = callbackOptions(options);
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
  const matches = (appSecret: string) =>
    constantTimeEqual(callbackCheckSum(appSecret, md5Header, curTime), checkSumHeader);
  if (!anyKeyMatches(appSecrets, matches)) {
    throw invalid("callback CheckSum does not match (wrong AppSecret?)");
  }
  if (appKey !== undefined && appKeyHeader !== appKey) {
    throw invalid(
      appKeyHeader === undefined ? "callback has no AppKey header" : "callback is for another AppKey",
    );
  }
  const curTimeMs = Number(curTime);
  if (Math.abs(readClock(clock) - curTimeMs) > maxSkewSeconds * 1000) {
    throw new ImAuthError(
      "ERR_WEBHOOK_EXPIRED",
      `callback CurTime is more than ${maxSkewSeconds} s away from the clock`,
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
 * The body NetEase expects from a callback handler: `errCode` 0 lets the message or operation through, 1
 * rejects it (third-party pre-checks); message copies only need HTTP 200.
 *
 * @example
 * ```ts
 * const reply: NeteaseCallbackReply = { errCode: 0, responseCode: 200 };
 * ```
 */
export interface NeteaseCallbackReply {
  /** 0 lets the message or operation through, 1 rejects it. */
  errCode: 0 | 1;
  /** A custom result code for the sender (20000 to 20099), or 200. */
  responseCode: number;
  /** Replacement message fields (third-party message callbacks), as NetEase documents them. */
  modifyResponse?: Record<string, unknown>;
  /** Extra text returned to the sender. */
  callbackExt?: string;
}

/**
 * Options of {@link neteaseCallbackReply} and {@link neteaseCallbackResponse}.
 *
 * @example
 * ```ts
 * const options: NeteaseCallbackReplyOptions = { errCode: 1, responseCode: 20000 };
 * return neteaseCallbackResponse(options);
 * ```
 */
export interface NeteaseCallbackReplyOptions {
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
 * The reply body of a callback handler, as a plain object (for frameworks that serialise it themselves):
 * `{"errCode":0,"responseCode":200}` by default, which also suits message copies (their body is ignored).
 * {@link neteaseCallbackResponse} gives the same as a Fetch `Response`.
 *
 * @example
 * ```ts
 * neteaseCallbackReply(); // { errCode: 0, responseCode: 200 }: accept
 * neteaseCallbackReply({ errCode: 1, responseCode: 20000 }); // reject a message in a pre-check
 * ```
 */
export function neteaseCallbackReply(options: NeteaseCallbackReplyOptions = {}): NeteaseCallbackReply {
  assertOptionsObject(options as unknown, "neteaseCallbackReply options");
  const { errCode = 0, responseCode = 200, modifyResponse, callbackExt } = options;
  if (errCode !== 0 && errCode !== 1) throw new ImAuthError("ERR_INVALID_INPUT", "errCode must be 0 or 1");
  assertInteger(responseCode, "responseCode", { min: 0, max: 999_999 });
  if (modifyResponse !== undefined) assertOptionsObject(modifyResponse, "modifyResponse");
  if (callbackExt !== undefined && typeof callbackExt !== "string") {
    throw new ImAuthError("ERR_INVALID_INPUT", "callbackExt must be a string");
  }
  const reply: NeteaseCallbackReply = { errCode, responseCode };
  if (modifyResponse !== undefined) reply.modifyResponse = modifyResponse;
  if (callbackExt !== undefined) reply.callbackExt = callbackExt;
  return reply;
}

/**
 * {@link neteaseCallbackReply} as a Fetch `Response` (HTTP 200, JSON): the answer NetEase expects, for
 * handlers on Workers, Deno, Bun, Hono or Next.js route handlers.
 *
 * @example
 * ```ts
 * export async function POST(request: Request) {
 *   await provider.verifyWebhook(request);
 *   return neteaseCallbackResponse(); // HTTP 200 {"errCode":0,"responseCode":200}
 * }
 * ```
 */
export function neteaseCallbackResponse(options: NeteaseCallbackReplyOptions = {}): Response {
  return new Response(JSON.stringify(neteaseCallbackReply(options)), {
    status: 200,
    headers: { "content-type": "application/json;charset=utf-8" },
  });
}
