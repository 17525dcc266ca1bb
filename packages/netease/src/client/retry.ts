import type { ImAuthError } from "@imauth/core";
import { defaultRetryDecision, type RetryDecision } from "@imauth/core/http";

/** NetEase codes retried with backoff and a switch to the backup domain (server-side failures). */
export const NETEASE_RETRY_CODES: ReadonlySet<number> = new Set([500, 503, 514]);

/** NetEase's rate-limit code: retried after a longer wait, on the same domain. */
export const NETEASE_RATE_LIMIT_CODE = 416;

/** Least wait after a 416 (rate limited) answer, in milliseconds. */
const RATE_LIMIT_DELAY_MS = 1000;

/**
 * v1 APIs that can be repeated without duplicating an effect: queries, and writes that set a value (the
 * account's token, its profile) rather than add one. After a timeout, a reset, a 5xx or codes 500/503/514
 * the client retries only these, v2 calls whose method is idempotent (`GET`, `PUT`, `DELETE`) and calls
 * made with `{ idempotent: true }`; `user/create.action`, messages and other additions are sent once, as
 * NetEase documents no de-duplication key for its server API.
 */
export const NETEASE_IDEMPOTENT_APIS: ReadonlySet<string> = new Set([
  "user/getUinfos.action",
  "user/update.action",
  "user/updateUinfo.action",
  "user/refreshToken.action",
  "user/block.action",
  "user/unblock.action",
  "user/setDonnop.action",
  "user/listBlackAndMuteList.action",
  "friend/get.action",
  "team/query.action",
  "team/queryDetail.action",
  "team/joinTeams.action",
]);

/**
 * NetEase's retry policy for one failed attempt, as a pure function returning core's `RetryDecision`:
 * transport errors and codes 500, 503 and 514 (and HTTP 5xx) are retried on the backup domain; 416 (rate
 * limited, refused before any processing) and HTTP 429 after at least a second on the same domain; anything
 * else (414 parameter or CheckSum error, 403, 404, 417 duplicate...) fails at once.
 *
 * @example
 * ```ts
 * import { classifyNeteaseError } from "@imauth/netease/client";
 *
 * classifyNeteaseError(error, 1); // { retry: true, failover: true } for code 503
 * ```
 */
export function classifyNeteaseError(error: ImAuthError, attempt: number): RetryDecision {
  if (error.code === "ERR_VENDOR_API" && typeof error.vendorCode === "number") {
    if (NETEASE_RETRY_CODES.has(error.vendorCode)) return { retry: true, failover: true };
    // A rate-limited call was refused before any processing: safe to repeat whatever it does.
    if (error.vendorCode === NETEASE_RATE_LIMIT_CODE) {
      return { retry: true, noEffect: true, delayMs: RATE_LIMIT_DELAY_MS };
    }
    if (error.status !== undefined && error.status < 500 && error.status !== 429) return { retry: false };
  }
  return defaultRetryDecision(error, attempt);
}
