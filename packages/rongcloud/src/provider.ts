import {
  type Clock,
  ImAuthError,
  type ImAuthProvider,
  type ImCredential,
  type IssueCredentialOptions,
  type RawWebhook,
  type VerifiedWebhook,
} from "@imauth/core";
import {
  assertInteger,
  assertNonEmptyString,
  assertOptionsObject,
  type KeyInput,
  readClock,
  redactable,
  refuseRoomScope,
  typeName,
} from "@imauth/core/adapter";
import { type RongCloudRegion, readBaseUrls } from "./regions.js";
import { assertHeaderValue, signedHeaders } from "./signature.js";
import {
  assertUserId,
  MAX_TOKEN_LENGTH,
  type RongCloudUserProfile,
  requestUserToken,
  type TokenRequestContext,
} from "./token.js";
import { readMaxSkew, readSecretList } from "./verify.js";
import { DEFAULT_WEBHOOK_MAX_SKEW_SECONDS, verifyRongCloudCallback } from "./webhook.js";

// Options are checked with core's validators rather than a zod schema: the provider is what browsers and
// Workers bundle, and zod would multiply its size.

/**
 * Default credential lifetime, in seconds (one day). RongCloud tokens do not expire unless a lifetime is set
 * in RongCloud's console: `expiresAt` is a hint of when to ask for a new one.
 */
export const DEFAULT_CREDENTIAL_TTL_SECONDS = 86_400;

/** Longest accepted `ttlSeconds` (about 68 years: the hint stays a valid Date). */
export const MAX_CREDENTIAL_TTL_SECONDS = 2_147_483_647;

/** Default deadline of one `user/getToken.json` attempt, in milliseconds. */
const DEFAULT_TIMEOUT_MS = 10_000;

const WHAT = "createRongCloudProvider options";
const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  "appKey",
  "appSecret",
  "region",
  "baseUrl",
  "fetch",
  "timeoutMs",
  "profile",
  "tokens",
  "defaultTtlSeconds",
  "webhookMaxSkewSeconds",
  "clock",
]);

/**
 * Where a provider gets user tokens instead of calling `user/getToken.json` itself: an app that keeps tokens
 * in its own store, or one that wants the full client's retries (`createRongCloudImClient(...).getToken`).
 *
 * @example
 * ```ts
 * const fromDatabase: RongCloudTokenSource = {
 *   issueToken: async (userId) => (await db.users.get(userId)).rongCloudToken,
 * };
 * ```
 */
export interface RongCloudTokenSource {
  /** Returns a valid RongCloud token for `userId` (at most 1024 characters). */
  issueToken(userId: string): Promise<string>;
}

/**
 * Options of {@link createRongCloudProvider}.
 *
 * @example
 * ```ts
 * const options: RongCloudProviderOptions = { appKey, appSecret, region: "sg", defaultTtlSeconds: 3600 };
 * const provider = createRongCloudProvider(options);
 * ```
 */
export interface RongCloudProviderOptions {
  /** The application's App Key: visible ASCII, as it is sent in the `App-Key` header. */
  appKey: string;
  /**
   * The App Secret, without control characters (kept in a closure, never shown). During a rotation,
   * `[current, ...previous]`: the first signs requests, callbacks signed with any verify.
   */
  appSecret: KeyInput;
  /** The data center whose domains `baseUrls` lists; default `"cn"`. Give either `region` or `baseUrl`. */
  region?: RongCloudRegion;
  /** API base URL(s), primary first, instead of a region's domains. */
  baseUrl?: string | readonly string[];
  /** The fetch `issueCredential` uses (a proxy, a test server, an emulator). Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Deadline of one `user/getToken.json` attempt, body included, in milliseconds. Default 10000. */
  timeoutMs?: number;
  /**
   * The name and portrait sent with `user/getToken.json` (RongCloud keeps them for push notifications and
   * overwrites them on every call). Default: `{ name: userId }`, as the API asks for a name.
   */
  profile?: (userId: string) => RongCloudUserProfile | Promise<RongCloudUserProfile>;
  /** Source of tokens instead of `user/getToken.json` calls made by the provider. */
  tokens?: RongCloudTokenSource;
  /** Lifetime hint used when `issueCredential` is given no `ttlSeconds`. Default 86400 (one day). */
  defaultTtlSeconds?: number;
  /** Largest accepted |signTimestamp - now| of a callback, in seconds (1 to 86400). Default 300. */
  webhookMaxSkewSeconds?: number;
  /** Source of the current time (epoch milliseconds). Default `Date.now`. */
  clock?: Clock;
}

/**
 * RongCloud's `ImAuthProvider`, with what its REST client needs.
 *
 * @example
 * ```ts
 * const provider: RongCloudProvider = createRongCloudProvider({ appKey, appSecret });
 * provider.baseUrls; // API domains, primary first
 * ```
 */
export interface RongCloudProvider extends ImAuthProvider {
  /** Always `"rongcloud"`. */
  readonly vendor: "rongcloud";
  /** The App Key (public: clients send it too). */
  readonly appId: string;
  /** API base URLs, primary first. */
  readonly baseUrls: readonly string[];
}

/** The checked options, with defaults applied. */
interface ProviderConfig {
  appKey: string;
  appSecret: string;
  appSecrets: readonly string[];
  baseUrls: readonly string[];
  fetch: typeof fetch | undefined;
  timeoutMs: number;
  profile: (userId: string) => RongCloudUserProfile | Promise<RongCloudUserProfile>;
  tokens: RongCloudTokenSource | undefined;
  defaultTtlSeconds: number;
  webhookMaxSkewSeconds: number;
  clock: Clock | undefined;
}

/**
 * Creates RongCloud's `ImAuthProvider`:
 *
 * - `issueCredential(userId)` gives `{ appId: appKey, userId, token }`, the token from RongCloud's server
 *   (`POST user/getToken.json`, signed, failing over to the backup domains on a transport error or a 5xx), or
 *   from `tokens` when given. RongCloud tokens do not expire by default (unless a lifetime is set in the
 *   console), so `expiresAt` = `issuedAt + ttlSeconds` (default one day) is a hint of when to ask again. A
 *   room scope is refused (`ERR_INVALID_INPUT`): RongCloud's RTC rooms are joined with the same IM token.
 * - `signRequest` adds fresh `App-Key`, `Nonce`, `Timestamp` (ms) and `Signature` headers on every call.
 * - `verifyWebhook` is {@link verifyRongCloudCallback} with the provider's App Secret(s).
 *
 * Options are validated (`ERR_INVALID_CONFIG`, never echoing values); the App Secret stays in a closure and
 * the provider shows no secret when logged.
 *
 * @example
 * ```ts
 * import { createRongCloudProvider } from "@imauth/rongcloud";
 *
 * const provider = createRongCloudProvider({ appKey: process.env.RONGCLOUD_APP_KEY!, appSecret: process.env.RONGCLOUD_APP_SECRET! });
 * const { appId, token, expiresAt } = await provider.issueCredential("user01", { ttlSeconds: 3600 });
 * ```
 */
export function createRongCloudProvider(options: RongCloudProviderOptions): RongCloudProvider {
  const config = readProviderOptions(options);
  const provider: RongCloudProvider = {
    vendor: "rongcloud",
    appId: config.appKey,
    baseUrls: config.baseUrls,
    issueCredential: (userId, issueOptions) => issueCredential(config, userId, issueOptions),
    signRequest: (request) => signRequest(config, request),
    verifyWebhook: (input) => verifyWebhook(config, input),
  };
  return redactable(provider, "RongCloudProvider");
}

function config(message: string): ImAuthError {
  return new ImAuthError("ERR_INVALID_CONFIG", message);
}

function readFunction<T>(value: unknown, what: string): T | undefined {
  if (value !== undefined && typeof value !== "function") throw config(`${what} must be a function`);
  return value as T | undefined;
}

function readProviderOptions(options: RongCloudProviderOptions): ProviderConfig {
  assertOptionsObject(options, WHAT, "ERR_INVALID_CONFIG");
  for (const name of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(name)) throw config(`invalid ${WHAT}: ${name.slice(0, 40)}: unknown option`);
  }
  const o = options as RongCloudProviderOptions & Record<string, unknown>;
  assertNonEmptyString(o.appKey, "appKey", "ERR_INVALID_CONFIG", 128);
  assertHeaderValue(o.appKey, "appKey", "ERR_INVALID_CONFIG");
  const appSecrets = readSecretList(o.appSecret, "appSecret");
  const defaultTtlSeconds = o.defaultTtlSeconds ?? DEFAULT_CREDENTIAL_TTL_SECONDS;
  assertInteger(defaultTtlSeconds, "defaultTtlSeconds", {
    max: MAX_CREDENTIAL_TTL_SECONDS,
    code: "ERR_INVALID_CONFIG",
  });
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  assertInteger(timeoutMs, "timeoutMs", { max: 300_000, code: "ERR_INVALID_CONFIG" });
  return {
    appKey: o.appKey,
    appSecret: appSecrets[0]!,
    appSecrets,
    baseUrls: readBaseUrls(o.region, o.baseUrl),
    fetch: readFunction<typeof fetch>(o.fetch, "fetch"),
    timeoutMs,
    profile: readFunction(o.profile, "profile") ?? ((userId: string) => ({ name: userId })),
    tokens: readTokenSource(o.tokens),
    defaultTtlSeconds,
    webhookMaxSkewSeconds: readMaxSkew(
      o.webhookMaxSkewSeconds,
      "webhookMaxSkewSeconds",
      DEFAULT_WEBHOOK_MAX_SKEW_SECONDS,
    ),
    clock: readFunction<Clock>(o.clock, "clock"),
  };
}

function readTokenSource(source: unknown): RongCloudTokenSource | undefined {
  if (source === undefined) return undefined;
  if (
    typeof source !== "object" ||
    source === null ||
    typeof (source as RongCloudTokenSource).issueToken !== "function"
  ) {
    throw config(`tokens must be an object with an issueToken method, got ${typeName(source)}`);
  }
  return source as RongCloudTokenSource;
}

async function issueCredential(
  c: ProviderConfig,
  userId: string,
  options: IssueCredentialOptions | undefined,
): Promise<ImCredential> {
  assertOptionsObject(options, "issueCredential options", "ERR_INVALID_INPUT", true);
  refuseRoomScope(options?.room, "rongcloud", "RongCloud RTC rooms are joined with the user's IM token");
  assertUserId(userId);
  const ttlSeconds = options?.ttlSeconds ?? c.defaultTtlSeconds;
  assertInteger(ttlSeconds, "ttlSeconds", { max: MAX_CREDENTIAL_TTL_SECONDS });
  const nowMs = Math.floor(readClock(c.clock));
  const token = c.tokens
    ? await tokenFromSource(c.tokens, userId)
    : await requestUserToken(tokenContext(c), userId, await c.profile(userId));
  return {
    vendor: "rongcloud",
    appId: c.appKey,
    userId,
    token,
    issuedAt: new Date(nowMs),
    expiresAt: new Date(nowMs + ttlSeconds * 1000),
  };
}

function tokenContext(c: ProviderConfig): TokenRequestContext {
  const fetchImpl =
    c.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  return {
    baseUrls: c.baseUrls,
    sign: (request) => signRequest(c, request),
    fetch: fetchImpl as typeof fetch,
    timeoutMs: c.timeoutMs,
  };
}

async function tokenFromSource(source: RongCloudTokenSource, userId: string): Promise<string> {
  const token = await source.issueToken(userId);
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    throw new ImAuthError(
      "ERR_VENDOR_API",
      `the token source returned no token of 1 to ${MAX_TOKEN_LENGTH} characters`,
    );
  }
  return token;
}

async function signRequest(c: ProviderConfig, request: Request): Promise<Request> {
  if (typeof Request === "undefined" || !(request instanceof Request)) {
    throw new ImAuthError("ERR_INVALID_INPUT", `signRequest needs a Fetch Request, got ${typeName(request)}`);
  }
  const headers = new Headers(request.headers);
  const signed = signedHeaders(c.appKey, c.appSecret, readClock(c.clock));
  for (const [name, value] of Object.entries(signed)) headers.set(name, value);
  // The headers now hold the Signature: a redirect must never carry them (or the body) elsewhere.
  return new Request(request, { headers, redirect: "manual" });
}

function verifyWebhook(c: ProviderConfig, input: Request | RawWebhook): Promise<VerifiedWebhook> {
  const { appSecrets, clock, webhookMaxSkewSeconds } = c;
  return verifyRongCloudCallback(input, { appSecret: appSecrets, clock, webhookMaxSkewSeconds });
}
