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
  assertUserId,
  type KeyInput,
  keyList,
  randomUint32,
  readClock,
  readBaseUrls as readEndpoints,
  redactable,
  refuseRoomScope,
  typeName,
} from "@imauth/core/adapter";
import {
  type AdminUserSigCache,
  createAdminUserSigCache,
  type RefusedAdminUserSig,
} from "./admin-usersig.js";
import { TENCENT_REGIONS, type TencentRegion } from "./regions.js";
import { issueTrtcRoomCredential, type PrivateMapKeyInput, readTrtcRoomScope } from "./room.js";
import { hmacSigner, type UserSigSigner } from "./signer.js";
import { isTrtcCallback, readTrtcCallbackKeys, verifyTrtcCallback } from "./trtc-callback.js";
import { DEFAULT_EXPIRE_SECONDS, genPrivateMapKey, revealSecret } from "./usersig.js";
import { DEFAULT_WEBHOOK_MAX_SKEW_SECONDS, verifyTencentCallback } from "./webhook.js";

// Options are checked with core's validators rather than a zod schema: the provider is what browsers and
// Workers bundle, and zod/mini (with its locales) took the bundle from under 15 KB to 94 KB gzip.

/** Longest accepted `ttlSeconds`: the largest signed 32-bit integer, which every official verifier parses. */
export const MAX_USERSIG_TTL_SECONDS = 2 ** 31 - 1;
/** Default lifetime of the cached admin UserSig that signs REST calls: one day. */
export const DEFAULT_ADMIN_USERSIG_TTL_SECONDS = 86_400;
/** Tencent's longest user ID, in UTF-8 bytes. */
const MAX_USER_ID_BYTES = 32;
const WHAT = "createTencentProvider options";
const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  "sdkAppId",
  "secretKey",
  "adminUserId",
  "region",
  "baseUrl",
  "callbackToken",
  "trtcCallbackKey",
  "webhookMaxSkewSeconds",
  "adminUserSigTtlSeconds",
  "signer",
  "clock",
  "vendor",
]);

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
  /**
   * The IM callback authentication token from the console, needed by `verifyWebhook` for IM callbacks; a
   * list `[current, ...previous]` accepts callbacks signed with any of them during a rotation.
   */
  callbackToken?: KeyInput;
  /**
   * The TRTC event callback key from the TRTC console, needed by `verifyWebhook` for TRTC event callbacks
   * (a `Sign` header instead of a `Sign` query parameter); one key or `[current, ...previous]`.
   */
  trtcCallbackKey?: KeyInput;
  /**
   * Largest accepted distance between a callback's time and now, in seconds (1 to 86400): `RequestTime` of
   * IM callbacks, `CallbackTs` of TRTC callbacks. Default 60 for IM callbacks, 300 for TRTC callbacks.
   */
  webhookMaxSkewSeconds?: number;
  /** Lifetime of the cached admin UserSig, in seconds (600 to 15552000). Default 86400. */
  adminUserSigTtlSeconds?: number;
  /**
   * How UserSigs are made. Default `hmacSigner({ secretKey })`; @imauth/legacy-ecdsa supplies ECDSA. A provider
   * built on a `signer` refuses room scopes: PrivateMapKeys are signed with `secretKey` itself.
   */
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
 * With a room scope, `issueCredential(userId, { room })` also returns `credential.room`: a TRTC PrivateMapKey
 * for the numeric `roomId` or string `strRoomId`, lasting as long as the UserSig, whose privilege map is
 * `"join"` = create, enter and receive (audio, video, sub-stream), `"publishAudio"` = send audio,
 * `"publishVideo"` = send video and sub-stream; `"publishData"` adds no bit (TRTC custom messages need only
 * room entry). `room.details.privilegeMap` holds the bits; `room.rtcUid` is refused (TRTC knows room users by
 * userId), and so is any room scope when the provider was built on a custom `signer`.
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
  const config = readProviderOptions(options);
  const { sdkAppId, adminUserId, clock, signer } = config;
  const admin = createAdminUserSigCache(
    (nowMs) => makeUserSig(signer, sdkAppId, adminUserId, config.adminTtlSeconds, nowMs),
    config.adminTtlSeconds,
    clock,
  );
  const provider: TencentProvider = {
    vendor: config.vendor,
    sdkAppId,
    adminUserId,
    algorithm: String(signer.algorithm),
    baseUrls: config.baseUrls,
    issueCredential: (userId, issueOptions) => issueCredential(config, userId, issueOptions),
    signRequest: (request) => signRequest(config, admin, request),
    verifyWebhook: (input) => verifyWebhook(config, input),
    renewAdminUserSig: (refused) => admin.renew(refused),
  };
  return redactable(provider, "TencentProvider");
}

/** The checked options, with defaults applied. */
interface ProviderConfig {
  sdkAppId: number;
  adminUserId: string;
  baseUrls: readonly string[];
  signer: UserSigSigner;
  /** Makes PrivateMapKeys; undefined when UserSigs come from a custom signer, which cannot. */
  privateMapKeys: ((input: PrivateMapKeyInput) => string) | undefined;
  callbackToken: KeyInput | undefined;
  trtcCallbackKey: KeyInput | undefined;
  webhookMaxSkewSeconds: number | undefined;
  adminTtlSeconds: number;
  clock: Clock | undefined;
  vendor: string;
}

function readProviderOptions(options: TencentProviderOptions): ProviderConfig {
  assertOptionsObject(options, WHAT, "ERR_INVALID_CONFIG");
  for (const name of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(name)) throw config(`invalid ${WHAT}: ${name.slice(0, 40)}: unknown option`);
  }
  const o = options as TencentProviderOptions & Record<string, unknown>;
  assertInteger(o.sdkAppId, "sdkAppId", { min: 1, max: 0xffff_ffff, code: "ERR_INVALID_CONFIG" });
  const adminUserId = o.adminUserId ?? "administrator";
  assertUserId(adminUserId, { what: "adminUserId", maxBytes: MAX_USER_ID_BYTES, code: "ERR_INVALID_CONFIG" });
  if (o.clock !== undefined && typeof o.clock !== "function") throw config("clock must be a function");
  const vendor = o.vendor ?? "tencent";
  assertNonEmptyString(vendor, "vendor", "ERR_INVALID_CONFIG", 64);
  const webhookMaxSkewSeconds = o.webhookMaxSkewSeconds;
  assertInteger(webhookMaxSkewSeconds ?? DEFAULT_WEBHOOK_MAX_SKEW_SECONDS, "webhookMaxSkewSeconds", {
    min: 1,
    max: 86_400,
    code: "ERR_INVALID_CONFIG",
  });
  const adminTtlSeconds = o.adminUserSigTtlSeconds ?? DEFAULT_ADMIN_USERSIG_TTL_SECONDS;
  assertInteger(adminTtlSeconds, "adminUserSigTtlSeconds", {
    min: 600,
    max: DEFAULT_EXPIRE_SECONDS,
    code: "ERR_INVALID_CONFIG",
  });
  if (o.callbackToken !== undefined) keyList(o.callbackToken, "callbackToken");
  if (o.trtcCallbackKey !== undefined) readTrtcCallbackKeys(o.trtcCallbackKey);
  return {
    sdkAppId: o.sdkAppId,
    adminUserId,
    baseUrls: readBaseUrls(o.region, o.baseUrl),
    ...readSigner(o.sdkAppId, o.signer, o.secretKey),
    callbackToken: o.callbackToken,
    trtcCallbackKey: o.trtcCallbackKey,
    webhookMaxSkewSeconds,
    adminTtlSeconds,
    clock: o.clock,
    vendor,
  };
}

function config(message: string): ImAuthError {
  return new ImAuthError("ERR_INVALID_CONFIG", message);
}

/** The REST base URLs: a region's domains (default `china`) or `baseUrl`, never both. */
function readBaseUrls(region: unknown, baseUrl: unknown): readonly string[] {
  return readEndpoints(region, baseUrl, TENCENT_REGIONS, "china");
}

/**
 * The UserSig strategy: `signer`, or HMAC with `secretKey`. PrivateMapKeys are HMAC UserSigs with a userbuf,
 * which the signer interface cannot ask for: only a provider holding `secretKey` makes them.
 */
function readSigner(
  sdkAppId: number,
  signer: unknown,
  secretKey: unknown,
): Pick<ProviderConfig, "signer" | "privateMapKeys"> {
  if (signer !== undefined) {
    if (
      typeof signer !== "object" ||
      signer === null ||
      typeof (signer as UserSigSigner).sign !== "function"
    ) {
      throw config("signer must be an object with a sign method");
    }
    return { signer: signer as UserSigSigner, privateMapKeys: undefined };
  }
  if (secretKey === undefined) throw config("createTencentProvider needs secretKey (or a signer)");
  revealSecret(secretKey, "secretKey");
  const key = secretKey as string | Secret;
  const privateMapKeys = ({ userId, roomId, privilegeMap, expireSeconds, nowMs }: PrivateMapKeyInput) =>
    genPrivateMapKey({
      sdkAppId,
      secretKey: key,
      userId,
      roomId,
      privilegeMap,
      expireSeconds,
      clock: () => nowMs,
    });
  return { signer: hmacSigner({ secretKey: key }), privateMapKeys };
}

async function makeUserSig(
  signer: UserSigSigner,
  sdkAppId: number,
  userId: string,
  expireSeconds: number,
  nowMs: number,
): Promise<string> {
  const userSig = await signer.sign({ sdkAppId, userId, expireSeconds, nowMs });
  if (typeof userSig !== "string" || userSig.length === 0) {
    throw config(`signer returned ${typeName(userSig)} instead of a UserSig`);
  }
  return userSig;
}

async function issueCredential(
  c: ProviderConfig,
  userId: string,
  options: IssueCredentialOptions | undefined,
): Promise<ImCredential> {
  assertUserId(userId, { maxBytes: MAX_USER_ID_BYTES });
  assertOptionsObject(options, "options", "ERR_INVALID_INPUT", true);
  const scope = readRoomOption(c, options?.room);
  const ttlSeconds = options?.ttlSeconds ?? DEFAULT_EXPIRE_SECONDS;
  assertInteger(ttlSeconds, "ttlSeconds", { min: 1, max: MAX_USERSIG_TTL_SECONDS });
  const nowMs = readClock(c.clock);
  const token = await makeUserSig(c.signer, c.sdkAppId, userId, ttlSeconds, nowMs);
  const issuedMs = Math.floor(nowMs / 1000) * 1000;
  const expiresAt = new Date(issuedMs + ttlSeconds * 1000);
  const credential: ImCredential = {
    vendor: c.vendor,
    appId: String(c.sdkAppId),
    userId,
    token,
    issuedAt: new Date(issuedMs),
    expiresAt,
  };
  if (scope !== undefined) {
    const input = { userId, ttlSeconds, nowMs, expiresAt: new Date(expiresAt) };
    credential.room = await issueTrtcRoomCredential(c.privateMapKeys!, scope, input);
  }
  return credential;
}

/** The room scope, read before anything is signed; refused when the signer cannot make PrivateMapKeys. */
function readRoomOption(c: ProviderConfig, room: unknown) {
  if (room === undefined) return undefined;
  if (c.privateMapKeys === undefined) {
    refuseRoomScope(
      room,
      c.vendor,
      `its ${String(c.signer.algorithm)} signer cannot make TRTC PrivateMapKeys (they are HMAC-signed with secretKey)`,
    );
  }
  return readTrtcRoomScope(room);
}

async function signRequest(c: ProviderConfig, admin: AdminUserSigCache, request: Request): Promise<Request> {
  if (typeof Request === "undefined" || !(request instanceof Request)) {
    throw new ImAuthError("ERR_INVALID_INPUT", `signRequest needs a Request, got ${typeName(request)}`);
  }
  if (request.bodyUsed) throw new ImAuthError("ERR_INVALID_INPUT", "the request's body was already read");
  const userSig = await admin.get();
  const url = new URL(request.url);
  url.searchParams.set("sdkappid", String(c.sdkAppId));
  url.searchParams.set("identifier", c.adminUserId);
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
}

/** IM callbacks carry `Sign` in the query, TRTC event callbacks in a header: dispatch on that. */
function verifyWebhook(c: ProviderConfig, input: Request | RawWebhook): Promise<VerifiedWebhook> {
  const { sdkAppId, callbackToken, clock, webhookMaxSkewSeconds, vendor } = c;
  if (isTrtcCallback(input)) {
    const callbackKey = c.trtcCallbackKey;
    if (callbackKey === undefined) {
      return Promise.reject(
        config("verifyWebhook needs the trtcCallbackKey option for TRTC event callbacks"),
      );
    }
    return verifyTrtcCallback(input, { callbackKey, sdkAppId, clock, webhookMaxSkewSeconds, vendor });
  }
  if (callbackToken === undefined) {
    return Promise.reject(config("verifyWebhook needs the callbackToken option"));
  }
  return verifyTencentCallback(input, { sdkAppId, callbackToken, clock, webhookMaxSkewSeconds, vendor });
}
