import {
  assertWellFormed,
  type Clock,
  constantTimeEqual,
  DEFAULT_MAX_WEBHOOK_BYTES,
  hexDecode,
  hexEncode,
  ImAuthError,
  type RawWebhook,
  readClock,
  readWebhook,
  type Secret,
  typeName,
  utf8Decode,
  utf8Encode,
  type VerifiedWebhook,
} from "@imauth/core";
import { sha256 } from "@noble/hashes/sha2.js";

/**
 * Default largest accepted |RequestTime - now| of a callback, in seconds (Tencent's documented window).
 *
 * @example
 * ```ts
 * verifyCallback(request, { sdkAppId, callbackToken, maxSkewSeconds: DEFAULT_CALLBACK_MAX_SKEW_SECONDS * 2 });
 * ```
 */
export const DEFAULT_CALLBACK_MAX_SKEW_SECONDS = 60;

/**
 * Computes a callback's `Sign`: lowercase hex SHA-256 of the callback token followed by `RequestTime`, as
 * Tencent appends it to callback URLs when callback authentication is enabled in the console.
 *
 * @example
 * ```ts
 * callbackSign("xxxxyyyy", "1669872112");
 * // "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061"
 * ```
 */
export function callbackSign(callbackToken: string | Secret, requestTime: number | string): string {
  const token = revealToken(callbackToken);
  const time = String(requestTime);
  // Hashed as UTF-8, where a lone surrogate would sign like U+FFFD.
  assertWellFormed(time, "requestTime");
  return hexEncode(signBytes(token, time));
}

function signBytes(token: string, requestTime: string): Uint8Array {
  return sha256(utf8Encode(token + requestTime));
}

function revealToken(token: unknown): string {
  const value =
    typeof token === "object" && token !== null && typeof (token as Secret).reveal === "function"
      ? (token as Secret).reveal()
      : token;
  if (typeof value !== "string" || value.length === 0 || value.length > 4096) {
    throw new ImAuthError(
      "ERR_INVALID_CONFIG",
      `callbackToken must be a non-empty string or Secret, got ${typeName(value)}`,
    );
  }
  return value;
}

/**
 * Options of {@link verifyCallback}.
 *
 * @example
 * ```ts
 * const options: VerifyCallbackOptions = { sdkAppId: 1400000000, callbackToken: process.env.IM_TOKEN! };
 * ```
 */
export interface VerifyCallbackOptions {
  /** The SDKAppID the callback must name in `SdkAppid`. */
  sdkAppId: number;
  /** The callback authentication token set in the console. */
  callbackToken: string | Secret;
  /** Source of the current time (epoch ms). Default `Date.now`. */
  clock?: Clock;
  /** Largest accepted |RequestTime - now|, in seconds. Default 60. */
  maxSkewSeconds?: number;
  /** Largest accepted body, in bytes. Default 4 MiB. */
  maxBodyBytes?: number;
  /** The `vendor` of the result. Default `"tencent"`. */
  vendor?: string;
}

/**
 * Verifies a Tencent IM third-party callback: `SdkAppid` must be yours, `Sign` must be SHA-256 of (token +
 * `RequestTime`) (compared in constant time) and `RequestTime` within `maxSkewSeconds` of now. Returns the
 * command (`event`), the parsed JSON body and the query's extra fields in `details` (`clientIp`, `platform`,
 * `contentType`, `requestTime`). Throws `ImAuthError` `ERR_WEBHOOK_INVALID` or `ERR_WEBHOOK_EXPIRED`.
 *
 * Tencent's `Sign` covers the token and the time only, not the body: serve the callback URL over HTTPS.
 *
 * @example
 * ```ts
 * const event = await verifyCallback(request, { sdkAppId: 1400000000, callbackToken: process.env.IM_TOKEN! });
 * if (event.event === "C2C.CallbackBeforeSendMsg") return callbackResponse({ errorCode: 1 });
 * ```
 */
export async function verifyCallback(
  input: Request | RawWebhook,
  options: VerifyCallbackOptions,
): Promise<VerifiedWebhook> {
  const { sdkAppId, clock, vendor = "tencent" } = options;
  const maxSkewSeconds = options.maxSkewSeconds ?? DEFAULT_CALLBACK_MAX_SKEW_SECONDS;
  const token = revealToken(options.callbackToken);
  const { url, body } = await readWebhook(input, options.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BYTES);
  const query = readQuery(url.searchParams);

  const appId = required(query, "SdkAppid");
  if (!/^[0-9]{1,10}$/.test(appId) || Number(appId) !== sdkAppId) {
    throw invalid("callback SdkAppid does not match this application's SDKAppID");
  }
  const command = required(query, "CallbackCommand");
  const requestTime = required(query, "RequestTime");
  if (!/^[0-9]{1,11}$/.test(requestTime)) throw invalid("callback RequestTime must be unix seconds");
  const sign = required(query, "Sign");
  if (!/^[0-9a-fA-F]{64}$/.test(sign)) throw invalid("callback Sign must be 64 hexadecimal characters");
  if (!constantTimeEqual(signBytes(token, requestTime), hexDecode(sign, "Sign"))) {
    throw invalid("callback Sign does not match (wrong callback token or tampered RequestTime)");
  }
  const requestSeconds = Number(requestTime);
  const nowSeconds = Math.floor(readClock(clock) / 1000);
  if (Math.abs(nowSeconds - requestSeconds) > maxSkewSeconds) {
    throw new ImAuthError(
      "ERR_WEBHOOK_EXPIRED",
      `callback RequestTime is ${nowSeconds - requestSeconds} s from now (more than ${maxSkewSeconds} s)`,
    );
  }

  let rawBody: string;
  try {
    rawBody = utf8Decode(body);
  } catch (cause) {
    throw new ImAuthError("ERR_WEBHOOK_INVALID", "callback body is not valid UTF-8", { cause });
  }
  let payload: unknown;
  try {
    payload = rawBody.length > 0 ? JSON.parse(rawBody) : undefined;
  } catch {
    payload = undefined;
  }

  const details: Record<string, string> = { requestTime };
  const extras: Array<[string, string]> = [
    ["ClientIP", "clientIp"],
    ["OptPlatform", "platform"],
    ["contenttype", "contentType"],
  ];
  for (const [name, key] of extras) {
    const value = query.get(name.toLowerCase());
    if (value !== undefined) details[key] = value;
  }
  return {
    vendor,
    appId,
    event: command,
    receivedAt: new Date(requestSeconds * 1000),
    payload,
    rawBody,
    details,
  };
}

/** Query parameters keyed by lower-case name; a name given twice (in any case) is refused as ambiguous. */
function readQuery(params: URLSearchParams): Map<string, string> {
  const query = new Map<string, string>();
  for (const [name, value] of params) {
    const key = name.toLowerCase();
    if (query.has(key)) throw invalid(`callback URL repeats the query parameter ${name.slice(0, 40)}`);
    query.set(key, value);
  }
  return query;
}

function required(query: Map<string, string>, name: string): string {
  const value = query.get(name.toLowerCase());
  if (value === undefined || value.length === 0) {
    throw invalid(
      name === "Sign" || name === "RequestTime"
        ? `callback URL has no ${name}: enable callback authentication (a token) in the IM console`
        : `callback URL has no ${name}`,
    );
  }
  return value;
}

function invalid(message: string): ImAuthError {
  return new ImAuthError("ERR_WEBHOOK_INVALID", message);
}

/**
 * Options of {@link signCallback}.
 *
 * @example
 * ```ts
 * const options: SignCallbackOptions = { sdkAppId, callbackToken, command: "State.StateChange", body: {} };
 * ```
 */
export interface SignCallbackOptions {
  /** The SDKAppID written to `SdkAppid`. */
  sdkAppId: number;
  /** The callback authentication token. */
  callbackToken: string | Secret;
  /** The `CallbackCommand`, e.g. `"State.StateChange"`. */
  command: string;
  /** The body: a string is sent as is; an object is serialised with `CallbackCommand` first. */
  body: string | Record<string, unknown>;
  /** The application's callback URL. Default `https://example.com/im/callback`. */
  url?: string;
  /** When the callback is signed, in epoch ms. Default now. */
  nowMs?: number;
  /** The `ClientIP` query parameter. Default `127.0.0.1`. */
  clientIp?: string;
  /** The `OptPlatform` query parameter. Default `RESTAPI`. */
  platform?: string;
}

/**
 * Builds a callback the way Tencent IM sends it (query `SdkAppid`, `CallbackCommand`, `contenttype`,
 * `ClientIP`, `OptPlatform`, `RequestTime`, `Sign`), for tests of callback handlers. The emulator of
 * `@imauth/tencent/testing` uses it.
 *
 * @example
 * ```ts
 * const raw = signCallback({ sdkAppId, callbackToken, command: "State.StateChange", body: { Info: {} } });
 * await handler(new Request(raw.url, { method: "POST", headers: raw.headers as HeadersInit, body: raw.body }));
 * ```
 */
export function signCallback(options: SignCallbackOptions): RawWebhook {
  const nowMs = options.nowMs ?? readClock(undefined);
  if (typeof nowMs !== "number" || !Number.isFinite(nowMs) || nowMs < 0) {
    throw new ImAuthError("ERR_INVALID_INPUT", "nowMs must be a non-negative epoch in milliseconds");
  }
  if (typeof options.command !== "string" || options.command.length === 0) {
    throw new ImAuthError("ERR_INVALID_INPUT", "command must be a non-empty string");
  }
  const requestTime = String(Math.floor(nowMs / 1000));
  let url: URL;
  try {
    url = new URL(options.url ?? "https://example.com/im/callback");
  } catch (cause) {
    throw new ImAuthError("ERR_INVALID_INPUT", "url must be an absolute URL", { cause });
  }
  url.searchParams.set("SdkAppid", String(options.sdkAppId));
  url.searchParams.set("CallbackCommand", options.command);
  url.searchParams.set("contenttype", "json");
  url.searchParams.set("ClientIP", options.clientIp ?? "127.0.0.1");
  url.searchParams.set("OptPlatform", options.platform ?? "RESTAPI");
  url.searchParams.set("RequestTime", requestTime);
  url.searchParams.set("Sign", callbackSign(options.callbackToken, requestTime));
  const body =
    typeof options.body === "string"
      ? options.body
      : JSON.stringify({ CallbackCommand: options.command, ...options.body });
  return { url: url.toString(), headers: { "content-type": "application/json; charset=utf-8" }, body };
}

/**
 * The answer Tencent IM expects from a callback handler. In "before" callbacks `ErrorCode` 0 allows the
 * action, 1 rejects it, 2 drops a message silently, and 120001 to 130000 reject with that code passed on to
 * the client; "after" callbacks only need the success reply.
 *
 * @example
 * ```ts
 * const reply: TencentCallbackReply = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" };
 * ```
 */
export interface TencentCallbackReply {
  ActionStatus: string;
  ErrorCode: number;
  ErrorInfo: string;
  [field: string]: unknown;
}

/**
 * Options of {@link callbackReply}.
 *
 * @example
 * ```ts
 * const reject: CallbackReplyOptions = { errorCode: 1, errorInfo: "not allowed" };
 * ```
 */
export interface CallbackReplyOptions {
  /** 0 allows (default), 1 rejects, 2 drops silently, 120001-130000 rejects with a code for the client. */
  errorCode?: number;
  /** Message passed on with a rejection. Default `""`. */
  errorInfo?: string;
  /** `"OK"` (default: the callback was handled) or `"FAIL"`. */
  actionStatus?: "OK" | "FAIL";
  /** Extra fields, e.g. a changed `MsgBody` in `C2C.CallbackBeforeSendMsg`. */
  fields?: Record<string, unknown>;
}

/**
 * The reply body of a callback handler: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}` by default.
 *
 * @example
 * ```ts
 * callbackReply(); // allow
 * callbackReply({ errorCode: 1, errorInfo: "blocked" }); // reject in a "before" callback
 * callbackReply({ fields: { MsgBody: [{ MsgType: "TIMTextElem", MsgContent: { Text: "***" } }] } });
 * ```
 */
export function callbackReply(options: CallbackReplyOptions = {}): TencentCallbackReply {
  const { errorCode = 0, errorInfo = "", actionStatus = "OK", fields = {} } = options;
  if (typeof errorCode !== "number" || !Number.isInteger(errorCode) || errorCode < 0) {
    throw new ImAuthError("ERR_INVALID_INPUT", "errorCode must be a non-negative integer");
  }
  if (typeof errorInfo !== "string") throw new ImAuthError("ERR_INVALID_INPUT", "errorInfo must be a string");
  if (actionStatus !== "OK" && actionStatus !== "FAIL") {
    throw new ImAuthError("ERR_INVALID_INPUT", 'actionStatus must be "OK" or "FAIL"');
  }
  const reply: TencentCallbackReply = {
    ActionStatus: actionStatus,
    ErrorCode: errorCode,
    ErrorInfo: errorInfo,
  };
  for (const [name, value] of Object.entries(fields)) {
    // The three status fields win; defineProperty keeps a "__proto__" field a plain field.
    if (!Object.hasOwn(reply, name))
      Object.defineProperty(reply, name, { value, enumerable: true, writable: true });
  }
  return reply;
}

/**
 * {@link callbackReply} as a Fetch `Response` (HTTP 200, JSON), for handlers on Workers, Deno, Bun, Hono or
 * Next.js route handlers.
 *
 * @example
 * ```ts
 * export async function POST(request: Request) {
 *   await provider.verifyWebhook(request);
 *   return callbackResponse();
 * }
 * ```
 */
export function callbackResponse(options: CallbackReplyOptions = {}): Response {
  return new Response(JSON.stringify(callbackReply(options)), {
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}
