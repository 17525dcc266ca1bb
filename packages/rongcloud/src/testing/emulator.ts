import { type Clock, isImAuthError, Secret } from "@imauth/core";
import { parseConfig, readClock, redactable } from "@imauth/core/adapter";
import {
  deliverCallback,
  type ImCallbackResult,
  type ImCallbackTarget,
  type ImEmulator,
  type ImEmulatorCall,
} from "@imauth/core/testing";
import { z } from "zod/mini";
import { DEFAULT_REQUEST_MAX_SKEW_SECONDS, verifyRongCloudHeaders } from "../verify.js";
import { type RongCloudCallback, signRongCloudCallback } from "./callback.js";
import {
  createFailureQueue,
  DEFAULT_FAILURE,
  type FailureQueue,
  type PlayedFailure,
  RATE_LIMIT_FAILURE,
  type RongCloudEmulatorFailure,
} from "./failures.js";
import {
  EmulatedError,
  type EmulatorState,
  findHandler,
  type RongCloudEmulatedMessage,
  type RongCloudEmulatorUser,
} from "./handlers.js";

const secretLike = z.union([z.string().check(z.minLength(1), z.maxLength(4096)), z.instanceof(Secret)]);

const EmulatorOptions = z.strictObject({
  appKey: z.string().check(z.minLength(1), z.maxLength(128)),
  appSecret: secretLike,
  clock: z.optional(z.custom<Clock>((value) => typeof value === "function")),
  requestMaxSkewSeconds: z.optional(z.int().check(z.minimum(1), z.maximum(86_400))),
  rejectReplayedNonce: z.optional(z.boolean()),
});

/**
 * Options of {@link createRongCloudEmulator}.
 *
 * @example
 * ```ts
 * const options: RongCloudEmulatorOptions = { appKey, appSecret, rejectReplayedNonce: true };
 * const emulator = createRongCloudEmulator(options);
 * ```
 */
export interface RongCloudEmulatorOptions {
  /** The App Key requests must carry. */
  appKey: string;
  /** The App Secret signatures and callbacks are made with. */
  appSecret: string | Secret;
  /** Source of the current time (epoch milliseconds), for Timestamp checks, tokens and callbacks. */
  clock?: Clock;
  /**
   * Largest accepted |Timestamp - now| of a request, in seconds (1 to 86400). Default 300. RongCloud
   * documents that it checks the timestamp without giving the window.
   */
  requestMaxSkewSeconds?: number;
  /** Answer 1004 to a request whose Nonce was seen before (stricter than RongCloud documents). Default false. */
  rejectReplayedNonce?: boolean;
}

/**
 * One call the emulator answered: core's `ImEmulatorCall` (`vendorCode` is RongCloud's `code`) and the
 * call's signature headers.
 *
 * @example
 * ```ts
 * const nonces = emulator.calls.map((call: RongCloudEmulatorCall) => call.nonce);
 * ```
 */
export interface RongCloudEmulatorCall extends ImEmulatorCall {
  /** The `Nonce` (or `RC-Nonce`) header, if any. */
  nonce?: string;
  /** The `Timestamp` header, if any. */
  timestamp?: string;
  /** The `Signature` header, if any. */
  signature?: string;
}

/**
 * RongCloud's server API and callbacks in memory, made by {@link createRongCloudEmulator}: core's
 * `ImEmulator` with RongCloud's extras (users and their tokens, messages, rate limits, request checks).
 *
 * @example
 * ```ts
 * const emulator: RongCloudEmulator = createRongCloudEmulator({ appKey, appSecret });
 * emulator.failNext(2, { vendorCode: 1000 });
 * ```
 */
export interface RongCloudEmulator extends ImEmulator<RongCloudCallback> {
  /** Every call answered, in order. */
  readonly calls: readonly RongCloudEmulatorCall[];
  /** The users, by user ID. */
  readonly users: ReadonlyMap<string, RongCloudEmulatorUser>;
  /** The messages sent through `message/private/publish.json`, in order. */
  readonly messages: readonly RongCloudEmulatedMessage[];
  /** Plays `failure` (default code 1000, HTTP 500) for the next `count` calls. */
  failNext(count: number, failure?: RongCloudEmulatorFailure): void;
  /** The next `count` calls are rate limited (code 1008, HTTP 429). */
  rateLimitNext(count: number): void;
  /**
   * Whether RongCloud would let `userId` connect with `token`: a token issued to that user, not expired by
   * `user/token/expire.json` and not revoked by {@link RongCloudEmulator.revokeCredentials}.
   */
  acceptsLogin(userId: string, token: string): boolean;
  /** Revokes every token issued so far (tokens issued later are valid). Signed API calls are not affected. */
  revokeCredentials(): void;
  /** Checks a request's signature headers like RongCloud; throws `ImAuthError` (see `verifyRongCloudHeaders`). */
  verifyRequest(request: Request): Promise<void>;
}

/** What request authentication needs. */
interface AuthContext {
  appKey: string;
  appSecret: string;
  clock: Clock | undefined;
  requestMaxSkewSeconds: number;
  rejectReplayedNonce: boolean;
  seenNonces: Set<string>;
}

/**
 * Creates an emulator of RongCloud's server API for offline tests. Requests must carry `App-Key`, `Nonce`
 * (at most 18 characters), `Timestamp` (milliseconds or seconds, within `requestMaxSkewSeconds`) and a matching
 * `Signature`, or the same with the `RC-` prefix; otherwise it answers code 1004 with HTTP 401 (1001 for
 * another App Key). It answers `user/getToken.json` (registers the user, issues a token),
 * `user/refresh.json`, `user/token/expire.json` and `message/private/publish.json` from memory (form bodies,
 * `{ code: 200, ... }`, errors `{ code, errorMessage }` with RongCloud's HTTP status), and an unknown API
 * with HTTP 404 / code 404. It plays failures and rate limits, tells whether a login would be accepted,
 * revokes tokens and sends signed callbacks.
 *
 * @example
 * ```ts
 * import { createRongCloudImClient } from "@imauth/rongcloud/client";
 * import { createRongCloudEmulator } from "@imauth/rongcloud/testing";
 *
 * const emulator = createRongCloudEmulator({ appKey, appSecret, clock: () => 1_700_000_000_000 });
 * const client = createRongCloudImClient(provider, { baseUrl: "http://rc.test/", fetch: emulator.fetch });
 * emulator.failNext(1, { vendorCode: 1000 });
 * const { token } = await client.getToken("user01"); // retried once, then issued
 * emulator.acceptsLogin("user01", token); // true
 * ```
 */
export function createRongCloudEmulator(options: RongCloudEmulatorOptions): RongCloudEmulator {
  const config = parseConfig(EmulatorOptions, options, "createRongCloudEmulator options");
  const { appKey, clock } = config;
  const appSecret = typeof config.appSecret === "string" ? config.appSecret : config.appSecret.reveal();
  const auth: AuthContext = {
    appKey,
    appSecret,
    clock,
    requestMaxSkewSeconds: config.requestMaxSkewSeconds ?? DEFAULT_REQUEST_MAX_SKEW_SECONDS,
    rejectReplayedNonce: config.rejectReplayedNonce ?? false,
    seenNonces: new Set(),
  };
  const state: EmulatorState = { users: new Map(), messages: [], revoked: new Set() };
  const calls: RongCloudEmulatorCall[] = [];
  const failures = createFailureQueue();
  const signCallback = (callback: RongCloudCallback) =>
    signRongCloudCallback({ ...callback, appSecret, clock });
  const emulator: RongCloudEmulator = {
    fetch: createRouter(state, auth, failures, calls),
    calls,
    users: state.users,
    messages: state.messages,
    failNext: (count, failure = DEFAULT_FAILURE) => failures.push(count, failure),
    rateLimitNext: (count) => failures.push(count, RATE_LIMIT_FAILURE),
    acceptsLogin: (userId, token) => acceptsLogin(state, userId, token),
    revokeCredentials() {
      for (const user of state.users.values())
        for (const token of user.tokens.keys()) state.revoked.add(token);
    },
    verifyRequest: async (request) => {
      verifyRongCloudHeaders(request.headers, {
        appKey,
        appSecret,
        clock,
        requestMaxSkewSeconds: auth.requestMaxSkewSeconds,
      });
    },
    signCallback,
    sendCallback: (target, callback) =>
      deliver(target, signCallback(typeof target === "string" ? { ...callback, url: target } : callback)),
    reset() {
      calls.length = 0;
      state.users.clear();
      state.messages.length = 0;
      state.revoked.clear();
      auth.seenNonces.clear();
      failures.clear();
    },
  };
  return redactable(emulator, "RongCloudEmulator");
}

function acceptsLogin(state: EmulatorState, userId: string, token: string): boolean {
  const issuedAtMs = state.users.get(userId)?.tokens.get(token);
  if (issuedAtMs === undefined || state.revoked.has(token)) return false;
  return issuedAtMs >= state.users.get(userId)!.expiredBeforeMs;
}

/** Checks a call's signature headers as RongCloud does; throws {@link EmulatedError}. */
function authenticate(headers: Headers, auth: AuthContext): void {
  const { appKey, appSecret, clock, requestMaxSkewSeconds } = auth;
  let nonce: string;
  try {
    ({ nonce } = verifyRongCloudHeaders(headers, { appKey, appSecret, clock, requestMaxSkewSeconds }));
  } catch (error) {
    if (!isImAuthError(error)) throw error;
    if (error.code === "ERR_APP_MISMATCH")
      throw new EmulatedError(1001, "App Key and App Secret do not match");
    throw new EmulatedError(1004, `signature error: ${error.message}`);
  }
  if (auth.rejectReplayedNonce && auth.seenNonces.has(nonce)) throw new EmulatedError(1004, "Nonce replayed");
  auth.seenNonces.add(nonce);
}

function recordCall(request: Request, path: string): RongCloudEmulatorCall {
  const h = request.headers;
  const call: RongCloudEmulatorCall = { method: request.method, path, status: 0, vendorCode: -1 };
  const nonce = h.get("Nonce") ?? h.get("RC-Nonce");
  const timestamp = h.get("Timestamp") ?? h.get("RC-Timestamp");
  const signature = h.get("Signature") ?? h.get("RC-Signature");
  if (nonce !== null) call.nonce = nonce;
  if (timestamp !== null) call.timestamp = timestamp;
  if (signature !== null) call.signature = signature;
  return call;
}

function json(status: number, body: Record<string, unknown>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json;charset=utf-8" },
  });
}

function createRouter(
  state: EmulatorState,
  auth: AuthContext,
  failures: FailureQueue,
  calls: RongCloudEmulatorCall[],
): typeof fetch {
  async function route(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname.replace(/^\/+/, "");
    const call = recordCall(request, path);
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
    const answer = await answerCall(state, auth, request, path, failure);
    call.status = answer.status;
    call.vendorCode = answer.code;
    return json(answer.status, answer.body);
  }
  return route as typeof fetch;
}

async function answerCall(
  state: EmulatorState,
  auth: AuthContext,
  request: Request,
  path: string,
  failure: PlayedFailure | undefined,
): Promise<{ status: number; code: number; body: Record<string, unknown> }> {
  try {
    if (failure?.kind === "envelope")
      throw new EmulatedError(failure.vendorCode, failure.errorMessage, failure.status);
    authenticate(request.headers, auth);
    const found = findHandler(path);
    if (found === undefined) throw new EmulatedError(404, "Not Found", 404);
    if (request.method !== "POST") throw new EmulatedError(1002, "the API takes POST", 405);
    const fields = found.handler(state, await readForm(request), Math.floor(readClock(auth.clock)));
    return { status: 200, code: 200, body: { code: 200, ...fields } };
  } catch (error) {
    if (!(error instanceof EmulatedError)) throw error;
    const body = { code: error.vendorCode, errorMessage: error.message };
    return { status: error.status, code: error.vendorCode, body };
  }
}

async function readForm(request: Request): Promise<URLSearchParams> {
  const text = await request.text();
  if (text === "") throw new EmulatedError(1003, "no POST data");
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (!type.startsWith("application/x-www-form-urlencoded")) {
    throw new EmulatedError(1002, "Content-Type must be application/x-www-form-urlencoded");
  }
  return new URLSearchParams(text);
}

/** POSTs a signed callback or hands it to a handler; a message-callback reply with `pass: 0` is a refusal. */
const deliver = (target: ImCallbackTarget, request: Request): Promise<ImCallbackResult> =>
  deliverCallback(target, request, (reply) => (reply as { pass?: unknown } | undefined)?.pass !== 0);
