import { ImAuthError, type ImAuthProvider } from "@imauth/core";
import { randomHex } from "@imauth/core/adapter";
import { createImClient, type ImClient, type ImClientTuning } from "@imauth/core/http";
import type { AgoraProvider } from "../provider.js";
import { readChatBaseUrls } from "../regions.js";
import { assertChatUserId } from "../rules.js";
import { type AgoraChatEnvelope, agoraChatApiPath, parseAgoraChatEnvelope } from "./envelope.js";
import { classifyAgoraChatError } from "./retry.js";

/**
 * Options of {@link createAgoraChatClient}: core's client options (timeouts, retries, `fetch`...) and,
 * instead of the provider's, the app's REST root.
 *
 * @example
 * ```ts
 * const options: AgoraChatClientOptions = { orgName: "61717166", appName: "demo", region: "us", retryLimit: 2 };
 * ```
 */
export interface AgoraChatClientOptions extends ImClientTuning {
  /** The Chat org name; with `appName`, replaces the provider's REST root. */
  orgName?: string;
  /** The Chat app name. */
  appName?: string;
  /** The data center (`sg`, `us`, `de`) of the REST host, with `orgName` and `appName`. */
  region?: "sg" | "us" | "de";
  /** The REST host(s), with `orgName` and `appName`, instead of a region. */
  baseUrl?: string | readonly string[];
}

/**
 * Per-call options of {@link AgoraChatClient.call}.
 *
 * @example
 * ```ts
 * await client.call("PUT", "users/alice", { nickname: "Alice" }, undefined, { idempotent: true });
 * ```
 */
export interface AgoraChatCallOptions {
  /** Whether the call may be repeated after a timeout, a reset or a server error. Default: by method. */
  idempotent?: boolean;
}

/**
 * A user as the Chat API returns it.
 *
 * @example
 * ```ts
 * const user: AgoraChatUser = await client.registerUser("alice");
 * ```
 */
export interface AgoraChatUser {
  /** The user ID (lowercase: Agora Chat user IDs are case-insensitive). */
  username: string;
  /** Agora's internal UUID of the user. */
  uuid?: string;
  /** Whether the user may log in. */
  activated?: boolean;
  /** Creation time, epoch milliseconds. */
  created?: number;
  [field: string]: unknown;
}

/**
 * A text message to send with {@link AgoraChatClient.sendTextMessage}.
 *
 * @example
 * ```ts
 * const message: AgoraChatTextMessage = { from: "admin", to: ["alice", "bob"], text: "hello" };
 * ```
 */
export interface AgoraChatTextMessage {
  /** The sender's user ID. Default: `admin`, as Agora's API. */
  from?: string;
  /** The recipients: user IDs, or group or chat room IDs (1 to 600). */
  to: readonly string[];
  /** The text. */
  text: string;
  /** Whom `to` names: `"users"` (default), `"chatgroups"` or `"chatrooms"`. */
  chatType?: "users" | "chatgroups" | "chatrooms";
}

/**
 * A client for the Agora Chat REST API, authenticated by the provider's bearer app token.
 *
 * @example
 * ```ts
 * const client: AgoraChatClient = createAgoraChatClient(provider);
 * await client.registerUser("alice");
 * ```
 */
export interface AgoraChatClient {
  /** Calls any API under the app's root; returns the whole answer, throws `ERR_VENDOR_API` on an error answer. */
  call<T extends AgoraChatEnvelope = AgoraChatEnvelope>(
    method: "GET" | "POST" | "PUT" | "DELETE",
    path: string,
    json?: unknown,
    query?: Record<string, string | number>,
    options?: AgoraChatCallOptions,
  ): Promise<T>;
  /** Registers a user (`POST users`); without a password a random one is set (users log in with tokens). */
  registerUser(username: string, password?: string): Promise<AgoraChatUser>;
  /** Reads a user (`GET users/{username}`). */
  getUser(username: string): Promise<AgoraChatUser>;
  /** Sends a text message (`POST messages/{chatType}`); resolves with the message ID per recipient. */
  sendTextMessage(message: AgoraChatTextMessage): Promise<Record<string, string>>;
  /** The REST root the next call starts with. */
  readonly baseUrl: string;
}

function rootsOf(provider: object, options: AgoraChatClientOptions): readonly string[] {
  const { orgName, appName, region, baseUrl } = options;
  if (orgName !== undefined || appName !== undefined)
    return readChatBaseUrls(region, baseUrl, orgName, appName);
  if (region !== undefined || baseUrl !== undefined) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "region and baseUrl of the client need orgName and appName");
  }
  const fromProvider = (provider as { chatBaseUrls?: unknown }).chatBaseUrls;
  if (Array.isArray(fromProvider) && fromProvider.length > 0) return fromProvider as string[];
  throw new ImAuthError(
    "ERR_INVALID_CONFIG",
    "createAgoraChatClient needs the app's REST root: give the provider (or the client) orgName and appName",
  );
}

const CLIENT_ONLY = new Set(["orgName", "appName", "region", "baseUrl"]);

/**
 * Creates the client of Agora Chat's REST API on `@imauth/core/http` (ky): every attempt, retries included, is
 * signed by `provider.signRequest` (the cached bearer app token); answers are read by
 * {@link parseAgoraChatEnvelope} (an error answer throws `ImAuthError` `ERR_VENDOR_API` with Agora's `error`
 * name as `vendorCode`); failures are retried per {@link classifyAgoraChatError} (429 after a second; 401 once
 * with a new app token; 5xx and transport errors when the call may be repeated).
 *
 * @example
 * ```ts
 * import { createAgoraProvider } from "@imauth/agora";
 * import { createAgoraChatClient } from "@imauth/agora/client";
 *
 * const provider = createAgoraProvider({ appId, appCertificate, product: "chat", orgName: "61717166", appName: "demo" });
 * const client = createAgoraChatClient(provider);
 * await client.registerUser("alice");
 * await client.sendTextMessage({ from: "admin", to: ["alice"], text: "welcome" });
 * ```
 */
export function createAgoraChatClient(
  provider: AgoraProvider | ImAuthProvider,
  options: AgoraChatClientOptions = {},
): AgoraChatClient {
  if (typeof provider !== "object" || provider === null || typeof provider.signRequest !== "function") {
    throw new ImAuthError("ERR_INVALID_CONFIG", "createAgoraChatClient needs a provider with signRequest");
  }
  if (typeof options !== "object" || options === null) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "createAgoraChatClient options must be an object");
  }
  const tuning = Object.fromEntries(Object.entries(options).filter(([k]) => !CLIENT_ONLY.has(k)));
  const forget = (provider as Partial<AgoraProvider>).forgetAppToken;
  const renew = typeof forget === "function" ? () => forget.call(provider) : undefined;
  const http: ImClient<AgoraChatEnvelope> = createImClient(provider, {
    ...(tuning as ImClientTuning),
    baseUrl: rootsOf(provider, options),
    parse: (response) => parseAgoraChatEnvelope(response.status, response.json),
    classify: (error, attempt, context) => classifyAgoraChatError(error, attempt, context, renew),
  });
  const call: AgoraChatClient["call"] = async (method, path, json, query, callOptions = {}) =>
    (await http.request(agoraChatApiPath(path), {
      method,
      ...(json === undefined ? {} : { json }),
      ...(query === undefined ? {} : { searchParams: query }),
      ...(callOptions.idempotent === undefined ? {} : { idempotent: callOptions.idempotent }),
    })) as never;
  return {
    get baseUrl() {
      return http.baseUrl;
    },
    call,
    registerUser: (username, password) => registerUser(call, username, password),
    getUser: (username) => getUser(call, username),
    sendTextMessage: (message) => sendTextMessage(call, message),
  };
}

function firstUser(reply: AgoraChatEnvelope, what: string): AgoraChatUser {
  const user = reply.entities?.[0];
  if (typeof user !== "object" || user === null || typeof user.username !== "string") {
    throw new ImAuthError("ERR_VENDOR_API", `Agora Chat ${what} answered without a user`);
  }
  return user as AgoraChatUser;
}

async function registerUser(call: AgoraChatClient["call"], username: string, password?: string) {
  assertChatUserId(username, "username");
  if (
    password !== undefined &&
    (typeof password !== "string" || password.length === 0 || password.length > 64)
  ) {
    throw new ImAuthError("ERR_INVALID_INPUT", "password must be 1 to 64 characters");
  }
  // Registering is not idempotent (a repeat answers duplicate_unique_property_exists): sent once.
  const reply = await call("POST", "users", { username, password: password ?? randomHex(16) });
  return firstUser(reply, "users");
}

async function getUser(call: AgoraChatClient["call"], username: string) {
  assertChatUserId(username, "username");
  return firstUser(await call("GET", `users/${encodeURIComponent(username)}`), "users/{username}");
}

async function sendTextMessage(call: AgoraChatClient["call"], message: AgoraChatTextMessage) {
  if (typeof message !== "object" || message === null) {
    throw new ImAuthError("ERR_INVALID_INPUT", "message must be an object");
  }
  const { from = "admin", to, text, chatType = "users" } = message;
  if (!["users", "chatgroups", "chatrooms"].includes(chatType)) {
    throw new ImAuthError("ERR_INVALID_INPUT", 'chatType must be "users", "chatgroups" or "chatrooms"');
  }
  if (
    !Array.isArray(to) ||
    to.length === 0 ||
    to.length > 600 ||
    !to.every((t) => typeof t === "string" && t.length > 0)
  ) {
    throw new ImAuthError("ERR_INVALID_INPUT", "to must list 1 to 600 recipients");
  }
  assertChatUserId(from, "from");
  if (typeof text !== "string" || text.length === 0)
    throw new ImAuthError("ERR_INVALID_INPUT", "text must be a non-empty string");
  const reply = await call("POST", `messages/${chatType}`, { from, to, type: "txt", body: { msg: text } });
  const data = reply.data;
  if (typeof data !== "object" || data === null) {
    throw new ImAuthError("ERR_VENDOR_API", "Agora Chat messages answered without data");
  }
  return data as Record<string, string>;
}
