import { ImAuthError } from "@imauth/core";
import { typeName } from "@imauth/core/adapter";

/** Longest Easemob user ID, in bytes (the IDs are ASCII, so also in characters). */
export const MAX_USER_ID_LENGTH = 64;

const USER_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Whether `value` is a valid Easemob user ID (`username`): 1 to 64 of `a-z A-Z 0-9 _ - .`. Easemob compares
 * user IDs case-insensitively: `Alice` and `alice` are the same user.
 *
 * @example
 * ```ts
 * isEasemobUserId("user.name-1_x"); // true
 * isEasemobUserId("user@example.com"); // false
 * ```
 */
export function isEasemobUserId(value: unknown): value is string {
  return typeof value === "string" && USER_ID.test(value);
}

/** Throws `ImAuthError` (`ERR_INVALID_INPUT` by default) unless `value` is a valid Easemob user ID. */
export function assertEasemobUserId(
  value: unknown,
  what = "userId",
  code: "ERR_INVALID_INPUT" | "ERR_INVALID_CONFIG" = "ERR_INVALID_INPUT",
): asserts value is string {
  if (typeof value !== "string")
    throw new ImAuthError(code, `${what} must be a string, got ${typeName(value)}`);
  if (!USER_ID.test(value)) {
    throw new ImAuthError(
      code,
      `${what} must be 1 to ${MAX_USER_ID_LENGTH} characters of a-z, A-Z, 0-9, "_", "-" and "."`,
    );
  }
}
