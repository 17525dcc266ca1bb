import type { ImAuthError } from "@imauth/core";
import { defaultRetryDecision, type RetryDecision } from "@imauth/core/http";

import { RONGCLOUD_RETRY_CODES } from "./envelope.js";

export { RONGCLOUD_RETRY_CODES };

/** RongCloud's rate-limit code (HTTP 429): retried after a longer wait, on the same domain. */
export const RONGCLOUD_RATE_LIMIT_CODE = 1008;

/** Least wait after a 1008 (rate limited) answer, in milliseconds: RongCloud's limits are per second. */
const RATE_LIMIT_DELAY_MS = 1000;

/**
 * APIs that can be repeated without duplicating an effect: `user/getToken.json` (a repeat returns another
 * valid token for the same user), writes that set a value (`user/refresh.json`, `user/token/expire.json`)
 * and queries. After a timeout, a reset or codes 1000/1050 only these are retried; messages are sent once,
 * as a repeated `message/*` call would deliver the message twice.
 */
export const RONGCLOUD_IDEMPOTENT_APIS: ReadonlySet<string> = new Set([
  "user/getToken.json",
  "user/refresh.json",
  "user/info.json",
  "user/token/expire.json",
  "user/checkOnline.json",
  "user/block/query.json",
]);

/**
 * RongCloud's retry policy for one failed attempt, as a pure function returning core's `RetryDecision`:
 * transport errors, codes 1000 and 1050 and HTTP 5xx are retried on the next domain (`api-cn` then
 * `api2-cn`...); 1008 and HTTP 429 (rate limited, refused before any processing) after at least a second on
 * the same domain; anything else (1001 App Secret, 1002 parameters, 1004 signature, 1009 service not enabled,
 * 2007 test user limit...) fails at once.
 *
 * @example
 * ```ts
 * import { classifyRongCloudError } from "@imauth/rongcloud/client";
 *
 * classifyRongCloudError(error, 1); // { retry: true, failover: true } for code 1000
 * ```
 */
export function classifyRongCloudError(error: ImAuthError, attempt: number): RetryDecision {
  if (error.code === "ERR_VENDOR_API" && typeof error.vendorCode === "number") {
    if (RONGCLOUD_RETRY_CODES.has(error.vendorCode)) return { retry: true, failover: true };
    if (error.vendorCode === RONGCLOUD_RATE_LIMIT_CODE || error.status === 429) {
      return { retry: true, noEffect: true, delayMs: RATE_LIMIT_DELAY_MS };
    }
    if (error.status !== undefined && error.status < 500) return { retry: false };
  }
  return defaultRetryDecision(error, attempt);
}
