import { type Clock, ImAuthError, isImAuthError, type Secret } from "@imauth/core";
import { assertOptionsObject, keyList, readClock, redactable } from "@imauth/core/adapter";
import {
  deliverCallback,
  type ImCallbackResult,
  type ImCallbackTarget,
  type ImEmulator,
  type ImEmulatorCall,
} from "@imauth/core/testing";
import { readAppId, readCertificates } from "../accesstoken.js";
import { type DecodedAccessToken, verifyAccessToken } from "../verify.js";
import { type AgoraCallback, signAgoraCallback } from "./callback.js";
import { type AgoraEmulatorFailure, createFailureQueue, type FailureQueue } from "./failures.js";
import { type ChatState, EmulatedError, routeChat } from "./handlers.js";

/**
 * Options of {@link createAgoraEmulator}.
 *
 * @example
 * ```ts
 * const options: AgoraEmulatorOptions = { appId, appCertificate, ncsSecret, orgName: "61717166", appName: "demo" };
 * ```
 */
export interface AgoraEmulatorOptions {
  /** The App ID tokens must name. */
  appId: string;
  /** The App Certificate tokens are signed with. */
  appCertificate: string | Secret;
  /** The NCS secret callbacks are signed with (needed by `signCallback` and `sendCallback`). */
  ncsSecret?: string | Secret;
  /** The Chat org name request paths must start with. Default: any (the first segment of the path). */
  orgName?: string;
  /** The Chat app name request paths must carry after the org name. Default: any. */
  appName?: string;
  /** Source of the current time (epoch milliseconds), for token expiry and callbacks. Default `Date.now`. */
  clock?: Clock;
}

/**
 * One call the emulator answered: core's `ImEmulatorCall` (`vendorCode` is always -1: Agora Chat names its
 * errors) and the `error` name of an error answer.
 *
 * @example
 * ```ts
 * const limited = emulator.calls.filter((call: AgoraEmulatorCall) => call.error === "reach_limit");
 * ```
 */
export interface AgoraEmulatorCall extends ImEmulatorCall {
  /** The `error` name of an error answer. */
  error?: string;
}

/**
 * A message the emulator accepted.
 *
 * @example
 * ```ts
 * const [first]: AgoraEmulatorMessage[] = emulator.messages;
 * ```
 */
export interface AgoraEmulatorMessage {
  /** The message ID answered. */
  id: string;
  from: string;
  to: string;
  chatType: string;
  type: string;
  body: unknown;
}

/**
 * Agora Chat's REST API and the Notification Center in memory, made by {@link createAgoraEmulator}: core's
 * `ImEmulator` with Agora's extras.
 *
 * @example
 * ```ts
 * const emulator: AgoraEmulator = createAgoraEmulator({ appId, appCertificate });
 * emulator.rateLimitNext(1);
 * ```
 */
export interface AgoraEmulator extends ImEmulator<AgoraCallback> {
  readonly calls: readonly AgoraEmulatorCall[];
  /** Registered users, by lowercase user ID. */
  readonly users: ReadonlyMap<
    string,
    { username: string; uuid: string; created: number; activated: boolean }
  >;
  /** Messages sent, in order. */
  readonly messages: readonly AgoraEmulatorMessage[];
  /** Plays `failure` (default HTTP 503) for the next `count` calls. */
  failNext(count: number, failure?: AgoraEmulatorFailure): void;
  /** The next `count` calls are rate limited (HTTP 429 `reach_limit`). */
  rateLimitNext(count: number): void;
  /**
   * Whether Agora Chat would let `userId` log in with `token`: a registered, activated user and a Chat user
   * token for them, made with the emulator's App ID and certificate, unexpired and not revoked.
   */
  acceptsLogin(userId: string, token: string): boolean;
  /**
   * Checks a request's bearer app token as Agora Chat does; throws `ImAuthError` (`ERR_SIGNATURE_INVALID`,
   * `ERR_CREDENTIAL_EXPIRED`, `ERR_USERBUF_MISMATCH` for a token without the Chat app privilege...).
   */
  verifyRequest(request: Request): Promise<void>;
  /** Revokes every token issued up to now (app tokens and user tokens). */
  revokeCredentials(): void;
}

/** Tokens seen and revoked. */
interface Revocation {
  seen: Set<string>;
  revoked: Set<string>;
  beforeSeconds: number;
}

/** @internal What the router needs. */
export interface EmulatorContext {
  appId: string;
  appCertificate: string;
  clock: Clock | undefined;
  /** `/<org>/<app>/` when both were given, else undefined: any first two path segments. */
  root: string | undefined;
  revocation: Revocation;
}

function readOptions(options: AgoraEmulatorOptions) {
  assertOptionsObject(options, "createAgoraEmulator options", "ERR_INVALID_CONFIG");
  const appId = readAppId(options.appId);
  const [appCertificate] = readCertificates(options.appCertificate);
  const ncsSecret = options.ncsSecret === undefined ? undefined : keyList(options.ncsSecret, "ncsSecret")[0];
  for (const name of ["orgName", "appName"] as const) {
    const value = options[name];
    if (value !== undefined && (typeof value !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(value))) {
      throw new ImAuthError("ERR_INVALID_CONFIG", `${name} must be 1 to 64 letters, digits, - or _`);
    }
  }
  if (options.clock !== undefined && typeof options.clock !== "function") {
    throw new ImAuthError("ERR_INVALID_CONFIG", "clock must be a function");
  }
  const root =
    options.orgName !== undefined && options.appName !== undefined
      ? `/${options.orgName}/${options.appName}/`
      : undefined;
  return { appId, appCertificate: appCertificate!, ncsSecret, root, clock: options.clock };
}

/**
 * Creates an emulator of Agora Chat's REST API and of Notification Center callbacks, for offline tests. Every
 * call under `/<orgName>/<appName>/` must carry `Authorization: Bearer <Chat app token>` made with the
 * emulator's App ID and certificate, unexpired and not revoked (else HTTP 401 `unauthorized`). It answers
 * `POST users` (register one user or a list; a taken user ID is HTTP 400
 * `duplicate_unique_property_exists`), `GET users/{username}` and `POST messages/{users|chatgroups|chatrooms}`
 * (text and other messages, answered with a message ID per recipient) from memory, with Agora's envelope;
 * anything else is HTTP 404 `service_resource_not_found`. It plays failures and rate limits, tells whether
 * a Chat login would be accepted, revokes tokens and sends signed NCS callbacks.
 *
 * @example
 * ```ts
 * import { createAgoraChatClient } from "@imauth/agora/client";
 * import { createAgoraEmulator } from "@imauth/agora/testing";
 *
 * const emulator = createAgoraEmulator({ appId, appCertificate, orgName: "org", appName: "app" });
 * const client = createAgoraChatClient(provider, { fetch: emulator.fetch });
 * await client.registerUser("alice");
 * emulator.acceptsLogin("alice", (await provider.issueCredential("alice")).token); // true
 * ```
 */
export function createAgoraEmulator(options: AgoraEmulatorOptions): AgoraEmulator {
  const { appId, appCertificate, ncsSecret, root, clock } = readOptions(options);
  const revocation: Revocation = { seen: new Set(), revoked: new Set(), beforeSeconds: -1 };
  const context: EmulatorContext = { appId, appCertificate, clock, root, revocation };
  const state: ChatState = { users: new Map(), messages: [] };
  const calls: AgoraEmulatorCall[] = [];
  const failures = createFailureQueue();
  const signCallback = (callback: AgoraCallback) => {
    if (ncsSecret === undefined) {
      throw new ImAuthError(
        "ERR_INVALID_CONFIG",
        "createAgoraEmulator was given no ncsSecret to sign callbacks with",
      );
    }
    return signAgoraCallback({ ...callback, secret: ncsSecret, ...(clock ? { clock } : {}) });
  };
  const emulator: AgoraEmulator = {
    fetch: createRouter(context, state, failures, calls),
    calls,
    users: state.users,
    messages: state.messages,
    failNext: (count, failure = { status: 503 }) => failures.push(count, failure),
    rateLimitNext: (count) => failures.push(count, { status: 429 }),
    acceptsLogin: (userId, token) => acceptsLogin(context, state, userId, token),
    verifyRequest: async (request) => {
      checkToken(context, bearerOf(request.headers), { service: "chat", userId: "", privileges: ["app"] });
    },
    revokeCredentials() {
      for (const token of revocation.seen) revocation.revoked.add(token);
      revocation.beforeSeconds = Math.floor(readClock(clock) / 1000);
    },
    signCallback,
    sendCallback: (target, callback) =>
      deliver(target, signCallback(typeof target === "string" ? { ...callback, url: target } : callback)),
    reset() {
      calls.length = 0;
      state.users.clear();
      state.messages.length = 0;
      failures.clear();
      revocation.seen.clear();
      revocation.revoked.clear();
      revocation.beforeSeconds = -1;
    },
  };
  return redactable(emulator, "AgoraEmulator");
}

function bearerOf(headers: Headers): string {
  const match = /^Bearer\s+(\S+)$/i.exec(headers.get("Authorization")?.trim() ?? "");
  if (match === null)
    throw new ImAuthError("ERR_SIGNATURE_INVALID", "request has no Authorization: Bearer header");
  return match[1]!;
}

/** @internal Verifies a token as Agora would, revocations included; throws the ImAuthError. */
export function checkToken(
  c: EmulatorContext,
  token: string,
  expect: { service: "chat"; userId: string; privileges: string[] },
): DecodedAccessToken {
  const decoded = verifyAccessToken(token, {
    appId: c.appId,
    appCertificate: c.appCertificate,
    ...(c.clock ? { clock: c.clock } : {}),
    ...expect,
  });
  if (c.revocation.revoked.has(token) || decoded.issuedAtSeconds < c.revocation.beforeSeconds) {
    throw new ImAuthError("ERR_CREDENTIAL_EXPIRED", "token was revoked");
  }
  c.revocation.seen.add(token);
  return decoded;
}

function acceptsLogin(c: EmulatorContext, state: ChatState, userId: string, token: string): boolean {
  if (typeof userId !== "string" || typeof token !== "string") return false;
  const user = state.users.get(userId.toLowerCase());
  if (user === undefined || !user.activated) return false;
  try {
    checkToken(c, token, { service: "chat", userId: user.username, privileges: ["user"] });
    return true;
  } catch (error) {
    if (isImAuthError(error)) return false;
    throw error;
  }
}

function answer(status: number, body: Record<string, unknown>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json;charset=utf-8" },
  });
}

/**
 * The emulator's `fetch`: records each call, plays a queued failure or authenticates the call and routes it,
 * and answers in Agora's envelope.
 */
function createRouter(
  c: EmulatorContext,
  state: ChatState,
  failures: FailureQueue,
  calls: AgoraEmulatorCall[],
): typeof fetch {
  async function route(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const { root, path } = splitPath(c, new URL(request.url).pathname);
    const call: AgoraEmulatorCall = { method: request.method, path, status: 0, vendorCode: -1 };
    calls.push(call);
    const failure = failures.next();
    if (failure?.kind === "disconnect") throw new TypeError("emulated network failure");
    const startedMs = readClock(c.clock);
    const envelope = { timestamp: Math.floor(startedMs), duration: 0 };
    try {
      if (failure?.kind === "envelope")
        throw new EmulatedError(failure.status, failure.error, "emulated failure");
      if (root === undefined) {
        throw new EmulatedError(404, "organization_application_not_found", "no such org or app");
      }
      authenticate(c, request);
      const body = await routeChat(state, request, path, startedMs);
      call.status = 200;
      return answer(200, {
        action: request.method.toLowerCase(),
        path: `/${path}`,
        uri: request.url,
        ...body,
        ...envelope,
      });
    } catch (error) {
      if (!(error instanceof EmulatedError)) throw error;
      call.status = error.status;
      call.error = error.error;
      const exception = `com.agora.chat.emulator.${error.error}`;
      return answer(error.status, {
        error: error.error,
        exception,
        error_description: error.message,
        ...envelope,
      });
    }
  }
  return route as typeof fetch;
}

/** The `/<org>/<app>/` prefix of a path (undefined when it is not the emulator's) and the rest. */
function splitPath(c: EmulatorContext, pathname: string): { root: string | undefined; path: string } {
  const match = /^\/[^/]+\/[^/]+\//.exec(pathname);
  const root = match !== null && (c.root === undefined || match[0] === c.root) ? match[0] : undefined;
  return { root, path: root === undefined ? pathname.replace(/^\/+/, "") : pathname.slice(root.length) };
}

function authenticate(c: EmulatorContext, request: Request): void {
  if (!request.headers.has("Authorization")) {
    throw new EmulatedError(401, "unauthorized", "Registration is not open, please contact the app admin.");
  }
  try {
    checkToken(c, bearerOf(request.headers), { service: "chat", userId: "", privileges: ["app"] });
  } catch (error) {
    if (!isImAuthError(error)) throw error;
    throw new EmulatedError(401, "unauthorized", "Unable to authenticate due to expired access token");
  }
}

/** Delivers a signed callback; NCS needs HTTP 200 and nothing else from the reply. */
const deliver = (target: ImCallbackTarget, request: Request): Promise<ImCallbackResult> =>
  deliverCallback(target, request, () => true);
