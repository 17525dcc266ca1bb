import { type Clock, ImAuthError, type RawWebhook, type VerifiedWebhook } from "@imauth/core";
import {
  assertInteger,
  assertOptionsObject,
  isWellFormed,
  type KeyInput,
  readClock,
  readWebhook,
  utf8Decode,
} from "@imauth/core/adapter";
import { readCallbackSecrets, verifyEasemobSecurity } from "./verify.js";

/** Default largest accepted |timestamp - now| of a callback, in seconds (5 minutes). */
export const DEFAULT_WEBHOOK_MAX_SKEW_SECONDS = 300;

/** Largest accepted `webhookMaxSkewSeconds`: a week, for callbacks re-sent from Easemob's exception storage. */
const MAX_WEBHOOK_SKEW_SECONDS = 604_800;

/** Longest reply Easemob accepts, in characters (longer ones count as an attack and fail the callback). */
const MAX_REPLY_CHARS = 1000;

/**
 * Options of {@link verifyEasemobCallback}.
 *
 * @example
 * ```ts
 * const options: VerifyEasemobCallbackOptions = { secret: process.env.EASEMOB_CALLBACK_SECRET!, webhookMaxSkewSeconds: 60 };
 * ```
 */
export interface VerifyEasemobCallbackOptions {
  /**
   * The callback rule's Secret (console: message callback rules), or `[current, ...previous]` while it is
   * being replaced: a callback signed with any of them is accepted.
   */
  secret: KeyInput;
  /**
   * Largest accepted |timestamp - now|, in seconds (1 to 604800). Default 300. `timestamp` is when Easemob
   * received the message, so callbacks re-sent later from the exception storage need a wider window.
   */
  webhookMaxSkewSeconds?: number;
  /** Source of the current time (epoch milliseconds). Default `Date.now`. */
  clock?: Clock;
}

interface CallbackChecks {
  secrets: readonly string[];
  clock: Clock | undefined;
  maxSkewSeconds: number;
}

function callbackOptions(options: VerifyEasemobCallbackOptions): CallbackChecks {
  assertOptionsObject(options, "verifyEasemobCallback options", "ERR_INVALID_CONFIG");
  const { clock, webhookMaxSkewSeconds = DEFAULT_WEBHOOK_MAX_SKEW_SECONDS } = options;
  const secrets = readCallbackSecrets(options.secret);
  assertInteger(webhookMaxSkewSeconds, "webhookMaxSkewSeconds", {
    max: MAX_WEBHOOK_SKEW_SECONDS,
    code: "ERR_INVALID_CONFIG",
  });
  if (clock !== undefined && typeof clock !== "function") {
    throw new ImAuthError("ERR_INVALID_CONFIG", "clock must be a function");
  }
  return { secrets, clock, maxSkewSeconds: webhookMaxSkewSeconds };
}

function invalid(message: string): ImAuthError {
  return new ImAuthError("ERR_WEBHOOK_INVALID", message);
}

/**
 * Verifies a callback Easemob sent to the app (before-send or post-send): the JSON body's `security` must be
 * MD5(`callId` + secret + `timestamp`) (compared in constant time, every secret of the list tried) and
 * `timestamp` (epoch milliseconds) within `webhookMaxSkewSeconds` of the clock. The hash is computed from the
 * fields exactly as received: `timestamp` from its text in the body (a JSON number or a string of digits),
 * and a body naming `callId`, `timestamp` or `security` twice is refused. Easemob's `security` does not cover
 * the rest of the body: see the README's security notes. Throws `ImAuthError` `ERR_WEBHOOK_INVALID` or
 * `ERR_WEBHOOK_EXPIRED`. Answer with {@link easemobCallbackResponse}.
 *
 * @example
 * ```ts
 * import { easemobCallbackResponse, verifyEasemobCallback } from "@imauth/easemob";
 *
 * export async function POST(request: Request) {
 *   const event = await verifyEasemobCallback(request, { secret: process.env.EASEMOB_CALLBACK_SECRET! });
 *   console.log(event.details.callId, event.payload);
 *   return easemobCallbackResponse();
 * }
 * ```
 */
export async function verifyEasemobCallback(
  input: Request | RawWebhook,
  options: VerifyEasemobCallbackOptions,
): Promise<VerifiedWebhook> {
  const { secrets, clock, maxSkewSeconds } = callbackOptions(options);
  const rawString = (input as Partial<RawWebhook> | null)?.body;
  // A string with a lone surrogate cannot be the body received: decoding never yields one.
  if (typeof rawString === "string" && !isWellFormed(rawString)) {
    throw invalid("callback body is a string that is not well-formed UTF-16 (pass the raw bytes)");
  }
  const { body } = await readWebhook(input);
  let rawBody: string;
  try {
    rawBody = utf8Decode(body);
  } catch {
    throw invalid("callback body is not UTF-8");
  }
  const { payload, callId, timestamp, security } = readSignedFields(rawBody);
  if (!verifyEasemobSecurity({ callId, timestamp, security }, secrets)) {
    throw invalid("callback security does not match (wrong callback Secret?)");
  }
  const timestampMs = Number(timestamp);
  if (Math.abs(readClock(clock) - timestampMs) > maxSkewSeconds * 1000) {
    throw new ImAuthError(
      "ERR_WEBHOOK_EXPIRED",
      `callback timestamp is more than ${maxSkewSeconds} s away from the clock`,
    );
  }
  return verifiedWebhook(payload, rawBody, callId, timestamp);
}

function verifiedWebhook(
  payload: Record<string, unknown>,
  rawBody: string,
  callId: string,
  timestamp: string,
): VerifiedWebhook {
  const details: Record<string, string> = { callId, timestamp };
  if (typeof payload.securityVersion === "string") details.securityVersion = payload.securityVersion;
  const verified: VerifiedWebhook = {
    vendor: "easemob",
    receivedAt: new Date(Number(timestamp)),
    payload,
    rawBody,
    details,
  };
  // callId is `{appkey}_{uuid}`; the appkey (`org#app`) is what precedes the last "_".
  const appKey = callId.slice(0, Math.max(0, callId.lastIndexOf("_")));
  if (appKey.includes("#")) verified.appId = appKey;
  if (typeof payload.eventType === "string") verified.event = payload.eventType;
  return verified;
}

interface SignedFields {
  payload: Record<string, unknown>;
  callId: string;
  timestamp: string;
  security: string;
}

const SIGNED = ["callId", "timestamp", "security"] as const;

/** Parses the body and reads the signed fields, `timestamp` as the text it has in the body. */
function readSignedFields(rawBody: string): SignedFields {
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    throw invalid("callback body is not JSON");
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw invalid("callback body is not a JSON object");
  }
  const raw = topLevelRawValues(rawBody, SIGNED);
  for (const name of SIGNED) {
    const found = raw.get(name) ?? [];
    if (found.length === 0) throw invalid(`callback body has no ${name}`);
    if (found.length > 1) throw invalid(`callback body names ${name} more than once`);
  }
  const { callId, security } = payload as Record<string, unknown>;
  if (typeof callId !== "string" || callId.length === 0 || callId.length > 1024 || !isWellFormed(callId)) {
    throw invalid("callback callId must be a non-empty, well-formed string");
  }
  if (typeof security !== "string") throw invalid("callback security must be a string");
  return { payload: payload as Record<string, unknown>, callId, security, timestamp: timestampText(raw) };
}

function timestampText(raw: Map<string, string[]>): string {
  const text = raw.get("timestamp")![0]!;
  const value = text.startsWith('"') ? (JSON.parse(text) as string) : text;
  // Only plain decimal digits are the text Easemob hashed; 1.6e12 or -1 are not.
  if (!/^[0-9]{1,16}$/.test(value)) throw invalid("callback timestamp is not epoch milliseconds");
  return value;
}

/**
 * The raw text of the values of the top-level members named `names`, in order of appearance (one entry per
 * occurrence). `text` must already have parsed as a JSON object, so the scan need not validate it.
 */
function topLevelRawValues(text: string, names: readonly string[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  let i = skipSpace(text, text.indexOf("{") + 1);
  while (text[i] !== "}") {
    const keyEnd = scanString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    const start = skipSpace(text, skipSpace(text, keyEnd) + 1);
    const end = scanValue(text, start);
    if (names.includes(key)) found.set(key, [...(found.get(key) ?? []), text.slice(start, end)]);
    i = skipSpace(text, end);
    if (text[i] === ",") i = skipSpace(text, i + 1);
  }
  return found;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  return i;
}

/** `i` is at a `"`; returns the index after the closing quote. */
function scanString(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
  return j + 1;
}

function scanValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return scanString(text, i);
  if (c !== "{" && c !== "[") {
    let j = i;
    while (j < text.length && !",}] \t\n\r".includes(text[j]!)) j++;
    return j;
  }
  let depth = 0;
  let j = i;
  while (j < text.length) {
    const d = text[j]!;
    if (d === '"') {
      j = scanString(text, j);
      continue;
    }
    if (d === "{" || d === "[") depth++;
    else if (d === "}" || d === "]") depth--;
    j++;
    if (depth === 0) return j;
  }
  return j;
}

/**
 * What a callback handler answers. Easemob reads it for before-send callbacks: `valid` lets the message
 * through (`true`) or blocks it (`false`), `code` is the error the sender's client shows when it is blocked,
 * `payload` replaces the message content, `chatroom_msg_level` sets a chatroom message's priority. Post-send
 * callbacks only need HTTP 200; their body is ignored.
 *
 * @example
 * ```ts
 * const reply: EasemobCallbackReply = { valid: false, code: "contains a banned word" };
 * ```
 */
export interface EasemobCallbackReply {
  /** Whether the message may be delivered. */
  valid: boolean;
  /** The error the sender's client shows when the message is blocked. */
  code?: string;
  /** A chatroom message's priority. */
  chatroom_msg_level?: "high" | "normal" | "low";
  /** The replaced message content, in the shape of the callback's `payload`. */
  payload?: Record<string, unknown>;
}

/**
 * Options of {@link easemobCallbackReply} and {@link easemobCallbackResponse}.
 *
 * @example
 * ```ts
 * const options: EasemobCallbackReplyOptions = { valid: true, payload: { bodies: [{ type: "txt", msg: "***" }] } };
 * ```
 */
export interface EasemobCallbackReplyOptions {
  /** Whether the message may be delivered. Default true. */
  valid?: boolean;
  /** The error the sender's client shows when the message is blocked (before-send callbacks). */
  code?: string;
  /** A chatroom message's priority. */
  chatroomMsgLevel?: "high" | "normal" | "low";
  /** Replacement message content; leave it out to deliver the message unchanged. */
  payload?: Record<string, unknown>;
}

const LEVELS: ReadonlySet<string> = new Set(["high", "normal", "low"]);

/**
 * The reply body of a callback handler, as a plain object: `{ valid: true }` by default, which lets a
 * before-send callback's message through and suits post-send callbacks too (Easemob ignores their body).
 * Throws `ERR_INVALID_INPUT` when a field is malformed or the reply is longer than the 1,000 characters
 * Easemob accepts. {@link easemobCallbackResponse} gives the same as a Fetch `Response`.
 *
 * @example
 * ```ts
 * easemobCallbackReply(); // { valid: true }
 * easemobCallbackReply({ valid: false, code: "blocked by moderation" });
 * ```
 */
export function easemobCallbackReply(options: EasemobCallbackReplyOptions = {}): EasemobCallbackReply {
  assertOptionsObject(options as unknown, "easemobCallbackReply options");
  const { valid = true, code, chatroomMsgLevel, payload } = options;
  if (typeof valid !== "boolean") throw new ImAuthError("ERR_INVALID_INPUT", "valid must be a boolean");
  const reply: EasemobCallbackReply = { valid };
  if (code !== undefined) {
    if (typeof code !== "string") throw new ImAuthError("ERR_INVALID_INPUT", "code must be a string");
    reply.code = code;
  }
  if (chatroomMsgLevel !== undefined) {
    if (!LEVELS.has(chatroomMsgLevel as string)) {
      throw new ImAuthError("ERR_INVALID_INPUT", 'chatroomMsgLevel must be "high", "normal" or "low"');
    }
    reply.chatroom_msg_level = chatroomMsgLevel;
  }
  if (payload !== undefined) {
    assertOptionsObject(payload, "payload");
    reply.payload = payload;
  }
  if (replyText(reply).length > MAX_REPLY_CHARS) {
    throw new ImAuthError("ERR_INVALID_INPUT", `the reply must be at most ${MAX_REPLY_CHARS} characters`);
  }
  return reply;
}

function replyText(reply: EasemobCallbackReply): string {
  try {
    return JSON.stringify(reply);
  } catch {
    throw new ImAuthError("ERR_INVALID_INPUT", "payload must be serialisable as JSON");
  }
}

/**
 * {@link easemobCallbackReply} as a Fetch `Response` (HTTP 200, JSON): the answer Easemob expects, for
 * handlers on Workers, Deno, Bun, Hono or Next.js route handlers.
 *
 * @example
 * ```ts
 * export async function POST(request: Request) {
 *   await provider.verifyWebhook(request);
 *   return easemobCallbackResponse(); // HTTP 200 {"valid":true}
 * }
 * ```
 */
export function easemobCallbackResponse(options: EasemobCallbackReplyOptions = {}): Response {
  return new Response(replyText(easemobCallbackReply(options)), {
    status: 200,
    headers: { "content-type": "application/json;charset=utf-8" },
  });
}
