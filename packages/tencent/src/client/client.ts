import { ImAuthError } from "@imauth/core";
import { randomUint32, typeName } from "@imauth/core/adapter";
import {
  type AttemptContext,
  createImClient,
  type ImClientTuning,
  type RetryDecision,
} from "@imauth/core/http";
import type { TencentProvider } from "../provider.js";
import { parseTencentEnvelope, type TencentEnvelope, tencentApiPath } from "./envelope.js";
import {
  classifyTencentError,
  TENCENT_IDEMPOTENT_APIS,
  TENCENT_RENEW_CODES,
  type TencentRetryDelays,
} from "./retry.js";

/**
 * Options of {@link createTencentImClient}.
 *
 * @example
 * ```ts
 * const options: TencentImClientOptions = { timeoutMs: 5000, retryLimit: 4 };
 * ```
 */
export interface TencentImClientOptions extends ImClientTuning {
  /** Base URLs instead of the provider's (primary first, then backups). */
  baseUrl?: string | readonly string[];
  /** First delay after a rate-limit ErrorCode, in ms, doubled per retry (may exceed `maxBackoffMs`). Default 1000. */
  rateLimitDelayMs?: number;
  /** Delay after ErrorCode 70050, in ms; never less than 60000. Default 60000. */
  blockedDelayMs?: number;
}

/**
 * A Tencent answer: the envelope plus the API's own fields.
 *
 * @example
 * ```ts
 * const sent: TencentResult<{ MsgKey?: string }> = await client.sendTextMessage({ to: "bob", text: "hi" });
 * ```
 */
export type TencentResult<T extends object = Record<string, unknown>> = T & TencentEnvelope;

/**
 * One account of {@link TencentImClient.checkAccounts}.
 *
 * @example
 * ```ts
 * const { ResultItem } = await client.checkAccounts(["alice"]);
 * const imported = ResultItem?.every((r: TencentAccountCheck) => r.AccountStatus === "Imported");
 * ```
 */
export interface TencentAccountCheck {
  UserID: string;
  ResultCode: number;
  ResultInfo: string;
  AccountStatus?: "Imported" | "NotImported";
}

/**
 * One user of {@link TencentImClient.queryOnlineStatus}.
 *
 * @example
 * ```ts
 * const { QueryResult = [] } = await client.queryOnlineStatus(["alice"]);
 * const online = QueryResult.filter((s: TencentOnlineStatus) => s.Status === "Online");
 * ```
 */
export interface TencentOnlineStatus {
  To_Account: string;
  /** `Online`, `PushOnline` (offline, reachable by push) or `Offline`. */
  Status: string;
}

/**
 * The Tencent Cloud IM REST client made by {@link createTencentImClient}.
 *
 * @example
 * ```ts
 * const client: TencentImClient = createTencentImClient(provider);
 * await client.importAccount({ userId: "alice", nick: "Alice" });
 * ```
 */
export interface TencentImClient {
  /**
   * Calls any REST API: POSTs `body` (`{}` when omitted) as JSON to `path` and returns the answer when its
   * `ErrorCode` is 0; otherwise throws `ImAuthError` `ERR_VENDOR_API` with `vendorCode` and `vendorMessage`.
   * `idempotent` says whether the call may be repeated after a timeout, a reset, a 5xx or a transient code;
   * default: whether `path` is in `TENCENT_IDEMPOTENT_APIS`.
   */
  call<T extends object = Record<string, unknown>>(
    path: string,
    body?: object,
    options?: { idempotent?: boolean },
  ): Promise<TencentResult<T>>;
  /** The base URL the next call starts with (it moves to the backup domain after a failover). */
  readonly baseUrl: string;
  /** `v4/im_open_login_svc/account_import`: creates one account (idempotent). */
  importAccount(account: { userId: string; nick?: string; faceUrl?: string }): Promise<TencentResult>;
  /** `v4/im_open_login_svc/multiaccount_import`: creates up to 100 accounts; returns those that failed. */
  importAccounts(userIds: readonly string[]): Promise<TencentResult<{ FailAccounts?: string[] }>>;
  /** `v4/im_open_login_svc/account_delete`: deletes up to 100 accounts. */
  deleteAccounts(
    userIds: readonly string[],
  ): Promise<
    TencentResult<{ ResultItem?: Array<{ ResultCode: number; ResultInfo: string; UserID: string }> }>
  >;
  /** `v4/im_open_login_svc/account_check`: whether up to 100 accounts were imported. */
  checkAccounts(userIds: readonly string[]): Promise<TencentResult<{ ResultItem?: TencentAccountCheck[] }>>;
  /** `v4/im_open_login_svc/kick`: logs a user out and invalidates their UserSig. */
  kick(userId: string): Promise<TencentResult>;
  /** `v4/openim/query_online_status`: the online status of up to 500 users. */
  queryOnlineStatus(
    userIds: readonly string[],
  ): Promise<TencentResult<{ QueryResult?: TencentOnlineStatus[]; ErrorList?: unknown[] }>>;
  /** `v4/openim/sendmsg`: sends a one-to-one text message, from the admin unless `from` is given. */
  sendTextMessage(message: {
    to: string;
    text: string;
    from?: string;
    /** 1 syncs the message to the sender's other devices, 2 does not (default). */
    syncOtherMachine?: 1 | 2;
  }): Promise<TencentResult<{ MsgTime?: number; MsgKey?: string }>>;
}

/**
 * Tencent's retry policy plus renewal of the admin UserSig on 70001/70052: at most once per call (a second
 * refusal right after a renewal means the clocks or the key disagree, which renewing cannot fix), and only
 * when the refused UserSig is still the cached one.
 */
function renewingClassifier(
  provider: TencentProvider,
  delays: TencentRetryDelays,
): (error: ImAuthError, attempt: number, context: AttemptContext) => RetryDecision {
  const renewedCalls = new WeakSet<AttemptContext>();
  return (error, attempt, context) => {
    const decision = classifyTencentError(error, attempt, delays);
    const code = error.vendorCode;
    if (typeof code !== "number" || !TENCENT_RENEW_CODES.has(code)) return decision;
    if (renewedCalls.has(context)) return { retry: false };
    renewedCalls.add(context);
    const userSig = context.request ? new URL(context.request.url).searchParams.get("usersig") : null;
    const refused = { revoked: code === 70052, ...(userSig === null ? {} : { userSig }) };
    return { ...decision, beforeRetry: () => provider.renewAdminUserSig(refused) };
  };
}

/**
 * Creates a Tencent Cloud IM REST client on `@imauth/core/http` (ky). Every attempt is signed afresh by the
 * provider; the answer's `ErrorCode` decides success. Transport errors and HTTP 5xx fail over to the
 * region's backup domain; transient codes (60008, 70169, 70202, 70500, 10002, 20004, 20005, 30006, 30007,
 * 90994, 90995, 91000) are retried with backoff and jitter; rate limits (60007, 60011, 60018, 60019, 10006,
 * 10023) after a longer delay; 70050 after at least 60 s; 70001 and 70052 renew the admin UserSig (once per
 * call, single-flight across calls) and retry; other codes (60004-60006, 60010, 70003, 70009, 70013,
 * 70014...) are never retried. Retries never duplicate an effect: after a timeout, a reset, a 5xx or a
 * transient code only idempotent APIs are repeated (`TENCENT_IDEMPOTENT_APIS`, or `call`'s `idempotent`);
 * `sendmsg` is sent once. Errors never carry the admin UserSig, and redirects are never followed.
 *
 * @example
 * ```ts
 * import { createTencentProvider } from "@imauth/tencent";
 * import { createTencentImClient } from "@imauth/tencent/client";
 *
 * const client = createTencentImClient(createTencentProvider({ sdkAppId, secretKey }));
 * await client.call("v4/im_open_login_svc/account_import", { UserID: "alice" });
 * ```
 */
export function createTencentImClient(
  provider: TencentProvider,
  options: TencentImClientOptions = {},
): TencentImClient {
  if (
    typeof provider !== "object" ||
    provider === null ||
    typeof provider.signRequest !== "function" ||
    typeof provider.renewAdminUserSig !== "function"
  ) {
    throw new ImAuthError(
      "ERR_INVALID_CONFIG",
      "createTencentImClient needs a provider from createTencentProvider",
    );
  }
  const { rateLimitDelayMs, blockedDelayMs, baseUrl, ...rest } = options;
  const http = createImClient<TencentResult>(provider, {
    ...rest,
    baseUrl: baseUrl ?? provider.baseUrls,
    parse: (response) => parseTencentEnvelope(response.status, response.json),
    classify: renewingClassifier(provider, { rateLimitDelayMs, blockedDelayMs }),
  });

  async function call<T extends object>(
    path: string,
    body: object = {},
    callOptions: { idempotent?: boolean } = {},
  ): Promise<TencentResult<T>> {
    const apiPath = tencentApiPath(path);
    if (typeof body !== "object" || body === null) {
      throw new ImAuthError("ERR_INVALID_INPUT", `body must be an object, got ${typeName(body)}`);
    }
    const idempotent = callOptions?.idempotent ?? TENCENT_IDEMPOTENT_APIS.has(apiPath);
    return (await http.request(apiPath, { json: body, idempotent })) as TencentResult<T>;
  }

  const ids = (userIds: readonly string[], what: string, max: number): string[] => {
    if (!Array.isArray(userIds) || userIds.length === 0 || userIds.length > max) {
      throw new ImAuthError("ERR_INVALID_INPUT", `${what} must be an array of 1 to ${max} user IDs`);
    }
    for (const id of userIds) {
      if (typeof id !== "string" || id.length === 0) {
        throw new ImAuthError("ERR_INVALID_INPUT", `${what} must contain non-empty strings`);
      }
    }
    return [...userIds];
  };

  return {
    call,
    get baseUrl() {
      return http.baseUrl;
    },
    async importAccount({ userId, nick, faceUrl }) {
      return call("v4/im_open_login_svc/account_import", {
        UserID: userId,
        ...(nick === undefined ? {} : { Nick: nick }),
        ...(faceUrl === undefined ? {} : { FaceUrl: faceUrl }),
      });
    },
    async importAccounts(userIds) {
      return call("v4/im_open_login_svc/multiaccount_import", { Accounts: ids(userIds, "userIds", 100) });
    },
    async deleteAccounts(userIds) {
      return call("v4/im_open_login_svc/account_delete", {
        DeleteItem: ids(userIds, "userIds", 100).map((UserID) => ({ UserID })),
      });
    },
    async checkAccounts(userIds) {
      return call("v4/im_open_login_svc/account_check", {
        CheckItem: ids(userIds, "userIds", 100).map((UserID) => ({ UserID })),
      });
    },
    async kick(userId) {
      return call("v4/im_open_login_svc/kick", { UserID: userId });
    },
    async queryOnlineStatus(userIds) {
      return call("v4/openim/query_online_status", { To_Account: ids(userIds, "userIds", 500) });
    },
    async sendTextMessage({ to, text, from, syncOtherMachine = 2 }) {
      return call("v4/openim/sendmsg", {
        SyncOtherMachine: syncOtherMachine,
        ...(from === undefined ? {} : { From_Account: from }),
        To_Account: to,
        MsgRandom: randomUint32(),
        MsgBody: [{ MsgType: "TIMTextElem", MsgContent: { Text: text } }],
      });
    },
  };
}
