import {
  type Clock,
  ImAuthError,
  type ImAuthProvider,
  type ImCredential,
  type IssueCredentialOptions,
  isImAuthError,
  type RawWebhook,
  type Secret,
  type VerifiedWebhook,
} from "@imauth/core";
import {
  assertInteger,
  assertNonEmptyString,
  assertOptionsObject,
  type KeyInput,
  keyList,
  randomHex,
  readClock,
  redactable,
  refuseRoomScope,
  typeName,
} from "@imauth/core/adapter";
import {
  type AppTokenCache,
  appTokenRequestBody,
  createAppTokenCache,
  type EasemobTtlUnit,
  inheritRequestBody,
  requestToken,
  type TokenEndpoint,
} from "./apptoken.js";
import { assertEasemobName, type EasemobRegion, readBaseUrls } from "./regions.js";
import { assertEasemobUserId } from "./userid.js";
import { readCallbackSecrets } from "./verify.js";
import { DEFAULT_WEBHOOK_MAX_SKEW_SECONDS, verifyEasemobCallback } from "./webhook.js";

// Options are checked with core's validators rather than a zod schema: the provider is what browsers and
// Workers bundle, and it must stay far below its 15 KB budget.

/** Default credential lifetime, in seconds (one day). */
export const DEFAULT_CREDENTIAL_TTL_SECONDS = 86_400;

/** Longest accepted credential lifetime, in seconds (the largest signed 32-bit count). */
export const MAX_TOKEN_TTL_SECONDS = 2_147_483_647;

const WHAT = "createEasemobProvider options";
const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  "orgName",
  "appName",
  "clientId",
  "clientSecret",
  "region",
  "baseUrl",
  "ttlUnit",
  "appTokenTtlSeconds",
  "renewBeforeSeconds",
  "autoCreateUser",
  "userTokens",
  "defaultTtlSeconds",
  "callbackSecret",
  "webhookMaxSkewSeconds",
  "timeoutMs",
  "fetch",
  "clock",
]);

/**
 * Makes user tokens without Easemob's API, for apps in the Agora realm (Agora Chat user tokens):
 * `@imauth/agora`'s `agoraChatUserTokens({ appId, appCertificate })` returns one. It gets the user ID, the
 * lifetime in seconds and a clock frozen at the credential's `issuedAt`.
 *
 * @example
 * ```ts
 * const userTokens: EasemobUserTokenStrategy = (userId, expireSeconds, clock) => myChatToken(userId, expireSeconds, clock);
 * ```
 */
export type EasemobUserTokenStrategy = (
  userId: string,
  expireSeconds: number,
  clock?: Clock,
) => string | Promise<string>;

/**
 * Options of {@link createEasemobProvider}.
 *
 * @example
 * ```ts
 * const options: EasemobProviderOptions = { orgName, appName, clientId, clientSecret, region: "sgp2" };
 * ```
 */
export interface EasemobProviderOptions {
  /** The org name (the part of the AppKey before `#`). */
  orgName: string;
  /** The app name (the part of the AppKey after `#`). */
  appName: string;
  /** The app's Client ID (console: app credentials). */
  clientId: string;
  /** The app's Client Secret (kept in a closure, never shown). */
  clientSecret: string | Secret;
  /** The data center whose REST hosts to use; default `"cn1"`. Give either `region` or `baseUrl`. */
  region?: EasemobRegion;
  /**
   * The app's REST host as the console shows it (`a1.easemob.com`), or an origin (`http://127.0.0.1:8080`),
   * or a list: the primary, then backups; calls go to `<host>/<orgName>/<appName>/`. Instead of `region`.
   */
  baseUrl?: string | readonly string[];
  /**
   * The unit of `ttl` and `expires_in` at the token endpoint: `"seconds"` (default) or `"milliseconds"` for
   * the clusters that use them (VIP 5). Every lifetime in this package's API stays in seconds.
   */
  ttlUnit?: EasemobTtlUnit;
  /** Requested app-token lifetime, in seconds. Default: the console's setting. */
  appTokenTtlSeconds?: number;
  /** How long before its expiry the app token is renewed, in seconds. Default 600. */
  renewBeforeSeconds?: number;
  /** Whether the `inherit` grant creates a user that does not exist yet. Default true. */
  autoCreateUser?: boolean;
  /** Make user tokens offline with this strategy (Agora realm) instead of the `inherit` grant. */
  userTokens?: EasemobUserTokenStrategy;
  /** Lifetime used when `issueCredential` is given no `ttlSeconds`. Default 86400 (one day). */
  defaultTtlSeconds?: number;
  /** The callback rule's Secret, or `[current, ...previous]`; needed by `verifyWebhook`. */
  callbackSecret?: KeyInput;
  /** Largest accepted |timestamp - now| of a callback, in seconds (1 to 604800). Default 300. */
  webhookMaxSkewSeconds?: number;
  /** Deadline of one token request, answer included, in milliseconds. Default 10000. */
  timeoutMs?: number;
  /** The fetch used for token requests (a proxy, an emulator). Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Source of the current time (epoch milliseconds). Default `Date.now`. */
  clock?: Clock;
}

/**
 * Easemob's `ImAuthProvider`, with what its REST client needs.
 *
 * @example
 * ```ts
 * const provider: EasemobProvider = createEasemobProvider({ orgName, appName, clientId, clientSecret });
 * provider.appId; // "org#app", the AppKey
 * ```
 */
export interface EasemobProvider extends ImAuthProvider {
  /** Always `"easemob"`. */
  readonly vendor: "easemob";
  /** The AppKey, `orgName#appName` (public: the client SDK needs it). */
  readonly appId: string;
  /** The org name. */
  readonly orgName: string;
  /** The app name. */
  readonly appName: string;
  /** How `issueCredential` makes tokens: `"inherit"` (Easemob's API) or `"strategy"` (offline). */
  readonly credentialMode: "inherit" | "strategy";
  /** REST base URLs `https://{host}/{org}/{app}/`, primary first. */
  readonly baseUrls: readonly string[];
  /** The current app token (fetched or renewed when needed): for calls made without this package's client. */
  getAppToken(): Promise<string>;
  /** Drops the cached app token when it is `token` (default: whatever is cached), after Easemob refused it. */
  invalidateAppToken(token?: string): void;
}

/** The checked options, with defaults applied. */
interface ProviderConfig {
  appKey: string;
  orgName: string;
  appName: string;
  endpoint: TokenEndpoint;
  autoCreateUser: boolean;
  userTokens: EasemobUserTokenStrategy | undefined;
  defaultTtlSeconds: number;
  callbackSecrets: readonly string[] | undefined;
  webhookMaxSkewSeconds: number;
  clock: Clock | undefined;
}

/**
 * Creates Easemob's `ImAuthProvider`:
 *
 * - `signRequest` adds `Authorization: Bearer <app token>`. The app token comes from the token endpoint
 *   (`client_credentials`), is cached, renewed before it expires, fetched once for concurrent callers, and
 *   dropped when Easemob answers 401 (the REST client then renews it and retries once).
 * - `issueCredential(userId)` gives `{ appId: "org#app", userId, token }`: a user token from the `inherit`
 *   grant (`POST /{org}/{app}/token` with the app token; `autoCreateUser` by default), or, with `userTokens`,
 *   one made offline (Agora realm). `expiresAt` is `issuedAt` plus the lifetime Easemob answered (the
 *   console's setting may override the one requested).
 * - `verifyWebhook` is {@link verifyEasemobCallback} with `callbackSecret`.
 *
 * Options are validated (`ERR_INVALID_CONFIG`, never echoing values; `region` and `baseUrl` are exclusive); the
 * Client Secret stays in a closure and the provider shows `[redacted]` fields when logged.
 *
 * @example
 * ```ts
 * import { createEasemobProvider } from "@imauth/easemob";
 *
 * const provider = createEasemobProvider({
 *   orgName: process.env.EASEMOB_ORG_NAME!,
 *   appName: process.env.EASEMOB_APP_NAME!,
 *   clientId: process.env.EASEMOB_CLIENT_ID!,
 *   clientSecret: process.env.EASEMOB_CLIENT_SECRET!,
 *   baseUrl: "a1.easemob.com",
 * });
 * const { appId, token, expiresAt } = await provider.issueCredential("alice", { ttlSeconds: 3600 });
 * ```
 */
export function createEasemobProvider(options: EasemobProviderOptions): EasemobProvider {
  const { config, clientId, clientSecret, appTokenTtlSeconds, renewBeforeSeconds } =
    readProviderOptions(options);
  const cache = createAppTokenCache(
    () =>
      requestToken(
        config.endpoint,
        appTokenRequestBody(clientId, clientSecret, appTokenTtlSeconds, config.endpoint.ttlUnit),
      ),
    config.clock,
    renewBeforeSeconds * 1000,
  );
  const provider: EasemobProvider = {
    vendor: "easemob",
    appId: config.appKey,
    orgName: config.orgName,
    appName: config.appName,
    credentialMode: config.userTokens === undefined ? "inherit" : "strategy",
    baseUrls: config.endpoint.baseUrls,
    issueCredential: (userId, issueOptions) => issueCredential(config, cache, userId, issueOptions),
    signRequest: (request) => signRequest(cache, request),
    verifyWebhook: (input) => verifyWebhook(config, input),
    getAppToken: () => cache.get(),
    invalidateAppToken: (token) => cache.invalidate(token),
  };
  return redactable(provider, "EasemobProvider");
}

interface ReadOptions {
  config: ProviderConfig;
  clientId: string;
  clientSecret: string;
  appTokenTtlSeconds: number | undefined;
  renewBeforeSeconds: number;
}

function readProviderOptions(options: EasemobProviderOptions): ReadOptions {
  assertOptionsObject(options, WHAT, "ERR_INVALID_CONFIG");
  for (const name of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(name)) throw config(`invalid ${WHAT}: ${name.slice(0, 40)}: unknown option`);
  }
  const o = options as EasemobProviderOptions & Record<string, unknown>;
  assertEasemobName(o.orgName, "orgName");
  assertEasemobName(o.appName, "appName");
  assertNonEmptyString(o.clientId, "clientId", "ERR_INVALID_CONFIG", 256);
  const clientSecret = readClientSecret(o.clientSecret);
  for (const name of ["clock", "fetch", "userTokens"] as const) {
    if (o[name] !== undefined && typeof o[name] !== "function") throw config(`${name} must be a function`);
  }
  const ttlUnit = o.ttlUnit ?? "seconds";
  if (ttlUnit !== "seconds" && ttlUnit !== "milliseconds") {
    throw config('ttlUnit must be "seconds" or "milliseconds"');
  }
  if (o.autoCreateUser !== undefined && typeof o.autoCreateUser !== "boolean") {
    throw config("autoCreateUser must be a boolean");
  }
  const numbers = readNumbers(o);
  const endpoint: TokenEndpoint = {
    baseUrls: readBaseUrls(o.region, o.baseUrl, o.orgName, o.appName),
    fetch: o.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs: numbers.timeoutMs,
    ttlUnit,
  };
  return {
    config: {
      appKey: `${o.orgName}#${o.appName}`,
      orgName: o.orgName,
      appName: o.appName,
      endpoint,
      autoCreateUser: o.autoCreateUser ?? true,
      userTokens: o.userTokens,
      defaultTtlSeconds: numbers.defaultTtlSeconds,
      callbackSecrets:
        o.callbackSecret === undefined ? undefined : readCallbackSecrets(o.callbackSecret, "callbackSecret"),
      webhookMaxSkewSeconds: numbers.webhookMaxSkewSeconds,
      clock: o.clock,
    },
    clientId: o.clientId,
    clientSecret,
    appTokenTtlSeconds: numbers.appTokenTtlSeconds,
    renewBeforeSeconds: numbers.renewBeforeSeconds,
  };
}

function readNumbers(o: EasemobProviderOptions) {
  const {
    defaultTtlSeconds = DEFAULT_CREDENTIAL_TTL_SECONDS,
    webhookMaxSkewSeconds = DEFAULT_WEBHOOK_MAX_SKEW_SECONDS,
    renewBeforeSeconds = 600,
    timeoutMs = 10_000,
    appTokenTtlSeconds,
  } = o;
  const code = "ERR_INVALID_CONFIG";
  assertInteger(defaultTtlSeconds, "defaultTtlSeconds", { max: MAX_TOKEN_TTL_SECONDS, code });
  assertInteger(webhookMaxSkewSeconds, "webhookMaxSkewSeconds", { max: 604_800, code });
  assertInteger(renewBeforeSeconds, "renewBeforeSeconds", { min: 0, max: 86_400, code });
  assertInteger(timeoutMs, "timeoutMs", { max: 600_000, code });
  if (appTokenTtlSeconds !== undefined) {
    assertInteger(appTokenTtlSeconds, "appTokenTtlSeconds", { max: MAX_TOKEN_TTL_SECONDS, code });
  }
  return { defaultTtlSeconds, webhookMaxSkewSeconds, renewBeforeSeconds, timeoutMs, appTokenTtlSeconds };
}

function config(message: string): ImAuthError {
  return new ImAuthError("ERR_INVALID_CONFIG", message);
}

/** The Client Secret, revealed once and kept in the provider's closure (a signer uses one key). */
function readClientSecret(value: unknown): string {
  if (Array.isArray(value)) throw config("clientSecret must be one string or Secret, not a list");
  const [secret] = keyList(value, "clientSecret");
  return secret!;
}

async function issueCredential(
  c: ProviderConfig,
  cache: AppTokenCache,
  userId: string,
  options: IssueCredentialOptions | undefined,
): Promise<ImCredential> {
  refuseRoomScope(options?.room, "easemob", "Easemob user tokens are not scoped to an audio/video room");
  assertOptionsObject(options, "issueCredential options", "ERR_INVALID_INPUT", true);
  assertEasemobUserId(userId);
  const ttlSeconds = options?.ttlSeconds ?? c.defaultTtlSeconds;
  assertInteger(ttlSeconds, "ttlSeconds", { max: MAX_TOKEN_TTL_SECONDS });
  const nowMs = Math.floor(readClock(c.clock));
  const issued =
    c.userTokens === undefined
      ? await inheritToken(c, cache, userId, ttlSeconds)
      : {
          token: await strategyToken(c.userTokens, userId, ttlSeconds, nowMs),
          lifetimeMs: ttlSeconds * 1000,
        };
  return {
    vendor: "easemob",
    appId: c.appKey,
    userId,
    token: issued.token,
    issuedAt: new Date(nowMs),
    expiresAt: new Date(nowMs + issued.lifetimeMs),
  };
}

async function strategyToken(
  strategy: EasemobUserTokenStrategy,
  userId: string,
  ttlSeconds: number,
  nowMs: number,
): Promise<string> {
  // A clock frozen at issuedAt: the token's own issue time and the credential's agree to the millisecond.
  const token = await strategy(userId, ttlSeconds, () => nowMs);
  if (typeof token !== "string" || token.length === 0 || token.length > 4096) {
    throw new ImAuthError(
      "ERR_VENDOR_API",
      "the userTokens strategy returned no token of 1 to 4096 characters",
    );
  }
  return token;
}

/** A user token through the `inherit` grant; a refused (401) app token is renewed and the call made once more. */
async function inheritToken(
  c: ProviderConfig,
  cache: AppTokenCache,
  userId: string,
  ttlSeconds: number,
): Promise<{ token: string; lifetimeMs: number }> {
  const body = inheritRequestBody(userId, ttlSeconds, c.autoCreateUser, c.endpoint.ttlUnit);
  for (let attempt = 1; ; attempt++) {
    const appToken = await cache.get();
    try {
      const issued = await requestToken(c.endpoint, body, appToken);
      return { token: issued.accessToken, lifetimeMs: issued.expiresInMs };
    } catch (error) {
      if (attempt > 1 || !isImAuthError(error, "ERR_VENDOR_API") || error.status !== 401) throw error;
      cache.invalidate(appToken);
    }
  }
}

async function signRequest(cache: AppTokenCache, request: Request): Promise<Request> {
  if (typeof Request === "undefined" || !(request instanceof Request)) {
    throw new ImAuthError("ERR_INVALID_INPUT", `signRequest needs a Fetch Request, got ${typeName(request)}`);
  }
  const token = await cache.get();
  const headers = new Headers(request.headers);
  headers.set("Authorization", `Bearer ${token}`);
  if (!headers.has("Accept")) headers.set("Accept", "application/json");
  // Easemob's app token is an OAuth bearer meant to be reused until it expires (one per request would run
  // into the token endpoint's rate limit), so two signings can carry the same credential. Each signing still
  // builds a new Request with the token valid at that moment, and a new X-Request-ID so every attempt,
  // retries included, can be told apart in logs and proxies: that ID is what makes two signings differ.
  headers.set("X-Request-ID", randomHex(16));
  // The headers now hold the bearer: a redirect must never carry them (or the body) elsewhere.
  return new Request(request, { headers, redirect: "manual" });
}

function verifyWebhook(c: ProviderConfig, input: Request | RawWebhook): Promise<VerifiedWebhook> {
  if (c.callbackSecrets === undefined) {
    return Promise.reject(config("verifyWebhook needs the provider's callbackSecret option"));
  }
  return verifyEasemobCallback(input, {
    secret: c.callbackSecrets,
    webhookMaxSkewSeconds: c.webhookMaxSkewSeconds,
    ...(c.clock === undefined ? {} : { clock: c.clock }),
  });
}
