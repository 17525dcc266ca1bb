import type { Clock } from "@imauth/core";
import { randomHex, readClock } from "@imauth/core/adapter";
import { isEasemobUserId } from "../userid.js";

/**
 * A user in the emulator, as Easemob's user API answers it.
 *
 * @example
 * ```ts
 * const alice: EasemobEmulatorUser | undefined = emulator.users.get("alice");
 * ```
 */
export interface EasemobEmulatorUser {
  uuid: string;
  type: "user";
  username: string;
  created: number;
  modified: number;
  activated: boolean;
  nickname?: string;
}

/** A token the emulator issued. */
export interface IssuedEmulatorToken {
  kind: "app" | "user";
  /** Lower-cased user ID, for user tokens. */
  username?: string;
  /** When it expires; `Infinity` for a token issued with `ttl: 0`. */
  expiresAtMs: number;
}

/** The emulator's state and settings. */
export interface EmulatorState {
  orgName: string;
  appName: string;
  clientId: string;
  clientSecret: string;
  clock: Clock | undefined;
  ttlUnit: "seconds" | "milliseconds";
  users: Map<string, EasemobEmulatorUser>;
  tokens: Map<string, IssuedEmulatorToken>;
}

/** An answer in Easemob's error envelope. */
export class EmulatedError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

/** Easemob's default token lifetime when `ttl` is not given: 60 days. */
const DEFAULT_TTL_SECONDS = 5_184_000;

export function now(state: EmulatorState): number {
  return Math.floor(readClock(state.clock));
}

/** The token of `Authorization: Bearer`, checked: 401 as Easemob answers when it is missing, unknown or expired. */
export function authenticate(state: EmulatorState, headers: Headers, kind: "app" | "user" = "app"): string {
  const header = headers.get("authorization") ?? "";
  const token = header.startsWith("Bearer ") ? header.slice(7) : "";
  const issued = state.tokens.get(token);
  if (issued === undefined || issued.kind !== kind) {
    throw new EmulatedError(401, "unauthorized", "Unable to authenticate (OAuth)");
  }
  if (now(state) >= issued.expiresAtMs) {
    throw new EmulatedError(401, "unauthorized", "Unable to authenticate due to expired access token");
  }
  return token;
}

function issueToken(state: EmulatorState, ttl: unknown, kind: "app" | "user", username?: string) {
  const unitMs = state.ttlUnit === "milliseconds" ? 1 : 1000;
  const given = ttl === undefined ? DEFAULT_TTL_SECONDS * (1000 / unitMs) : ttl;
  if (typeof given !== "number" || !Number.isSafeInteger(given) || given < 0) {
    throw new EmulatedError(400, "illegal_argument", "ttl must be a non-negative integer");
  }
  const token = `YWMt${randomHex(40)}`;
  const expiresAtMs = given === 0 ? Number.POSITIVE_INFINITY : now(state) + given * unitMs;
  state.tokens.set(token, { kind, expiresAtMs, ...(username === undefined ? {} : { username }) });
  return { access_token: token, expires_in: given };
}

/** `POST /{org}/{app}/token`: `client_credentials` (an app token) and `inherit` (a user token). */
export function tokenEndpoint(state: EmulatorState, headers: Headers, body: Record<string, unknown>) {
  if (body.grant_type === "client_credentials") {
    if (body.client_id !== state.clientId || body.client_secret !== state.clientSecret) {
      throw new EmulatedError(401, "invalid_client", "client_id or client_secret is wrong");
    }
    return { ...issueToken(state, body.ttl, "app"), application: appUuid(state) };
  }
  if (body.grant_type !== "inherit") {
    throw new EmulatedError(
      400,
      "unsupported_grant_type",
      "grant_type must be client_credentials or inherit",
    );
  }
  authenticate(state, headers);
  const { username } = body;
  if (!isEasemobUserId(username)) {
    throw new EmulatedError(400, "illegal_argument", "username is not legal");
  }
  let user = state.users.get(username.toLowerCase());
  if (user === undefined) {
    if (body.autoCreateUser !== true) {
      throw new EmulatedError(404, "service_resource_not_found", "username doesn't exist");
    }
    user = createUser(state, username);
  }
  return { ...issueToken(state, body.ttl, "user", user.username), user };
}

function appUuid(state: EmulatorState): string {
  return `app-${state.orgName}-${state.appName}`.toLowerCase();
}

function createUser(state: EmulatorState, username: string, nickname?: unknown): EasemobEmulatorUser {
  const at = now(state);
  const h = randomHex(16);
  const user: EasemobEmulatorUser = {
    uuid: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`,
    type: "user",
    // Easemob keeps user IDs in lower case: they are case-insensitive.
    username: username.toLowerCase(),
    created: at,
    modified: at,
    activated: true,
  };
  if (typeof nickname === "string") user.nickname = nickname;
  state.users.set(user.username, user);
  return user;
}

function envelope(state: EmulatorState, action: string, path: string, entities: EasemobEmulatorUser[]) {
  return {
    action,
    application: appUuid(state),
    path,
    uri: `https://emulator/${state.orgName}/${state.appName}${path}`,
    entities,
    timestamp: now(state),
    duration: 0,
    organization: state.orgName,
    applicationName: state.appName,
  };
}

/** `POST users`: authorized registration of one user `{ username, password, nickname? }` or a list of them. */
export function registerUsers(state: EmulatorState, body: unknown) {
  const list = Array.isArray(body) ? body : [body];
  const created: EasemobEmulatorUser[] = [];
  for (const item of list as Array<Record<string, unknown>>) {
    const { username, password, nickname } = item ?? {};
    if (!isEasemobUserId(username)) throw new EmulatedError(400, "illegal_argument", "username is not legal");
    if (typeof password !== "string" || password.length === 0) {
      throw new EmulatedError(400, "illegal_argument", "password is required");
    }
    if (state.users.has(username.toLowerCase())) {
      throw new EmulatedError(
        400,
        "duplicate_unique_property_exists",
        "Entity user requires that property named username be unique",
      );
    }
    created.push(createUser(state, username, nickname));
  }
  return envelope(state, "post", "/users", created);
}

/** `GET` and `DELETE users/{username}`. */
export function userResource(state: EmulatorState, method: string, name: string) {
  const user = state.users.get(name.toLowerCase());
  if (user === undefined)
    throw new EmulatedError(404, "service_resource_not_found", "Service resource not found");
  if (method === "GET") return { ...envelope(state, "get", "/users", [user]), count: 1 };
  if (method === "DELETE") {
    state.users.delete(user.username);
    return envelope(state, "delete", "/users", [user]);
  }
  throw new EmulatedError(405, "method_not_allowed", "use GET or DELETE");
}
