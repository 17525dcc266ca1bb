import { type Clock, ImAuthError, type RawWebhook, type VerifiedWebhook } from "@imauth/core";
import {
  anyKeyMatches,
  assertInteger,
  assertOptionsObject,
  base64Encode,
  constantTimeEqual,
  DEFAULT_MAX_WEBHOOK_BYTES,
  isWellFormed,
  type KeyInput,
  keyList,
  readClock,
  readWebhook,
  utf8Decode,
  utf8Encode,
} from "@imauth/core/adapter";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { U32_MAX } from "./usersig.js";

/**
 * Default largest accepted |CallbackTs - now| of a TRTC event callback, in seconds. TRTC retries a failed
 * callback for up to one minute after the first try; five minutes leave room for that and for clock skew.
 */
export const DEFAULT_TRTC_WEBHOOK_MAX_SKEW_SECONDS = 300;

/** Longest TRTC callback key: the console allows at most 32 letters and digits. */
export const MAX_TRTC_CALLBACK_KEY_LENGTH = 32;

/**
 * @internal A TRTC callback's `Sign` header: standard padded base64 of HMAC-SHA256 keyed with the callback
 * key's UTF-8 bytes over the raw body bytes. `signTrtcCallback` (in `@imauth/tencent/testing`) uses it.
 */
export function trtcCallbackSignature(callbackKey: string, body: Uint8Array): string {
  return base64Encode(hmac(sha256, utf8Encode(callbackKey), body));
}

/**
 * @internal The callback key(s): one key or `[current, ...previous]`, each 1 to 32 characters
 * (`ERR_INVALID_CONFIG`).
 */
export function readTrtcCallbackKeys(value: unknown): readonly string[] {
  return keyList(value, "callbackKey", { maxLength: MAX_TRTC_CALLBACK_KEY_LENGTH });
}

/**
 * Options of {@link verifyTrtcCallback}.
 *
 * @example
 * ```ts
 * const options: VerifyTrtcCallbackOptions = { callbackKey: process.env.TRTC_CALLBACK_KEY!, sdkAppId: 1400000000 };
 * ```
 */
export interface VerifyTrtcCallbackOptions {
  /**
   * The callback key set in the TRTC console (at most 32 letters and digits), or `[current, ...previous]`
   * while the key is being changed: a callback signed with any of them is accepted.
   */
  callbackKey: KeyInput;
  /** When given, the `SdkAppId` header must name it. */
  sdkAppId?: number;
  /**
   * Largest accepted |CallbackTs - now|, in seconds (1 to 86400). Default 300
   * ({@link DEFAULT_TRTC_WEBHOOK_MAX_SKEW_SECONDS}).
   */
  webhookMaxSkewSeconds?: number;
  /** Source of the current time (epoch ms). Default `Date.now`. */
  clock?: Clock;
  /** Largest accepted body, in bytes. Default 4 MiB. */
  maxBodyBytes?: number;
  /** The `vendor` of the result. Default `"tencent"`. */
  vendor?: string;
}

interface TrtcChecks {
  keys: readonly string[];
  sdkAppId: number | undefined;
  maxSkewSeconds: number;
  clock: Clock | undefined;
  maxBodyBytes: number;
  vendor: string;
}

function readChecks(options: VerifyTrtcCallbackOptions): TrtcChecks {
  assertOptionsObject(options, "verifyTrtcCallback options", "ERR_INVALID_CONFIG");
  const { sdkAppId, clock, vendor = "tencent", maxBodyBytes = DEFAULT_MAX_WEBHOOK_BYTES } = options;
  const keys = readTrtcCallbackKeys(options.callbackKey);
  if (sdkAppId !== undefined) {
    assertInteger(sdkAppId, "sdkAppId", { min: 1, max: U32_MAX, code: "ERR_INVALID_CONFIG" });
  }
  const maxSkewSeconds = options.webhookMaxSkewSeconds ?? DEFAULT_TRTC_WEBHOOK_MAX_SKEW_SECONDS;
  assertInteger(maxSkewSeconds, "webhookMaxSkewSeconds", { min: 1, max: 86_400, code: "ERR_INVALID_CONFIG" });
  assertInteger(maxBodyBytes, "maxBodyBytes", { min: 1, max: 64 * 1024 * 1024, code: "ERR_INVALID_CONFIG" });
  if (clock !== undefined && typeof clock !== "function") {
    throw new ImAuthError("ERR_INVALID_CONFIG", "clock must be a function");
  }
  return { keys, sdkAppId, maxSkewSeconds, clock, maxBodyBytes, vendor };
}

const invalid = (message: string): ImAuthError => new ImAuthError("ERR_WEBHOOK_INVALID", message);

// Standard padded base64 of 32 bytes: what Java's Base64 encoder (the documented sample) writes.
const SIGN_FORMAT = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Verifies a TRTC event callback (room and media events, cloud recording, CDN relay): the `Sign` header must
 * be base64(HMAC-SHA256(callback key, raw body)), compared in constant time against every given key; the
 * `SdkAppId` header must be `sdkAppId` when given; and the body's `CallbackTs` (epoch ms) must be within
 * `webhookMaxSkewSeconds` of now. `CallbackTs` is inside the signed body, so the window is real replay
 * protection. Pass the body exactly as received: TRTC sends pretty-printed JSON, and a re-serialised body
 * has another signature. Returns the `EventType` as `event` and the parsed body as `payload`, with
 * `eventGroupId`, `eventType` and `callbackTs` in `details`. Throws `ImAuthError` `ERR_WEBHOOK_INVALID` or
 * `ERR_WEBHOOK_EXPIRED` (bad options: `ERR_INVALID_CONFIG`). Answer with HTTP 200; TRTC ignores the body
 * ({@link trtcCallbackResponse} sends the `{"code":0}` it suggests).
 *
 * @example
 * ```ts
 * import { trtcCallbackResponse, verifyTrtcCallback } from "@imauth/tencent";
 *
 * export async function POST(request: Request) {
 *   const event = await verifyTrtcCallback(request, { callbackKey: process.env.TRTC_CALLBACK_KEY!, sdkAppId: 1400000000 });
 *   if (event.event === "104") console.log("left the room", event.payload);
 *   return trtcCallbackResponse();
 * }
 * ```
 */
export async function verifyTrtcCallback(
  input: Request | RawWebhook,
  options: VerifyTrtcCallbackOptions,
): Promise<VerifiedWebhook> {
  const checks = readChecks(options);
  const rawString = (input as Partial<RawWebhook> | null)?.body;
  // A string with a lone surrogate cannot be the body received: UTF-8 decoding never yields one.
  if (typeof rawString === "string" && !isWellFormed(rawString)) {
    throw invalid("callback body is a string that is not well-formed UTF-16 (pass the raw bytes)");
  }
  const { headers, body } = await readWebhook(input, checks.maxBodyBytes);
  const sign = headers.get("Sign")?.trim();
  if (!sign) throw invalid("TRTC callback has no Sign header: set a callback key in the TRTC console");
  if (!SIGN_FORMAT.test(sign)) throw invalid("TRTC callback Sign header is not base64 of 32 bytes");
  const appId = headers.get("SdkAppId")?.trim() || undefined;
  if (checks.sdkAppId !== undefined) {
    if (appId === undefined) throw invalid("TRTC callback has no SdkAppId header");
    if (!/^[0-9]{1,10}$/.test(appId) || Number(appId) !== checks.sdkAppId) {
      throw invalid("TRTC callback SdkAppId does not match this application's SDKAppID");
    }
  }
  // The base64 text is compared, not its bytes: a lenient decoder would let the last character's unused
  // bits change and still match.
  if (!anyKeyMatches(checks.keys, (key) => constantTimeEqual(trtcCallbackSignature(key, body), sign))) {
    throw invalid("TRTC callback Sign does not match (wrong callback key, or the body was changed)");
  }
  const { rawBody, payload } = parseBody(body);
  const callbackTs = payload.CallbackTs;
  if (typeof callbackTs !== "number" || !Number.isSafeInteger(callbackTs) || callbackTs < 0) {
    throw invalid("TRTC callback body has no CallbackTs (epoch milliseconds)");
  }
  const skewMs = readClock(checks.clock) - callbackTs;
  if (Math.abs(skewMs) > checks.maxSkewSeconds * 1000) {
    throw new ImAuthError(
      "ERR_WEBHOOK_EXPIRED",
      `TRTC callback CallbackTs is ${Math.round(skewMs / 1000)} s from now (more than ${checks.maxSkewSeconds} s)`,
    );
  }
  const details: Record<string, string> = { callbackTs: String(callbackTs) };
  for (const name of ["EventGroupId", "EventType"] as const) {
    const value = payload[name];
    if (typeof value === "number" || typeof value === "string") {
      details[name === "EventType" ? "eventType" : "eventGroupId"] = String(value);
    }
  }
  const verified: VerifiedWebhook = {
    vendor: checks.vendor,
    receivedAt: new Date(callbackTs),
    payload,
    rawBody,
    details,
  };
  if (appId !== undefined) verified.appId = appId;
  if (details.eventType !== undefined) verified.event = details.eventType;
  return verified;
}

function parseBody(body: Uint8Array): { rawBody: string; payload: Record<string, unknown> } {
  let rawBody: string;
  let payload: unknown;
  try {
    rawBody = utf8Decode(body);
    payload = JSON.parse(rawBody);
  } catch (cause) {
    throw new ImAuthError("ERR_WEBHOOK_INVALID", "TRTC callback body is not UTF-8 JSON", { cause });
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw invalid("TRTC callback body is not a JSON object");
  }
  return { rawBody, payload: payload as Record<string, unknown> };
}

/**
 * @internal Whether a callback is a TRTC event callback rather than an IM one: it has a `Sign` header and no
 * `Sign` query parameter. IM callbacks sign the URL (`?...&RequestTime=...&Sign=...`); TRTC callbacks sign the
 * body and put the signature in a header. The provider's `verifyWebhook` dispatches on this.
 */
export function isTrtcCallback(input: Request | RawWebhook): boolean {
  if (typeof input !== "object" || input === null) return false;
  const raw = input as Partial<RawWebhook>;
  try {
    const url = new URL(String(raw.url), "http://localhost");
    for (const name of url.searchParams.keys()) if (name.toLowerCase() === "sign") return false;
  } catch {
    return false;
  }
  const headers = raw.headers;
  if (typeof Headers !== "undefined" && headers instanceof Headers) return headers.has("Sign");
  if (typeof headers !== "object" || headers === null) return false;
  return Object.keys(headers).some((name) => name.toLowerCase() === "sign");
}

/**
 * The answer to a TRTC event callback: HTTP 200 with `{"code":0}`. TRTC only looks at the status and
 * suggests this body.
 *
 * @example
 * ```ts
 * export async function POST(request: Request) {
 *   await provider.verifyWebhook(request);
 *   return trtcCallbackResponse();
 * }
 * ```
 */
export function trtcCallbackResponse(): Response {
  return new Response('{"code":0}', {
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}
