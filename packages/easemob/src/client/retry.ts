import type { ImAuthError } from "@imauth/core";
import { type AttemptContext, defaultRetryDecision, type RetryDecision } from "@imauth/core/http";

/** Least wait after an HTTP 429 (rate limited) answer, in milliseconds. */
const RATE_LIMIT_DELAY_MS = 1000;

/**
 * What {@link classifyEasemobError} needs to renew a refused app token: the provider's
 * `invalidateAppToken`.
 *
 * @example
 * ```ts
 * const renewer: AppTokenRenewer = { invalidateAppToken: (token) => provider.invalidateAppToken(token) };
 * ```
 */
export interface AppTokenRenewer {
  invalidateAppToken(token?: string): void;
}

/** Calls whose app token was already renewed once: a second 401 is an answer, not a stale token. */
const renewed = new WeakSet<AttemptContext>();

function bearerOf(request: Request | undefined): string | undefined {
  const value = request?.headers.get("authorization") ?? "";
  return value.startsWith("Bearer ") ? value.slice(7) : undefined;
}

/**
 * Easemob's retry policy for one failed attempt, as core's `RetryDecision`: HTTP 401 drops the app token the
 * attempt carried and retries once with a new one (`beforeRetry`; refused before processing, so any call may
 * be repeated); 429 (rate limited) is retried after at least a second; 5xx and network failures by core's
 * default (failover to the backup host; calls that are not idempotent only when they provably had no effect);
 * other 4xx fail at once.
 *
 * @example
 * ```ts
 * import { classifyEasemobError } from "@imauth/easemob/client";
 *
 * const classify = (error, attempt, context) => classifyEasemobError(error, attempt, context, provider);
 * ```
 */
export function classifyEasemobError(
  error: ImAuthError,
  attempt: number,
  context?: AttemptContext,
  renewer?: AppTokenRenewer,
): RetryDecision {
  if (error.code === "ERR_VENDOR_API" && error.status === 401) {
    if (renewer === undefined || context === undefined || renewed.has(context)) return { retry: false };
    renewed.add(context);
    const refused = bearerOf(context.request);
    return {
      retry: true,
      noEffect: true,
      delayMs: 0,
      beforeRetry: () => renewer.invalidateAppToken(refused),
    };
  }
  if (error.code === "ERR_VENDOR_API" && error.status === 429) {
    return { retry: true, noEffect: true, delayMs: RATE_LIMIT_DELAY_MS };
  }
  return defaultRetryDecision(error, attempt);
}
