import { safeParse } from "zod/mini";
import type { $ZodType } from "zod/v4/core";
import { ImAuthError, type ImAuthErrorCode } from "./errors.js";

/**
 * Validates an options object with a `zod/mini` schema. On failure throws `ImAuthError`
 * (`ERR_INVALID_CONFIG` by default) whose message lists each bad field and what was expected, and never the
 * value received, so secrets cannot end up in logs.
 *
 * @example
 * ```ts
 * import { z } from "zod/mini";
 * const Options = z.object({ appKey: z.string().check(z.minLength(1)) });
 * const options = parseConfig(Options, input, "createNeteaseProvider options");
 * ```
 */
export function parseConfig<T>(
  schema: $ZodType<T>,
  input: unknown,
  what: string,
  code: ImAuthErrorCode = "ERR_INVALID_CONFIG",
): T {
  const result = safeParse(schema, input);
  if (result.success) return result.data as T;
  const problems = result.error.issues
    .slice(0, 5)
    .map(
      (issue) =>
        `${issue.path.length ? issue.path.map(String).join(".") : "(root)"}: ${describeIssue(issue)}`,
    )
    .join("; ");
  throw new ImAuthError(code, `invalid ${what}: ${problems}`);
}

function describeIssue(issue: {
  code: string;
  expected?: unknown;
  minimum?: unknown;
  maximum?: unknown;
}): string {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${String(issue.expected)}`;
    case "too_small":
      return `too small (minimum ${String(issue.minimum)})`;
    case "too_big":
      return `too big (maximum ${String(issue.maximum)})`;
    case "unrecognized_keys":
      return "unknown option";
    default:
      return "invalid value";
  }
}
