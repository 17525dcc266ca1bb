import { type Clock, ImAuthError, type RawWebhook, type VerifiedWebhook } from "@imauth/core";
import {
  anyKeyMatches,
  assertInteger,
  assertOptionsObject,
  constantTimeEqual,
  hexEncode,
  isWellFormed,
  type KeyInput,
  keyList,
  readClock,
  readWebhook,
  utf8Decode,
  utf8Encode,
} from "@imauth/core/adapter";
import { hmac } from "@noble/hashes/hmac.js";
import { sha1 } from "@noble/hashes/legacy.js";
import { hmacSha256 } from "./sha256.js";

// Agora's Notification Center (NCS) signs each callback body twice with the NCS secret of the project:
//   Agora-Signature-V2 = lowercase hex HMAC-SHA256(secret, raw body)
//   Agora-Signature    = lowercase hex HMAC-SHA1(secret, raw body)   (the older header)
// The body is JSON: noticeId, productId, eventType, notifyMs (epoch ms, inside the signed body) and payload.

/**
 * Default largest accepted |notifyMs - now| of a callback, in seconds (5 minutes).
 *
 * @example
 * ```ts
 * await verifyAgoraCallback(request, { secret, webhookMaxSkewSeconds: 2 * DEFAULT_WEBHOOK_MAX_SKEW_SECONDS });
 * ```
 */
export const DEFAULT_WEBHOOK_MAX_SKEW_SECONDS = 300;

/**
 * Options of {@link verifyAgoraCallback}.
 *
 * @example
 * ```ts
 * const options: VerifyAgoraCallbackOptions = { secret: [current, previous], webhookMaxSkewSeconds: 600 };
 * ```
 */
export interface VerifyAgoraCallbackOptions {
  /** The NCS secret of the project, or `[current, ...previous]` while it is being changed. */
  secret: KeyInput;
  /** Largest accepted |notifyMs - now|, in seconds (1 to 86400). Default 300. */
  webhookMaxSkewSeconds?: number;
  /**
   * Accept a callback that carries only the SHA-1 `Agora-Signature` header (older set-ups). Default false:
   * `Agora-Signature-V2` (HMAC-SHA256) is required.
   */
  acceptSha1Signature?: boolean;
  /** Source of the current time (epoch milliseconds). Default `Date.now`. */
  clock?: Clock;
}

/**
 * @internal The two NCS signatures of a body, lowercase hex: `v2` (HMAC-SHA256) and `v1` (HMAC-SHA1).
 *
 * @example
 * ```ts
 * ncsSignatures("secret", utf8Encode(body)).v2; // the Agora-Signature-V2 header
 * ```
 */
export function ncsSignatures(secret: string, body: Uint8Array): { v1: string; v2: string } {
  return { v1: ncsSignature("v1", secret, body), v2: ncsSignature("v2", secret, body) };
}

/** One of the two NCS signatures: the verifier computes only the version it checks. */
function ncsSignature(version: "v1" | "v2", secret: string, body: Uint8Array): string {
  const key = utf8Encode(secret);
  return hexEncode(version === "v2" ? hmacSha256(key, body) : hmac(sha1, key, body));
}

function invalid(message: string): ImAuthError {
  return new ImAuthError("ERR_WEBHOOK_INVALID", message);
}

interface CallbackChecks {
  secrets: readonly string[];
  maxSkewMs: number;
  acceptSha1: boolean;
  clock: Clock | undefined;
}

function callbackOptions(options: VerifyAgoraCallbackOptions): CallbackChecks {
  assertOptionsObject(options, "verifyAgoraCallback options", "ERR_INVALID_CONFIG");
  const {
    clock,
    webhookMaxSkewSeconds = DEFAULT_WEBHOOK_MAX_SKEW_SECONDS,
    acceptSha1Signature = false,
  } = options;
  const secrets = keyList(options.secret, "secret");
  assertInteger(webhookMaxSkewSeconds, "webhookMaxSkewSeconds", { max: 86_400, code: "ERR_INVALID_CONFIG" });
  if (typeof acceptSha1Signature !== "boolean") {
    throw new ImAuthError("ERR_INVALID_CONFIG", "acceptSha1Signature must be a boolean");
  }
  if (clock !== undefined && typeof clock !== "function") {
    throw new ImAuthError("ERR_INVALID_CONFIG", "clock must be a function");
  }
  return { secrets, maxSkewMs: webhookMaxSkewSeconds * 1000, acceptSha1: acceptSha1Signature, clock };
}

/** Checks the signature headers; returns which one authenticated the body. */
function checkSignature(headers: Headers, body: Uint8Array, c: CallbackChecks): "v1" | "v2" {
  const v2 = headers.get("Agora-Signature-V2")?.trim().toLowerCase();
  const v1 = headers.get("Agora-Signature")?.trim().toLowerCase();
  // V2 present is V2 required: a wrong V2 never falls back to the weaker V1.
  const version = v2 ? "v2" : v1 && c.acceptSha1 ? "v1" : undefined;
  if (version === undefined) {
    throw invalid(
      v1
        ? "callback carries only the SHA-1 Agora-Signature (set acceptSha1Signature to accept it)"
        : "callback has no Agora-Signature-V2 header",
    );
  }
  const received = version === "v2" ? v2! : v1!;
  if (!(version === "v2" ? /^[0-9a-f]{64}$/ : /^[0-9a-f]{40}$/).test(received)) {
    throw invalid(
      `callback ${version === "v2" ? "Agora-Signature-V2" : "Agora-Signature"} is not hex of the right length`,
    );
  }
  const matches = (secret: string) => constantTimeEqual(ncsSignature(version, secret, body), received);
  if (!anyKeyMatches(c.secrets, matches))
    throw invalid("callback signature does not match (wrong NCS secret?)");
  return version;
}

/**
 * When the callback was sent: `notifyMs` of the signed body. Every Notification Center event carries it; a body
 * without it is refused rather than dated by something the signature does not cover (an HTTP `Date` header
 * would let a captured callback be replayed with a fresh date).
 */
function sentAtMs(payload: unknown): number {
  const notifyMs = (payload as { notifyMs?: unknown } | null)?.notifyMs;
  if (notifyMs === undefined) throw invalid("callback has no notifyMs");
  const ms = typeof notifyMs === "string" && /^\d{1,15}$/.test(notifyMs) ? Number(notifyMs) : notifyMs;
  if (typeof ms !== "number" || !Number.isSafeInteger(ms) || ms < 0) {
    throw invalid("callback notifyMs is not epoch milliseconds");
  }
  return ms;
}

function field(payload: unknown, name: string): string | undefined {
  const value =
    typeof payload === "object" && payload !== null ? (payload as Record<string, unknown>)[name] : undefined;
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

/**
 * Verifies a callback of Agora's Notification Center (NCS): `Agora-Signature-V2` must be the HMAC-SHA256 of the
 * raw body with the NCS secret (compared in constant time, every secret of a list tried); the SHA-1
 * `Agora-Signature` is accepted only with `acceptSha1Signature` and only when no V2 header is present. Then
 * `notifyMs` must be within `webhookMaxSkewSeconds` of the clock. NCS retries an unanswered notification with
 * the same `noticeId`: the result's `details.noticeId` is there to drop duplicates. Pass the body exactly as
 * received. Throws `ImAuthError` `ERR_WEBHOOK_INVALID` or `ERR_WEBHOOK_EXPIRED`; answer with HTTP 200
 * ({@link agoraCallbackResponse}).
 *
 * @example
 * ```ts
 * import { agoraCallbackResponse, verifyAgoraCallback } from "@imauth/agora";
 *
 * export async function POST(request: Request) {
 *   const event = await verifyAgoraCallback(request, { secret: process.env.AGORA_NCS_SECRET! });
 *   console.log(event.event, event.details.noticeId, event.payload);
 *   return agoraCallbackResponse();
 * }
 * ```
 */
export async function verifyAgoraCallback(
  input: Request | RawWebhook,
  options: VerifyAgoraCallbackOptions,
): Promise<VerifiedWebhook> {
  const checks = callbackOptions(options);
  const rawString = (input as Partial<RawWebhook> | null)?.body;
  if (typeof rawString === "string" && !isWellFormed(rawString)) {
    throw invalid("callback body is a string that is not well-formed UTF-16 (pass the raw bytes)");
  }
  const { headers, body } = await readWebhook(input);
  const version = checkSignature(headers, body, checks);
  const rawBody = utf8Decode(body, false);
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    payload = undefined;
  }
  const notifyMs = sentAtMs(payload);
  if (Math.abs(readClock(checks.clock) - notifyMs) > checks.maxSkewMs) {
    throw new ImAuthError(
      "ERR_WEBHOOK_EXPIRED",
      `callback notifyMs is more than ${checks.maxSkewMs / 1000} s away from the clock`,
    );
  }
  const details: Record<string, string> = { signature: version };
  for (const name of ["noticeId", "productId", "eventType"]) {
    const value = field(payload, name);
    if (value !== undefined) details[name] = value;
  }
  const verified: VerifiedWebhook = {
    vendor: "agora",
    receivedAt: new Date(notifyMs),
    payload,
    rawBody,
    details,
  };
  if (details.eventType !== undefined) verified.event = details.eventType;
  return verified;
}

/**
 * The body an NCS callback handler answers with, as a plain object (`{}` unless fields are given): NCS
 * needs only HTTP 200 within its timeout, and takes any JSON body.
 *
 * @example
 * ```ts
 * agoraCallbackReply(); // {}
 * ```
 */
export function agoraCallbackReply(fields: Record<string, unknown> = {}): Record<string, unknown> {
  assertOptionsObject(fields, "agoraCallbackReply fields");
  return { ...fields };
}

/**
 * {@link agoraCallbackReply} as a Fetch `Response`: HTTP 200 with a JSON body, what NCS expects.
 *
 * @example
 * ```ts
 * export async function POST(request: Request) {
 *   await provider.verifyWebhook(request);
 *   return agoraCallbackResponse();
 * }
 * ```
 */
export function agoraCallbackResponse(fields: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify(agoraCallbackReply(fields)), {
    status: 200,
    headers: { "content-type": "application/json;charset=utf-8" },
  });
}
