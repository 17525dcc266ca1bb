import { type ImAuthErrorCode, isImAuthError } from "@imauth/core";

/**
 * The exit codes of `imauth`.
 *
 * - `0` success; for `verify` commands: the credential or callback is valid.
 * - `1` rejected: the credential or callback was checked and is not valid (expired, wrong app, wrong user,
 *   bad signature, malformed, forged); the reason code (e.g. `ERR_CREDENTIAL_EXPIRED`) is printed.
 * - `2` usage error: unknown command or option, missing or invalid value, missing secret, unreadable file.
 * - `3` unexpected failure (a bug: please report it).
 *
 * @example
 * ```ts
 * if ((await run(argv, io)) === EXIT.REJECTED) console.log("not valid");
 * ```
 */
export const EXIT = { OK: 0, REJECTED: 1, USAGE: 2, FAILURE: 3 } as const;

/** An exit code of `imauth`. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake in how the CLI was called: printed with a hint to `--help`, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

const REJECTIONS: ReadonlySet<ImAuthErrorCode> = new Set([
  "ERR_MALFORMED_CREDENTIAL",
  "ERR_SIGNATURE_INVALID",
  "ERR_CREDENTIAL_EXPIRED",
  "ERR_APP_MISMATCH",
  "ERR_USER_MISMATCH",
  "ERR_USERBUF_MISMATCH",
  "ERR_WEBHOOK_INVALID",
  "ERR_WEBHOOK_EXPIRED",
]);

/** The exit code for an error thrown by a command. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof UsageError) return EXIT.USAGE;
  if (isImAuthError(error)) return REJECTIONS.has(error.code) ? EXIT.REJECTED : EXIT.USAGE;
  return EXIT.FAILURE;
}
