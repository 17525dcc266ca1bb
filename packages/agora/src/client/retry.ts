import type { ImAuthError } from "@imauth/core";
import { type AttemptContext, defaultRetryDecision, type RetryDecision } from "@imauth/core/http";

/** Least wait after a 429 (rate limited) answer, in milliseconds: Agora Chat limits calls per second. */
const RATE_LIMIT_DELAY_MS = 1000;

/**
 * Agora Chat's retry policy for one failed attempt, as a pure function returning core's `RetryDecision`:
 * HTTP 429 (`reach_limit`: refused before any processing) is retried after at least a second whatever the
 * call does; transport errors and HTTP 5xx are retried when the call may be repeated (core's rule); a 401 is
 * retried once, after `renew` (a new app token: the cached one may have been refused for clock skew); anything
 * else (400 bad request, 404 not found, duplicate user...) fails at once.
 *
 * @example
 * ```ts
 * import { classifyAgoraChatError } from "@imauth/agora/client";
 *
 * classifyAgoraChatError(error, 1); // { retry: true, noEffect: true, delayMs: 1000 } for HTTP 429
 * ```
 */
export function classifyAgoraChatError(
  error: ImAuthError,
  attempt: number,
  _context?: AttemptContext,
  renew?: () => void,
): RetryDecision {
  if (error.code === "ERR_VENDOR_API") {
    if (error.status === 429) return { retry: true, noEffect: true, delayMs: RATE_LIMIT_DELAY_MS };
    if (error.status === 401) {
      return attempt === 1 && renew ? { retry: true, noEffect: true, beforeRetry: renew } : { retry: false };
    }
    if (error.status !== undefined && error.status < 500) return { retry: false };
  }
  return defaultRetryDecision(error, attempt);
}
