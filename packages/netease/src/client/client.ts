import { ImAuthError, type ImAuthProvider, isImAuthError } from "@imauth/core";
import { createImClient, type ImClient, type ImClientTuning } from "@imauth/core/http";
import { MAX_STATIC_TOKEN_LENGTH, type NeteaseProvider } from "../provider.js";
import { NETEASE_REGIONS } from "../regions.js";
import { assertAccid } from "../token.js";
import { type NeteaseEnvelope, neteaseApiPath, parseNeteaseEnvelope } from "./envelope.js";
import { classifyNeteaseError, NETEASE_IDEMPOTENT_APIS } from "./retry.js";

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

/**
 * Options of {@link createNeteaseImClient}: core's client options (timeouts, retries, `fetch`...) and a
 * `baseUrl` instead of the provider's.
 *
 * @example
 * ```ts
 * const options: NeteaseImClientOptions = { retryLimit: 5, timeoutMs: 5000 };
 * const client = createNeteaseImClient(provider, options);
 * ```
 */
export interface NeteaseImClientOptions extends ImClientTuning {
  /** Base URL(s), primary first, instead of the provider's `baseUrls` (default: the `cn` region's domains). */
  baseUrl?: string | readonly string[];
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

type V2Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
const V2_METHODS: ReadonlySet<string> = new Set(["GET", "POST", "PATCH", "PUT", "DELETE"]);

function defaultBaseUrls(provider: object): readonly string[] {
  const fromProvider = (provider as { baseUrls?: unknown }).baseUrls;
  return Array.isArray(fromProvider) && fromProvider.length > 0 ? fromProvider : NETEASE_REGIONS.cn;
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

/**
 * Creates the REST client of NetEase's server API on `@imauth/core/http` (ky): every attempt, retries
 * included, is signed afresh by `provider.signRequest`; envelopes are parsed (`code` 200 is success, others
 * throw `ImAuthError` `ERR_VENDOR_API` with `vendorCode` and NetEase's `desc`/`msg` as `vendorMessage`);
 * failures are retried per {@link classifyNeteaseError}, failing over to the backup domain.
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
  if (typeof options !== "object" || options === null) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "createNeteaseImClient options must be an object");
  }
  const { baseUrl, ...rest } = options;
  if ("region" in options) {
    throw new ImAuthError(
      "ERR_INVALID_CONFIG",
      "createNeteaseImClient takes baseUrl; the region is the provider's",
    );
  }
  const http: ImClient<NeteaseEnvelope> = createImClient(provider, {
    ...rest,
    baseUrl: baseUrl ?? defaultBaseUrls(provider),
    parse: (response) => parseNeteaseEnvelope(response.status, response.json),
    classify: classifyNeteaseError,
  });
  const client: NeteaseImClient = {
    get baseUrl() {
      return http.baseUrl;
    },
    callV1: (path, form = {}, callOptions = {}) => callV1(http, path, form, callOptions),
    callV2: (method, path, json, query, callOptions = {}) =>
      callV2(http, method, path, json, query, callOptions),
    ...accountCalls(() => client),
  };
  return client;
}

async function callV1<T extends NeteaseV1Reply>(
  http: ImClient<NeteaseEnvelope>,
  path: string,
  form: Record<string, string | number | boolean>,
  options: NeteaseCallOptions,
): Promise<T> {
  const api = neteaseApiPath(path);
  const idempotent = options?.idempotent ?? NETEASE_IDEMPOTENT_APIS.has(api);
  return (await http.request(api, { method: "POST", form, idempotent })) as T;
}

async function callV2<T>(
  http: ImClient<NeteaseEnvelope>,
  method: V2Method,
  path: string,
  json: unknown,
  query: Record<string, string | number> | undefined,
  options: NeteaseCallOptions,
): Promise<T> {
  const verb = String(method).toUpperCase();
  if (!V2_METHODS.has(verb)) {
    throw new ImAuthError("ERR_INVALID_INPUT", "method must be GET, POST, PATCH, PUT or DELETE");
  }
  if (verb === "GET" && json !== undefined) {
    throw new ImAuthError("ERR_INVALID_INPUT", "a GET call takes query parameters, not a JSON body");
  }
  const reply = await http.request(neteaseApiPath(path), {
    method: verb,
    ...(json === undefined ? {} : { json }),
    ...(query === undefined ? {} : { searchParams: query }),
    ...(options?.idempotent === undefined ? {} : { idempotent: options.idempotent }),
  });
  return reply.data as T;
}

type AccountCalls = Omit<NeteaseImClient, "callV1" | "callV2" | "baseUrl">;

/** The account helpers, written on `callV1`/`callV2` of the client `self()` returns. */
function accountCalls(self: () => NeteaseImClient): AccountCalls {
  return {
    async createAccount(accid, fields = {}) {
      assertAccid(accid);
      const form: Record<string, string | number> = { accid };
      for (const [k, v] of Object.entries(fields)) if (v !== undefined) form[k] = v;
      const reply = await self().callV1<{ code: number; info?: { token?: unknown } }>(
        "user/create.action",
        form,
      );
      return { accid, token: tokenFrom(reply.info?.token, "user/create.action") };
    },
    async refreshToken(accid) {
      assertAccid(accid);
      const reply = await self().callV1<{ code: number; info?: { token?: unknown } }>(
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
      await self().callV1("user/update.action", { accid, token });
    },
    async createAccountV2(accountId, fields = {}) {
      assertAccid(accountId, "accountId");
      const data = await self().callV2<{ token?: unknown }>("POST", "im/v2/accounts", {
        ...fields,
        account_id: accountId,
      });
      return { accid: accountId, token: tokenFrom(data?.token, "im/v2/accounts") };
    },
    async refreshTokenV2(accountId) {
      assertAccid(accountId, "accountId");
      const data = await self().callV2<{ token?: unknown }>(
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
        return (await self().createAccount(accid)).token;
      } catch (error) {
        if (!isAlreadyRegistered(error)) throw error;
      }
      return (await self().refreshToken(accid)).token;
    },
  };
}
