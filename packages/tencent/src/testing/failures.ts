import { ImAuthError } from "@imauth/core";
import type { ImEmulatorFailure } from "@imauth/core/testing";
import {
  type FailureQueue as CoreFailureQueue,
  createFailureQueue as createCoreFailureQueue,
} from "@imauth/core/testing";

/**
 * A failure the emulator plays instead of answering: a vendor code (HTTP 200 with that `ErrorCode`, as
 * Tencent answers; with `status`, that HTTP status instead), an HTTP status alone (a non-JSON body, as a
 * gateway answers), or a dropped connection (`disconnect: true`).
 *
 * @example
 * ```ts
 * emulator.failNext(2, { vendorCode: 70500, errorInfo: "internal error" });
 * ```
 */
export interface TencentEmulatorFailure extends ImEmulatorFailure {
  /** `ErrorInfo` of a `vendorCode` failure. Default `"emulated failure"`. */
  errorInfo?: string;
}

/** What the router does with the next call when a failure is queued. */
export type PlayedFailure =
  | { kind: "disconnect" }
  | { kind: "status"; status: number }
  | { kind: "envelope"; status: number; vendorCode: number; errorInfo: string };

/** The failures queued by `failNext` and `rateLimitNext`, played one per call in order. */
export type FailureQueue = CoreFailureQueue<TencentEmulatorFailure, PlayedFailure>;

/** The failure `failNext` plays when given none: Tencent's internal error 70500, retried by the client. */
export const DEFAULT_FAILURE: TencentEmulatorFailure = { vendorCode: 70500 };

/** Creates the failure queue; `push` checks `count` and the failure (`ERR_INVALID_INPUT`). */
export function createFailureQueue(): FailureQueue {
  return createCoreFailureQueue(toPlayed);
}

function toPlayed(failure: TencentEmulatorFailure): PlayedFailure {
  if (typeof failure !== "object" || failure === null) {
    throw new ImAuthError("ERR_INVALID_INPUT", "failure must be an object");
  }
  const { vendorCode, status, disconnect, errorInfo = "emulated failure" } = failure;
  if (status !== undefined && (!Number.isInteger(status) || status < 100 || status > 599)) {
    throw new ImAuthError("ERR_INVALID_INPUT", "failure status must be an HTTP status from 100 to 599");
  }
  if (vendorCode !== undefined && !Number.isInteger(vendorCode)) {
    throw new ImAuthError("ERR_INVALID_INPUT", "failure vendorCode must be an integer");
  }
  if (typeof errorInfo !== "string")
    throw new ImAuthError("ERR_INVALID_INPUT", "failure errorInfo must be a string");
  if (disconnect) return { kind: "disconnect" };
  if (vendorCode !== undefined) return { kind: "envelope", status: status ?? 200, vendorCode, errorInfo };
  if (status !== undefined) return { kind: "status", status };
  throw new ImAuthError("ERR_INVALID_INPUT", "failure needs vendorCode, status or disconnect");
}
