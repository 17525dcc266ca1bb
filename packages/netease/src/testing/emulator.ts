import { type Clock, ImAuthError, Secret } from "@imauth/core";
import { parseConfig, readClock, redactable } from "@imauth/core/adapter";
import {
  deliverCallback,
  type ImCallbackResult,
  type ImCallbackTarget,
  type ImEmulator,
  type ImEmulatorCall,
} from "@imauth/core/testing";
import { z } from "zod/mini";
import { verifyDynamicToken } from "../verify.js";
import { type AuthContext, authenticate, EmulatedError } from "./auth.js";
import { type NeteaseCallback, signNeteaseCallback } from "./callback.js";
import {
  createFailureQueue,
  DEFAULT_FAILURE,
  type FailureQueue,
  type NeteaseEmulatorFailure,
  RATE_LIMIT_FAILURE,
} from "./failures.js";
import { type EmulatorState, findV2Route, type NeteaseEmulatorAccount, V1_HANDLERS } from "./handlers.js";

const secretLike = z.union([z.string().check(z.minLength(1), z.maxLength(4096)), z.instanceof(Secret)]);

const EmulatorOptions = z.strictObject({
  appKey: z.string().check(z.minLength(1), z.maxLength(128)),
  appSecret: secretLike,
  clock: z.optional(z.custom<Clock>((value) => typeof value === "function")),
  rejectReplayedNonce: z.optional(z.boolean()),
});

/**
 * Options of {@link createNeteaseEmulator}.
 *
 * @example
 * ```ts
 * const options: NeteaseEmulatorOptions = { appKey, appSecret, rejectReplayedNonce: true };
 * const emulator = createNeteaseEmulator(options);
 * ```
 */
export interface NeteaseEmulatorOptions {
  /** The AppKey requests must carry. */
  appKey: string;
  /** The AppSecret CheckSums, callbacks and dynamic tokens are made with. */
  appSecret: string | Secret;
  /** Source of the current time (epoch milliseconds), for `CurTime` checks and callbacks. Default `Date.now`. */
  clock?: Clock;
  /** Answer 414 to a request whose Nonce was seen before (stricter than NetEase documents). Default false. */
  rejectReplayedNonce?: boolean;
}

/**
 * One call the emulator answered: core's `ImEmulatorCall` (`vendorCode` is NetEase's `code`) and the
 * call's CheckSum headers.
 *
 * @example
 * ```ts
 * const nonces = emulator.calls.map((call: NeteaseEmulatorCall) => call.nonce);
 * ```
 */
export interface NeteaseEmulatorCall extends ImEmulatorCall {
  /** The `Nonce` header, if any. */
  nonce?: string;
  /** The `CurTime` header (Unix seconds), if any. */
  curTime?: string;
  /** The `CheckSum` header, if any. */
  checkSum?: string;
}

/**
 * NetEase's server API and callbacks in memory, made by {@link createNeteaseEmulator}: core's
 * `ImEmulator` with NetEase's extras (accounts, logins, rate limits, request checks).
 *
 * @example
 * ```ts
 * const emulator: NeteaseEmulator = createNeteaseEmulator({ appKey, appSecret });
 * emulator.failNext(2, { vendorCode: 503 });
 * ```
 */
export interface NeteaseEmulator extends ImEmulator<NeteaseCallback> {
  /** Every call answered, in order. */
  readonly calls: readonly NeteaseEmulatorCall[];
  /** The accounts, by accid. */
  readonly accounts: ReadonlyMap<string, NeteaseEmulatorAccount>;
  /** Plays `failure` (default code 503) for the next `count` calls. */
  failNext(count: number, failure?: NeteaseEmulatorFailure): void;
  /** The next `count` calls are rate limited (code 416). */
  rateLimitNext(count: number): void;
  /**
   * Whether NetEase would let `accid` log in with `token`: its current static token, or a valid dynamic
   * token for it (made with the emulator's AppKey and AppSecret), unless the account is disabled or the
   * token was revoked by {@link NeteaseEmulator.revokeCredentials}.
   */
  acceptsLogin(accid: string, token: string): boolean;
  /**
   * Revokes the login credentials issued so far: every account's current static token, every dynamic token
   * issued before now, and every dynamic token `acceptsLogin` accepted up to now (so a token issued later at
   * the same instant, with a clock that stands still, is still valid). CheckSum-signed API calls are not
   * affected: they are signed with the AppSecret, which a revocation does not change.
   */
  revokeCredentials(): void;
  /** Checks a request's CheckSum headers like NetEase; throws `ImAuthError` `ERR_SIGNATURE_INVALID`. */
  verifyRequest(request: Request): Promise<void>;
}

/** Login state: revoked static tokens, dynamic tokens seen, the revocation instant. */
interface Logins {
  revokedStatic: Set<string>;
  acceptedDynamic: Set<string>;
  revokedDynamic: Set<string>;
  revokedBeforeMs: number;
}

/**
 * Creates an emulator of NetEase's server API for offline tests: requests must carry `AppKey`, `Nonce` (at
 * most 128 characters), `CurTime` (seconds, within 5 minutes) and a matching `CheckSum`, else code 414 (403
 * for another AppKey). It answers v1 (`user/create.action`, `user/refreshToken.action`, `user/update.action`:
 * form bodies, `{code, info|desc}`) and v2 (`POST im/v2/accounts`, `GET` and `PATCH im/v2/accounts/{id}`,
 * `PATCH .../actions/refresh_token`: JSON, `{code, msg, data}`) account calls from an in-memory store, and an
 * unknown API with NetEase's not-found error (HTTP 404, code 404). It plays failures and rate limits, tells
 * whether a login would be accepted, revokes credentials and sends signed callbacks.
 *
 * @example
 * ```ts
 * import { createNeteaseImClient } from "@imauth/netease/client";
 * import { createNeteaseEmulator } from "@imauth/netease/testing";
 *
 * const emulator = createNeteaseEmulator({ appKey, appSecret, clock: () => 1_700_000_000_000 });
 * const client = createNeteaseImClient(provider, { baseUrl: "http://nim.test/nimserver/", fetch: emulator.fetch });
 * emulator.failNext(1, { vendorCode: 503 });
 * const { token } = await client.createAccount("user01"); // retried once, then created
 * emulator.acceptsLogin("user01", token); // true
 * ```
 */
export function createNeteaseEmulator(options: NeteaseEmulatorOptions): NeteaseEmulator {
  const config = parseConfig(EmulatorOptions, options, "createNeteaseEmulator options");
  const { appKey, clock } = config;
  const appSecret = typeof config.appSecret === "string" ? config.appSecret : config.appSecret.reveal();
  const auth: AuthContext = {
    appKey,
    appSecret,
    clock,
    rejectReplayedNonce: config.rejectReplayedNonce ?? false,
    seenNonces: new Set(),
  };
  const state: EmulatorState = { accounts: new Map() };
  const logins = newLogins();
  const calls: NeteaseEmulatorCall[] = [];
  const failures = createFailureQueue();
  const signCallback = (callback: NeteaseCallback) =>
    signNeteaseCallback({ ...callback, appKey, appSecret, clock });

  const emulator: NeteaseEmulator = {
    fetch: createRouter(state, auth, failures, calls),
    calls,
    accounts: state.accounts,
    failNext: (count, failure = DEFAULT_FAILURE) => failures.push(count, failure),
    rateLimitNext: (count) => failures.push(count, RATE_LIMIT_FAILURE),
    acceptsLogin: (accid, token) => acceptsLogin(state, auth, logins, accid, token),
    revokeCredentials() {
      for (const account of state.accounts.values()) logins.revokedStatic.add(account.token);
      for (const token of logins.acceptedDynamic) logins.revokedDynamic.add(token);
      logins.revokedBeforeMs = Math.floor(readClock(clock));
    },
    verifyRequest: async (request) => verifyRequest(request, auth),
    signCallback,
    sendCallback: (target, callback) =>
      deliver(target, signCallback(typeof target === "string" ? { ...callback, url: target } : callback)),
    reset() {
      calls.length = 0;
      state.accounts.clear();
      auth.seenNonces.clear();
      failures.clear();
      Object.assign(logins, newLogins());
    },
  };
  return redactable(emulator, "NeteaseEmulator");
}

function newLogins(): Logins {
  return {
    revokedStatic: new Set(),
    acceptedDynamic: new Set(),
    revokedDynamic: new Set(),
    revokedBeforeMs: -1,
  };
}

function acceptsLogin(state: EmulatorState, auth: AuthContext, logins: Logins, accid: string, token: string) {
  const account = state.accounts.get(accid);
  if (account?.configuration.enabled === false) return false;
  if (account?.token === token) return !logins.revokedStatic.has(token);
  let curTimeMs: number;
  try {
    ({ curTimeMs } = verifyDynamicToken({
      token,
      appKey: auth.appKey,
      appSecret: auth.appSecret,
      accid,
      clock: auth.clock,
    }));
  } catch {
    return false;
  }
  if (curTimeMs < logins.revokedBeforeMs || logins.revokedDynamic.has(token)) return false;
  logins.acceptedDynamic.add(token);
  return true;
}

async function verifyRequest(request: Request, auth: AuthContext): Promise<void> {
  try {
    authenticate(request.headers, auth);
  } catch (error) {
    if (!(error instanceof EmulatedError)) throw error;
    throw new ImAuthError(
      "ERR_SIGNATURE_INVALID",
      `NetEase would answer ${error.vendorCode}: ${error.message}`,
      { vendorCode: error.vendorCode, vendorMessage: error.message },
    );
  }
}

/**
 * The emulator's `fetch`: records each call, plays a queued failure or authenticates the call and routes it
 * to its handler, and answers in NetEase's envelope (v1 `{code, desc}`, v2 `{code, msg}`).
 */
function createRouter(
  state: EmulatorState,
  auth: AuthContext,
  failures: FailureQueue,
  calls: NeteaseEmulatorCall[],
): typeof fetch {
  async function route(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const path = new URL(request.url).pathname.replace(/^\/+/, "").replace(/^nimserver\//, "");
    const v2 = path.startsWith("im/v2/");
    const call: NeteaseEmulatorCall = { method: request.method, path, status: 0, vendorCode: -1 };
    for (const [field, header] of [
      ["nonce", "Nonce"],
      ["curTime", "CurTime"],
      ["checkSum", "CheckSum"],
    ] as const) {
      const value = request.headers.get(header);
      if (value !== null) call[field] = value;
    }
    calls.push(call);
    const failure = failures.next();
    if (failure?.kind === "disconnect") throw new TypeError("emulated network failure");
    if (failure?.kind === "status") {
      call.status = failure.status;
      return new Response("emulated server error", {
        status: failure.status,
        headers: { "content-type": "text/plain" },
      });
    }
    let answer: { status: number; vendorCode: number; body: Record<string, unknown> };
    try {
      if (failure?.kind === "envelope")
        throw new EmulatedError(failure.vendorCode, failure.desc, failure.status);
      authenticate(request.headers, auth);
      const body = await (v2 ? answerV2(state, request, path) : answerV1(state, request, path));
      answer = { status: 200, vendorCode: 200, body: { code: 200, ...body } };
    } catch (error) {
      if (!(error instanceof EmulatedError)) throw error;
      const text = v2 ? { msg: error.message } : { desc: error.message };
      answer = {
        status: error.status,
        vendorCode: error.vendorCode,
        body: { code: error.vendorCode, ...text },
      };
    }
    call.status = answer.status;
    call.vendorCode = answer.vendorCode;
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { "content-type": "application/json;charset=utf-8" },
    });
  }
  return route as typeof fetch;
}

/** NetEase's answer to a path it does not serve: HTTP 404 with code 404. */
function notFound(): EmulatedError {
  return new EmulatedError(404, "Not Found: no such API", 404);
}

async function answerV1(
  state: EmulatorState,
  request: Request,
  path: string,
): Promise<Record<string, unknown>> {
  const handler = V1_HANDLERS.get(path);
  if (handler === undefined) throw notFound();
  if (request.method !== "POST") throw new EmulatedError(414, "v1 APIs take POST");
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    throw new EmulatedError(414, "Content-Type must be application/x-www-form-urlencoded;charset=utf-8");
  }
  return handler(state, new URLSearchParams(await request.text()));
}

async function answerV2(
  state: EmulatorState,
  request: Request,
  path: string,
): Promise<Record<string, unknown>> {
  const found = findV2Route(request.method, path);
  if (found === undefined) throw notFound();
  const data = found.route.handle(state, found.accountId, await readJson(request));
  return { msg: "success", data };
}

async function readJson(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text === "") return {};
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
    throw new EmulatedError(414, "Content-Type must be application/json");
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {}
  throw new EmulatedError(414, "body is not a JSON object");
}

/** POSTs a signed callback or hands it to a handler. Message copies only need HTTP 200; a pre-check answered errCode 1 was a refusal. */
const deliver = (target: ImCallbackTarget, request: Request): Promise<ImCallbackResult> =>
  deliverCallback(target, request, (reply) => (reply as { errCode?: unknown } | undefined)?.errCode !== 1);
