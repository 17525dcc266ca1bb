import { ImAuthError, type ImAuthProvider } from "@imauth/core";
import { createImClient, type ImClient, type ImClientTuning } from "@imauth/core/http";
import type { RongCloudProvider } from "../provider.js";
import { RONGCLOUD_REGIONS } from "../regions.js";
import { assertUserId, type RongCloudUserProfile, tokenForm, tokenFrom } from "../token.js";
import { parseRongCloudEnvelope, type RongCloudEnvelope, rongCloudApiPath } from "./envelope.js";
import { classifyRongCloudError, RONGCLOUD_IDEMPOTENT_APIS } from "./retry.js";

/**
 * Per-call options of {@link RongCloudImClient.call}.
 *
 * @example
 * ```ts
 * await client.call("message/private/publish.json", form, { idempotent: false });
 * ```
 */
export interface RongCloudCallOptions {
  /**
   * Whether the call may be repeated after a timeout, a reset or a server error. Default: the path is in
   * {@link RONGCLOUD_IDEMPOTENT_APIS}.
   */
  idempotent?: boolean;
  /** Send `form` as a JSON body instead of a form (the few APIs that take JSON). Default false. */
  json?: boolean;
}

/**
 * Options of {@link createRongCloudImClient}: core's client options (timeouts, retries, `fetch`...) and a
 * `baseUrl` instead of the provider's.
 *
 * @example
 * ```ts
 * const options: RongCloudImClientOptions = { retryLimit: 5, timeoutMs: 5000 };
 * const client = createRongCloudImClient(provider, options);
 * ```
 */
export interface RongCloudImClientOptions extends ImClientTuning {
  /** Base URL(s), primary first, instead of the provider's `baseUrls` (default: the `cn` domains). */
  baseUrl?: string | readonly string[];
}

/**
 * A private message for {@link RongCloudImClient.publishPrivate} (`message/private/publish.json`).
 *
 * @example
 * ```ts
 * const message: RongCloudPrivateMessage = { fromUserId: "a", toUserId: ["b"], objectName: "RC:TxtMsg", content: { content: "hi" } };
 * ```
 */
export interface RongCloudPrivateMessage {
  /** The sender. */
  fromUserId: string;
  /** The receiver, or up to 1000 receivers. */
  toUserId: string | readonly string[];
  /** The message type, e.g. `RC:TxtMsg`. */
  objectName: string;
  /** The message content: an object is sent as JSON. */
  content: string | Record<string, unknown>;
  /** Other form fields of the API (`pushContent`, `isPersisted`...). */
  [field: string]: unknown;
}

/**
 * A signed, retrying client for RongCloud's server API.
 *
 * @example
 * ```ts
 * const client: RongCloudImClient = createRongCloudImClient(provider);
 * const { token } = await client.getToken("user01", { name: "Alice" });
 * ```
 */
export interface RongCloudImClient {
  /**
   * Calls an API (`user/getToken.json`...): POST with a form body (`application/x-www-form-urlencoded`; a list
   * value repeats the field). Returns the whole reply when `code` is 200; throws `ImAuthError`
   * `ERR_VENDOR_API` otherwise.
   */
  call<T extends RongCloudEnvelope = RongCloudEnvelope>(
    path: string,
    form?: Record<string, string | number | boolean | readonly string[]>,
    options?: RongCloudCallOptions,
  ): Promise<T>;
  /** Gets a token for a user (`user/getToken.json`), registering the user on first use. */
  getToken(userId: string, profile?: RongCloudUserProfile): Promise<{ userId: string; token: string }>;
  /** Updates a user's name and portrait (`user/refresh.json`). */
  refreshUser(userId: string, profile: RongCloudUserProfile): Promise<void>;
  /** Invalidates the tokens of up to 20 users obtained before `beforeMs` (`user/token/expire.json`). */
  expireTokens(userIds: string | readonly string[], beforeMs: number): Promise<void>;
  /** Sends a private message (`message/private/publish.json`); never retried after it may have arrived. */
  publishPrivate(message: RongCloudPrivateMessage): Promise<void>;
  /** The base URL the next call starts with (changes after a failover). */
  readonly baseUrl: string;
}

function defaultBaseUrls(provider: object): readonly string[] {
  const fromProvider = (provider as { baseUrls?: unknown }).baseUrls;
  return Array.isArray(fromProvider) && fromProvider.length > 0 ? fromProvider : RONGCLOUD_REGIONS.cn;
}

/**
 * Creates the REST client of RongCloud's server API on `@imauth/core/http` (ky): every attempt, retries
 * included, is signed afresh by `provider.signRequest` (new Nonce, Timestamp and Signature); answers are
 * parsed (`code` 200 is success, others throw `ImAuthError` `ERR_VENDOR_API` with `vendorCode` and
 * RongCloud's `errorMessage` as `vendorMessage`); failures are retried per {@link classifyRongCloudError},
 * failing over from `api-cn` to `api2-cn` and the next domains.
 *
 * @example
 * ```ts
 * import { createRongCloudProvider } from "@imauth/rongcloud";
 * import { createRongCloudImClient } from "@imauth/rongcloud/client";
 *
 * const client = createRongCloudImClient(createRongCloudProvider({ appKey, appSecret }));
 * const { token } = await client.getToken("user01", { name: "Alice" });
 * await client.call("user/info.json", { userId: "user01" });
 * ```
 */
export function createRongCloudImClient(
  provider: RongCloudProvider | ImAuthProvider,
  options: RongCloudImClientOptions = {},
): RongCloudImClient {
  if (typeof provider !== "object" || provider === null || typeof provider.signRequest !== "function") {
    throw new ImAuthError("ERR_INVALID_CONFIG", "createRongCloudImClient needs a provider with signRequest");
  }
  if (typeof options !== "object" || options === null) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "createRongCloudImClient options must be an object");
  }
  if ("region" in options) {
    throw new ImAuthError(
      "ERR_INVALID_CONFIG",
      "createRongCloudImClient takes baseUrl; the region is the provider's",
    );
  }
  const { baseUrl, ...rest } = options;
  const http: ImClient<RongCloudEnvelope> = createImClient(provider, {
    ...rest,
    baseUrl: baseUrl ?? defaultBaseUrls(provider),
    parse: (response) => parseRongCloudEnvelope(response.status, response.json),
    classify: classifyRongCloudError,
  });
  const call: RongCloudImClient["call"] = (path, form = {}, callOptions = {}) =>
    callApi(http, path, form, callOptions) as never;
  return {
    get baseUrl() {
      return http.baseUrl;
    },
    call,
    getToken: (userId, profile = {}) => getToken(call, userId, profile),
    refreshUser: (userId, profile) => refreshUser(call, userId, profile),
    expireTokens: (userIds, beforeMs) => expireTokens(call, userIds, beforeMs),
    publishPrivate: (message) => publishPrivate(call, message),
  };
}

async function callApi(
  http: ImClient<RongCloudEnvelope>,
  path: string,
  form: Record<string, unknown>,
  options: RongCloudCallOptions,
): Promise<RongCloudEnvelope> {
  const api = rongCloudApiPath(path);
  if (typeof form !== "object" || form === null)
    throw new ImAuthError("ERR_INVALID_INPUT", "form must be an object");
  const idempotent = options?.idempotent ?? RONGCLOUD_IDEMPOTENT_APIS.has(api);
  if (options?.json) return http.request(api, { method: "POST", json: form, idempotent });
  return http.request(api, { method: "POST", form: formFields(form), idempotent });
}

/**
 * @internal The fields of a form as core's client takes them (a list repeats its field: RongCloud's
 * `toUserId=a&toUserId=b`); `undefined` fields are left out, anything but strings, numbers and booleans refused.
 */
export function formFields(form: Record<string, unknown>): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(form)) {
    if (value === undefined) continue;
    fields[name] = (Array.isArray(value) ? value : [value]).map((item) => {
      if (typeof item !== "string" && typeof item !== "number" && typeof item !== "boolean") {
        throw new ImAuthError(
          "ERR_INVALID_INPUT",
          `form field ${name.slice(0, 40)} must be a string, number or boolean`,
        );
      }
      return String(item);
    });
  }
  return fields;
}

type Call = RongCloudImClient["call"];

async function getToken(call: Call, userId: string, profile: RongCloudUserProfile) {
  assertUserId(userId);
  const reply = await call("user/getToken.json", Object.fromEntries(tokenForm(userId, profile)));
  return { userId, token: tokenFrom(reply) };
}

async function refreshUser(call: Call, userId: string, profile: RongCloudUserProfile): Promise<void> {
  assertUserId(userId);
  await call("user/refresh.json", Object.fromEntries(tokenForm(userId, profile ?? {})));
}

async function expireTokens(
  call: Call,
  userIds: string | readonly string[],
  beforeMs: number,
): Promise<void> {
  const list = typeof userIds === "string" ? [userIds] : userIds;
  if (!Array.isArray(list) || list.length === 0 || list.length > 20) {
    throw new ImAuthError("ERR_INVALID_INPUT", "userIds must be a user ID or a list of 1 to 20");
  }
  for (const userId of list) assertUserId(userId);
  if (!Number.isSafeInteger(beforeMs) || beforeMs < 0) {
    throw new ImAuthError("ERR_INVALID_INPUT", "beforeMs must be an epoch in milliseconds");
  }
  await call("user/token/expire.json", { userId: list, time: beforeMs });
}

async function publishPrivate(call: Call, message: RongCloudPrivateMessage): Promise<void> {
  if (typeof message !== "object" || message === null) {
    throw new ImAuthError("ERR_INVALID_INPUT", "message must be an object");
  }
  const { content, ...fields } = message;
  assertUserId(fields.fromUserId, "fromUserId");
  const to = typeof fields.toUserId === "string" ? [fields.toUserId] : fields.toUserId;
  if (!Array.isArray(to) || to.length === 0 || to.length > 1000) {
    throw new ImAuthError("ERR_INVALID_INPUT", "toUserId must be a user ID or a list of 1 to 1000");
  }
  for (const userId of to) assertUserId(userId, "toUserId");
  const text = typeof content === "string" ? content : JSON.stringify(content);
  await call("message/private/publish.json", { ...fields, toUserId: to, content: text } as never);
}
