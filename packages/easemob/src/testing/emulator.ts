import { type Clock, ImAuthError, Secret } from "@imauth/core";
import { parseConfig, redactable } from "@imauth/core/adapter";
import {
  createFailureQueue,
  deliverCallback,
  type ImCallbackResult,
  type ImCallbackTarget,
  type ImEmulator,
  type ImEmulatorCall,
  type ImEmulatorFailure,
} from "@imauth/core/testing";
import { z } from "zod/mini";
import { type EasemobCallback, signEasemobCallback } from "./callback.js";
import {
  authenticate,
  type EasemobEmulatorUser,
  EmulatedError,
  type EmulatorState,
  now,
  registerUsers,
  tokenEndpoint,
  userResource,
} from "./handlers.js";

const secretLike = z.union([z.string().check(z.minLength(1), z.maxLength(4096)), z.instanceof(Secret)]);

const EmulatorOptions = z.strictObject({
  orgName: z.string().check(z.minLength(1), z.maxLength(64)),
  appName: z.string().check(z.minLength(1), z.maxLength(64)),
  clientId: z.string().check(z.minLength(1), z.maxLength(256)),
  clientSecret: secretLike,
  callbackSecret: z.optional(secretLike),
  ttlUnit: z.optional(z.enum(["seconds", "milliseconds"])),
  clock: z.optional(z.custom<Clock>((value) => typeof value === "function")),
});

/**
 * Options of {@link createEasemobEmulator}.
 *
 * @example
 * ```ts
 * const options: EasemobEmulatorOptions = { orgName, appName, clientId, clientSecret, callbackSecret: "cb-secret" };
 * ```
 */
export interface EasemobEmulatorOptions {
  /** The org name URLs must carry. */
  orgName: string;
  /** The app name URLs must carry. */
  appName: string;
  /** The Client ID the token endpoint accepts. */
  clientId: string;
  /** The Client Secret the token endpoint accepts. */
  clientSecret: string | Secret;
  /** The callback rule's Secret `signCallback` signs with. */
  callbackSecret?: string | Secret;
  /** The unit of `ttl` and `expires_in` (as on a VIP 5 cluster when `"milliseconds"`). Default `"seconds"`. */
  ttlUnit?: "seconds" | "milliseconds";
  /** Source of the current time (epoch milliseconds), for token expiry and callbacks. Default `Date.now`. */
  clock?: Clock;
}

/**
 * One call the emulator answered: core's `ImEmulatorCall` (`vendorCode` is the HTTP status of an error, -1
 * on success: Easemob's codes are its HTTP statuses) and the envelope's `error`.
 *
 * @example
 * ```ts
 * const refused = emulator.calls.filter((call: EasemobEmulatorCall) => call.status === 401);
 * ```
 */
export interface EasemobEmulatorCall extends ImEmulatorCall {
  /** The envelope's `error` (`unauthorized`, `illegal_argument`...), on errors. */
  error?: string;
}

/**
 * A failure `failNext` plays: an HTTP status with Easemob's envelope (`vendorCode` means the same, Easemob's
 * codes being HTTP statuses), or a dropped connection.
 *
 * @example
 * ```ts
 * emulator.failNext(1, { status: 429, error: "reach_limit" });
 * ```
 */
export interface EasemobEmulatorFailure extends ImEmulatorFailure {
  /** The envelope's `error`. Default `"service_unavailable"` (`"reach_limit"` for 429). */
  error?: string;
}

/**
 * Easemob's token endpoint, user API and callbacks in memory, made by {@link createEasemobEmulator}.
 *
 * @example
 * ```ts
 * const emulator: EasemobEmulator = createEasemobEmulator({ orgName, appName, clientId, clientSecret });
 * emulator.failNext(1, { status: 503 });
 * ```
 */
export interface EasemobEmulator extends ImEmulator<EasemobCallback> {
  /** Every call answered, in order. */
  readonly calls: readonly EasemobEmulatorCall[];
  /** The users, by lower-cased user ID. */
  readonly users: ReadonlyMap<string, EasemobEmulatorUser>;
  /** Plays `failure` (default HTTP 503) for the next `count` calls. */
  failNext(count: number, failure?: EasemobEmulatorFailure): void;
  /** Revokes every app and user token issued so far: calls with one are answered 401. */
  revokeCredentials(): void;
  /** Checks a request's bearer like Easemob; throws `ImAuthError` `ERR_SIGNATURE_INVALID` when it would answer 401. */
  verifyRequest(request: Request): Promise<void>;
  /**
   * Checks that Easemob would log `userId` in with `token` (a user token from the `inherit` grant); throws
   * `ERR_CREDENTIAL_EXPIRED`, `ERR_USER_MISMATCH` or `ERR_SIGNATURE_INVALID` (unknown or revoked).
   */
  verifyLogin(userId: string, token: string): void;
  /** Whether {@link EasemobEmulator.verifyLogin} accepts. */
  acceptsLogin(userId: string, token: string): boolean;
}

/**
 * Creates an emulator of Easemob's server API for offline tests. It answers any host, on paths under
 * `/{orgName}/{appName}/`: `POST token` (`client_credentials` with the Client ID and Secret; `inherit` with an
 * app token, creating the user when `autoCreateUser`), `POST users` (registration), `GET` and
 * `DELETE users/{username}`; other calls need a valid app token as bearer (else 401, as Easemob answers an
 * expired or unknown one), unknown paths get 404, errors come in Easemob's envelope
 * `{ error, exception, timestamp, duration, error_description }`. It plays failures, revokes tokens and sends
 * callbacks signed with `callbackSecret`.
 *
 * @example
 * ```ts
 * import { createEasemobImClient } from "@imauth/easemob/client";
 * import { createEasemobEmulator } from "@imauth/easemob/testing";
 *
 * const emulator = createEasemobEmulator({ orgName, appName, clientId, clientSecret, clock: () => 1_700_000_000_000 });
 * const provider = createEasemobProvider({ orgName, appName, clientId, clientSecret, fetch: emulator.fetch });
 * const client = createEasemobImClient(provider, { fetch: emulator.fetch });
 * await client.registerUser("alice", "a-password");
 * ```
 */
export function createEasemobEmulator(options: EasemobEmulatorOptions): EasemobEmulator {
  const o = parseConfig(EmulatorOptions, options, "createEasemobEmulator options");
  const reveal = (s: string | Secret) => (typeof s === "string" ? s : s.reveal());
  const state: EmulatorState = {
    orgName: o.orgName,
    appName: o.appName,
    clientId: o.clientId,
    clientSecret: reveal(o.clientSecret),
    clock: o.clock,
    ttlUnit: o.ttlUnit ?? "seconds",
    users: new Map(),
    tokens: new Map(),
  };
  const callbackSecret = o.callbackSecret === undefined ? undefined : reveal(o.callbackSecret);
  const calls: EasemobEmulatorCall[] = [];
  const failures = createFailureQueue(toPlayed);
  const signCallback = (callback: EasemobCallback) => {
    if (callbackSecret === undefined) {
      throw new ImAuthError("ERR_INVALID_CONFIG", "signCallback needs the emulator's callbackSecret option");
    }
    const appKey = `${state.orgName}#${state.appName}`;
    return signEasemobCallback({ ...callback, appKey, secret: callbackSecret, clock: state.clock });
  };
  const emulator: EasemobEmulator = {
    fetch: createRouter(state, failures, calls),
    calls,
    users: state.users,
    failNext: (count, failure = { status: 503 }) => failures.push(count, failure),
    revokeCredentials: () => state.tokens.clear(),
    verifyRequest: async (request) => verifyRequest(state, request),
    verifyLogin: (userId, token) => verifyLogin(state, userId, token),
    acceptsLogin(userId, token) {
      try {
        verifyLogin(state, userId, token);
        return true;
      } catch {
        return false;
      }
    },
    signCallback,
    sendCallback: (target, callback) => {
      const url = typeof target === "string" ? target : callback.url;
      return deliver(
        target,
        signCallback({ ...callback, ...(url === undefined ? {} : { url }) }),
        callback.kind,
      );
    },
    reset() {
      calls.length = 0;
      state.users.clear();
      state.tokens.clear();
      failures.clear();
    },
  };
  return redactable(emulator, "EasemobEmulator");
}

type Played = { kind: "disconnect" } | { kind: "status"; status: number; error: string };

function toPlayed(failure: EasemobEmulatorFailure): Played {
  if (typeof failure !== "object" || failure === null) {
    throw new ImAuthError("ERR_INVALID_INPUT", "failure must be an object");
  }
  if (failure.disconnect) return { kind: "disconnect" };
  const status = failure.status ?? failure.vendorCode ?? 503;
  if (!Number.isInteger(status) || status < 400 || status > 599) {
    throw new ImAuthError("ERR_INVALID_INPUT", "failure status must be an HTTP error status (400 to 599)");
  }
  const error = failure.error ?? (status === 429 ? "reach_limit" : "service_unavailable");
  return { kind: "status", status, error: String(error).slice(0, 100) };
}

function verifyRequest(state: EmulatorState, request: Request): void {
  try {
    authenticate(state, request.headers);
  } catch (error) {
    if (!(error instanceof EmulatedError)) throw error;
    throw new ImAuthError("ERR_SIGNATURE_INVALID", `Easemob would answer ${error.status}: ${error.message}`, {
      vendorCode: error.error,
      status: error.status,
    });
  }
}

function verifyLogin(state: EmulatorState, userId: string, token: string): void {
  const issued = typeof token === "string" ? state.tokens.get(token) : undefined;
  if (issued === undefined || issued.kind !== "user") {
    throw new ImAuthError(
      "ERR_SIGNATURE_INVALID",
      "Easemob does not know this user token (or it was revoked)",
    );
  }
  if (typeof userId !== "string" || issued.username !== userId.toLowerCase()) {
    throw new ImAuthError("ERR_USER_MISMATCH", "the user token is for another user");
  }
  if (now(state) >= issued.expiresAtMs)
    throw new ImAuthError("ERR_CREDENTIAL_EXPIRED", "the user token expired");
}

function answer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json;charset=UTF-8" },
  });
}

function errorBody(state: EmulatorState, error: EmulatedError) {
  return {
    error: error.error,
    exception: "EasemobEmulatedException",
    timestamp: now(state),
    duration: 0,
    error_description: error.description,
  };
}

/** The emulator's `fetch`: records each call, plays a queued failure or routes it, answers JSON. */
function createRouter(
  state: EmulatorState,
  failures: { next(): Played | undefined },
  calls: EasemobEmulatorCall[],
): typeof fetch {
  async function route(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const segments = new URL(request.url).pathname.split("/").filter((s) => s.length > 0);
    const call: EasemobEmulatorCall = {
      method: request.method,
      path: segments.slice(2).join("/"),
      status: 0,
      vendorCode: -1,
    };
    calls.push(call);
    const failure = failures.next();
    if (failure?.kind === "disconnect") throw new TypeError("emulated network failure");
    try {
      if (failure?.kind === "status")
        throw new EmulatedError(failure.status, failure.error, "emulated failure");
      const body = await handle(state, request, segments);
      call.status = 200;
      return answer(200, body);
    } catch (error) {
      if (!(error instanceof EmulatedError)) throw error;
      Object.assign(call, { status: error.status, vendorCode: error.status, error: error.error });
      return answer(error.status, errorBody(state, error));
    }
  }
  return route as typeof fetch;
}

async function handle(state: EmulatorState, request: Request, segments: string[]): Promise<unknown> {
  const [org, app, resource, name, ...more] = segments;
  if (org !== state.orgName || app !== state.appName) {
    throw new EmulatedError(
      404,
      "organization_application_not_found",
      "Could not find application for org/app",
    );
  }
  const method = request.method;
  if (resource === "token" && name === undefined && method === "POST") {
    return tokenEndpoint(state, request.headers, await readJsonObject(request));
  }
  authenticate(state, request.headers);
  if (resource === "users" && name === undefined && method === "POST") {
    return registerUsers(state, await readJson(request));
  }
  if (resource === "users" && name !== undefined && more.length === 0)
    return userResource(state, method, name);
  throw new EmulatedError(404, "service_resource_not_found", "Service resource not found");
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new EmulatedError(400, "json_parse", "the body is not JSON");
  }
}

async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const value = await readJson(request);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new EmulatedError(400, "json_parse", "the body is not a JSON object");
  }
  return value as Record<string, unknown>;
}

/** Delivers a signed callback; a before-send callback counts as accepted only when answered `valid: true`. */
function deliver(
  target: ImCallbackTarget,
  request: Request,
  kind: EasemobCallback["kind"],
): Promise<ImCallbackResult> {
  return deliverCallback(target, request, (reply) =>
    kind === "before-send" ? (reply as { valid?: unknown } | undefined)?.valid === true : true,
  );
}
