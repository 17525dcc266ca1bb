import { type Clock, ImAuthError, type RawWebhook, type VerifiedWebhook } from "@imauth/core";
import {
  anyKeyMatches,
  assertOptionsObject,
  constantTimeEqual,
  isWellFormed,
  type KeyInput,
  readClock,
  readWebhook,
  sha1Hex,
  utf8Decode,
} from "@imauth/core/adapter";
import { readEpochMs, readMaxSkew, readSecretList } from "./verify.js";

/** Default largest accepted |signTimestamp - now| of a callback, in seconds (5 minutes). */
export const DEFAULT_WEBHOOK_MAX_SKEW_SECONDS = 300;

/**
 * The query parameter names RongCloud signs callbacks with: the current `nonce`, `signTimestamp` (ms) and
 * `signature`, and the older `rc-nonce`, `rc-timestamp` (seconds in the older documents) and `rc-signature`.
 */
const PARAMETER_SETS = [
  { nonce: "nonce", timestamp: "signTimestamp", signature: "signature" },
  { nonce: "rc-nonce", timestamp: "rc-timestamp", signature: "rc-signature" },
] as const;

/**
 * Options of {@link verifyRongCloudCallback}.
 *
 * @example
 * ```ts
 * const options: VerifyRongCloudCallbackOptions = { appSecret, webhookMaxSkewSeconds: 60 };
 * const event = await verifyRongCloudCallback(request, options);
 * ```
 */
export interface VerifyRongCloudCallbackOptions {
  /**
   * The App Secret, or `[current, ...previous]` while it is being changed: a callback signed with any of them
   * is accepted.
   */
  appSecret: KeyInput;
  /** Largest accepted |signTimestamp - now|, in seconds (1 to 86400). Default 300. */
  webhookMaxSkewSeconds?: number;
  /** Source of the current time (epoch milliseconds). Default `Date.now`. */
  clock?: Clock;
}

function invalid(message: string): ImAuthError {
  return new ImAuthError("ERR_WEBHOOK_INVALID", message);
}

/** The signed query values of a callback URL, exactly as received (decoded, never re-formatted). */
function signedQuery(url: URL) {
  const params = url.searchParams;
  const names = PARAMETER_SETS.find((set) => params.has(set.signature));
  if (names === undefined) throw invalid("callback URL has no signature query parameter");
  const value = (name: string) => {
    const found = params.get(name);
    if (!found) throw invalid(`callback URL has no ${name} query parameter`);
    return found;
  };
  return {
    nonce: value(names.nonce),
    timestamp: value(names.timestamp),
    signature: value(names.signature).toLowerCase(),
    timestampName: names.timestamp,
  };
}

/** The body as a value: JSON when it parses, form fields for a form body, otherwise undefined. */
function parsePayload(rawBody: string, contentType: string | null): unknown {
  try {
    return JSON.parse(rawBody);
  } catch {
    if (!/^application\/x-www-form-urlencoded/i.test(contentType ?? "")) return undefined;
    return Object.fromEntries(new URLSearchParams(rawBody));
  }
}

/**
 * Verifies a callback RongCloud sends to the app (user status, message routing, message callback service):
 * RongCloud adds `nonce`, `signTimestamp` (milliseconds) and `signature` to the callback URL's query, where
 * `signature` is SHA-1(AppSecret + nonce + signTimestamp). The values are hashed exactly as they appear in the
 * query (numbers are never re-formatted), the signature is compared in constant time with every secret, and
 * `signTimestamp` must be within `webhookMaxSkewSeconds` of the clock. The older names `rc-nonce`,
 * `rc-timestamp` (seconds) and `rc-signature` are accepted too. The body is NOT signed: the signature proves
 * who called and when, so receive callbacks over HTTPS only. Throws `ImAuthError` `ERR_WEBHOOK_INVALID` or
 * `ERR_WEBHOOK_EXPIRED`. The payload is the body parsed as JSON, or the fields of a form body.
 *
 * @example
 * ```ts
 * import { rongCloudCallbackResponse, verifyRongCloudCallback } from "@imauth/rongcloud";
 *
 * export async function POST(request: Request) {
 *   const event = await verifyRongCloudCallback(request, { appSecret });
 *   console.log(event.payload); // the parsed body
 *   return rongCloudCallbackResponse();
 * }
 * ```
 */
export async function verifyRongCloudCallback(
  input: Request | RawWebhook,
  options: VerifyRongCloudCallbackOptions,
): Promise<VerifiedWebhook> {
  assertOptionsObject(options, "verifyRongCloudCallback options", "ERR_INVALID_CONFIG");
  const secrets = readSecretList(options.appSecret, "appSecret");
  const maxSkewSeconds = readMaxSkew(
    options.webhookMaxSkewSeconds,
    "webhookMaxSkewSeconds",
    DEFAULT_WEBHOOK_MAX_SKEW_SECONDS,
  );
  const { clock } = options;
  if (clock !== undefined && typeof clock !== "function") {
    throw new ImAuthError("ERR_INVALID_CONFIG", "clock must be a function");
  }
  const rawString = (input as Partial<RawWebhook> | null)?.body;
  // A string with a lone surrogate cannot be the body received: decoding never yields one.
  if (typeof rawString === "string" && !isWellFormed(rawString)) {
    throw invalid("callback body is a string that is not well-formed UTF-16 (pass the raw bytes)");
  }
  const { url, headers, body } = await readWebhook(input);
  const q = signedQuery(url);
  const epoch = readEpochMs(q.timestamp);
  if (epoch === undefined) throw invalid(`callback ${q.timestampName} is not an epoch in ms or seconds`);
  if (!/^[0-9a-f]{40}$/.test(q.signature)) throw invalid("callback signature is not 40 hex characters");
  if (!isWellFormed(q.nonce)) throw invalid("callback nonce is not well-formed UTF-16");
  const matches = (secret: string) => constantTimeEqual(sha1Hex(secret + q.nonce + q.timestamp), q.signature);
  if (!anyKeyMatches(secrets, matches))
    throw invalid("callback signature does not match (wrong App Secret?)");
  if (Math.abs(readClock(clock) - epoch.ms) > maxSkewSeconds * 1000) {
    throw new ImAuthError(
      "ERR_WEBHOOK_EXPIRED",
      `callback ${q.timestampName} is more than ${maxSkewSeconds} s away from the clock`,
    );
  }
  const rawBody = utf8Decode(body, false);
  const payload = parsePayload(rawBody, headers.get("content-type"));
  const verified: VerifiedWebhook = {
    vendor: "rongcloud",
    receivedAt: new Date(epoch.ms),
    payload,
    rawBody,
    details: { nonce: q.nonce, signTimestamp: q.timestamp },
  };
  const appKey = (payload as { appKey?: unknown } | undefined)?.appKey;
  if (typeof appKey === "string") verified.appId = appKey;
  return verified;
}

/**
 * The reply of a handler of RongCloud's message callback service: `pass` 1 delivers the message, 0 drops it;
 * `replaceContent` and `pushContent` replace the message's content and its push text. Other callbacks (user
 * status, message routing) only need HTTP 200.
 *
 * @example
 * ```ts
 * const reply: RongCloudCallbackReply = { pass: 1 };
 * ```
 */
export interface RongCloudCallbackReply {
  /** 1 delivers the message, 0 drops it. */
  pass: 0 | 1;
  /** Replacement message content (the message's JSON content as a string). */
  replaceContent?: string;
  /** Replacement push notification text. */
  pushContent?: string;
}

/**
 * Options of {@link rongCloudCallbackReply} and {@link rongCloudCallbackResponse}.
 *
 * @example
 * ```ts
 * const options: RongCloudCallbackReplyOptions = { pass: false };
 * return rongCloudCallbackResponse(options);
 * ```
 */
export interface RongCloudCallbackReplyOptions {
  /** Whether the message is delivered. Default true. */
  pass?: boolean;
  /** Replacement message content (the message's JSON content as a string). */
  replaceContent?: string;
  /** Replacement push notification text. */
  pushContent?: string;
}

/**
 * The reply body of a callback handler as a plain object (for frameworks that serialise it themselves):
 * `{"pass":1}` by default, which also suits callbacks whose reply RongCloud ignores.
 *
 * @example
 * ```ts
 * rongCloudCallbackReply(); // { pass: 1 }
 * rongCloudCallbackReply({ pass: false }); // { pass: 0 }: the message callback service drops the message
 * ```
 */
export function rongCloudCallbackReply(options: RongCloudCallbackReplyOptions = {}): RongCloudCallbackReply {
  assertOptionsObject(options as unknown, "rongCloudCallbackReply options");
  const { pass = true, replaceContent, pushContent } = options;
  if (typeof pass !== "boolean") throw new ImAuthError("ERR_INVALID_INPUT", "pass must be a boolean");
  const reply: RongCloudCallbackReply = { pass: pass ? 1 : 0 };
  for (const [name, value] of [
    ["replaceContent", replaceContent],
    ["pushContent", pushContent],
  ] as const) {
    if (value === undefined) continue;
    if (typeof value !== "string") throw new ImAuthError("ERR_INVALID_INPUT", `${name} must be a string`);
    reply[name] = value;
  }
  return reply;
}

/**
 * {@link rongCloudCallbackReply} as a Fetch `Response` (HTTP 200, JSON), for handlers on Workers, Deno, Bun,
 * Hono or Next.js route handlers.
 *
 * @example
 * ```ts
 * export async function POST(request: Request) {
 *   await provider.verifyWebhook(request);
 *   return rongCloudCallbackResponse(); // HTTP 200 {"pass":1}
 * }
 * ```
 */
export function rongCloudCallbackResponse(options: RongCloudCallbackReplyOptions = {}): Response {
  return new Response(JSON.stringify(rongCloudCallbackReply(options)), {
    status: 200,
    headers: { "content-type": "application/json;charset=utf-8" },
  });
}
