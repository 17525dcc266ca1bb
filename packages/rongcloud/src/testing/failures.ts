import { ImAuthError } from "@imauth/core";
import type { ImEmulatorFailure } from "@imauth/core/testing";
import {
  type FailureQueue as CoreFailureQueue,
  createFailureQueue as createCoreFailureQueue,
} from "@imauth/core/testing";

/**
 * A failure the emulator plays instead of answering: a RongCloud code (with the HTTP status RongCloud pairs
 * with it: 1000 → 500, 1008 → 429, 1050 → 504, 1004 → 401...; `status` overrides it), an HTTP status alone (a
 * non-JSON body, as a gateway answers), or a dropped connection (`disconnect: true`).
 *
 * @example
 * ```ts
 * emulator.failNext(2, { vendorCode: 1000, errorMessage: "server error" });
 * ```
 */
export interface RongCloudEmulatorFailure extends ImEmulatorFailure {
  /** `errorMessage` of a `vendorCode` failure. Default `"emulated failure"`. */
  errorMessage?: string;
}

/** What the router does with the next call when a failure is queued. */
export type PlayedFailure =
  | { kind: "disconnect" }
  | { kind: "status"; status: number }
  | { kind: "envelope"; status: number; vendorCode: number; errorMessage: string };

/** The failures queued by `failNext` and `rateLimitNext`, played one per call in order. */
export type FailureQueue = CoreFailureQueue<RongCloudEmulatorFailure, PlayedFailure>;

/** The failure `failNext` plays when given none: RongCloud's 1000 (internal error, HTTP 500), retried. */
export const DEFAULT_FAILURE: RongCloudEmulatorFailure = { vendorCode: 1000 };

/** What `rateLimitNext` plays: RongCloud's 1008 (call frequency exceeded, HTTP 429). */
export const RATE_LIMIT_FAILURE: RongCloudEmulatorFailure = {
  vendorCode: 1008,
  errorMessage: "Too many requests",
};

/** The HTTP status RongCloud answers with each code (its status-code table); 200 for the others. */
export const STATUS_OF_CODE: ReadonlyMap<number, number> = new Map([
  [1000, 500],
  [1001, 401],
  [1002, 400],
  [1003, 400],
  [1004, 401],
  [1005, 400],
  [1006, 401],
  [1007, 401],
  [1008, 429],
  [1009, 430],
  [1016, 403],
  [1050, 504],
  [2007, 403],
]);

/** Creates the failure queue; `push` checks `count` and the failure (`ERR_INVALID_INPUT`). */
export function createFailureQueue(): FailureQueue {
  return createCoreFailureQueue(toPlayed);
}

function toPlayed(failure: RongCloudEmulatorFailure): PlayedFailure {
  if (typeof failure !== "object" || failure === null) {
    throw new ImAuthError("ERR_INVALID_INPUT", "failure must be an object");
  }
  const { vendorCode, status, disconnect, errorMessage = "emulated failure" } = failure;
  if (status !== undefined && (!Number.isInteger(status) || status < 100 || status > 599)) {
    throw new ImAuthError("ERR_INVALID_INPUT", "failure status must be an HTTP status from 100 to 599");
  }
  if (vendorCode !== undefined && (!Number.isInteger(vendorCode) || vendorCode === 200)) {
    throw new ImAuthError("ERR_INVALID_INPUT", "failure vendorCode must be an integer other than 200");
  }
  if (typeof errorMessage !== "string") {
    throw new ImAuthError("ERR_INVALID_INPUT", "failure errorMessage must be a string");
  }
  if (disconnect) return { kind: "disconnect" };
  if (vendorCode !== undefined) {
    return {
      kind: "envelope",
      status: status ?? STATUS_OF_CODE.get(vendorCode) ?? 200,
      vendorCode,
      errorMessage,
    };
  }
  if (status !== undefined) return { kind: "status", status };
  throw new ImAuthError("ERR_INVALID_INPUT", "failure needs vendorCode, status or disconnect");
}
