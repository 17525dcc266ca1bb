import { type Clock, ImAuthError, type RawWebhook, type VerifiedWebhook } from "@imauth/core";
import {
  anyKeyMatches,
  assertInteger,
  assertOptionsObject,
  assertWellFormed,
  constantTimeEqual,
  DEFAULT_MAX_WEBHOOK_BYTES,
  hexDecode,
  hexEncode,
  type KeyInput,
  keyList,
  readClock,
  readWebhook,
  utf8Decode,
  utf8Encode,
} from "@imauth/core/adapter";
import { sha256 } from "@noble/hashes/sha2.js";

/** Default largest accepted |RequestTime - now| of a callback, in seconds (Tencent's documented window). */
export const DEFAULT_WEBHOOK_MAX_SKEW_SECONDS = 60;

/**
 * @internal A callback's `Sign`: lowercase hex SHA-256 of the callback token followed by `RequestTime`, as
 * Tencent appends it to callback URLs when callback authentication is enabled in the console.
 * `signTencentCallback` (in `@imauth/tencent/testing`) builds whole callbacks with it.
 */
export function callbackSignature(callbackToken: KeyInput, requestTime: number | string): string {
  // Signing uses the current (first) token of a rotation list.
  const token = keyList(callbackToken, "callbackToken")[0]!;
  const time = String(requestTime);
  // Hashed as UTF-8, where a lone surrogate would sign like U+FFFD.
  assertWellFormed(time, "requestTime");
  return hexEncode(signBytes(token, time));
}

function signBytes(token: string, requestTime: string): Uint8Array {
  return sha256(utf8Encode(token + requestTime));
}

/**
 * Options of {@link verifyTencentCallback}.
 *
 * @example
 * ```ts
 * const options: VerifyTencentCallbackOptions = { sdkAppId: 1400000000, callbackToken: process.env.IM_TOKEN! };
 * ```
 */
export interface VerifyTencentCallbackOptions {
  /** The SDKAppID the callback must name in `SdkAppid`. */
  sdkAppId: number;
  /**
   * The callback authentication token set in the console, or `[current, ...previous]` while it is being
   * changed: a callback signed with any of them is accepted.
   */
  callbackToken: KeyInput;
  /** Source of the current time (epoch ms). Default `Date.now`. */
  clock?: Clock;
  /** Largest accepted |RequestTime - now|, in seconds. Default 60 ({@link DEFAULT_WEBHOOK_MAX_SKEW_SECONDS}). */
  webhookMaxSkewSeconds?: number;
  /** Largest accepted body, in bytes. Default 4 MiB. */
  maxBodyBytes?: number;
  /** The `vendor` of the result. Default `"tencent"`. */
  vendor?: string;
}

/**
 * Verifies a Tencent IM third-party callback: `SdkAppid` must be yours, `Sign` must be SHA-256 of (token +
 * `RequestTime`) (compared in constant time) and `RequestTime` within `webhookMaxSkewSeconds` of now. Returns the
 * command (`event`), the parsed JSON body and the query's extra fields in `details` (`clientIp`, `platform`,
 * `contentType`, `requestTime`). Throws `ImAuthError` `ERR_WEBHOOK_INVALID` or `ERR_WEBHOOK_EXPIRED`.
 *
 * Tencent's `Sign` covers the token and the time only, not the body: serve the callback URL over HTTPS.
 *
 * @example
 * ```ts
 * import { tencentCallbackResponse, verifyTencentCallback } from "@imauth/tencent";
 *
 * const event = await verifyTencentCallback(request, { sdkAppId: 1400000000, callbackToken: process.env.IM_TOKEN! });
 * if (event.event === "C2C.CallbackBeforeSendMsg") return tencentCallbackResponse({ errorCode: 1 });
 * ```
 */
export async function verifyTencentCallback(
  input: Request | RawWebhook,
  options: VerifyTencentCallbackOptions,
): Promise<VerifiedWebhook> {
  assertOptionsObject(options, "verifyTencentCallback options", "ERR_INVALID_CONFIG");
  const { sdkAppId, clock, vendor = "tencent" } = options;
  const maxSkewSeconds = options.webhookMaxSkewSeconds ?? DEFAULT_WEBHOOK_MAX_SKEW_SECONDS;
  assertInteger(maxSkewSeconds, "webhookMaxSkewSeconds", { min: 1, max: 86_400, code: "ERR_INVALID_CONFIG" });
  const tokens = keyList(options.callbackToken, "callbackToken");
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
  const signBytesGiven = hexDecode(sign, "Sign");
  if (!anyKeyMatches(tokens, (token) => constantTimeEqual(signBytes(token, requestTime), signBytesGiven))) {
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
 * Options of {@link tencentCallbackReply} and {@link tencentCallbackResponse}.
 *
 * @example
 * ```ts
 * const reject: TencentCallbackReplyOptions = { errorCode: 1, errorInfo: "not allowed" };
 * ```
 */
export interface TencentCallbackReplyOptions {
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
 * The reply body of a callback handler, as a plain object (for frameworks that serialise it themselves):
 * `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}` by default. {@link tencentCallbackResponse} gives the
 * same as a Fetch `Response`.
 *
 * @example
 * ```ts
 * tencentCallbackReply(); // allow
 * tencentCallbackReply({ errorCode: 1, errorInfo: "blocked" }); // reject in a "before" callback
 * tencentCallbackReply({ fields: { MsgBody: [{ MsgType: "TIMTextElem", MsgContent: { Text: "***" } }] } });
 * ```
 */
export function tencentCallbackReply(options: TencentCallbackReplyOptions = {}): TencentCallbackReply {
  assertOptionsObject(options as unknown, "tencentCallbackReply options");
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
 * {@link tencentCallbackReply} as a Fetch `Response` (HTTP 200, JSON), for handlers on Workers, Deno, Bun,
 * Hono or Next.js route handlers.
 *
 * @example
 * ```ts
 * export async function POST(request: Request) {
 *   await provider.verifyWebhook(request);
 *   return tencentCallbackResponse();
 * }
 * ```
 */
export function tencentCallbackResponse(options: TencentCallbackReplyOptions = {}): Response {
  return new Response(JSON.stringify(tencentCallbackReply(options)), {
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}
