/**
 * A source of the current time in epoch milliseconds, like `Date.now`. Every time-dependent function of
 * imauth takes one, so tests and replays never depend on the wall clock.
 *
 * @example
 * ```ts
 * const frozen: Clock = () => Date.UTC(2024, 0, 1);
 * ```
 */
export type Clock = () => number;

/**
 * Options of {@link ImAuthProvider.issueCredential}.
 *
 * @example
 * ```ts
 * await provider.issueCredential("alice", { ttlSeconds: 3600 });
 * ```
 */
export interface IssueCredentialOptions {
  /** Lifetime of the credential in seconds; each provider documents its default and maximum. */
  ttlSeconds?: number;
  /**
   * Scope the credential to one audio/video room. Vendors with room-scoped credentials (Tencent's
   * PrivateMapKey, NetEase's NERTC token, Agora's RTC token) add {@link ImCredential.room}; the others refuse
   * it with `ERR_INVALID_INPUT` rather than ignore it.
   */
  room?: RoomScope;
}

/**
 * What a room-scoped credential may do, in the vendors' common terms; each provider maps them to its own bits
 * (Tencent's privilege map, NetEase's permission key, Agora's RTC privileges). `"join"` includes receiving.
 *
 * @example
 * ```ts
 * const audience: RoomPrivilege[] = ["join"];
 * const speaker: RoomPrivilege[] = ["join", "publishAudio"];
 * ```
 */
export type RoomPrivilege = "join" | "publishAudio" | "publishVideo" | "publishData";

/**
 * The room a credential is scoped to, as {@link IssueCredentialOptions.room} takes it.
 *
 * @example
 * ```ts
 * await provider.issueCredential("alice", { ttlSeconds: 3600, room: { roomId: 1234, privileges: ["join"] } });
 * ```
 */
export interface RoomScope {
  /** The room: an unsigned 32-bit number (1 to 4294967295) or a string of 1 to 64 bytes, as the vendor allows. */
  roomId: number | string;
  /** What the user may do in the room; must include `"join"`. Default: every privilege. */
  privileges?: readonly RoomPrivilege[];
  /**
   * The numeric user ID the client joins the room with, for vendors whose RTC names users by number (NetEase
   * NERTC; Agora when the client joins with a uid). Default: `userId` when it is a decimal number. Providers
   * whose rooms know users by `userId` (Tencent) refuse it.
   */
  rtcUid?: number | string;
}

/**
 * The room part of a credential issued with {@link IssueCredentialOptions.room}.
 *
 * @example
 * ```ts
 * const { room } = await provider.issueCredential("alice", { room: { roomId: 1234 } });
 * // client: join room.roomId with room.token
 * ```
 */
export interface RoomCredential {
  /** The room, as requested. */
  roomId: number | string;
  /** What the client SDK needs to enter the room (PrivateMapKey, NERTC token, Agora RTC token). */
  token: string;
  /** The privileges granted, in the order of `"join"`, `"publishAudio"`, `"publishVideo"`, `"publishData"`. */
  privileges: RoomPrivilege[];
  /** When the room token stops being accepted. */
  expiresAt: Date;
  /** Vendor-specific extra values the client may need (e.g. NetEase's `permissionKey`, Agora's `uid`). */
  details?: Record<string, string>;
}

/**
 * What an end user's client SDK needs to log in.
 *
 * @example
 * ```ts
 * const credential: ImCredential = await provider.issueCredential("alice", { ttlSeconds: 3600 });
 * // send { appId, userId, token } to the client; it expires at credential.expiresAt
 * ```
 */
export interface ImCredential {
  /** The provider's vendor, e.g. `"tencent"` or `"netease"`. */
  vendor: string;
  /** The SDKAppID or AppKey, the other value the client SDK needs. */
  appId: string;
  /** The user the credential is for. */
  userId: string;
  /** The login credential itself (UserSig, token). */
  token: string;
  /** When the credential was issued. */
  issuedAt: Date;
  /** When the credential stops being accepted. */
  expiresAt: Date;
  /** The room credential, present when {@link IssueCredentialOptions.room} was given. */
  room?: RoomCredential;
}

/**
 * An inbound callback as a web framework hands it over: the full URL (with query), the headers, and the raw
 * body exactly as received. Pass the raw bytes, never re-serialised JSON: signatures cover the bytes.
 *
 * @example
 * ```ts
 * // Express with express.raw({ type: "*\/*" })
 * const raw: RawWebhook = {
 *   url: `https://${req.headers.host}${req.originalUrl}`,
 *   headers: req.headers,
 *   body: req.body, // a Buffer is a Uint8Array
 * };
 * ```
 */
export interface RawWebhook {
  /** The request URL, absolute or path with query. */
  url: string;
  /** The request headers; names are matched case-insensitively. */
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The raw request body. */
  body: string | Uint8Array;
}

/**
 * An authenticated inbound callback.
 *
 * @example
 * ```ts
 * const event: VerifiedWebhook = await provider.verifyWebhook(request);
 * if (event.event === "State.StateChange") console.log(event.payload);
 * ```
 */
export interface VerifiedWebhook {
  /** The provider's vendor. */
  vendor: string;
  /** The application the callback is for (SDKAppID or AppKey), when the callback names it. */
  appId?: string;
  /** The event name (Tencent's `CallbackCommand`, NetEase's `eventType`), when known. */
  event?: string;
  /** When the vendor signed the callback. */
  receivedAt: Date;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  payload: unknown;
  /** The raw body as text (UTF-8). */
  rawBody: string;
  /** Vendor-specific extra fields (client IP, platform...). */
  details: Record<string, string>;
}

/**
 * The contract every imauth adapter implements: issue login credentials, sign server-API requests and verify
 * the vendor's callbacks. Application code written against it works with any vendor.
 *
 * @example
 * ```ts
 * async function login(provider: ImAuthProvider, userId: string) {
 *   const { appId, token, expiresAt } = await provider.issueCredential(userId, { ttlSeconds: 86400 });
 *   return { appId, token, expiresAt: expiresAt.toISOString() };
 * }
 * ```
 */
export interface ImAuthProvider {
  /** The vendor's name, e.g. `"tencent"`, `"tencent-legacy"`, `"netease"`. */
  readonly vendor: string;
  /** Issues what an end user's client SDK needs to log in. */
  issueCredential(userId: string, options?: IssueCredentialOptions): Promise<ImCredential>;
  /**
   * Returns a new Request that carries the vendor's authentication for a server-API call; method, body,
   * headers and existing query parameters are preserved. Each call signs afresh.
   */
  signRequest(request: Request): Promise<Request>;
  /**
   * Checks an inbound vendor callback. Throws an `ImAuthError` (`ERR_WEBHOOK_INVALID`,
   * `ERR_WEBHOOK_EXPIRED`) when it is not authentic or too old.
   */
  verifyWebhook(input: Request | RawWebhook): Promise<VerifiedWebhook>;
}
