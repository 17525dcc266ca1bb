import { ImAuthError, type ImAuthErrorCode } from "./errors.js";

// parseConfig reads the schema through the Standard Schema interface (https://standardschema.dev), which
// zod 4 schemas implement, instead of importing zod: importing @imauth/core or @imauth/core/adapter never
// loads zod (about 60 ms of a cold start); only the adapter that builds a schema pays for it.

/**
 * One problem reported by a {@link StandardSchema}: the Standard Schema issue, plus the fields zod adds
 * (`code`, `expected`, `minimum`, `maximum`) that {@link parseConfig} turns into a message.
 */
export interface StandardSchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
  readonly code?: string;
  readonly expected?: unknown;
  readonly minimum?: unknown;
  readonly maximum?: unknown;
}

/** What a {@link StandardSchema}'s `validate` returns: the value, or the issues. */
export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardSchemaIssue> };

/**
 * A schema implementing the Standard Schema interface (version 1), as every zod 4 schema (`zod` and
 * `zod/mini`) does. {@link parseConfig} needs only this, so core never imports a schema library.
 */
export interface StandardSchema<Output = unknown> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
    readonly types?: { readonly input: unknown; readonly output: Output } | undefined;
  };
}

/**
 * Validates an options object with a schema (any Standard Schema that validates synchronously, e.g. a
 * `zod/mini` object). On failure throws `ImAuthError` (`ERR_INVALID_CONFIG` by default) whose message lists
 * each bad field and what was expected, and never the value received, so secrets cannot end up in logs.
 *
 * @example
 * ```ts
 * import { z } from "zod/mini";
 * const Options = z.object({ appKey: z.string().check(z.minLength(1)) });
 * const options = parseConfig(Options, input, "createNeteaseProvider options");
 * ```
 */
export function parseConfig<T>(
  schema: StandardSchema<T>,
  input: unknown,
  what: string,
  code: ImAuthErrorCode = "ERR_INVALID_CONFIG",
): T {
  const result = schema["~standard"].validate(input);
  if (result instanceof Promise) {
    // An async schema cannot validate a synchronous factory's options; the caller's schema is wrong.
    result.catch(() => {});
    throw new ImAuthError(code, `invalid ${what}: the schema must validate synchronously`);
  }
  if (result.issues === undefined) return result.value;
  const problems = result.issues
    .slice(0, 5)
    .map((issue) => `${pathOf(issue)}: ${describeIssue(issue)}`)
    .join("; ");
  throw new ImAuthError(code, `invalid ${what}: ${problems}`);
}

function pathOf(issue: StandardSchemaIssue): string {
  if (!issue.path?.length) return "(root)";
  return issue.path.map((segment) => String(typeof segment === "object" ? segment.key : segment)).join(".");
}

// Built from the issue's kind only: zod's own messages can quote the value received.
function describeIssue(issue: StandardSchemaIssue): string {
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
