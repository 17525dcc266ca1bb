import { ImAuthError } from "./errors.js";
import type { Clock } from "./types.js";

/**
 * The wall clock, used when no `clock` option is given.
 *
 * @example
 * ```ts
 * systemClock(); // same as Date.now()
 * ```
 */
export const systemClock: Clock = () => Date.now();

/**
 * Reads a clock and checks the value: a clock returning something other than a finite, non-negative number
 * of milliseconds is a configuration error.
 *
 * @example
 * ```ts
 * const nowMs = readClock(options.clock);
 * const nowSeconds = Math.floor(nowMs / 1000);
 * ```
 */
export function readClock(clock: Clock | undefined): number {
  const nowMs = (clock ?? systemClock)();
  if (typeof nowMs !== "number" || !Number.isFinite(nowMs) || nowMs < 0) {
    throw new ImAuthError(
      "ERR_INVALID_CONFIG",
      "clock must return a finite, non-negative epoch in milliseconds",
    );
  }
  return nowMs;
}
