import type { ImAuthError } from "@imauth/core";
import type { RetryDecision } from "@imauth/core/http";

/**
 * ErrorCodes that mean a temporary failure on Tencent's side: retried with exponential backoff and jitter.
 *
 * @example
 * ```ts
 * TENCENT_TRANSIENT_CODES.has(70500); // true
 * ```
 */
export const TENCENT_TRANSIENT_CODES: ReadonlySet<number> = new Set([
  60008, 70169, 70202, 70500, 10002, 20004, 20005, 30006, 30007, 90994, 90995, 91000,
]);

/**
 * ErrorCodes that mean a rate limit was hit: retried after a longer delay.
 *
 * @example
 * ```ts
 * TENCENT_RATE_LIMIT_CODES.has(60007); // true
 * ```
 */
export const TENCENT_RATE_LIMIT_CODES: ReadonlySet<number> = new Set([
  60007, 60011, 60018, 60019, 10006, 10023,
]);

/**
 * ErrorCodes that mean the admin UserSig expired (70001) or was invalidated (70052): the client renews the
 * admin UserSig and retries once.
 *
 * @example
 * ```ts
 * TENCENT_RENEW_CODES.has(70001); // true
 * ```
 */
export const TENCENT_RENEW_CODES: ReadonlySet<number> = new Set([70001, 70052]);

/**
 * ErrorCodes that retrying cannot fix (wrong key, wrong account, wrong SDKAppID, banned app, IP not allowed):
 * never retried.
 *
 * @example
 * ```ts
 * TENCENT_FATAL_CODES.has(70009); // true: the secret key is wrong
 * ```
 */
export const TENCENT_FATAL_CODES: ReadonlySet<number> = new Set([
  60004, 60005, 60006, 60010, 60016, 60021, 70003, 70005, 70009, 70013, 70014, 70016, 70020, 70398, 70403,
]);

/**
 * ErrorCode 70050: UserSig checks failed too often and Tencent blocks the caller for a minute.
 *
 * @example
 * ```ts
 * if (error.vendorCode === TENCENT_BLOCKED_CODE) await sleep(60_000);
 * ```
 */
export const TENCENT_BLOCKED_CODE = 70050;

/**
 * Delays of {@link classifyTencentError}.
 *
 * @example
 * ```ts
 * const delays: TencentRetryDelays = { rateLimitDelayMs: 2000 };
 * ```
 */
export interface TencentRetryDelays {
  /** First delay after a rate-limit code, in ms; doubled on each further attempt. Default 1000. */
  rateLimitDelayMs?: number;
  /** Delay after ErrorCode 70050, in ms (at least 60000). Default 60000. */
  blockedDelayMs?: number;
}

/**
 * Tencent's retry policy for one failed REST attempt, as a pure function: transport errors and HTTP 5xx are
 * retried on the backup domain; transient ErrorCodes with backoff; rate-limit codes after a longer delay;
 * 70050 after at least 60 s; 70001 and 70052 (the client renews the admin UserSig first); everything else
 * never. Rate limits, 70050, 70001 and 70052 are refusals before any processing (`noEffect`), so they are
 * retried for every API; after a transient code, a 5xx or a timeout only idempotent APIs are (see
 * {@link TENCENT_IDEMPOTENT_APIS}).
 *
 * @example
 * ```ts
 * classifyTencentError(error, 1); // { retry: true, noEffect: true, delayMs: 1000 } for ErrorCode 60007
 * ```
 */
export function classifyTencentError(
  error: ImAuthError,
  attempt: number,
  delays: TencentRetryDelays = {},
): RetryDecision {
  const { rateLimitDelayMs = 1000, blockedDelayMs = 60_000 } = delays;
  const rateLimitDelay = rateLimitDelayMs * 2 ** (attempt - 1);
  if (error.code === "ERR_NETWORK") return { retry: true, failover: true };
  if (error.code !== "ERR_VENDOR_API") return { retry: false };
  if (error.status !== undefined && error.status >= 500) return { retry: true, failover: true };
  if (error.status === 429) return { retry: true, noEffect: true, delayMs: rateLimitDelay };
  const code = typeof error.vendorCode === "number" ? error.vendorCode : undefined;
  if (code === undefined || TENCENT_FATAL_CODES.has(code)) return { retry: false };
  if (TENCENT_RENEW_CODES.has(code)) return { retry: true, noEffect: true };
  if (code === TENCENT_BLOCKED_CODE)
    return { retry: true, noEffect: true, delayMs: Math.max(60_000, blockedDelayMs) };
  if (TENCENT_RATE_LIMIT_CODES.has(code)) return { retry: true, noEffect: true, delayMs: rateLimitDelay };
  if (TENCENT_TRANSIENT_CODES.has(code)) return { retry: true };
  return { retry: false };
}

/**
 * REST APIs that can be repeated without duplicating an effect: queries, and writes whose repetition leaves
 * the same state (importing or deleting an account twice, kicking twice). After a timeout, a reset, a 5xx
 * or a transient ErrorCode, the client retries only these; others (`sendmsg`, `create_group`...) are sent
 * once, since Tencent documents no de-duplication key that survives a retry (`MsgRandom` de-duplicates
 * only within one second). `call(path, body, { idempotent })` overrides it per call.
 *
 * @example
 * ```ts
 * TENCENT_IDEMPOTENT_APIS.has("v4/openim/query_online_status"); // true
 * ```
 */
export const TENCENT_IDEMPOTENT_APIS: ReadonlySet<string> = new Set([
  "v4/im_open_login_svc/account_import",
  "v4/im_open_login_svc/multiaccount_import",
  "v4/im_open_login_svc/account_delete",
  "v4/im_open_login_svc/account_check",
  "v4/im_open_login_svc/kick",
  "v4/openim/query_online_status",
  "v4/profile/portrait_get",
  "v4/group_open_http_svc/get_appid_group_list",
  "v4/group_open_http_svc/get_group_info",
  "v4/group_open_http_svc/get_group_member_info",
  "v4/sns/friend_get",
  "v4/sns/friend_check",
]);
