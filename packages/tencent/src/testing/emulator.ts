import {
  type Clock,
  ImAuthError,
  isImAuthError,
  parseConfig,
  type RawWebhook,
  readClock,
  redactable,
  Secret,
  utf8Decode,
  utf8Encode,
} from "@imauth/core";
import { z } from "zod/mini";
import { hmacVerifier, type UserSigVerifier } from "../signer.js";
import { signCallback } from "../webhook.js";

const secretLike = z.union([z.string().check(z.minLength(1), z.maxLength(4096)), z.instanceof(Secret)]);

const EmulatorOptions = z.strictObject({
  sdkAppId: z.int().check(z.gte(1), z.lte(0xffff_ffff)),
  secretKey: z.optional(secretLike),
  adminUserId: z.optional(z.string().check(z.minLength(1), z.maxLength(32))),
  clock: z.optional(z.custom<Clock>((value) => typeof value === "function")),
  verifier: z.optional(
    z.custom<UserSigVerifier>(
      (value) =>
        typeof value === "object" &&
        value !== null &&
        typeof (value as UserSigVerifier).verify === "function",
    ),
  ),
  callbackToken: z.optional(secretLike),
});

/**
 * Options of {@link createTencentEmulator}.
 *
 * @example
 * ```ts
 * const options: TencentEmulatorOptions = { sdkAppId: 1400000000, secretKey: "test-key", clock: () => 0 };
 * ```
 */
export interface TencentEmulatorOptions {
  /** The SDKAppID the emulated application has. */
  sdkAppId: number;
  /** The application's key, for the default HMAC verifier. Required unless `verifier` is given. */
  secretKey?: string | Secret;
  /** The app admin allowed to call the REST API. Default `administrator`. */
  adminUserId?: string;
  /** Source of the current time (epoch ms), for UserSig expiry and callback `RequestTime`. */
  clock?: Clock;
  /** How UserSigs are checked. Default `hmacVerifier({ secretKey })`; @imauth/legacy-ecdsa supplies ECDSA. */
  verifier?: UserSigVerifier;
  /** The callback token, needed by `signCallback` and `sendCallback`. */
  callbackToken?: string | Secret;
}

/**
 * A failure the emulator plays instead of answering: an HTTP status (`status: 503`, non-JSON body), an
 * envelope `errorCode` (HTTP 200, as Tencent does), or a dropped connection (`disconnect: true`).
 *
 * @example
 * ```ts
 * emulator.failNext(2, { errorCode: 70500 });
 * ```
 */
export interface TencentEmulatorFailure {
  /** Answer with this HTTP status and a non-JSON body. */
  status?: number;
  /** Answer HTTP 200 with this ErrorCode. */
  errorCode?: number;
  /** ErrorInfo of an `errorCode` failure. */
  errorInfo?: string;
  /** Reject the fetch with a `TypeError`, as a dropped connection does. */
  disconnect?: boolean;
}

/**
 * One REST call the emulator received.
 *
 * @example
 * ```ts
 * emulator.calls.filter((c: TencentEmulatorCall) => c.errorCode !== 0);
 * ```
 */
export interface TencentEmulatorCall {
  /** The API path, e.g. `v4/openim/sendmsg`. */
  path: string;
  /** The `identifier` query parameter. */
  identifier?: string;
  /** The HTTP status answered (0 for an emulated disconnect). */
  status: number;
  /** The ErrorCode answered (-1 when the answer had no envelope). */
  errorCode: number;
}

/**
 * An account the emulator holds.
 *
 * @example
 * ```ts
 * const alice: TencentEmulatorAccount | undefined = emulator.accounts.get("alice");
 * ```
 */
export interface TencentEmulatorAccount {
  userId: string;
  nick?: string;
  faceUrl?: string;
  /** `Online`, `PushOnline` or `Offline` (default). */
  status: string;
}

/**
 * A message sent through `v4/openim/sendmsg`.
 *
 * @example
 * ```ts
 * const last: TencentEmulatorMessage | undefined = emulator.messages.at(-1);
 * ```
 */
export interface TencentEmulatorMessage {
  from: string;
  to: string;
  msgBody: unknown;
  msgTime: number;
  msgKey: string;
}

/**
 * The reply of a callback handler, as {@link TencentEmulator.sendCallback} saw it.
 *
 * @example
 * ```ts
 * const result: TencentCallbackResult = await emulator.sendCallback(handler, "State.StateChange", {});
 * expect(result.ok).toBe(true);
 * ```
 */
export interface TencentCallbackResult {
  /** HTTP status of the handler's answer. */
  status: number;
  /** The answer parsed as JSON, or `undefined`. */
  reply: unknown;
  /** Whether the answer is Tencent's success reply (`ActionStatus` "OK" and `ErrorCode` 0). */
  ok: boolean;
}

/**
 * Where {@link TencentEmulator.sendCallback} delivers a callback: a URL (through fetch) or a handler.
 *
 * @example
 * ```ts
 * const target: TencentCallbackTarget = "http://127.0.0.1:3000/im/callback";
 * ```
 */
export type TencentCallbackTarget = string | ((request: Request) => Response | Promise<Response>);

/**
 * An in-memory stand-in for Tencent Cloud IM's REST API and callbacks, made by {@link createTencentEmulator}.
 *
 * @example
 * ```ts
 * const client = createTencentImClient(provider, { fetch: emulator.fetch });
 * await client.importAccount({ userId: "alice" });
 * emulator.accounts.has("alice"); // true
 * ```
 */
export interface TencentEmulator {
  /** The fetch-style handler: pass it as `fetch` to the client, or serve it over HTTP. */
  readonly fetch: (request: Request) => Promise<Response>;
  /** Every REST call received, in order. */
  readonly calls: readonly TencentEmulatorCall[];
  /** The imported accounts. */
  readonly accounts: ReadonlyMap<string, TencentEmulatorAccount>;
  /** The messages sent. */
  readonly messages: readonly TencentEmulatorMessage[];
  /** Plays `failure` (default ErrorCode 70500) for the next `count` calls. */
  failNext(count: number, failure?: TencentEmulatorFailure): void;
  /** Answers the next `count` calls with a rate-limit ErrorCode (default 60007). */
  rateLimitNext(count: number, errorCode?: number): void;
  /** From now on, UserSigs issued at or before the current time are answered with 70052 (as after a kick). */
  revokeUserSigs(): void;
  /** Sets the online status `query_online_status` reports for an imported account. */
  setOnlineStatus(userId: string, status: "Online" | "PushOnline" | "Offline"): void;
  /** Forgets calls, accounts, messages, pending failures and revocations. */
  reset(): void;
  /** Builds a callback signed as Tencent signs them, at the emulator's time. */
  signCallback(
    command: string,
    body: string | Record<string, unknown>,
    options?: { url?: string; clientIp?: string; platform?: string },
  ): RawWebhook;
  /** Signs a callback and POSTs it to `target` (a URL, or a fetch-style handler called directly). */
  sendCallback(
    target: TencentCallbackTarget,
    command: string,
    body: string | Record<string, unknown>,
    options?: { clientIp?: string; platform?: string; fetch?: typeof fetch },
  ): Promise<TencentCallbackResult>;
}

class EmulatedError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

const KNOWN_PATHS = new Set([
  "v4/im_open_login_svc/account_import",
  "v4/im_open_login_svc/multiaccount_import",
  "v4/im_open_login_svc/account_delete",
  "v4/im_open_login_svc/account_check",
  "v4/im_open_login_svc/kick",
  "v4/openim/query_online_status",
  "v4/openim/sendmsg",
]);

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Creates an emulator of Tencent Cloud IM's REST API for offline tests. It authenticates every call the way
 * Tencent does (the UserSig is decoded and verified with `verifier`, `identifier` must be the admin,
 * `sdkappid`, `random` and `contenttype=json` must be right) and answers with Tencent's envelope and codes:
 * 70001 expired UserSig, 70003 malformed UserSig, 70009 wrong signature, 70013 UserSig for another user, 70014
 * for another app, 70020 unknown SDKAppID, 70052 revoked, 60010 not the admin, 60002 bad query, 60003 bad
 * JSON. It keeps accounts and messages for `account_import`, `multiaccount_import`, `account_delete`,
 * `account_check`, `kick`, `query_online_status` and `sendmsg`, can play transient failures and rate limits,
 * and sends signed callbacks.
 *
 * @example
 * ```ts
 * import { createTencentProvider } from "@imauth/tencent";
 * import { createTencentImClient } from "@imauth/tencent/client";
 * import { createTencentEmulator } from "@imauth/tencent/testing";
 *
 * const emulator = createTencentEmulator({ sdkAppId: 1400000000, secretKey: "test-key" });
 * const provider = createTencentProvider({ sdkAppId: 1400000000, secretKey: "test-key" });
 * const client = createTencentImClient(provider, { fetch: emulator.fetch });
 * await client.importAccount({ userId: "alice" });
 * ```
 */
export function createTencentEmulator(options: TencentEmulatorOptions): TencentEmulator {
  const config = parseConfig(EmulatorOptions, options, "createTencentEmulator options");
  const { sdkAppId, clock, callbackToken } = config;
  const adminUserId = config.adminUserId ?? "administrator";
  let verifier = config.verifier;
  if (verifier === undefined) {
    if (config.secretKey === undefined) {
      throw new ImAuthError("ERR_INVALID_CONFIG", "createTencentEmulator needs secretKey (or a verifier)");
    }
    const key = config.secretKey;
    verifier = hmacVerifier({ secretKey: typeof key === "string" ? key : key.reveal() });
  }
  const verify = verifier;

  const calls: TencentEmulatorCall[] = [];
  const accounts = new Map<string, TencentEmulatorAccount>();
  const messages: TencentEmulatorMessage[] = [];
  let failures: TencentEmulatorFailure[] = [];
  let revokedUpToMs = -1;
  let msgSeq = 0;

  async function authenticate(url: URL): Promise<void> {
    const q = url.searchParams;
    const appId = q.get("sdkappid");
    if (!appId) throw new EmulatedError(60012, "the request has no sdkappid");
    if (!/^[0-9]{1,10}$/.test(appId) || Number(appId) !== sdkAppId) {
      throw new EmulatedError(70020, "SDKAppID not found");
    }
    const identifier = q.get("identifier");
    if (!identifier) throw new EmulatedError(60002, "the request has no identifier");
    const userSig = q.get("usersig");
    if (!userSig) throw new EmulatedError(70003, "the request has no usersig");
    let issuedAtMs: number;
    try {
      const verified = await verify.verify(userSig, { sdkAppId, userId: identifier, clock });
      issuedAtMs = verified.issuedAt.getTime();
    } catch (error) {
      throw userSigError(error);
    }
    if (issuedAtMs <= revokedUpToMs) throw new EmulatedError(70052, "the UserSig was invalidated");
    if (identifier !== adminUserId) throw new EmulatedError(60010, "the request needs App admin permission");
    const random = q.get("random");
    if (!random || !/^[0-9]{1,10}$/.test(random) || Number(random) > 0xffff_ffff) {
      throw new EmulatedError(60002, "random must be an unsigned 32-bit integer");
    }
    if (q.get("contenttype") !== "json") throw new EmulatedError(60002, "contenttype must be json");
  }

  async function readBody(request: Request): Promise<Record<string, unknown>> {
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.length > MAX_BODY_BYTES) throw new EmulatedError(60003, "the request body is too large");
    let body: unknown;
    try {
      body = JSON.parse(utf8Decode(bytes));
    } catch {
      throw new EmulatedError(60003, "the request body is not valid JSON");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new EmulatedError(60003, "the request body must be a JSON object");
    }
    return body as Record<string, unknown>;
  }

  function nowSeconds(): number {
    return Math.floor(readClock(clock) / 1000);
  }

  function requireUserId(value: unknown, field: string): string {
    if (typeof value !== "string" || value.length === 0 || utf8Encode(value).length > 32) {
      throw new EmulatedError(70402, `${field} must be a UserID of 1 to 32 bytes`);
    }
    return value;
  }

  function userIdList(value: unknown, field: string, max: number): unknown[] {
    if (!Array.isArray(value) || value.length === 0 || value.length > max) {
      throw new EmulatedError(70402, `${field} must be an array of 1 to ${max} items`);
    }
    return value;
  }

  const apis: Record<string, (body: Record<string, unknown>) => Record<string, unknown>> = {
    "v4/im_open_login_svc/account_import": (body) => {
      const userId = requireUserId(body.UserID, "UserID");
      const previous = accounts.get(userId);
      accounts.set(userId, {
        userId,
        status: previous?.status ?? "Offline",
        ...(typeof body.Nick === "string" ? { nick: body.Nick } : {}),
        ...(typeof body.FaceUrl === "string" ? { faceUrl: body.FaceUrl } : {}),
      });
      return {};
    },
    "v4/im_open_login_svc/multiaccount_import": (body) => {
      const failed: unknown[] = [];
      for (const item of userIdList(body.Accounts, "Accounts", 100)) {
        if (typeof item === "string" && item.length > 0 && utf8Encode(item).length <= 32) {
          if (!accounts.has(item)) accounts.set(item, { userId: item, status: "Offline" });
        } else failed.push(item);
      }
      return { FailAccounts: failed };
    },
    "v4/im_open_login_svc/account_delete": (body) => ({
      ResultItem: userIdList(body.DeleteItem, "DeleteItem", 100).map((item) => {
        const userId = requireUserId((item as { UserID?: unknown } | null)?.UserID, "DeleteItem.UserID");
        accounts.delete(userId);
        return { ResultCode: 0, ResultInfo: "", UserID: userId };
      }),
    }),
    "v4/im_open_login_svc/account_check": (body) => ({
      ResultItem: userIdList(body.CheckItem, "CheckItem", 100).map((item) => {
        const userId = requireUserId((item as { UserID?: unknown } | null)?.UserID, "CheckItem.UserID");
        return {
          UserID: userId,
          ResultCode: 0,
          ResultInfo: "",
          AccountStatus: accounts.has(userId) ? "Imported" : "NotImported",
        };
      }),
    }),
    "v4/im_open_login_svc/kick": (body) => {
      const account = accounts.get(requireUserId(body.UserID, "UserID"));
      if (account) account.status = "Offline";
      return {};
    },
    "v4/openim/query_online_status": (body) => {
      const queryResult: unknown[] = [];
      const errorList: unknown[] = [];
      for (const item of userIdList(body.To_Account, "To_Account", 500)) {
        const userId = requireUserId(item, "To_Account");
        const account = accounts.get(userId);
        if (account) queryResult.push({ To_Account: userId, Status: account.status });
        else errorList.push({ To_Account: userId, ErrorCode: 70107 });
      }
      return { QueryResult: queryResult, ErrorList: errorList };
    },
    "v4/openim/sendmsg": (body) => {
      const to = requireUserId(body.To_Account, "To_Account");
      const from =
        body.From_Account === undefined ? adminUserId : requireUserId(body.From_Account, "From_Account");
      if (!accounts.has(to)) throw new EmulatedError(20003, "the recipient UserID does not exist");
      if (from !== adminUserId && !accounts.has(from)) {
        throw new EmulatedError(20003, "the sender UserID does not exist");
      }
      if (!Array.isArray(body.MsgBody) || body.MsgBody.length === 0) {
        throw new EmulatedError(20001, "MsgBody must be a non-empty array");
      }
      if (typeof body.MsgRandom !== "number" || !Number.isInteger(body.MsgRandom)) {
        throw new EmulatedError(20001, "MsgRandom must be an integer");
      }
      const msgTime = nowSeconds();
      const msgKey = `${body.MsgRandom}_${++msgSeq}_${msgTime}`;
      messages.push({ from, to, msgBody: body.MsgBody, msgTime, msgKey });
      return { MsgTime: msgTime, MsgKey: msgKey };
    },
  };

  function envelope(
    path: string,
    identifier: string | undefined,
    errorCode: number,
    info: string,
    extra: Record<string, unknown> = {},
  ): Response {
    calls.push({ path, ...(identifier === undefined ? {} : { identifier }), status: 200, errorCode });
    const body = {
      ActionStatus: errorCode === 0 ? "OK" : "FAIL",
      ErrorCode: errorCode,
      ErrorInfo: info,
      ...extra,
    };
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { "content-type": "application/json; charset=utf-8" },
    });
  }

  async function handle(request: Request): Promise<Response> {
    if (typeof Request === "undefined" || !(request instanceof Request)) {
      throw new ImAuthError("ERR_INVALID_INPUT", "the emulator handles Fetch Requests only");
    }
    const url = new URL(request.url);
    const path = url.pathname.replace(/^\/+/, "");
    const identifier = url.searchParams.get("identifier") ?? undefined;
    const failure = failures.shift();
    if (failure?.disconnect) {
      calls.push({ path, ...(identifier === undefined ? {} : { identifier }), status: 0, errorCode: -1 });
      throw new TypeError("emulated network failure");
    }
    if (failure?.status !== undefined) {
      calls.push({
        path,
        ...(identifier === undefined ? {} : { identifier }),
        status: failure.status,
        errorCode: -1,
      });
      return new Response("emulated server error", {
        status: failure.status,
        headers: { "content-type": "text/plain" },
      });
    }
    if (failure?.errorCode !== undefined) {
      return envelope(path, identifier, failure.errorCode, failure.errorInfo ?? "emulated failure");
    }
    try {
      if (request.method !== "POST") throw new EmulatedError(60002, "REST APIs are called with POST");
      await authenticate(url);
      const api = KNOWN_PATHS.has(path) ? apis[path] : undefined;
      if (api === undefined) throw new EmulatedError(60002, "the emulator does not implement this API");
      const result = api(await readBody(request));
      return envelope(path, identifier, 0, "", result);
    } catch (error) {
      if (error instanceof EmulatedError) return envelope(path, identifier, error.errorCode, error.message);
      throw error;
    }
  }

  function sign(
    command: string,
    body: string | Record<string, unknown>,
    opts: { url?: string; clientIp?: string; platform?: string } = {},
  ): RawWebhook {
    if (callbackToken === undefined) {
      throw new ImAuthError(
        "ERR_INVALID_CONFIG",
        "signing callbacks needs the emulator's callbackToken option",
      );
    }
    return signCallback({ sdkAppId, callbackToken, command, body, nowMs: readClock(clock), ...opts });
  }

  const emulator: TencentEmulator = {
    fetch: handle,
    calls,
    accounts,
    messages,
    failNext(count, failure = { errorCode: 70500 }) {
      if (!Number.isInteger(count) || count < 0 || count > 10_000) {
        throw new ImAuthError("ERR_INVALID_INPUT", "count must be an integer from 0 to 10000");
      }
      for (let i = 0; i < count; i++) failures.push({ ...failure });
    },
    rateLimitNext(count, errorCode = 60007) {
      emulator.failNext(count, { errorCode, errorInfo: "emulated rate limit" });
    },
    revokeUserSigs() {
      revokedUpToMs = readClock(clock);
    },
    setOnlineStatus(userId, status) {
      const account = accounts.get(userId);
      if (!account) throw new ImAuthError("ERR_INVALID_INPUT", "setOnlineStatus needs an imported account");
      account.status = status;
    },
    reset() {
      calls.length = 0;
      accounts.clear();
      messages.length = 0;
      failures = [];
      revokedUpToMs = -1;
    },
    signCallback: sign,
    async sendCallback(target, command, body, opts = {}) {
      const { fetch: fetchImpl, ...signOptions } = opts;
      const raw = sign(
        command,
        body,
        typeof target === "string" ? { ...signOptions, url: target } : signOptions,
      );
      const request = new Request(raw.url, {
        method: "POST",
        headers: raw.headers as HeadersInit,
        body: raw.body as BodyInit,
      });
      const response =
        typeof target === "function" ? await target(request) : await (fetchImpl ?? globalThis.fetch)(request);
      const text = await response.text();
      let reply: unknown;
      try {
        reply = text.length > 0 ? JSON.parse(text) : undefined;
      } catch {
        reply = undefined;
      }
      const r = reply as { ActionStatus?: unknown; ErrorCode?: unknown } | undefined;
      return { status: response.status, reply, ok: r?.ActionStatus === "OK" && r.ErrorCode === 0 };
    },
  };
  return redactable(emulator, "TencentEmulator");
}

function userSigError(error: unknown): EmulatedError {
  if (isImAuthError(error)) {
    switch (error.code) {
      case "ERR_CREDENTIAL_EXPIRED":
        return new EmulatedError(70001, "the UserSig has expired");
      case "ERR_SIGNATURE_INVALID":
        return new EmulatedError(70009, "the UserSig signature does not verify");
      case "ERR_USER_MISMATCH":
        return new EmulatedError(70013, "the UserSig was issued for another identifier");
      case "ERR_APP_MISMATCH":
        return new EmulatedError(70014, "the UserSig was issued for another SDKAppID");
      default:
        break;
    }
  }
  return new EmulatedError(70003, "the UserSig is invalid");
}
