import {
  type Clock,
  ImAuthError,
  type ImAuthProvider,
  type ImCredential,
  type IssueCredentialOptions,
  type RawWebhook,
  type RoomCredential,
  type RoomPrivilege,
  type VerifiedWebhook,
} from "@imauth/core";
import {
  assertInteger,
  assertOptionsObject,
  type KeyInput,
  keyList,
  type ParsedRoomScope,
  randomHex,
  readClock,
  readRoomScope,
  redactable,
  typeName,
} from "@imauth/core/adapter";
import { buildToken, issueSeconds, readAppId, readCertificates } from "./accesstoken.js";
import { genChatAppToken, genChatUserToken, genRtmToken } from "./products.js";
import { type AgoraChatRegion, readChatBaseUrls } from "./regions.js";
import { assertAccount, assertChannelName, assertChatUserId, assertRtmUserId } from "./rules.js";
import { AGORA_SERVICES } from "./services.js";
import { DEFAULT_WEBHOOK_MAX_SKEW_SECONDS, verifyAgoraCallback } from "./webhook.js";

// Options are checked with core's validators, not zod: the provider is what browsers and Workers bundle.

/**
 * Default credential lifetime, in seconds (one day, the longest Agora accepts for RTC and Chat tokens).
 *
 * @example
 * ```ts
 * const ttlSeconds = Math.min(requested, DEFAULT_CREDENTIAL_TTL_SECONDS);
 * ```
 */
export const DEFAULT_CREDENTIAL_TTL_SECONDS = 86_400;
/** Longest credential lifetime `issueCredential` issues, in seconds (one day). */
export const MAX_CREDENTIAL_TTL_SECONDS = 86_400;

const WHAT = "createAgoraProvider options";
const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  "appId",
  "appCertificate",
  "product",
  "ncsSecret",
  "acceptSha1Signature",
  "orgName",
  "appName",
  "region",
  "baseUrl",
  "defaultTtlSeconds",
  "appTokenTtlSeconds",
  "webhookMaxSkewSeconds",
  "clock",
]);

/**
 * Which Agora product `issueCredential` logs users into: `"rtc"` (a channel: needs a room scope), `"rtm"`
 * (Signaling/RTM login) or `"chat"` (Agora Chat login).
 *
 * @example
 * ```ts
 * const product: AgoraProduct = "chat";
 * ```
 */
export type AgoraProduct = "rtc" | "rtm" | "chat";

/**
 * Options of {@link createAgoraProvider}.
 *
 * @example
 * ```ts
 * const options: AgoraProviderOptions = {
 *   appId, appCertificate, product: "chat", ncsSecret, orgName: "61717166", appName: "demo", region: "sg",
 * };
 * ```
 */
export interface AgoraProviderOptions {
  /** The App ID: 32 hexadecimal characters. */
  appId: string;
  /** The App Certificate (32 hex characters), or `[current, ...previous]`: the first signs. */
  appCertificate: KeyInput;
  /** What `issueCredential` issues: RTC (room) tokens, RTM tokens or Chat user tokens. */
  product: AgoraProduct;
  /** The Notification Center secret (or `[current, ...previous]`); `verifyWebhook` refuses to run without it. */
  ncsSecret?: KeyInput;
  /** Accept NCS callbacks that carry only the SHA-1 `Agora-Signature`. Default false. */
  acceptSha1Signature?: boolean;
  /** The Chat org name (the part of the Chat app key before `#`), for the REST client's URLs. */
  orgName?: string;
  /** The Chat app name (the part of the Chat app key after `#`), for the REST client's URLs. */
  appName?: string;
  /** The Chat data center whose REST host the client calls; default `"sg"`. Give either `region` or `baseUrl`. */
  region?: AgoraChatRegion;
  /** The Chat REST host(s) shown in the console (e.g. `https://a41.chat.agora.io`), instead of a region. */
  baseUrl?: string | readonly string[];
  /** Lifetime used when `issueCredential` is given no `ttlSeconds` (1 to 86400). Default 86400. */
  defaultTtlSeconds?: number;
  /** Lifetime of the Chat app token `signRequest` sends as bearer (300 to 86400). Default 86400. */
  appTokenTtlSeconds?: number;
  /** Largest accepted |notifyMs - now| of a callback, in seconds (1 to 86400). Default 300. */
  webhookMaxSkewSeconds?: number;
  /** Source of the current time (epoch milliseconds). Default `Date.now`. */
  clock?: Clock;
}

/**
 * Agora's `ImAuthProvider`, with what its Chat REST client needs.
 *
 * @example
 * ```ts
 * const provider: AgoraProvider = createAgoraProvider({ appId, appCertificate, product: "rtc" });
 * provider.product; // "rtc"
 * ```
 */
export interface AgoraProvider extends ImAuthProvider {
  /** Always `"agora"`. */
  readonly vendor: "agora";
  /** The App ID (public: clients need it too). */
  readonly appId: string;
  /** What `issueCredential` issues. */
  readonly product: AgoraProduct;
  /** Chat REST roots (`<host>/<orgName>/<appName>/`), primary first; empty without `orgName` and `appName`. */
  readonly chatBaseUrls: readonly string[];
  /** Drops the cached Chat app token, so the next `signRequest` makes a new one (after a 401). */
  forgetAppToken(): void;
}

/** The checked options, with defaults applied. */
interface ProviderConfig {
  appId: string;
  appCertificate: string;
  product: AgoraProduct;
  ncsSecrets: readonly string[] | undefined;
  acceptSha1Signature: boolean;
  defaultTtlSeconds: number;
  appTokenTtlSeconds: number;
  webhookMaxSkewSeconds: number;
  clock: Clock | undefined;
}

/** The cached Chat app token and when to stop using it. */
interface AppTokenCache {
  token: string;
  renewAtMs: number;
}

/**
 * Creates Agora's `ImAuthProvider`:
 *
 * - `issueCredential(userId, { ttlSeconds, room })` gives `{ appId, userId, token }`: for `"rtm"` an RTM
 *   token, for `"chat"` an Agora Chat user token, each with `room` (when given) an RTC token for that channel
 *   in `credential.room`; for `"rtc"` the RTC token itself (`token` and `room.token`), so `"rtc"` needs a
 *   room. The RTC token names the user by `room.rtcUid` (a uid) when given, else by `userId` (an account);
 *   each granted privilege (join 1, publishAudio 2, publishVideo 3, publishData 4) expires with the token.
 * - `signRequest` adds `Authorization: Bearer <Chat app token>` for the Chat REST API. The app token is made
 *   offline, cached and replaced when less than a tenth of its life (at least five minutes) is left; every
 *   request also gets a fresh random `X-Request-Id`, so two signed requests never look alike in logs.
 * - `verifyWebhook` is {@link verifyAgoraCallback} with `ncsSecret`.
 *
 * Options are validated (`ERR_INVALID_CONFIG`, never echoing values); keys stay in a closure and the
 * provider shows `[redacted]` fields when logged.
 *
 * @example
 * ```ts
 * import { createAgoraProvider } from "@imauth/agora";
 *
 * const provider = createAgoraProvider({
 *   appId: process.env.AGORA_APP_ID!,
 *   appCertificate: process.env.AGORA_APP_CERTIFICATE!,
 *   product: "chat",
 *   ncsSecret: process.env.AGORA_NCS_SECRET!,
 * });
 * const { token, room } = await provider.issueCredential("alice", { ttlSeconds: 3600, room: { roomId: "room-1" } });
 * ```
 */
export function createAgoraProvider(options: AgoraProviderOptions): AgoraProvider {
  const { config, chatBaseUrls } = readProviderOptions(options);
  let cache: AppTokenCache | undefined;
  const provider: AgoraProvider = {
    vendor: "agora",
    appId: config.appId,
    product: config.product,
    chatBaseUrls,
    issueCredential: async (userId, issueOptions) => issueCredential(config, userId, issueOptions),
    signRequest: async (request) => {
      cache = currentAppToken(config, cache);
      return signRequest(request, cache.token);
    },
    verifyWebhook: (input) => verifyWebhook(config, input),
    forgetAppToken() {
      cache = undefined;
    },
  };
  return redactable(provider, "AgoraProvider");
}

function config(message: string): ImAuthError {
  return new ImAuthError("ERR_INVALID_CONFIG", message);
}

function readProviderOptions(options: AgoraProviderOptions) {
  assertOptionsObject(options, WHAT, "ERR_INVALID_CONFIG");
  for (const name of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(name)) throw config(`invalid ${WHAT}: ${name.slice(0, 40)}: unknown option`);
  }
  const o = options as AgoraProviderOptions & Record<string, unknown>;
  const appId = readAppId(o.appId);
  const [appCertificate] = readCertificates(o.appCertificate);
  if (o.product !== "rtc" && o.product !== "rtm" && o.product !== "chat") {
    throw config('product must be "rtc", "rtm" or "chat"');
  }
  if (o.clock !== undefined && typeof o.clock !== "function") throw config("clock must be a function");
  if (o.acceptSha1Signature !== undefined && typeof o.acceptSha1Signature !== "boolean") {
    throw config("acceptSha1Signature must be a boolean");
  }
  const defaultTtlSeconds = o.defaultTtlSeconds ?? DEFAULT_CREDENTIAL_TTL_SECONDS;
  assertInteger(defaultTtlSeconds, "defaultTtlSeconds", {
    max: MAX_CREDENTIAL_TTL_SECONDS,
    code: "ERR_INVALID_CONFIG",
  });
  const appTokenTtlSeconds = o.appTokenTtlSeconds ?? 86_400;
  assertInteger(appTokenTtlSeconds, "appTokenTtlSeconds", {
    min: 300,
    max: 86_400,
    code: "ERR_INVALID_CONFIG",
  });
  const webhookMaxSkewSeconds = o.webhookMaxSkewSeconds ?? DEFAULT_WEBHOOK_MAX_SKEW_SECONDS;
  assertInteger(webhookMaxSkewSeconds, "webhookMaxSkewSeconds", { max: 86_400, code: "ERR_INVALID_CONFIG" });
  const config_: ProviderConfig = {
    appId,
    appCertificate: appCertificate!,
    product: o.product,
    ncsSecrets: o.ncsSecret === undefined ? undefined : keyList(o.ncsSecret, "ncsSecret"),
    acceptSha1Signature: o.acceptSha1Signature ?? false,
    defaultTtlSeconds,
    appTokenTtlSeconds,
    webhookMaxSkewSeconds,
    clock: o.clock,
  };
  return { config: config_, chatBaseUrls: readChatBaseUrls(o.region, o.baseUrl, o.orgName, o.appName) };
}

function assertUserId(product: AgoraProduct, userId: unknown): string {
  if (product === "chat") return assertChatUserId(userId);
  if (product === "rtm") return assertRtmUserId(userId);
  return assertAccount(userId, "userId");
}

async function issueCredential(
  c: ProviderConfig,
  userId: string,
  options: IssueCredentialOptions | undefined,
): Promise<ImCredential> {
  assertUserId(c.product, userId);
  assertOptionsObject(options, "issueCredential options", "ERR_INVALID_INPUT", true);
  const ttlSeconds = options?.ttlSeconds ?? c.defaultTtlSeconds;
  assertInteger(ttlSeconds, "ttlSeconds", { max: MAX_CREDENTIAL_TTL_SECONDS });
  const scope = options?.room === undefined ? undefined : readRoomScope(options.room);
  if (scope === undefined && c.product === "rtc") {
    throw new ImAuthError(
      "ERR_INVALID_INPUT",
      "an Agora RTC token is always for a channel: give issueCredential a room ({ room: { roomId } })",
    );
  }
  const nowSeconds = issueSeconds(c.clock);
  const base = { appId: c.appId, appCertificate: c.appCertificate, clock: () => nowSeconds * 1000 };
  const room = scope === undefined ? undefined : roomCredential(base, userId, scope, ttlSeconds);
  let token: string;
  if (c.product === "rtc") token = room!.token;
  else if (c.product === "rtm") token = genRtmToken({ ...base, userId, expireSeconds: ttlSeconds });
  else token = genChatUserToken({ ...base, userId, expireSeconds: ttlSeconds });
  const credential: ImCredential = {
    vendor: "agora",
    appId: c.appId,
    userId,
    token,
    issuedAt: new Date(nowSeconds * 1000),
    expiresAt: new Date((nowSeconds + ttlSeconds) * 1000),
  };
  if (room !== undefined) credential.room = room;
  return credential;
}

/** Core's room privileges as AccessToken2 RTC privilege IDs (join 1, publishAudio 2, publishVideo 3, publishData 4). */
const PRIVILEGE_IDS: Readonly<Record<RoomPrivilege, number>> = {
  join: AGORA_SERVICES.rtc.privileges.joinChannel,
  publishAudio: AGORA_SERVICES.rtc.privileges.publishAudioStream,
  publishVideo: AGORA_SERVICES.rtc.privileges.publishVideoStream,
  publishData: AGORA_SERVICES.rtc.privileges.publishDataStream,
};

function roomCredential(
  base: { appId: string; appCertificate: string; clock: Clock },
  userId: string,
  scope: ParsedRoomScope,
  ttlSeconds: number,
): RoomCredential {
  const channelName = assertChannelName(String(scope.roomId), "room.roomId");
  let uid: number | string;
  if (scope.rtcUid !== undefined) {
    uid = Number(scope.rtcUid);
    if (uid > 0xffff_ffff)
      throw new ImAuthError("ERR_INVALID_INPUT", "room.rtcUid must be at most 4294967295");
  } else {
    // An RTC account has its own character set; a user ID outside it needs a numeric rtcUid.
    uid = assertAccount(userId, "userId (as the RTC account; or give room.rtcUid)");
  }
  // Only the privileges granted are written (a publisher's four, a subscriber's join, as the official
  // builders write them): one not granted is left out, not written with an expiry of 0, a value whose
  // meaning the builders leave open.
  const privileges: Record<number, number> = {};
  for (const p of scope.privileges) privileges[PRIVILEGE_IDS[p]] = ttlSeconds;
  const token = buildToken(base, ttlSeconds, [{ type: 1, channelName, uid, privileges }]);
  return {
    roomId: scope.roomId,
    token,
    privileges: [...scope.privileges],
    expiresAt: new Date(base.clock() + ttlSeconds * 1000),
    details: typeof uid === "number" ? { uid: String(uid) } : { account: uid },
  };
}

/** The cached app token, or a new one when there is none or it is close to its end. */
function currentAppToken(c: ProviderConfig, cache: AppTokenCache | undefined): AppTokenCache {
  const nowMs = readClock(c.clock);
  if (cache !== undefined && nowMs < cache.renewAtMs) return cache;
  const nowSeconds = issueSeconds(() => nowMs);
  const life = c.appTokenTtlSeconds;
  const margin = Math.max(Math.ceil(life / 10), Math.min(300, Math.floor(life / 2)));
  const token = genChatAppToken({
    appId: c.appId,
    appCertificate: c.appCertificate,
    expireSeconds: life,
    clock: () => nowSeconds * 1000,
  });
  return { token, renewAtMs: (nowSeconds + life - margin) * 1000 };
}

function signRequest(request: Request, appToken: string): Request {
  if (typeof Request === "undefined" || !(request instanceof Request)) {
    throw new ImAuthError("ERR_INVALID_INPUT", `signRequest needs a Fetch Request, got ${typeName(request)}`);
  }
  const headers = new Headers(request.headers);
  headers.set("Authorization", `Bearer ${appToken}`);
  // The bearer is reused until it nears its end; the request ID is what makes each signed request unique.
  headers.set("X-Request-Id", randomHex(16));
  // The headers now hold the app token: a redirect must never carry them (or the body) elsewhere.
  return new Request(request, { headers, redirect: "manual" });
}

function verifyWebhook(c: ProviderConfig, input: Request | RawWebhook): Promise<VerifiedWebhook> {
  if (c.ncsSecrets === undefined) {
    return Promise.reject(
      config("createAgoraProvider was given no ncsSecret: Notification Center callbacks cannot be verified"),
    );
  }
  return verifyAgoraCallback(input, {
    secret: c.ncsSecrets,
    webhookMaxSkewSeconds: c.webhookMaxSkewSeconds,
    acceptSha1Signature: c.acceptSha1Signature,
    ...(c.clock ? { clock: c.clock } : {}),
  });
}
