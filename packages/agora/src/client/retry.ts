import type { ImAuthError } from "@imauth/core";
import { type AttemptContext, defaultRetryDecision, type RetryDecision } from "@imauth/core/http";

/** Calls whose app token was already renewed once: a second 401 is an answer, not a stale token. */
const renewed = new WeakSet<AttemptContext>();

/**
 * A 401 is retried once per call, with a new app token: tracked per call (`context`), so a 401 after an
 * earlier 429 or 503 of the same call is still renewed; without a context, only on the first attempt.
 */
function renewOnce(attempt: number, context: AttemptContext | undefined, renew?: () => void): RetryDecision {
  const first = context === undefined ? attempt === 1 : !renewed.has(context);
  if (!renew || !first) return { retry: false };
  if (context !== undefined) renewed.add(context);
  return { retry: true, noEffect: true, beforeRetry: renew };
}

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
  context?: AttemptContext,
  renew?: () => void,
): RetryDecision {
  if (error.code === "ERR_VENDOR_API") {
    if (error.status === 429) return { retry: true, noEffect: true, delayMs: RATE_LIMIT_DELAY_MS };
    if (error.status === 401) return renewOnce(attempt, context, renew);
    if (error.status !== undefined && error.status < 500) return { retry: false };
  }
  return defaultRetryDecision(error, attempt);
}
