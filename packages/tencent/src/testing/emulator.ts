import { type Clock, ImAuthError, Secret } from "@imauth/core";
import { parseConfig, readClock, redactable, utf8Decode } from "@imauth/core/adapter";
import {
  deliverCallback,
  type ImCallbackResult,
  type ImCallbackTarget,
  type ImEmulator,
  type ImEmulatorCall,
} from "@imauth/core/testing";
import { z } from "zod/mini";
import { hmacVerifier, type UserSigVerifier } from "../signer.js";
import { type AuthContext, authenticate } from "./auth.js";
import {
  signTencentCallback,
  signTrtcCallback,
  type TencentCallback,
  type TrtcCallback,
} from "./callback.js";
import {
  createFailureQueue,
  DEFAULT_FAILURE,
  type FailureQueue,
  type TencentEmulatorFailure,
} from "./failures.js";
import {
  API_HANDLERS,
  EmulatedError,
  type EmulatorState,
  type TencentEmulatorAccount,
  type TencentEmulatorGroup,
  type TencentEmulatorMessage,
} from "./handlers.js";

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
  trtcCallbackKey: z.optional(secretLike),
  groups: z.optional(
    z.array(z.object({ groupId: z.string().check(z.minLength(1), z.maxLength(48)), type: z.string() })),
  ),
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
  /** The groups the application has (for `get_appid_group_list`). Default none. */
  groups?: readonly TencentEmulatorGroup[];
  /** The TRTC callback key, needed by `signTrtcCallback` and `sendTrtcCallback`. */
  trtcCallbackKey?: string | Secret;
}

/**
 * One REST call the emulator answered: core's `ImEmulatorCall` from `@imauth/core/testing` (`vendorCode` is the `ErrorCode`) and
 * the `identifier` it was made as.
 *
 * @example
 * ```ts
 * emulator.calls.filter((c: TencentEmulatorCall) => c.vendorCode !== 0);
 * ```
 */
export interface TencentEmulatorCall extends ImEmulatorCall {
  /** The `identifier` query parameter. */
  identifier?: string;
}

/**
 * An in-memory stand-in for Tencent Cloud IM's REST API and callbacks, made by {@link createTencentEmulator}:
 * core's `ImEmulator` with Tencent's extras (accounts, messages, groups, rate limits, online status).
 *
 * @example
 * ```ts
 * const client = createTencentImClient(provider, { fetch: emulator.fetch });
 * await client.importAccount({ userId: "alice" });
 * emulator.accounts.has("alice"); // true
 * ```
 */
export interface TencentEmulator extends ImEmulator<TencentCallback> {
  /** Every REST call answered, in order. */
  readonly calls: readonly TencentEmulatorCall[];
  /** The imported accounts. */
  readonly accounts: ReadonlyMap<string, TencentEmulatorAccount>;
  /** The messages sent. */
  readonly messages: readonly TencentEmulatorMessage[];
  /** The application's groups. */
  readonly groups: readonly TencentEmulatorGroup[];
  /** Plays `failure` (default ErrorCode 70500) for the next `count` calls. */
  failNext(count: number, failure?: TencentEmulatorFailure): void;
  /** Answers the next `count` calls with a rate-limit ErrorCode (default 60007). */
  rateLimitNext(count: number, vendorCode?: number): void;
  /** Sets the online status `query_online_status` reports for an imported account. */
  setOnlineStatus(userId: string, status: "Online" | "PushOnline" | "Offline"): void;
  /** A TRTC event callback signed with the `trtcCallbackKey` option, as a `Request`. */
  signTrtcCallback(event: TrtcCallback): Request;
  /** Signs a TRTC event callback and delivers it; TRTC counts any HTTP 200 as a success. */
  sendTrtcCallback(target: ImCallbackTarget, event: TrtcCallback): Promise<ImCallbackResult>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Creates an emulator of Tencent Cloud IM's REST API for offline tests. It authenticates every call the way
 * Tencent does (the UserSig is decoded and verified with `verifier`, `identifier` must be the admin,
 * `sdkappid`, `random` and `contenttype=json` must be right) and answers with Tencent's envelope and codes:
 * 70001 expired UserSig, 70003 malformed UserSig, 70009 wrong signature, 70013 UserSig for another user, 70014
 * for another app, 70020 unknown SDKAppID, 70052 revoked, 60010 not the admin, 60002 bad query or unknown
 * API, 60003 bad JSON. It keeps accounts and messages for `account_import`, `multiaccount_import`,
 * `account_delete`, `account_check`, `kick`, `query_online_status` and `sendmsg`, lists groups for
 * `get_appid_group_list`, plays failures and rate limits, revokes UserSigs, and sends signed callbacks.
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
  const auth: AuthContext = {
    sdkAppId,
    adminUserId: config.adminUserId ?? "administrator",
    verifier: readVerifier(config.verifier, config.secretKey),
    clock,
    revokedUpToSeconds: -1,
  };
  const initialGroups = (config.groups ?? []).map((g) => ({ ...g }));
  let msgSeq = 0;
  const state: EmulatorState = {
    adminUserId: auth.adminUserId,
    accounts: new Map(),
    messages: [],
    groups: initialGroups.map((g) => ({ ...g })),
    nowSeconds: () => Math.floor(readClock(clock) / 1000),
    nextMsgSeq: () => ++msgSeq,
  };
  const calls: TencentEmulatorCall[] = [];
  const failures = createFailureQueue();
  const fetch = createRouter(state, auth, failures, calls);

  function signCallback(callback: TencentCallback): Request {
    if (callbackToken === undefined) {
      throw new ImAuthError(
        "ERR_INVALID_CONFIG",
        "signing callbacks needs the emulator's callbackToken option",
      );
    }
    return signTencentCallback({ ...callback, sdkAppId, callbackToken, clock });
  }

  const emulator: TencentEmulator = {
    fetch,
    calls,
    accounts: state.accounts,
    messages: state.messages,
    groups: state.groups,
    failNext: (count, failure = DEFAULT_FAILURE) => failures.push(count, failure),
    rateLimitNext: (count, vendorCode = 60007) =>
      failures.push(count, { vendorCode, errorInfo: "emulated rate limit" }),
    revokeCredentials() {
      auth.revokedUpToSeconds = state.nowSeconds();
    },
    setOnlineStatus(userId, status) {
      const account = state.accounts.get(userId);
      if (!account) throw new ImAuthError("ERR_INVALID_INPUT", "setOnlineStatus needs an imported account");
      account.status = status;
    },
    reset() {
      calls.length = 0;
      state.accounts.clear();
      state.messages.length = 0;
      state.groups.splice(0, state.groups.length, ...initialGroups.map((g) => ({ ...g })));
      failures.clear();
      auth.revokedUpToSeconds = -1;
    },
    signCallback,
    sendCallback: (target, callback) =>
      deliver(target, signCallback(typeof target === "string" ? { ...callback, url: target } : callback)),
    signTrtcCallback: (event) => signTrtcCallback({ ...event, ...trtcSigner(config) }),
    sendTrtcCallback: (target, event) =>
      deliverCallback(
        target,
        signTrtcCallback({
          ...event,
          ...(typeof target === "string" ? { url: target } : {}),
          ...trtcSigner(config),
        }),
        () => true,
      ),
  };
  return redactable(emulator, "TencentEmulator");
}

/** Who signs TRTC event callbacks: the emulator's app, key and clock. */
function trtcSigner(config: {
  sdkAppId: number;
  trtcCallbackKey?: string | Secret | undefined;
  clock?: Clock | undefined;
}) {
  const { sdkAppId, trtcCallbackKey, clock } = config;
  if (trtcCallbackKey === undefined) {
    throw new ImAuthError(
      "ERR_INVALID_CONFIG",
      "signing TRTC callbacks needs the emulator's trtcCallbackKey option",
    );
  }
  return { sdkAppId, callbackKey: trtcCallbackKey, clock };
}

function readVerifier(
  verifier: UserSigVerifier | undefined,
  secretKey: string | Secret | undefined,
): UserSigVerifier {
  if (verifier !== undefined) return verifier;
  if (secretKey === undefined) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "createTencentEmulator needs secretKey (or a verifier)");
  }
  return hmacVerifier({ secretKey });
}

/**
 * The emulator's `fetch`: records each call, plays a queued failure or authenticates the call and routes it
 * to its handler, and answers in Tencent's envelope. An unknown API is answered as Tencent answers a URL
 * naming no service or command: ErrorCode 60002 (HTTP parse error: check the URL).
 */
function createRouter(
  state: EmulatorState,
  auth: AuthContext,
  failures: FailureQueue,
  calls: TencentEmulatorCall[],
): typeof fetch {
  async function route(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const url = new URL(request.url);
    const path = url.pathname.replace(/^\/+/, "");
    const identifier = url.searchParams.get("identifier") ?? undefined;
    const record = (status: number, vendorCode: number) =>
      calls.push({
        method: request.method,
        path,
        ...(identifier === undefined ? {} : { identifier }),
        status,
        vendorCode,
      });
    const failure = failures.next();
    if (failure?.kind === "disconnect") {
      record(0, -1);
      throw new TypeError("emulated network failure");
    }
    if (failure?.kind === "status") {
      record(failure.status, -1);
      return new Response("emulated server error", {
        status: failure.status,
        headers: { "content-type": "text/plain" },
      });
    }
    if (failure?.kind === "envelope") {
      record(failure.status, failure.vendorCode);
      return envelope(failure.status, failure.vendorCode, failure.errorInfo);
    }
    try {
      const result = await answer(request, url, path, state, auth);
      record(200, 0);
      return envelope(200, 0, "", result);
    } catch (error) {
      if (!(error instanceof EmulatedError)) throw error;
      record(200, error.errorCode);
      return envelope(200, error.errorCode, error.message);
    }
  }
  return route as typeof fetch;
}

async function answer(
  request: Request,
  url: URL,
  path: string,
  state: EmulatorState,
  auth: AuthContext,
): Promise<Record<string, unknown>> {
  if (request.method !== "POST") throw new EmulatedError(60002, "REST APIs are called with POST");
  await authenticate(url, auth);
  const handler = API_HANDLERS.get(path);
  if (handler === undefined) {
    throw new EmulatedError(60002, "HTTP parse error: no such service or command, check the request URL");
  }
  return handler(state, await readBody(request));
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

function envelope(
  status: number,
  errorCode: number,
  info: string,
  extra: Record<string, unknown> = {},
): Response {
  const body = {
    ActionStatus: errorCode === 0 ? "OK" : "FAIL",
    ErrorCode: errorCode,
    ErrorInfo: info,
    ...extra,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

/** POSTs a signed callback or hands it to a handler; Tencent counts only an OK envelope as a success. */
const deliver = (target: ImCallbackTarget, request: Request): Promise<ImCallbackResult> =>
  deliverCallback(target, request, (reply) => {
    const r = reply as { ActionStatus?: unknown; ErrorCode?: unknown } | undefined;
    return r?.ActionStatus === "OK" && r.ErrorCode === 0;
  });
