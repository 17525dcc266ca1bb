import { ImAuthError, type ImAuthProvider, isImAuthError } from "@imauth/core";
import {
  createImClient,
  defaultRetryDecision,
  type ImClient,
  type ImResponse,
  type RetryDecision,
  type RetryInfo,
} from "@imauth/core/http";
import {
  createNeteaseProvider,
  MAX_STATIC_TOKEN_LENGTH,
  type NeteaseProvider,
  type NeteaseProviderOptions,
} from "./provider.js";
import { NETEASE_REGIONS, type NeteaseRegion } from "./regions.js";
import { assertAccid } from "./token.js";

/**
 * NetEase codes retried with backoff and a switch to the backup domain (server-side failures).
 *
 * @example
 * ```ts
 * NETEASE_RETRY_CODES.includes(503); // true
 * ```
 */
export const NETEASE_RETRY_CODES: readonly number[] = Object.freeze([500, 503, 514]);

/**
 * NetEase's rate-limit code: retried after a longer wait, on the same domain.
 *
 * @example
 * ```ts
 * if (error.vendorCode === NETEASE_RATE_LIMIT_CODE) console.warn("NetEase rate limit");
 * ```
 */
export const NETEASE_RATE_LIMIT_CODE = 416;

/**
 * v1 APIs that can be repeated without duplicating an effect: queries, and writes that set a value (the
 * account's token, its profile) rather than add one. After a timeout, a reset, a 5xx or codes 500/503/514
 * the client retries only these, v2 calls whose method is idempotent (`GET`, `PUT`, `DELETE`) and calls
 * made with `{ idempotent: true }`; `user/create.action`, messages and other additions are sent once, as
 * NetEase documents no de-duplication key for its server API.
 *
 * @example
 * ```ts
 * NETEASE_IDEMPOTENT_APIS.has("user/getUinfos.action"); // true
 * ```
 */
export const NETEASE_IDEMPOTENT_APIS: ReadonlySet<string> = new Set([
  "user/getUinfos.action",
  "user/update.action",
  "user/updateUinfo.action",
  "user/refreshToken.action",
  "user/block.action",
  "user/unblock.action",
  "user/setDonnop.action",
  "user/listBlackAndMuteList.action",
  "friend/get.action",
  "team/query.action",
  "team/queryDetail.action",
  "team/joinTeams.action",
]);

/**
 * Per-call options of {@link NeteaseImClient.callV1} and {@link NeteaseImClient.callV2}.
 *
 * @example
 * ```ts
 * await client.callV1("msg/sendMsg.action", form, { idempotent: false });
 * ```
 */
export interface NeteaseCallOptions {
  /**
   * Whether the call may be repeated after a timeout, a reset or a server error. Default: v1 paths in
   * {@link NETEASE_IDEMPOTENT_APIS}; v2 by method.
   */
  idempotent?: boolean;
}

/** Least wait after a 416 (rate limited) answer, in milliseconds. */
const RATE_LIMIT_DELAY_MS = 1000;

/**
 * Options of {@link createNeteaseImClient}.
 *
 * @example
 * ```ts
 * const options: NeteaseImClientOptions = { region: "sg", retryLimit: 5, timeoutMs: 5000 };
 * const client = createNeteaseImClient(provider, options);
 * ```
 */
export interface NeteaseImClientOptions {
  /** Base URL(s), primary first. Default: the provider's `baseUrls`, else the region's domains. */
  baseUrl?: string | readonly string[];
  /** Region whose domains are used when neither `baseUrl` nor the provider names any. Default `"cn"`. */
  region?: NeteaseRegion;
  /** Deadline of one attempt in milliseconds, from sending to the end of the answer. Default 10000. */
  timeoutMs?: number;
  /** Largest accepted answer body in bytes. Default 16 MiB. */
  maxResponseBytes?: number;
  /** Retries after the first attempt. Default 3. */
  retryLimit?: number;
  /** First backoff delay in milliseconds (doubled per retry, with jitter). Default 200. */
  backoffMs?: number;
  /** Longest backoff delay in milliseconds. Default 5000. */
  maxBackoffMs?: number;
  /** Called before each retry, e.g. for logging. */
  onRetry?: (info: RetryInfo) => void;
  /** The fetch to use (tests, proxies). Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Waits between attempts; replace in tests. Default `setTimeout`. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/**
 * A v1 answer: `{ code: 200, ... }` plus the call's fields (`info`, `desc`, `data`...).
 *
 * @example
 * ```ts
 * const reply: NeteaseV1Reply = await client.callV1("user/getUinfos.action", { accids: '["user01"]' });
 * ```
 */
export interface NeteaseV1Reply {
  /** Always 200 here (other codes throw). */
  code: number;
  [field: string]: unknown;
}

/**
 * An account and its static login token.
 *
 * @example
 * ```ts
 * const { accid, token }: NeteaseAccountToken = await client.refreshToken("user01");
 * ```
 */
export interface NeteaseAccountToken {
  /** The account ID. */
  accid: string;
  /** Its static login token. */
  token: string;
}

/**
 * A signed, retrying client for NetEase's server API (both generations).
 *
 * @example
 * ```ts
 * const client: NeteaseImClient = createNeteaseImClient(provider);
 * const { token } = await client.createAccount("user01");
 * ```
 */
export interface NeteaseImClient {
  /**
   * Calls a v1 API (`user/create.action`...): POST with a `application/x-www-form-urlencoded;charset=utf-8`
   * body. Returns the whole reply when `code` is 200; throws `ImAuthError` `ERR_VENDOR_API` otherwise.
   */
  callV1<T extends NeteaseV1Reply = NeteaseV1Reply>(
    path: string,
    form?: Record<string, string | number | boolean>,
    options?: NeteaseCallOptions,
  ): Promise<T>;
  /**
   * Calls a v2 API (`im/v2/accounts`...) with a JSON body (none for GET). Returns `data` when `code` is 200;
   * throws `ImAuthError` `ERR_VENDOR_API` otherwise.
   */
  callV2<T = unknown>(
    method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
    path: string,
    json?: unknown,
    query?: Record<string, string | number>,
    options?: NeteaseCallOptions,
  ): Promise<T>;
  /** Creates an account (v1 `user/create.action`); NetEase makes the token unless one is given. */
  createAccount(
    accid: string,
    fields?: { token?: string; name?: string; [field: string]: string | number | undefined },
  ): Promise<NeteaseAccountToken>;
  /** Replaces an account's token with a new one made by NetEase (v1 `user/refreshToken.action`). */
  refreshToken(accid: string): Promise<NeteaseAccountToken>;
  /** Sets an account's token to `token` (v1 `user/update.action`). */
  updateToken(accid: string, token: string): Promise<void>;
  /** Creates an account (v2 `POST im/v2/accounts`). */
  createAccountV2(accountId: string, fields?: Record<string, unknown>): Promise<NeteaseAccountToken>;
  /** Replaces an account's token (v2 `PATCH im/v2/accounts/{id}/actions/refresh_token`). */
  refreshTokenV2(accountId: string): Promise<NeteaseAccountToken>;
  /**
   * A static login token for `accid`: creates the account, or refreshes its token when it exists
   * (which invalidates the previous token).
   */
  issueStaticToken(accid: string): Promise<string>;
  /** The base URL the next call starts with (changes after a failover). */
  readonly baseUrl: string;
}

function envelopeCode(json: unknown): number | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const code = (json as { code?: unknown }).code;
  if (typeof code === "number") return code;
  if (typeof code === "string" && /^\d{1,9}$/.test(code)) return Number(code);
  return undefined;
}

function envelopeMessage(json: unknown): string | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const e = json as Record<string, unknown>;
  for (const value of [e.desc, e.msg, e.info, e.message]) {
    if (typeof value === "string" && value.length > 0) return value.slice(0, 300);
  }
  return undefined;
}

/** Turns a NetEase answer into its JSON, or `ImAuthError` `ERR_VENDOR_API` with `vendorCode`/`vendorMessage`. */
function parseEnvelope(response: ImResponse): unknown {
  const code = envelopeCode(response.json);
  const ok = response.status >= 200 && response.status < 300;
  if (ok && code === 200) return response.json;
  const vendorMessage = envelopeMessage(response.json);
  const vendorCode = code ?? response.status;
  const detail = vendorMessage === undefined ? "" : `: ${vendorMessage}`;
  throw new ImAuthError(
    "ERR_VENDOR_API",
    code === undefined
      ? `NetEase API answered HTTP ${response.status} without a code${detail}`
      : `NetEase API answered code ${code}${detail}`,
    { vendorCode, status: response.status, ...(vendorMessage === undefined ? {} : { vendorMessage }) },
  );
}

/**
 * NetEase's retry policy: transport errors and codes 500, 503 and 514 (and HTTP 5xx) are retried on the
 * backup domain; 416 (rate limited) and HTTP 429 after at least a second on the same domain; anything else
 * (414 parameter or CheckSum error, 403, 404, 417 duplicate...) fails at once.
 *
 * @example
 * ```ts
 * neteaseRetryDecision(error, 1); // { retry: true, failover: true } for code 503
 * ```
 */
export function neteaseRetryDecision(error: ImAuthError, attempt: number): RetryDecision {
  if (error.code === "ERR_VENDOR_API" && typeof error.vendorCode === "number") {
    if (NETEASE_RETRY_CODES.includes(error.vendorCode)) return { retry: true, failover: true };
    // A rate-limited call was refused before any processing: safe to repeat whatever it does.
    if (error.vendorCode === NETEASE_RATE_LIMIT_CODE)
      return { retry: true, noEffect: true, delayMs: RATE_LIMIT_DELAY_MS };
    if (error.status !== undefined && error.status < 500 && error.status !== 429) return { retry: false };
  }
  return defaultRetryDecision(error, attempt);
}

function defaultBaseUrls(provider: object, region?: NeteaseRegion): string[] {
  const fromProvider = (provider as { baseUrls?: unknown }).baseUrls;
  if (region === undefined && Array.isArray(fromProvider) && fromProvider.length > 0) {
    return fromProvider as string[];
  }
  return [...NETEASE_REGIONS[region ?? "cn"]];
}

function tokenFrom(value: unknown, what: string): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_STATIC_TOKEN_LENGTH) {
    throw new ImAuthError("ERR_VENDOR_API", `NetEase ${what} answered without a token`);
  }
  return value;
}

function isAlreadyRegistered(error: unknown): boolean {
  return (
    isImAuthError(error, "ERR_VENDOR_API") &&
    error.vendorCode === 414 &&
    /already\s*regist|already exist/i.test(error.vendorMessage ?? "")
  );
}

function relative(path: string): string {
  if (
    typeof path !== "string" ||
    path.length === 0 ||
    /^[a-z][a-z0-9+.-]*:/i.test(path) ||
    path.includes("..")
  ) {
    throw new ImAuthError("ERR_INVALID_INPUT", "path must be a relative API path such as user/create.action");
  }
  return path.replace(/^\/+/, "").replace(/^nimserver\//, "");
}

/**
 * Creates the REST client of NetEase's server API on `@imauth/core/http` (ky): every attempt, retries
 * included, is signed afresh by `provider.signRequest`; envelopes are parsed (`code` 200 is success, others
 * throw `ImAuthError` `ERR_VENDOR_API` with `vendorCode` and NetEase's `desc`/`msg` as `vendorMessage`);
 * failures are retried per {@link neteaseRetryDecision}, failing over to the backup domain.
 *
 * @example
 * ```ts
 * import { createNeteaseProvider } from "@imauth/netease";
 * import { createNeteaseImClient } from "@imauth/netease/client";
 *
 * const client = createNeteaseImClient(createNeteaseProvider({ appKey, appSecret, region: "sg" }));
 * const { info } = await client.callV1("user/create.action", { accid: "user01", name: "Alice" });
 * const account = await client.callV2("GET", "im/v2/accounts/user01");
 * ```
 */
export function createNeteaseImClient(
  provider: NeteaseProvider | ImAuthProvider,
  options: NeteaseImClientOptions = {},
): NeteaseImClient {
  if (typeof provider !== "object" || provider === null || typeof provider.signRequest !== "function") {
    throw new ImAuthError("ERR_INVALID_CONFIG", "createNeteaseImClient needs a provider with signRequest");
  }
  const { baseUrl, region, ...rest } = options;
  const http: ImClient = createImClient(provider, {
    ...rest,
    baseUrl: baseUrl ?? defaultBaseUrls(provider, region),
    parse: parseEnvelope,
    classify: neteaseRetryDecision,
  });

  const client: NeteaseImClient = {
    get baseUrl() {
      return http.baseUrl;
    },
    async callV1<T extends NeteaseV1Reply>(
      path: string,
      form: Record<string, string | number | boolean> = {},
      options: NeteaseCallOptions = {},
    ) {
      const api = relative(path);
      const idempotent = options?.idempotent ?? NETEASE_IDEMPOTENT_APIS.has(api);
      return (await http.request(api, { method: "POST", form, idempotent })) as T;
    },
    async callV2<T>(
      method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
      path: string,
      json?: unknown,
      query?: Record<string, string | number>,
      options: NeteaseCallOptions = {},
    ) {
      const verb = String(method).toUpperCase();
      if (!["GET", "POST", "PATCH", "PUT", "DELETE"].includes(verb)) {
        throw new ImAuthError("ERR_INVALID_INPUT", "method must be GET, POST, PATCH, PUT or DELETE");
      }
      if (verb === "GET" && json !== undefined) {
        throw new ImAuthError("ERR_INVALID_INPUT", "a GET call takes query parameters, not a JSON body");
      }
      const reply = (await http.request(relative(path), {
        method: verb,
        ...(json === undefined ? {} : { json }),
        ...(query === undefined ? {} : { searchParams: query }),
        ...(options?.idempotent === undefined ? {} : { idempotent: options.idempotent }),
      })) as { data?: unknown };
      return reply.data as T;
    },
    async createAccount(accid, fields = {}) {
      assertAccid(accid);
      const form: Record<string, string | number> = { accid };
      for (const [k, v] of Object.entries(fields)) if (v !== undefined) form[k] = v;
      const reply = await client.callV1<{ code: number; info?: { token?: unknown } }>(
        "user/create.action",
        form,
      );
      return { accid, token: tokenFrom(reply.info?.token, "user/create.action") };
    },
    async refreshToken(accid) {
      assertAccid(accid);
      const reply = await client.callV1<{ code: number; info?: { token?: unknown } }>(
        "user/refreshToken.action",
        { accid },
      );
      return { accid, token: tokenFrom(reply.info?.token, "user/refreshToken.action") };
    },
    async updateToken(accid, token) {
      assertAccid(accid);
      if (typeof token !== "string" || token.length === 0 || token.length > MAX_STATIC_TOKEN_LENGTH) {
        throw new ImAuthError(
          "ERR_INVALID_INPUT",
          `token must be 1 to ${MAX_STATIC_TOKEN_LENGTH} characters`,
        );
      }
      await client.callV1("user/update.action", { accid, token });
    },
    async createAccountV2(accountId, fields = {}) {
      assertAccid(accountId, "accountId");
      const data = await client.callV2<{ token?: unknown }>("POST", "im/v2/accounts", {
        ...fields,
        account_id: accountId,
      });
      return { accid: accountId, token: tokenFrom(data?.token, "im/v2/accounts") };
    },
    async refreshTokenV2(accountId) {
      assertAccid(accountId, "accountId");
      const data = await client.callV2<{ token?: unknown }>(
        "PATCH",
        `im/v2/accounts/${encodeURIComponent(accountId)}/actions/refresh_token`,
        {},
        undefined,
        // Repeating a refresh leaves the account with the token this call returns.
        { idempotent: true },
      );
      return { accid: accountId, token: tokenFrom(data?.token, "refresh_token") };
    },
    async issueStaticToken(accid) {
      try {
        return (await client.createAccount(accid)).token;
      } catch (error) {
        if (!isAlreadyRegistered(error)) throw error;
      }
      return (await client.refreshToken(accid)).token;
    },
  };
  return client;
}

/**
 * Options of {@link createNeteaseStaticProvider}: the provider's, minus `credentialMode`, plus the client's.
 *
 * @example
 * ```ts
 * const options: NeteaseStaticProviderOptions = { appKey, appSecret, region: "cn", retryLimit: 2 };
 * const provider = createNeteaseStaticProvider(options);
 * ```
 */
export interface NeteaseStaticProviderOptions
  extends Omit<NeteaseProviderOptions, "credentialMode" | "staticTokens">,
    Omit<NeteaseImClientOptions, "baseUrl" | "region"> {}

/**
 * A provider in `"static"` credential mode whose `issueCredential` creates the account (v1
 * `user/create.action`) or, when it exists, refreshes its token (`user/refreshToken.action`) through
 * {@link createNeteaseImClient}. Refreshing invalidates the account's previous token. Static tokens do not
 * expire; `expiresAt` is `issuedAt + ttlSeconds` as a hint of when to ask again. The client is exposed as
 * `provider.client` for other calls.
 *
 * @example
 * ```ts
 * import { createNeteaseStaticProvider } from "@imauth/netease/client";
 *
 * const provider = createNeteaseStaticProvider({ appKey, appSecret, region: "cn" });
 * const { token } = await provider.issueCredential("user01"); // one API call
 * await provider.client.callV1("user/block.action", { accid: "spammer" });
 * ```
 */
export function createNeteaseStaticProvider(
  options: NeteaseStaticProviderOptions,
): NeteaseProvider & { readonly client: NeteaseImClient } {
  if (typeof options !== "object" || options === null) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "createNeteaseStaticProvider options must be an object");
  }
  const {
    timeoutMs,
    maxResponseBytes,
    retryLimit,
    backoffMs,
    maxBackoffMs,
    onRetry,
    fetch,
    sleep,
    random,
    ...providerOptions
  } = options;
  let client: NeteaseImClient | undefined;
  const provider = createNeteaseProvider({
    ...providerOptions,
    credentialMode: "static",
    staticTokens: { issueToken: (accid) => client!.issueStaticToken(accid) },
  });
  const clientOptions: NeteaseImClientOptions = {};
  for (const [k, v] of Object.entries({
    timeoutMs,
    maxResponseBytes,
    retryLimit,
    backoffMs,
    maxBackoffMs,
    onRetry,
    fetch,
    sleep,
    random,
  })) {
    if (v !== undefined) (clientOptions as Record<string, unknown>)[k] = v;
  }
  client = createNeteaseImClient(provider, clientOptions);
  Object.defineProperty(provider, "client", { value: client, enumerable: false });
  return provider as NeteaseProvider & { readonly client: NeteaseImClient };
}
