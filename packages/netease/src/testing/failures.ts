import { ImAuthError } from "@imauth/core";
import type { ImEmulatorFailure } from "@imauth/core/testing";
import {
  type FailureQueue as CoreFailureQueue,
  createFailureQueue as createCoreFailureQueue,
} from "@imauth/core/testing";

/**
 * A failure the emulator plays instead of answering: a vendor code (HTTP 200 with that `code`, as NetEase
 * answers; with `status`, that HTTP status instead), an HTTP status alone (a non-JSON body, as a gateway
 * answers), or a dropped connection (`disconnect: true`).
 *
 * @example
 * ```ts
 * emulator.failNext(2, { vendorCode: 503, desc: "server busy" });
 * ```
 */
export interface NeteaseEmulatorFailure extends ImEmulatorFailure {
  /** `desc` (v1) or `msg` (v2) of a `vendorCode` failure. Default `"server busy"`. */
  desc?: string;
}

/** What the router does with the next call when a failure is queued. */
export type PlayedFailure =
  | { kind: "disconnect" }
  | { kind: "status"; status: number }
  | { kind: "envelope"; status: number; vendorCode: number; desc: string };

/** The failures queued by `failNext` and `rateLimitNext`, played one per call in order. */
export type FailureQueue = CoreFailureQueue<NeteaseEmulatorFailure, PlayedFailure>;

/** The failure `failNext` plays when given none: NetEase's 503 (server busy), retried by the client. */
export const DEFAULT_FAILURE: NeteaseEmulatorFailure = { vendorCode: 503 };

/** What `rateLimitNext` plays: NetEase's 416 (frequency control). */
export const RATE_LIMIT_FAILURE: NeteaseEmulatorFailure = { vendorCode: 416, desc: "api freq control" };

/** Creates the failure queue; `push` checks `count` and the failure (`ERR_INVALID_INPUT`). */
export function createFailureQueue(): FailureQueue {
  return createCoreFailureQueue(toPlayed);
}

function toPlayed(failure: NeteaseEmulatorFailure): PlayedFailure {
  if (typeof failure !== "object" || failure === null) {
    throw new ImAuthError("ERR_INVALID_INPUT", "failure must be an object");
  }
  const { vendorCode, status, disconnect, desc = "server busy" } = failure;
  if (status !== undefined && (!Number.isInteger(status) || status < 100 || status > 599)) {
    throw new ImAuthError("ERR_INVALID_INPUT", "failure status must be an HTTP status from 100 to 599");
  }
  if (vendorCode !== undefined && (!Number.isInteger(vendorCode) || vendorCode === 200)) {
    throw new ImAuthError("ERR_INVALID_INPUT", "failure vendorCode must be an integer other than 200");
  }
  if (typeof desc !== "string") throw new ImAuthError("ERR_INVALID_INPUT", "failure desc must be a string");
  if (disconnect) return { kind: "disconnect" };
  if (vendorCode !== undefined) return { kind: "envelope", status: status ?? 200, vendorCode, desc };
  if (status !== undefined) return { kind: "status", status };
  throw new ImAuthError("ERR_INVALID_INPUT", "failure needs vendorCode, status or disconnect");
}
