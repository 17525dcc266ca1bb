import type { ImAuthError } from "@imauth/core";
import type { RetryDecision } from "@imauth/core/http";

/**
 * Delays of {@link classifyTencentCloudError}.
 *
 * @example
 * ```ts
 * const delays: TencentCloudRetryDelays = { rateLimitDelayMs: 2000 };
 * ```
 */
export interface TencentCloudRetryDelays {
  /** First delay after `RequestLimitExceeded*`, in ms; doubled on each further attempt. Default 1000. */
  rateLimitDelayMs?: number;
}

/**
 * Tencent Cloud API 3.0's retry policy for one failed attempt, as a pure function, with the IM client's
 * rules: transport errors and HTTP 5xx are retried on the backup domain; `RequestLimitExceeded` and its
 * sub-codes (refused before any processing, so `noEffect`) after a longer delay; `InternalError` and its
 * sub-codes with backoff, for idempotent actions only; everything else (`AuthFailure.*`,
 * `InvalidParameter*`, `MissingParameter*`, `FailedOperation.*`, `UnauthorizedOperation.*`...) never.
 *
 * @example
 * ```ts
 * classifyTencentCloudError(error, 1); // { retry: true, noEffect: true, delayMs: 1000 } for RequestLimitExceeded
 * ```
 */
export function classifyTencentCloudError(
  error: ImAuthError,
  attempt: number,
  delays: TencentCloudRetryDelays = {},
): RetryDecision {
  const { rateLimitDelayMs = 1000 } = delays;
  const rateLimitDelay = rateLimitDelayMs * 2 ** (attempt - 1);
  if (error.code === "ERR_NETWORK") return { retry: true, failover: true };
  if (error.code !== "ERR_VENDOR_API") return { retry: false };
  const code = typeof error.vendorCode === "string" ? error.vendorCode : undefined;
  if (code !== undefined) {
    if (code === "RequestLimitExceeded" || code.startsWith("RequestLimitExceeded.")) {
      return { retry: true, noEffect: true, delayMs: rateLimitDelay };
    }
    if (code === "InternalError" || code.startsWith("InternalError.")) return { retry: true };
    return { retry: false };
  }
  if (error.status !== undefined && error.status >= 500) return { retry: true, failover: true };
  if (error.status === 429) return { retry: true, noEffect: true, delayMs: rateLimitDelay };
  return { retry: false };
}

/**
 * TRTC actions that can be repeated without duplicating an effect: queries (every `Describe*` action is
 * treated so too) and removals, whose repetition leaves the same state. After a timeout, a reset, a 5xx or
 * `InternalError`, the client repeats only these; `CreateCloudRecording` and `StartMCUMixTranscode` are sent
 * once. `call(action, params, { idempotent })` overrides it per call.
 *
 * @example
 * ```ts
 * TENCENT_CLOUD_IDEMPOTENT_ACTIONS.has("DismissRoom"); // true
 * ```
 */
export const TENCENT_CLOUD_IDEMPOTENT_ACTIONS: ReadonlySet<string> = new Set([
  "DismissRoom",
  "DismissRoomByStrRoomId",
  "RemoveUser",
  "RemoveUserByStrRoomId",
  "StopMCUMixTranscode",
  "StopMCUMixTranscodeByStrRoomId",
  "DeleteCloudRecording",
]);

/** Whether `action` may be repeated by default. */
export function isIdempotentAction(action: string): boolean {
  return action.startsWith("Describe") || TENCENT_CLOUD_IDEMPOTENT_ACTIONS.has(action);
}
