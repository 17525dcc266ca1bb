import {
  assertInteger,
  assertUserId,
  type Clock,
  ImAuthError,
  type ImAuthProvider,
  type ImCredential,
  type IssueCredentialOptions,
  parseConfig,
  type RawWebhook,
  randomUint32,
  readClock,
  redactable,
  Secret,
  typeName,
  type VerifiedWebhook,
} from "@imauth/core";
import { z } from "zod/mini";
import { createAdminUserSigCache, type RefusedAdminUserSig } from "./admin-usersig.js";
import { TENCENT_REGIONS, type TencentRegion } from "./regions.js";
import { hmacSigner, type UserSigSigner } from "./signer.js";
import { DEFAULT_EXPIRE_SECONDS } from "./usersig.js";
import { DEFAULT_CALLBACK_MAX_SKEW_SECONDS, verifyCallback } from "./webhook.js";

/**
 * Longest accepted `ttlSeconds`: the largest signed 32-bit integer, so `TLS.expire` parses in every official
 * verifier.
 *
 * @example
 * ```ts
 * await provider.issueCredential("alice", { ttlSeconds: MAX_USERSIG_TTL_SECONDS });
 * ```
 */
export const MAX_USERSIG_TTL_SECONDS = 2 ** 31 - 1;
/**
 * Default lifetime of the cached admin UserSig that signs REST calls: one day.
 *
 * @example
 * ```ts
 * createTencentProvider({ sdkAppId, secretKey, adminUserSigTtlSeconds: DEFAULT_ADMIN_USERSIG_TTL_SECONDS / 2 });
 * ```
 */
export const DEFAULT_ADMIN_USERSIG_TTL_SECONDS = 86_400;
/** Tencent's longest user ID, in UTF-8 bytes. */
const MAX_USER_ID_BYTES = 32;

const regionNames = Object.keys(TENCENT_REGIONS) as [TencentRegion, ...TencentRegion[]];
const secretLike = z.union([z.string().check(z.minLength(1), z.maxLength(4096)), z.instanceof(Secret)]);
const fn = <T>(what: string) =>
  z.custom<T>((value) => typeof value === "function", { message: `${what} must be a function` });

const ProviderOptions = z.strictObject({
  sdkAppId: z.int().check(z.gte(1), z.lte(0xffff_ffff)),
  secretKey: z.optional(secretLike),
  adminUserId: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_USER_ID_BYTES))),
  region: z.optional(z.enum(regionNames)),
  baseUrl: z.optional(
    z.union([
      z.string().check(z.minLength(1)),
      z.array(z.string().check(z.minLength(1))).check(z.minLength(1), z.maxLength(8)),
    ]),
  ),
  callbackToken: z.optional(secretLike),
  callbackMaxSkewSeconds: z.optional(z.int().check(z.gte(1), z.lte(86_400))),
  adminUserSigTtlSeconds: z.optional(z.int().check(z.gte(600), z.lte(DEFAULT_EXPIRE_SECONDS))),
  signer: z.optional(
    z.custom<UserSigSigner>(
      (value) =>
        typeof value === "object" && value !== null && typeof (value as UserSigSigner).sign === "function",
    ),
  ),
  clock: z.optional(fn<Clock>("clock")),
  vendor: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
});

/**
 * Options of {@link createTencentProvider}.
 *
 * @example
 * ```ts
 * const options: TencentProviderOptions = { sdkAppId: 1400000000, secretKey: process.env.TENCENT_IM_KEY! };
 * ```
 */
export interface TencentProviderOptions {
  /** The application's SDKAppID. */
  sdkAppId: number;
  /** The key from the IM console (HMAC-SHA256). Required unless `signer` is given. */
  secretKey?: string | Secret;
  /** The app admin the REST API is called as. Default `administrator`. */
  adminUserId?: string;
  /** The application's region; default `china`. Give either `region` or `baseUrl`. */
  region?: TencentRegion;
  /** A REST base URL, or the primary followed by backups, instead of a region's domains. */
  baseUrl?: string | readonly string[];
  /** The callback authentication token from the console; needed only by `verifyWebhook`. */
  callbackToken?: string | Secret;
  /** Largest accepted |RequestTime - now| of a callback, in seconds. Default 60. */
  callbackMaxSkewSeconds?: number;
  /** Lifetime of the cached admin UserSig, in seconds (600 to 15552000). Default 86400. */
  adminUserSigTtlSeconds?: number;
  /** How UserSigs are made. Default `hmacSigner({ secretKey })`; @imauth/legacy-ecdsa supplies ECDSA. */
  signer?: UserSigSigner;
  /** Source of the current time (epoch ms). Default `Date.now`. */
  clock?: Clock;
  /** The provider's `vendor` name. Default `"tencent"` (@imauth/legacy-ecdsa uses `"tencent-legacy"`). */
  vendor?: string;
}

/**
 * A Tencent Cloud IM {@link ImAuthProvider}, with what the REST client needs.
 *
 * @example
 * ```ts
 * const provider: TencentProvider = createTencentProvider({ sdkAppId, secretKey });
 * provider.baseUrls; // ["https://console.tim.qq.com/", "https://adminapi.my-imcloud.com/"]
 * ```
 */
export interface TencentProvider extends ImAuthProvider {
  /** The SDKAppID. */
  readonly sdkAppId: number;
  /** The admin identifier REST calls are signed as. */
  readonly adminUserId: string;
  /** The UserSig algorithm of the signer, e.g. `"hmac-sha256"`. */
  readonly algorithm: string;
  /** The REST base URLs: primary first, then backups for failover. */
  readonly baseUrls: readonly string[];
  /**
   * Replaces the cached admin UserSig (once, however many callers ask at the same time). The REST client
   * calls it on ErrorCode 70001 and 70052 with the refused UserSig: when the cache already holds a newer one,
   * nothing is renewed; after a revocation the new one is stamped after the revocation's second.
   */
  renewAdminUserSig(refused?: RefusedAdminUserSig): Promise<void>;
}

/**
 * Creates the Tencent Cloud IM provider: `issueCredential` makes UserSigs, `signRequest` adds the REST API's
 * authentication (`sdkappid`, `identifier`, `usersig`, `random`, `contenttype=json`) with a cached admin UserSig
 * that is renewed well before it expires, and `verifyWebhook` checks callbacks (`Sign`, `RequestTime`,
 * `SdkAppid`). Options are validated at once (`ERR_INVALID_CONFIG`); `callbackToken` is checked when
 * `verifyWebhook` is first called without it.
 *
 * @example
 * ```ts
 * import { createTencentProvider } from "@imauth/tencent";
 *
 * const provider = createTencentProvider({
 *   sdkAppId: 1400000000,
 *   secretKey: process.env.TENCENT_IM_KEY!,
 *   callbackToken: process.env.TENCENT_IM_CALLBACK_TOKEN,
 *   region: "singapore",
 * });
 * const { appId, token } = await provider.issueCredential("alice");
 * ```
 */
export function createTencentProvider(options: TencentProviderOptions): TencentProvider {
  const config = parseConfig(ProviderOptions, options, "createTencentProvider options");
  const { sdkAppId, clock, callbackToken } = config;
  const adminUserId = config.adminUserId ?? "administrator";
  assertUserId(adminUserId, { what: "adminUserId", maxBytes: MAX_USER_ID_BYTES, code: "ERR_INVALID_CONFIG" });
  if (config.region !== undefined && config.baseUrl !== undefined) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "give either region or baseUrl, not both");
  }
  const baseUrls = Object.freeze(
    config.baseUrl === undefined
      ? [...TENCENT_REGIONS[config.region ?? "china"]]
      : (typeof config.baseUrl === "string" ? [config.baseUrl] : config.baseUrl).map(checkBaseUrl),
  );
  let signer = config.signer;
  if (signer === undefined) {
    if (config.secretKey === undefined) {
      throw new ImAuthError("ERR_INVALID_CONFIG", "createTencentProvider needs secretKey (or a signer)");
    }
    const key = config.secretKey;
    signer = hmacSigner({ secretKey: typeof key === "string" ? key : key.reveal() });
  }
  const sign = signer;
  const vendor = config.vendor ?? "tencent";
  const adminTtlSeconds = config.adminUserSigTtlSeconds ?? DEFAULT_ADMIN_USERSIG_TTL_SECONDS;
  const maxSkewSeconds = config.callbackMaxSkewSeconds ?? DEFAULT_CALLBACK_MAX_SKEW_SECONDS;

  async function makeUserSig(userId: string, expireSeconds: number, nowMs: number): Promise<string> {
    const userSig = await sign.sign({ sdkAppId, userId, expireSeconds, nowMs });
    if (typeof userSig !== "string" || userSig.length === 0) {
      throw new ImAuthError(
        "ERR_INVALID_CONFIG",
        `signer returned ${typeName(userSig)} instead of a UserSig`,
      );
    }
    return userSig;
  }

  const admin = createAdminUserSigCache(
    (nowMs) => makeUserSig(adminUserId, adminTtlSeconds, nowMs),
    adminTtlSeconds,
    clock,
  );

  const provider: TencentProvider = {
    vendor,
    sdkAppId,
    adminUserId,
    algorithm: String(sign.algorithm),
    baseUrls,

    async issueCredential(userId: string, issueOptions?: IssueCredentialOptions): Promise<ImCredential> {
      assertUserId(userId, { maxBytes: MAX_USER_ID_BYTES });
      if (issueOptions !== undefined && (typeof issueOptions !== "object" || issueOptions === null)) {
        throw new ImAuthError(
          "ERR_INVALID_INPUT",
          `options must be an object, got ${typeName(issueOptions)}`,
        );
      }
      const ttlSeconds = issueOptions?.ttlSeconds ?? DEFAULT_EXPIRE_SECONDS;
      assertInteger(ttlSeconds, "ttlSeconds", { min: 1, max: MAX_USERSIG_TTL_SECONDS });
      const nowMs = readClock(clock);
      const token = await makeUserSig(userId, ttlSeconds, nowMs);
      const issuedMs = Math.floor(nowMs / 1000) * 1000;
      return {
        vendor,
        appId: String(sdkAppId),
        userId,
        token,
        issuedAt: new Date(issuedMs),
        expiresAt: new Date(issuedMs + ttlSeconds * 1000),
      };
    },

    async signRequest(request: Request): Promise<Request> {
      if (typeof Request === "undefined" || !(request instanceof Request)) {
        throw new ImAuthError("ERR_INVALID_INPUT", `signRequest needs a Request, got ${typeName(request)}`);
      }
      if (request.bodyUsed) throw new ImAuthError("ERR_INVALID_INPUT", "the request's body was already read");
      const userSig = await admin.get();
      const url = new URL(request.url);
      url.searchParams.set("sdkappid", String(sdkAppId));
      url.searchParams.set("identifier", adminUserId);
      url.searchParams.set("usersig", userSig);
      url.searchParams.set("random", String(randomUint32()));
      url.searchParams.set("contenttype", "json");
      const hasBody = request.body !== null && request.method !== "GET" && request.method !== "HEAD";
      return new Request(url, {
        method: request.method,
        headers: request.headers,
        body: hasBody ? await request.arrayBuffer() : undefined,
        signal: request.signal,
        // The query now holds the admin UserSig: a redirect must never carry it to another address.
        redirect: "manual",
      });
    },

    verifyWebhook(input: Request | RawWebhook): Promise<VerifiedWebhook> {
      if (callbackToken === undefined) {
        return Promise.reject(
          new ImAuthError("ERR_INVALID_CONFIG", "verifyWebhook needs the callbackToken option"),
        );
      }
      return verifyCallback(input, { sdkAppId, callbackToken, clock, maxSkewSeconds, vendor });
    },

    renewAdminUserSig(refused?: RefusedAdminUserSig): Promise<void> {
      return admin.renew(refused);
    },
  };
  return redactable(provider, "TencentProvider");
}

function checkBaseUrl(base: string): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch (cause) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "baseUrl must be an absolute http(s) URL", { cause });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ImAuthError("ERR_INVALID_CONFIG", "baseUrl must be an absolute http(s) URL");
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "baseUrl must not carry a query, fragment or credentials");
  }
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url.toString();
}
