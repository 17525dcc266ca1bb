import {
  type Clock,
  ImAuthError,
  type ImAuthProvider,
  type ImCredential,
  type IssueCredentialOptions,
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
  readClock,
  readRoomScope,
  redactable,
  typeName,
} from "@imauth/core/adapter";
import { assertHeaderValue, createCheckSumHeaders } from "./checksum.js";
import { type NeteaseRegion, readBaseUrls } from "./regions.js";
import { issueNertcRoomCredential } from "./room.js";
import { assertAccid, genDynamicToken, MAX_TOKEN_TTL_SECONDS, revealSecret } from "./token.js";
import { DEFAULT_WEBHOOK_MAX_SKEW_SECONDS, verifyNeteaseCallback } from "./webhook.js";

// Options are checked with core's validators rather than a zod schema: the provider is what browsers and
// Workers bundle, and zod/mini (with its locales) took createNeteaseProvider's bundle to 89 KB gzip.

/** Default credential lifetime, in seconds (one day). */
export const DEFAULT_CREDENTIAL_TTL_SECONDS = 86_400;

/** Longest static token NetEase accepts, in characters. */
export const MAX_STATIC_TOKEN_LENGTH = 128;

const WHAT = "createNeteaseProvider options";
const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  "appKey",
  "appSecret",
  "permSecret",
  "region",
  "baseUrl",
  "credentialMode",
  "staticTokens",
  "defaultTtlSeconds",
  "webhookMaxSkewSeconds",
  "clock",
]);

/**
 * Where a static-mode provider gets login tokens. `@imauth/netease/client` supplies one that creates the
 * account or refreshes its token through NetEase's API (`createNeteaseStaticProvider`); apps that keep
 * tokens in their own store can supply theirs.
 *
 * @example
 * ```ts
 * const fromDatabase: NeteaseStaticTokenSource = {
 *   issueToken: async (accid) => (await db.users.get(accid)).nimToken,
 * };
 * ```
 */
export interface NeteaseStaticTokenSource {
  /** Returns a valid static login token for `accid` (at most 128 characters). */
  issueToken(accid: string): Promise<string>;
}

/**
 * Options of {@link createNeteaseProvider}.
 *
 * @example
 * ```ts
 * const options: NeteaseProviderOptions = { appKey, appSecret, region: "sg", defaultTtlSeconds: 3600 };
 * const provider = createNeteaseProvider(options);
 * ```
 */
export interface NeteaseProviderOptions {
  /** The application's AppKey: visible ASCII, as it is sent in the `AppKey` header. */
  appKey: string;
  /**
   * The application's AppSecret, without control characters (kept in a closure, never shown). During a
   * rotation, `[current, ...previous]`: the first signs requests and tokens, callbacks signed with any verify.
   */
  appSecret: KeyInput;
  /**
   * The NERTC permission secret (console: advanced permissions), not the AppSecret. Needed only to issue
   * room credentials with restricted privileges: they carry a permission key (`room.details.permissionKey`).
   */
  permSecret?: string | Secret;
  /** The region whose API domains `baseUrls` lists; default `"cn"`. Give either `region` or `baseUrl`. */
  region?: NeteaseRegion;
  /** API base URL(s) ending in `/nimserver/`, primary first, instead of a region's domains. */
  baseUrl?: string | readonly string[];
  /**
   * `"dynamic"` (default): tokens are computed locally ({@link genDynamicToken}); the app must have dynamic
   * token login enabled. `"static"`: tokens come from `staticTokens` (NetEase's account API).
   */
  credentialMode?: "dynamic" | "static";
  /** Source of static tokens; required when `credentialMode` is `"static"`. */
  staticTokens?: NeteaseStaticTokenSource;
  /** Lifetime used when `issueCredential` is given no `ttlSeconds`. Default 86400 (one day). */
  defaultTtlSeconds?: number;
  /** Largest accepted |CurTime - now| of a callback, in seconds (1 to 86400). Default 300. */
  webhookMaxSkewSeconds?: number;
  /** Source of the current time (epoch milliseconds). Default `Date.now`. */
  clock?: Clock;
}

/**
 * NetEase's `ImAuthProvider`, with what its REST client needs.
 *
 * @example
 * ```ts
 * const provider: NeteaseProvider = createNeteaseProvider({ appKey, appSecret });
 * provider.baseUrls; // API domains, primary first
 * ```
 */
export interface NeteaseProvider extends ImAuthProvider {
  /** Always `"netease"`. */
  readonly vendor: "netease";
  /** The AppKey (public: clients send it too). */
  readonly appId: string;
  /** How `issueCredential` makes tokens. */
  readonly credentialMode: "dynamic" | "static";
  /** API base URLs, primary first, each ending in `/nimserver/`. */
  readonly baseUrls: readonly string[];
}

/**
 * Creates NetEase YunXin's `ImAuthProvider`:
 *
 * - `issueCredential(accid)` gives `{ appId: appKey, userId: accid, token }`. In `"dynamic"` mode the token
 *   is a dynamic login token computed locally and `expiresAt` is when NetEase stops accepting it. In
 *   `"static"` mode the token comes from `staticTokens` (I/O); static tokens never expire by themselves
 *   (they stay valid until replaced), so `expiresAt` = `issuedAt + ttlSeconds` is a policy hint: when the
 *   app should fetch a new credential.
 * - `signRequest` adds fresh `AppKey`, `Nonce`, `CurTime` and `CheckSum` headers on every call.
 * - `verifyWebhook` is {@link verifyNeteaseCallback} with the provider's AppKey and AppSecret.
 * - `issueCredential(accid, { room })` also returns `credential.room` (in both modes: room tokens are made
 *   locally): a NERTC token ({@link genNertcToken}) for channel `String(roomId)` and uid `room.rtcUid`, or the
 *   accid when it is a decimal number, lasting `ttlSeconds`, which must then be at most 86399 (NERTC tokens
 *   last less than a day; a longer one is refused, not shortened). NERTC tokens carry no privileges: when the
 *   privileges withhold a bit (`"join"` = create, join, receive audio and video; `"publishAudio"`,
 *   `"publishVideo"` = send them; `"publishData"` has no bit), a permission key
 *   ({@link genNertcPermissionKey}) made with `permSecret` is added as `room.details.permissionKey`, and
 *   without `permSecret` that is refused. `room.details.uid` is the uid as text.
 *
 * Options are validated (`ERR_INVALID_CONFIG`, never echoing values; the AppKey must be visible ASCII, as it
 * is sent as a header, and the AppSecret free of control characters; `region` and `baseUrl` are exclusive);
 * the AppSecret stays in a closure and the provider shows `[redacted]` fields when logged.
 *
 * @example
 * ```ts
 * import { createNeteaseProvider } from "@imauth/netease";
 *
 * const provider = createNeteaseProvider({ appKey: process.env.NIM_APP_KEY!, appSecret: process.env.NIM_APP_SECRET! });
 * const { appId, token, expiresAt } = await provider.issueCredential("user01", { ttlSeconds: 3600 });
 * ```
 */
export function createNeteaseProvider(options: NeteaseProviderOptions): NeteaseProvider {
  const config = readProviderOptions(options);
  const provider: NeteaseProvider = {
    vendor: "netease",
    appId: config.appKey,
    credentialMode: config.credentialMode,
    baseUrls: config.baseUrls,
    issueCredential: (userId, issueOptions) => issueCredential(config, userId, issueOptions),
    signRequest: (request) => signRequest(config, request),
    verifyWebhook: (input) => verifyWebhook(config, input),
  };
  return redactable(provider, "NeteaseProvider");
}

/** The checked options, with defaults applied. */
interface ProviderConfig {
  appKey: string;
  appSecret: string;
  appSecrets: readonly string[];
  permSecret: string | undefined;
  baseUrls: readonly string[];
  credentialMode: "dynamic" | "static";
  staticTokens: NeteaseStaticTokenSource | undefined;
  defaultTtlSeconds: number;
  webhookMaxSkewSeconds: number;
  clock: Clock | undefined;
}

function readProviderOptions(options: NeteaseProviderOptions): ProviderConfig {
  assertOptionsObject(options, WHAT, "ERR_INVALID_CONFIG");
  for (const name of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(name)) throw config(`invalid ${WHAT}: ${name.slice(0, 40)}: unknown option`);
  }
  const o = options as NeteaseProviderOptions & Record<string, unknown>;
  // The AppKey is a header value (a CR, LF or non-Latin-1 character makes Headers throw a bare TypeError).
  assertNonEmptyString(o.appKey, "appKey", "ERR_INVALID_CONFIG", 128);
  assertHeaderValue(o.appKey, "appKey", "ERR_INVALID_CONFIG");
  const appSecrets = keyList(o.appSecret, "appSecret").map((value) => readSecret(value, "appSecret"));
  const appSecret = appSecrets[0]!;
  if (o.clock !== undefined && typeof o.clock !== "function") throw config("clock must be a function");
  const credentialMode = o.credentialMode ?? "dynamic";
  if (credentialMode !== "dynamic" && credentialMode !== "static") {
    throw config('credentialMode must be "dynamic" or "static"');
  }
  const defaultTtlSeconds = o.defaultTtlSeconds ?? DEFAULT_CREDENTIAL_TTL_SECONDS;
  assertInteger(defaultTtlSeconds, "defaultTtlSeconds", {
    max: MAX_TOKEN_TTL_SECONDS,
    code: "ERR_INVALID_CONFIG",
  });
  const webhookMaxSkewSeconds = o.webhookMaxSkewSeconds ?? DEFAULT_WEBHOOK_MAX_SKEW_SECONDS;
  assertInteger(webhookMaxSkewSeconds, "webhookMaxSkewSeconds", { max: 86_400, code: "ERR_INVALID_CONFIG" });
  return {
    appKey: o.appKey,
    appSecret,
    appSecrets,
    permSecret: o.permSecret === undefined ? undefined : readSecret(o.permSecret, "permSecret"),
    baseUrls: readBaseUrls(o.region, o.baseUrl),
    credentialMode,
    staticTokens: readStaticTokens(credentialMode, o.staticTokens),
    defaultTtlSeconds,
    webhookMaxSkewSeconds,
    clock: o.clock,
  };
}

function config(message: string): ImAuthError {
  return new ImAuthError("ERR_INVALID_CONFIG", message);
}

/**
 * The AppSecret or permSecret, revealed once and kept in the provider's closure. One with a control character
 * (a newline read from a file) or a lone surrogate never signs what NetEase expects.
 */
function readSecret(value: unknown, what: "appSecret" | "permSecret"): string {
  const secret = revealSecret(value, what);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(secret)) {
    throw config(`${what} must not contain control characters (a line break?)`);
  }
  return secret;
}

function readStaticTokens(mode: "dynamic" | "static", source: unknown): NeteaseStaticTokenSource | undefined {
  if (source !== undefined) {
    if (
      typeof source !== "object" ||
      source === null ||
      typeof (source as NeteaseStaticTokenSource).issueToken !== "function"
    ) {
      throw config(`staticTokens must be an object with an issueToken method, got ${typeName(source)}`);
    }
  } else if (mode === "static") {
    throw config(
      'credentialMode "static" needs staticTokens: use createNeteaseStaticProvider from "@imauth/netease/client", or pass your own source',
    );
  }
  return source as NeteaseStaticTokenSource | undefined;
}

async function issueCredential(
  c: ProviderConfig,
  userId: string,
  options: IssueCredentialOptions | undefined,
): Promise<ImCredential> {
  assertAccid(userId, "userId");
  assertOptionsObject(options, "issueCredential options", "ERR_INVALID_INPUT", true);
  const scope = options?.room === undefined ? undefined : readRoomScope(options.room);
  const ttlSeconds = options?.ttlSeconds ?? c.defaultTtlSeconds;
  assertInteger(ttlSeconds, "ttlSeconds", { max: MAX_TOKEN_TTL_SECONDS });
  const nowMs = Math.floor(readClock(c.clock));
  // Made before the login token, so a refused room scope never costs a static token refresh.
  const room =
    scope === undefined ? undefined : await issueNertcRoomCredential(c, userId, scope, ttlSeconds, nowMs);
  const token =
    c.credentialMode === "dynamic"
      ? genDynamicToken({
          appKey: c.appKey,
          appSecret: c.appSecret,
          accid: userId,
          ttlSeconds,
          clock: () => nowMs,
        })
      : await staticToken(c.staticTokens!, userId);
  const credential: ImCredential = {
    vendor: "netease",
    appId: c.appKey,
    userId,
    token,
    issuedAt: new Date(nowMs),
    expiresAt: new Date(nowMs + ttlSeconds * 1000),
  };
  if (room !== undefined) credential.room = room;
  return credential;
}

async function staticToken(source: NeteaseStaticTokenSource, accid: string): Promise<string> {
  const token = await source.issueToken(accid);
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_STATIC_TOKEN_LENGTH) {
    throw new ImAuthError(
      "ERR_VENDOR_API",
      `the static token source returned no token of 1 to ${MAX_STATIC_TOKEN_LENGTH} characters`,
    );
  }
  return token;
}

async function signRequest(c: ProviderConfig, request: Request): Promise<Request> {
  if (typeof Request === "undefined" || !(request instanceof Request)) {
    throw new ImAuthError("ERR_INVALID_INPUT", `signRequest needs a Fetch Request, got ${typeName(request)}`);
  }
  const headers = new Headers(request.headers);
  const signed = createCheckSumHeaders({ appKey: c.appKey, appSecret: c.appSecret, clock: c.clock });
  headers.set("AppKey", signed.AppKey);
  headers.set("Nonce", signed.Nonce);
  headers.set("CurTime", signed.CurTime);
  headers.set("CheckSum", signed.CheckSum);
  // The headers now hold the CheckSum: a redirect must never carry them (or the body) elsewhere.
  return new Request(request, { headers, redirect: "manual" });
}

function verifyWebhook(c: ProviderConfig, input: Request | RawWebhook): Promise<VerifiedWebhook> {
  const { appKey, appSecrets, clock, webhookMaxSkewSeconds } = c;
  return verifyNeteaseCallback(input, { appKey, appSecret: appSecrets, clock, webhookMaxSkewSeconds });
}
