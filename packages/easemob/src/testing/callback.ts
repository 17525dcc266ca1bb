import { type Clock, ImAuthError, type Secret } from "@imauth/core";
import { assertOptionsObject, keyList, randomHex, readClock } from "@imauth/core/adapter";
import { easemobCallbackSecurity } from "../verify.js";

/** Where a callback is sent when it names no URL. */
export const DEFAULT_CALLBACK_URL = "https://example.com/easemob/callback";

/**
 * A callback as Easemob sends it: its kind, the body fields besides the signed ones, and where it goes. What
 * `emulator.signCallback` and `emulator.sendCallback` take.
 *
 * @example
 * ```ts
 * const callback: EasemobCallback = { kind: "before-send", body: { chat_type: "chat", from: "alice", to: "bob" } };
 * ```
 */
export interface EasemobCallback {
  /**
   * `"post-send"` (default; `eventType` `"chat"` unless the body names one) or `"before-send"` (the app must
   * answer `{ valid }`; `sendCallback` counts `valid: true` as accepted).
   */
  kind?: "post-send" | "before-send";
  /** Body fields besides `callId`, `timestamp`, `securityVersion` and `security` (which are always set). */
  body?: Record<string, unknown>;
  /** The callback's ID. Default `{appkey}_{uuid}` with a random UUID. */
  callId?: string;
  /** Write `timestamp` as a JSON string instead of a number. Default false. */
  timestampAsString?: boolean;
  /** The application's callback URL (absolute). Default `https://example.com/easemob/callback`. */
  url?: string;
}

/**
 * Options of {@link signEasemobCallback}: a {@link EasemobCallback} and who signs it.
 *
 * @example
 * ```ts
 * const options: SignEasemobCallbackOptions = { appKey: "org#app", secret: "callback-secret", body: { from: "alice" } };
 * ```
 */
export interface SignEasemobCallbackOptions extends EasemobCallback {
  /** The AppKey (`org#app`) the default `callId` starts with. */
  appKey: string;
  /** The callback rule's Secret. */
  secret: string | Secret;
  /** When the callback is signed (epoch ms, the body's `timestamp`). Default `Date.now`. */
  clock?: Clock;
}

const SIGNED: ReadonlySet<string> = new Set(["callId", "timestamp", "securityVersion", "security"]);

function uuid(): string {
  const h = randomHex(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Builds a callback the way Easemob sends it: a POST `Request` to the absolute callback URL with a JSON body
 * `{ callId, [eventType], timestamp, ...body, securityVersion: "1.0.0", security }`, where `security` is
 * MD5(callId + secret + timestamp). For tests of callback handlers; the emulator's `signCallback` uses it.
 *
 * @example
 * ```ts
 * import { signEasemobCallback } from "@imauth/easemob/testing";
 *
 * const request = signEasemobCallback({ appKey: "org#app", secret: "callback-secret", body: { from: "alice", to: "bob" } });
 * const response = await app.fetch(request);
 * ```
 */
export function signEasemobCallback(options: SignEasemobCallbackOptions): Request {
  assertOptionsObject(options, "signEasemobCallback options", "ERR_INVALID_INPUT");
  const [secret] = keyList(options.secret, "secret", { code: "ERR_INVALID_INPUT" });
  if (typeof options.appKey !== "string" || !/^[^#\s]+#[^#\s]+$/.test(options.appKey)) {
    throw new ImAuthError("ERR_INVALID_INPUT", "appKey must be org#app");
  }
  const { body = {}, kind = "post-send" } = options;
  assertOptionsObject(body, "body");
  const callId = options.callId ?? `${options.appKey}_${uuid()}`;
  const timestampMs = Math.floor(readClock(options.clock));
  const timestamp = options.timestampAsString ? String(timestampMs) : timestampMs;
  const fields: Record<string, unknown> = { callId };
  if (kind === "post-send" && body.eventType === undefined) fields.eventType = "chat";
  fields.timestamp = timestamp;
  for (const [k, v] of Object.entries(body)) if (!SIGNED.has(k)) fields[k] = v;
  fields.securityVersion = "1.0.0";
  fields.security = easemobCallbackSecurity(callId, secret!, timestampMs);
  return new Request(callbackUrl(options.url), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(fields),
  });
}

function callbackUrl(url: unknown): URL {
  try {
    return new URL(url === undefined ? DEFAULT_CALLBACK_URL : String(url));
  } catch {
    throw new ImAuthError("ERR_INVALID_INPUT", "url must be an absolute URL");
  }
}
