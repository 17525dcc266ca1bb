import { ImAuthError, type ImAuthProvider } from "@imauth/core";
import { createImClient, type ImClient, type ImClientTuning } from "@imauth/core/http";
import type { EasemobProvider } from "../provider.js";
import { assertEasemobUserId } from "../userid.js";
import { type EasemobEnvelope, parseEasemobEnvelope } from "./envelope.js";
import { classifyEasemobError } from "./retry.js";

/**
 * Per-call options of {@link EasemobImClient.call}.
 *
 * @example
 * ```ts
 * await client.call("POST", "messages/users", { json: message, idempotent: false });
 * ```
 */
export interface EasemobCallOptions {
  /** A JSON body. */
  json?: unknown;
  /** Query parameters. */
  query?: Record<string, string | number>;
  /** Whether the call may be repeated after a timeout, a reset or a 5xx. Default: by method. */
  idempotent?: boolean;
}

/**
 * Options of {@link createEasemobImClient}: core's client options (timeouts, retries, `fetch`...) and a
 * `baseUrl` instead of the provider's.
 *
 * @example
 * ```ts
 * const options: EasemobImClientOptions = { retryLimit: 5, timeoutMs: 5000 };
 * ```
 */
export interface EasemobImClientOptions extends ImClientTuning {
  /** Base URL(s) `https://{host}/{org}/{app}/`, primary first, instead of the provider's `baseUrls`. */
  baseUrl?: string | readonly string[];
}

/**
 * A user as Easemob's user API answers it (`entities[0]`).
 *
 * @example
 * ```ts
 * const user: EasemobUser = await client.getUser("alice");
 * user.activated; // false when banned
 * ```
 */
export interface EasemobUser {
  uuid: string;
  type: string;
  username: string;
  created: number;
  modified: number;
  activated: boolean;
  nickname?: string;
  [field: string]: unknown;
}

/**
 * A signed, retrying client for Easemob's REST API under `/{org}/{app}/`.
 *
 * @example
 * ```ts
 * const client: EasemobImClient = createEasemobImClient(provider);
 * const user = await client.getUser("alice");
 * ```
 */
export interface EasemobImClient {
  /** Calls `path` (relative to `/{org}/{app}/`, e.g. `users/alice`); returns the answer's JSON object. */
  call<T = EasemobEnvelope>(method: string, path: string, options?: EasemobCallOptions): Promise<T>;
  /** Registers a user (`POST users`, authorized registration). */
  registerUser(username: string, password: string, nickname?: string): Promise<EasemobUser>;
  /** Reads a user (`GET users/{username}`); `ERR_VENDOR_API` with status 404 when there is none. */
  getUser(username: string): Promise<EasemobUser>;
  /** Deletes a user (`DELETE users/{username}`). */
  deleteUser(username: string): Promise<void>;
  /** The base URL the next call starts with (changes after a failover). */
  readonly baseUrl: string;
}

const METHODS: ReadonlySet<string> = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);

// A "." or ".." path segment (also percent-encoded, which URL parsers resolve alike) would move the call to
// another resource under the same base; a user ID such as "a..b" is only a name.
const DOT_SEGMENT = /(^|\/)(\.|%2e){1,2}(\/|[?#]|$)/i;

function apiPath(path: unknown): string {
  if (
    typeof path !== "string" ||
    path.length === 0 ||
    /^[a-z][a-z0-9+.-]*:/i.test(path) ||
    DOT_SEGMENT.test(path)
  ) {
    throw new ImAuthError("ERR_INVALID_INPUT", "path must be a relative API path such as users/alice");
  }
  return path.replace(/^\/+/, "");
}

function firstEntity(answer: EasemobEnvelope, what: string): EasemobUser {
  const entity = Array.isArray(answer.entities) ? answer.entities[0] : undefined;
  if (typeof entity !== "object" || entity === null) {
    throw new ImAuthError("ERR_VENDOR_API", `Easemob ${what} answered without entities`);
  }
  return entity as EasemobUser;
}

/**
 * Creates the REST client of Easemob's server API on `@imauth/core/http` (ky): every attempt, retries
 * included, is signed afresh by `provider.signRequest` (app token bearer); answers are JSON, errors are read
 * from Easemob's envelope (`ERR_VENDOR_API` with `vendorCode` = `error`, `vendorMessage` =
 * `error_description`, `status`); failures are retried per {@link classifyEasemobError}: a 401 renews the app
 * token once, 429 waits, 5xx fails over to the backup host.
 *
 * @example
 * ```ts
 * import { createEasemobProvider } from "@imauth/easemob";
 * import { createEasemobImClient } from "@imauth/easemob/client";
 *
 * const client = createEasemobImClient(createEasemobProvider({ orgName, appName, clientId, clientSecret }));
 * await client.registerUser("alice", "a-password");
 * const answer = await client.call("GET", "users", { query: { limit: 10 } });
 * ```
 */
export function createEasemobImClient(
  provider: EasemobProvider | ImAuthProvider,
  options: EasemobImClientOptions = {},
): EasemobImClient {
  if (typeof provider !== "object" || provider === null || typeof provider.signRequest !== "function") {
    throw new ImAuthError("ERR_INVALID_CONFIG", "createEasemobImClient needs a provider with signRequest");
  }
  if (typeof options !== "object" || options === null) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "createEasemobImClient options must be an object");
  }
  if ("region" in options) {
    throw new ImAuthError(
      "ERR_INVALID_CONFIG",
      "createEasemobImClient takes baseUrl; the host is the provider's",
    );
  }
  const { baseUrl, ...rest } = options;
  const renewer =
    typeof (provider as EasemobProvider).invalidateAppToken === "function" ? provider : undefined;
  const http: ImClient<EasemobEnvelope> = createImClient(provider, {
    ...rest,
    baseUrl: baseUrl ?? (provider as Partial<EasemobProvider>).baseUrls ?? [],
    parse: (response) => parseEasemobEnvelope(response.status, response.json),
    classify: (error, attempt, context) =>
      classifyEasemobError(error, attempt, context, renewer as EasemobProvider | undefined),
  });
  const call = <T>(method: string, path: string, callOptions: EasemobCallOptions = {}) =>
    request<T>(http, method, path, callOptions);
  return {
    get baseUrl() {
      return http.baseUrl;
    },
    call,
    async registerUser(username, password, nickname) {
      assertEasemobUserId(username, "username");
      if (typeof password !== "string" || password.length === 0 || password.length > 64) {
        throw new ImAuthError("ERR_INVALID_INPUT", "password must be 1 to 64 characters");
      }
      const json: Record<string, string> = { username, password };
      if (nickname !== undefined) json.nickname = String(nickname);
      return firstEntity(await call("POST", "users", { json }), "user registration");
    },
    async getUser(username) {
      assertEasemobUserId(username, "username");
      return firstEntity(await call("GET", `users/${username}`), "user query");
    },
    async deleteUser(username) {
      assertEasemobUserId(username, "username");
      await call("DELETE", `users/${username}`);
    },
  };
}

async function request<T>(
  http: ImClient<EasemobEnvelope>,
  method: string,
  path: string,
  options: EasemobCallOptions,
): Promise<T> {
  const verb = String(method).toUpperCase();
  if (!METHODS.has(verb))
    throw new ImAuthError("ERR_INVALID_INPUT", "method must be GET, POST, PUT, PATCH or DELETE");
  if (typeof options !== "object" || options === null) {
    throw new ImAuthError("ERR_INVALID_INPUT", "call options must be an object");
  }
  const { json, query, idempotent } = options;
  return (await http.request(apiPath(path), {
    method: verb,
    ...(json === undefined ? {} : { json }),
    ...(query === undefined ? {} : { searchParams: query }),
    ...(idempotent === undefined ? {} : { idempotent }),
  })) as T;
}
