import {
  assertInteger,
  type Clock,
  ImAuthError,
  type ImAuthProvider,
  type ImCredential,
  type IssueCredentialOptions,
  parseConfig,
  type RawWebhook,
  readClock,
  redactable,
  type VerifiedWebhook,
} from "@imauth/core";
import { z } from "zod/mini";
import { assertHeaderValue, createCheckSumHeaders } from "./checksum.js";
import { NETEASE_REGIONS, type NeteaseRegion } from "./regions.js";
import { assertAccid, assertSignedConfig, genDynamicToken, MAX_TOKEN_TTL_SECONDS } from "./token.js";
import { verifyNeteaseCallback } from "./webhook.js";

/**
 * Default credential lifetime, in seconds (one day).
 *
 * @example
 * ```ts
 * const c = await provider.issueCredential("user01"); // lives DEFAULT_CREDENTIAL_TTL_SECONDS
 * ```
 */
export const DEFAULT_CREDENTIAL_TTL_SECONDS = 86_400;

/**
 * Longest static token NetEase accepts, in characters.
 *
 * @example
 * ```ts
 * if (token.length > MAX_STATIC_TOKEN_LENGTH) throw new Error("NetEase refuses this token");
 * ```
 */
export const MAX_STATIC_TOKEN_LENGTH = 128;

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
  /** The application's AppSecret, without control characters (kept in a closure, never shown). */
  appSecret: string;
  /** Region whose API domains `baseUrls` lists. Default `"cn"`. */
  region?: NeteaseRegion;
  /** API base URL(s) ending in `/nimserver/`, primary first; overrides `region`. */
  baseUrl?: string | string[];
  /**
   * `"dynamic"` (default): tokens are computed locally ({@link genDynamicToken}); the app must have dynamic
   * token login enabled. `"static"`: tokens come from `staticTokens` (NetEase's account API).
   */
  credentialMode?: "dynamic" | "static";
  /** Source of static tokens; required when `credentialMode` is `"static"`. */
  staticTokens?: NeteaseStaticTokenSource;
  /** Lifetime used when `issueCredential` is given no `ttlSeconds`. Default 86400 (one day). */
  defaultTtlSeconds?: number;
  /** Largest accepted distance of a callback's `CurTime` from the clock, in ms. Default 5 minutes. */
  maxWebhookSkewMs?: number;
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

const fn = <T>() => z.custom<T>((v) => typeof v === "function");
const baseUrlSchema = z.url({ protocol: /^https?$/ });
const OptionsSchema = z.strictObject({
  appKey: z.string().check(z.minLength(1), z.maxLength(128)),
  appSecret: z.string().check(z.minLength(1), z.maxLength(4096)),
  region: z.optional(z.enum(["cn", "sg"])),
  baseUrl: z.optional(z.union([baseUrlSchema, z.array(baseUrlSchema).check(z.minLength(1))])),
  credentialMode: z.optional(z.enum(["dynamic", "static"])),
  staticTokens: z.optional(
    z.custom<NeteaseStaticTokenSource>(
      (v) =>
        typeof v === "object" &&
        v !== null &&
        typeof (v as { issueToken?: unknown }).issueToken === "function",
    ),
  ),
  defaultTtlSeconds: z.optional(z.int().check(z.minimum(1), z.maximum(MAX_TOKEN_TTL_SECONDS))),
  maxWebhookSkewMs: z.optional(z.number().check(z.minimum(0))),
  clock: z.optional(fn<Clock>()),
});

/**
 * Checks now what `signRequest` and the signatures would trip on later: the AppKey is a header value (a CR,
 * LF or non-Latin-1 character makes `Headers` throw a bare TypeError), and a secret with a control
 * character (a newline read from a file) or a lone surrogate never signs what NetEase expects.
 */
function assertSigningConfig(appKey: string, appSecret: string): void {
  assertHeaderValue(appKey, "appKey", "ERR_INVALID_CONFIG");
  assertSignedConfig(appSecret, "appSecret");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(appSecret)) {
    throw new ImAuthError(
      "ERR_INVALID_CONFIG",
      "appSecret must not contain control characters (a line break?)",
    );
  }
}

function withSlash(url: string): string {
  const parsed = new URL(url);
  if (!parsed.pathname.endsWith("/")) parsed.pathname += "/";
  return parsed.toString();
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
 *
 * Options are validated (`ERR_INVALID_CONFIG`, never echoing values; the AppKey must be visible ASCII, as it
 * is sent as a header, and the AppSecret free of control characters); the AppSecret stays in a closure and
 * the provider shows `[redacted]` fields when logged.
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
  const config = parseConfig(OptionsSchema, options, "createNeteaseProvider options");
  const {
    appKey,
    appSecret,
    clock,
    credentialMode = "dynamic",
    defaultTtlSeconds = DEFAULT_CREDENTIAL_TTL_SECONDS,
    maxWebhookSkewMs,
    staticTokens,
  } = config;
  assertSigningConfig(appKey, appSecret);
  if (credentialMode === "static" && staticTokens === undefined) {
    throw new ImAuthError(
      "ERR_INVALID_CONFIG",
      'credentialMode "static" needs staticTokens: use createNeteaseStaticProvider from "@imauth/netease/client", or pass your own source',
    );
  }
  const baseUrls = Object.freeze(
    config.baseUrl === undefined
      ? [...NETEASE_REGIONS[config.region ?? "cn"]]
      : (typeof config.baseUrl === "string" ? [config.baseUrl] : config.baseUrl).map(withSlash),
  );

  async function issueCredential(userId: string, opts: IssueCredentialOptions = {}): Promise<ImCredential> {
    assertAccid(userId, "userId");
    if (typeof opts !== "object" || opts === null) {
      throw new ImAuthError("ERR_INVALID_INPUT", "issueCredential options must be an object");
    }
    const ttlSeconds = opts.ttlSeconds ?? defaultTtlSeconds;
    assertInteger(ttlSeconds, "ttlSeconds", { max: MAX_TOKEN_TTL_SECONDS });
    const nowMs = Math.floor(readClock(clock));
    let token: string;
    if (credentialMode === "dynamic") {
      token = genDynamicToken({ appKey, appSecret, accid: userId, ttlSeconds, clock: () => nowMs });
    } else {
      token = await staticTokens!.issueToken(userId);
      if (typeof token !== "string" || token.length === 0 || token.length > MAX_STATIC_TOKEN_LENGTH) {
        throw new ImAuthError(
          "ERR_VENDOR_API",
          `the static token source returned no token of 1 to ${MAX_STATIC_TOKEN_LENGTH} characters`,
        );
      }
    }
    return {
      vendor: "netease",
      appId: appKey,
      userId,
      token,
      issuedAt: new Date(nowMs),
      expiresAt: new Date(nowMs + ttlSeconds * 1000),
    };
  }

  async function signRequest(request: Request): Promise<Request> {
    if (typeof Request === "undefined" || !(request instanceof Request)) {
      throw new ImAuthError("ERR_INVALID_INPUT", "signRequest needs a Fetch Request");
    }
    const headers = new Headers(request.headers);
    const signed = createCheckSumHeaders({ appKey, appSecret, clock });
    headers.set("AppKey", signed.AppKey);
    headers.set("Nonce", signed.Nonce);
    headers.set("CurTime", signed.CurTime);
    headers.set("CheckSum", signed.CheckSum);
    // The headers now hold the CheckSum: a redirect must never carry them (or the body) elsewhere.
    return new Request(request, { headers, redirect: "manual" });
  }

  function verifyWebhook(input: Request | RawWebhook): Promise<VerifiedWebhook> {
    return verifyNeteaseCallback(input, {
      appSecret,
      appKey,
      clock,
      ...(maxWebhookSkewMs === undefined ? {} : { maxSkewMs: maxWebhookSkewMs }),
    });
  }

  return redactable<NeteaseProvider>(
    {
      vendor: "netease",
      appId: appKey,
      credentialMode,
      baseUrls,
      issueCredential,
      signRequest,
      verifyWebhook,
    },
    "NeteaseProvider",
  );
}
