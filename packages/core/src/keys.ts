import { ImAuthError, type ImAuthErrorCode } from "./errors.js";
import type { Secret } from "./secret.js";
import { typeName } from "./validate.js";

/**
 * A key as a verifier takes it: one key, or a list `[current, ...previous]` while a rotation is under way.
 *
 * @example
 * ```ts
 * const callbackToken: KeyInput = [new Secret(process.env.NEW_TOKEN!), process.env.OLD_TOKEN!];
 * ```
 */
export type KeyInput = string | Secret | readonly (string | Secret)[];

/** Most keys a list may hold: a rotation needs two; a few more cover staged roll-outs, not a key store. */
export const MAX_KEYS = 8;

/**
 * Options of {@link keyList}.
 *
 * @example
 * ```ts
 * const rules: KeyListRules = { code: "ERR_INVALID_CONFIG", maxLength: 64 };
 * ```
 */
export interface KeyListRules {
  /** Error code to throw. Default `ERR_INVALID_CONFIG` (keys are configuration, see `ImAuthErrorCode`). */
  code?: ImAuthErrorCode;
  /** Longest accepted key, in characters. Default 4096. */
  maxLength?: number;
}

/**
 * Reads one key or a list of keys (`string | Secret | readonly (string | Secret)[]`) into the revealed
 * strings, first (current) key first. Every entry must be a non-empty string or a `Secret` holding one; the
 * list holds 1 to {@link MAX_KEYS} entries. Throws `ImAuthError` (`ERR_INVALID_CONFIG` by default) naming the
 * position, never the value. Verifiers try every key of the result; signers use the first.
 *
 * @example
 * ```ts
 * import { keyList } from "@imauth/core/adapter";
 *
 * const [signingKey, ...previous] = keyList(options.secretKey, "secretKey");
 * ```
 */
export function keyList(value: unknown, what: string, rules: KeyListRules = {}): readonly string[] {
  const { code = "ERR_INVALID_CONFIG", maxLength = 4096 } = rules;
  if (!Array.isArray(value)) return Object.freeze([revealKey(value, what, code, maxLength)]);
  if (value.length === 0) throw new ImAuthError(code, `${what} must not be an empty list`);
  if (value.length > MAX_KEYS) {
    throw new ImAuthError(code, `${what} must hold at most ${MAX_KEYS} keys, got ${value.length}`);
  }
  return Object.freeze(value.map((key, i) => revealKey(key, `${what}[${i}]`, code, maxLength)));
}

function revealKey(value: unknown, what: string, code: ImAuthErrorCode, maxLength: number): string {
  const revealed =
    typeof value === "object" && value !== null && typeof (value as Secret).reveal === "function"
      ? (value as Secret).reveal()
      : value;
  if (typeof revealed !== "string") {
    throw new ImAuthError(code, `${what} must be a string or a Secret, got ${typeName(revealed)}`);
  }
  if (revealed.length === 0) throw new ImAuthError(code, `${what} must not be empty`);
  if (revealed.length > maxLength)
    throw new ImAuthError(code, `${what} must be at most ${maxLength} characters`);
  return revealed;
}

/**
 * Whether `matches` holds for any of `keys`. Every key is tried, even after a match, so the time taken does
 * not tell an attacker which key (current or previous) signed; `matches` itself must compare in constant
 * time (`constantTimeEqual`).
 *
 * @example
 * ```ts
 * const ok = anyKeyMatches(keys, (key) => constantTimeEqual(hmac(key, body), signature));
 * ```
 */
export function anyKeyMatches(keys: readonly string[], matches: (key: string) => boolean): boolean {
  let found = false;
  for (const key of keys) {
    // `matches` runs first: `found || matches(key)` would stop trying once a key matched.
    if (matches(key)) found = true;
  }
  return found;
}
