import { ImAuthError } from "../errors.js";

/**
 * The failures an emulator's `failNext` queued, played one per call in order.
 *
 * @example
 * ```ts
 * const failures: FailureQueue<MyFailure, MyPlayed> = createFailureQueue(toPlayed);
 * ```
 */
export interface FailureQueue<Failure, Played> {
  /** Queues `failure` for the next `count` calls; checks both (`ERR_INVALID_INPUT`). */
  push(count: number, failure: Failure): void;
  /** The failure for this call, if one is queued. */
  next(): Played | undefined;
  clear(): void;
}

/**
 * Creates an emulator's failure queue; `toPlayed` checks a vendor's failure description and turns it into
 * what the emulator plays (it throws `ERR_INVALID_INPUT` for a bad one, before anything is queued).
 *
 * @example
 * ```ts
 * const failures = createFailureQueue((f: { vendorCode: number }) => ({ kind: "envelope", ...f }));
 * failures.push(2, { vendorCode: 503 });
 * ```
 */
export function createFailureQueue<Failure, Played>(
  toPlayed: (failure: Failure) => Played,
): FailureQueue<Failure, Played> {
  let queue: Played[] = [];
  return {
    push(count, failure) {
      if (!Number.isInteger(count) || count < 0 || count > 10_000) {
        throw new ImAuthError("ERR_INVALID_INPUT", "count must be an integer from 0 to 10000");
      }
      const played = toPlayed(failure);
      for (let i = 0; i < count; i++) queue.push(played);
    },
    next: () => queue.shift(),
    clear() {
      queue = [];
    },
  };
}
