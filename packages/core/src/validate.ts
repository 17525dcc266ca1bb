import { ImAuthError, type ImAuthErrorCode } from "./errors.js";

/**
 * Limits of {@link assertUserId}.
 *
 * @example
 * ```ts
 * assertUserId(accid, { maxBytes: 32, what: "accid" });
 * ```
 */
export interface UserIdRules {
  /** Longest accepted ID in UTF-8 bytes (Tencent allows 32, NetEase accid 32). Default 32. */
  maxBytes?: number;
  /** What the value is called in messages. Default `userId`. */
  what?: string;
  /** Error code to throw. Default `ERR_INVALID_INPUT`. */
  code?: ImAuthErrorCode;
}

/**
 * Checks a user ID: a non-empty string of at most `maxBytes` UTF-8 bytes with no control characters.
 * Throws `ImAuthError` (`ERR_INVALID_INPUT` by default) otherwise.
 *
 * @example
 * ```ts
 * assertUserId(userId, { maxBytes: 32 });
 * ```
 */
export function assertUserId(value: unknown, rules: UserIdRules = {}): asserts value is string {
  const { maxBytes = 32, what = "userId", code = "ERR_INVALID_INPUT" } = rules;
  if (typeof value !== "string")
    throw new ImAuthError(code, `${what} must be a string, got ${typeName(value)}`);
  if (value.length === 0) throw new ImAuthError(code, `${what} must not be empty`);
  assertWellFormed(value, what, code);
  // A UTF-16 unit is at most 3 UTF-8 bytes: skip the encoding for obviously short or long input.
  const bytes = value.length * 3 <= maxBytes ? value.length : new TextEncoder().encode(value).length;
  if (bytes > maxBytes)
    throw new ImAuthError(code, `${what} must be at most ${maxBytes} bytes, got ${bytes}`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(value))
    throw new ImAuthError(code, `${what} must not contain control characters`);
}

// With the `u` flag a surrogate range matches only unpaired halves: paired ones form one code point.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Whether `value` is well-formed UTF-16 (no unpaired surrogate). UTF-8 encoding turns a lone surrogate into
 * U+FFFD, so `"a\uD800"` and `"a\uFFFD"` would sign to the same bytes: every string that is signed, and every
 * string read from a signed document, must pass this check.
 *
 * @example
 * ```ts
 * isWellFormed("a\uD83D\uDE00"); // true (a pair)
 * isWellFormed("a\uD800"); // false
 * ```
 */
export function isWellFormed(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

/**
 * Throws `ImAuthError` (`ERR_INVALID_INPUT` by default) when `value` holds an unpaired UTF-16 surrogate,
 * naming `what` but never echoing the value.
 *
 * @example
 * ```ts
 * assertWellFormed(channelName, "channelName");
 * ```
 */
export function assertWellFormed(
  value: string,
  what: string,
  code: ImAuthErrorCode = "ERR_INVALID_INPUT",
): void {
  if (!isWellFormed(value)) {
    throw new ImAuthError(code, `${what} must be well-formed UTF-16 (it holds an unpaired surrogate)`);
  }
}

/**
 * Limits of {@link assertInteger}.
 *
 * @example
 * ```ts
 * assertInteger(port, "port", { min: 1, max: 65535, code: "ERR_INVALID_CONFIG" });
 * ```
 */
export interface IntegerRules {
  /** Smallest accepted value. Default 1. */
  min?: number;
  /** Largest accepted value. Default `Number.MAX_SAFE_INTEGER`. */
  max?: number;
  /** Error code to throw. Default `ERR_INVALID_INPUT`. */
  code?: ImAuthErrorCode;
}

/**
 * Checks that `value` is an integer between `min` and `max` (inclusive). Throws `ImAuthError` otherwise,
 * naming `what`.
 *
 * @example
 * ```ts
 * assertInteger(ttlSeconds, "ttlSeconds", { min: 1, max: 2 ** 31 - 1 });
 * ```
 */
export function assertInteger(
  value: unknown,
  what: string,
  rules: IntegerRules = {},
): asserts value is number {
  const { min = 1, max = Number.MAX_SAFE_INTEGER, code = "ERR_INVALID_INPUT" } = rules;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new ImAuthError(code, `${what} must be an integer, got ${typeName(value)}`);
  }
  if (value < min || value > max) throw new ImAuthError(code, `${what} must be between ${min} and ${max}`);
}

/**
 * Checks that `value` is a non-empty string (a key, a secret, an app key) without ever echoing it.
 *
 * @example
 * ```ts
 * assertNonEmptyString(options.secretKey, "secretKey", "ERR_INVALID_CONFIG");
 * ```
 */
export function assertNonEmptyString(
  value: unknown,
  what: string,
  code: ImAuthErrorCode = "ERR_INVALID_CONFIG",
  maxLength = 4096,
): asserts value is string {
  if (typeof value !== "string")
    throw new ImAuthError(code, `${what} must be a string, got ${typeName(value)}`);
  if (value.length === 0) throw new ImAuthError(code, `${what} must not be empty`);
  if (value.length > maxLength)
    throw new ImAuthError(code, `${what} must be at most ${maxLength} characters`);
}

/**
 * A short, safe description of a value's type for error messages (never the value itself).
 *
 * @example
 * ```ts
 * typeName(1.5); // "a non-integer number"
 * typeName(null); // "null"
 * ```
 */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return "Infinity";
    return Number.isInteger(value) ? "number" : "a non-integer number";
  }
  return typeof value;
}

/**
 * Checks that an options argument is a plain object (or absent when `optional`), naming `what` in the
 * message. The one guard every factory and function taking an options object uses.
 *
 * @example
 * ```ts
 * assertOptionsObject(options, "createTencentProvider options", "ERR_INVALID_CONFIG");
 * ```
 */
export function assertOptionsObject(
  value: unknown,
  what: string,
  code: ImAuthErrorCode = "ERR_INVALID_INPUT",
  optional = false,
): asserts value is Record<string, unknown> {
  if (optional && value === undefined) return;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ImAuthError(code, `${what} must be an object, got ${typeName(value)}`);
  }
}
