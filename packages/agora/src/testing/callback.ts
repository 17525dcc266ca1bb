import { type Clock, ImAuthError, type Secret } from "@imauth/core";
import { keyList, randomHex, readClock, utf8Encode } from "@imauth/core/adapter";
import { ncsSignatures } from "../webhook.js";

/**
 * A Notification Center callback to sign: a ready body (sent byte for byte), or the fields of one
 * (`notifyMs` comes from the clock, `noticeId` is random unless given).
 *
 * @example
 * ```ts
 * const callback: AgoraCallback = { productId: 1, eventType: 103, payload: { channelName: "room-1", uid: 42 } };
 * ```
 */
export interface AgoraCallback {
  /** The whole raw body; when given, the fields below are ignored. */
  body?: string;
  /** The notification ID (NCS sends a retry with the same one). Default: random. */
  noticeId?: string;
  /** The product (1 RTC channel events, 3 cloud recording...). Default 1. */
  productId?: number;
  /** The event type (e.g. 101 channel created, 103 broadcaster joined). Default 1. */
  eventType?: number;
  /** The event's own fields. Default `{}`. */
  payload?: Record<string, unknown>;
  /** Where the callback is sent. Default `https://app.example/agora/ncs`. */
  url?: string;
}

/**
 * Options of {@link signAgoraCallback}: the callback, the NCS secret and the clock.
 *
 * @example
 * ```ts
 * const options: SignAgoraCallbackOptions = { secret, eventType: 101, payload: { channelName: "room-1" } };
 * ```
 */
export interface SignAgoraCallbackOptions extends AgoraCallback {
  /** The NCS secret (the first of a list signs). */
  secret: string | Secret;
  /** Source of `notifyMs` (epoch milliseconds). Default `Date.now`. */
  clock?: Clock;
}

/**
 * Signs a callback as Agora's Notification Center does: a POST with a JSON body
 * (`{noticeId, productId, eventType, notifyMs, payload}`) and the headers `Agora-Signature-V2`
 * (HMAC-SHA256 hex) and `Agora-Signature` (HMAC-SHA1 hex) of the body with the NCS secret.
 *
 * @example
 * ```ts
 * import { signAgoraCallback } from "@imauth/agora/testing";
 *
 * const request = signAgoraCallback({ secret: "ncs-secret", eventType: 103, payload: { channelName: "room-1" } });
 * await verifyAgoraCallback(request, { secret: "ncs-secret" });
 * ```
 */
export function signAgoraCallback(options: SignAgoraCallbackOptions): Request {
  if (typeof options !== "object" || options === null) {
    throw new ImAuthError("ERR_INVALID_INPUT", "signAgoraCallback options must be an object");
  }
  const [secret] = keyList(options.secret, "secret");
  const body = options.body ?? ncsBody(options, readClock(options.clock));
  if (typeof body !== "string") throw new ImAuthError("ERR_INVALID_INPUT", "body must be a string");
  const { v1, v2 } = ncsSignatures(secret!, utf8Encode(body));
  return new Request(options.url ?? "https://app.example/agora/ncs", {
    method: "POST",
    headers: { "Content-Type": "application/json", "Agora-Signature": v1, "Agora-Signature-V2": v2 },
    body,
  });
}

function ncsBody(c: AgoraCallback, nowMs: number): string {
  const noticeId =
    c.noticeId ?? `${randomHex(4)}-${randomHex(2)}-${randomHex(2)}-${randomHex(2)}-${randomHex(6)}`;
  return JSON.stringify({
    noticeId,
    productId: c.productId ?? 1,
    eventType: c.eventType ?? 1,
    notifyMs: Math.floor(nowMs),
    payload: c.payload ?? {},
  });
}
