import type { ImAuthError } from "../errors.js";

/**
 * What to do after a failed attempt.
 *
 * @example
 * ```ts
 * classify: (error) =>
 *   error.vendorCode === 60007 ? { retry: true, noEffect: true, delayMs: 2000 } : { retry: false }
 * ```
 */
export interface RetryDecision {
  /** Whether to try again (within the retry limit). */
  retry: boolean;
  /** Minimum wait before the next attempt, in milliseconds (rate limits ask for longer waits). */
  delayMs?: number;
  /** Whether the next attempt goes to the next base URL (backup domain). */
  failover?: boolean;
  /**
   * The failed attempt certainly had no effect at the vendor (refused before processing: a rate limit, an
   * expired credential), so even a call that is not idempotent may be repeated.
   */
  noEffect?: boolean;
  /** Work to do before the next attempt, e.g. renewing a cached admin credential. */
  beforeRetry?: () => void | Promise<void>;
}

/**
 * What a classifier knows about the failed attempt besides the error. One object per call, the same across
 * its attempts, so an adapter can remember per call what it already did (e.g. in a `WeakSet`).
 *
 * @example
 * ```ts
 * classify: (error, attempt, { request }) => ({ retry: false })
 * ```
 */
export interface AttemptContext {
  /**
   * The signed request of the failed attempt (absent when signing itself failed). It carries the
   * credential: read it (e.g. to tell which cached credential was refused), never log or keep it.
   */
  request?: Request | undefined;
  /** Whether the call may be repeated after it possibly reached the vendor. */
  idempotent: boolean;
}

/**
 * The default retry policy: network errors and HTTP 5xx are retried and fail over to the next base URL;
 * HTTP 429 is retried after a longer delay; everything else fails at once. Whether a retry is allowed for a
 * call that is not idempotent is decided afterwards by {@link mayRepeat}.
 *
 * @example
 * ```ts
 * classify: (error, attempt) => vendorRule(error) ?? defaultRetryDecision(error, attempt)
 * ```
 */
export function defaultRetryDecision(error: ImAuthError, _attempt: number): RetryDecision {
  if (error.code === "ERR_NETWORK") return { retry: true, failover: true };
  if (error.code === "ERR_VENDOR_API" && error.status !== undefined) {
    if (error.status >= 500) return { retry: true, failover: true };
    if (error.status === 429) return { retry: true, noEffect: true, delayMs: 1000 };
  }
  return { retry: false };
}

const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/**
 * Whether a call is idempotent when the caller does not say: by HTTP method (`GET`, `HEAD`, `OPTIONS`,
 * `PUT`, `DELETE` are; `POST` and `PATCH` are not).
 *
 * @example
 * ```ts
 * isIdempotentMethod("POST"); // false
 * ```
 */
export function isIdempotentMethod(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/**
 * The rule that keeps retries from duplicating effects: a call may be repeated when it is idempotent, when
 * the failed attempt never left (connection refused, DNS), or when the vendor's answer proves it had no
 * effect (`noEffect`). After a timeout, a reset or a 5xx, a call that is not idempotent is not repeated.
 *
 * @example
 * ```ts
 * if (decision.retry && mayRepeat(error, decision, idempotent)) await retry();
 * ```
 */
export function mayRepeat(error: ImAuthError, decision: RetryDecision, idempotent: boolean): boolean {
  return idempotent || decision.noEffect === true || error.delivery === "not-sent";
}
