import { ImAuthError } from "@imauth/core";
import {
  type FailureQueue as CoreFailureQueue,
  createFailureQueue as createCoreFailureQueue,
  type ImEmulatorFailure,
} from "@imauth/core/testing";

/**
 * A failure the emulator plays instead of answering: an HTTP status with Agora's error envelope (the
 * `error` name defaults by status: 429 `reach_limit`, 401 `unauthorized`, 5xx `service_unavailable`...), or
 * a dropped connection. Agora Chat names its errors instead of numbering them, so `vendorCode` is refused.
 *
 * @example
 * ```ts
 * emulator.failNext(2, { status: 503 });
 * emulator.failNext(1, { status: 400, error: "illegal_argument" });
 * ```
 */
export interface AgoraEmulatorFailure extends ImEmulatorFailure {
  /** The `error` name of the envelope. Default: by status. */
  error?: string;
}

/** What the router does with the next call when a failure is queued. */
export type PlayedFailure = { kind: "disconnect" } | { kind: "envelope"; status: number; error: string };

/** The failures queued by `failNext` and `rateLimitNext`, played one per call in order. */
export type FailureQueue = CoreFailureQueue<AgoraEmulatorFailure, PlayedFailure>;

/** The `error` name Agora Chat answers with for an HTTP status. */
export function errorNameOf(status: number): string {
  if (status === 429) return "reach_limit";
  if (status === 401) return "unauthorized";
  if (status === 404) return "service_resource_not_found";
  if (status === 400) return "illegal_argument";
  if (status >= 500) return status === 500 ? "internal_server_error" : "service_unavailable";
  return "error";
}

/** Creates the failure queue; `push` checks `count` and the failure (`ERR_INVALID_INPUT`). */
export function createFailureQueue(): FailureQueue {
  return createCoreFailureQueue(toPlayed);
}

function toPlayed(failure: AgoraEmulatorFailure): PlayedFailure {
  if (typeof failure !== "object" || failure === null) {
    throw new ImAuthError("ERR_INVALID_INPUT", "failure must be an object");
  }
  const { vendorCode, status, disconnect, error } = failure;
  if (vendorCode !== undefined) {
    throw new ImAuthError(
      "ERR_INVALID_INPUT",
      "Agora Chat errors are named: give status (and error), not vendorCode",
    );
  }
  if (disconnect) return { kind: "disconnect" };
  if (status === undefined || !Number.isInteger(status) || status < 400 || status > 599) {
    throw new ImAuthError("ERR_INVALID_INPUT", "failure needs status (400 to 599) or disconnect");
  }
  if (error !== undefined && typeof error !== "string") {
    throw new ImAuthError("ERR_INVALID_INPUT", "failure error must be a string");
  }
  return { kind: "envelope", status, error: error ?? errorNameOf(status) };
}
