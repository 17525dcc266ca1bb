// What the `verify-callback` commands share: received headers given one by one, the accepted clock skew, and
// how a verified callback is shown.
import type { VerifiedWebhook } from "@imauth/core";
import type { CommandContext, OptionSpec } from "../command.js";
import { EXIT, type ExitCode, UsageError } from "../exit.js";
import { durationOption } from "../options.js";
import { printJson, printRows } from "../output.js";
import { showTime } from "../time.js";

export const bodyFileOption: OptionSpec = {
  type: "string",
  value: "F",
  description: "the raw body exactly as received (- for stdin)",
};

/** `--max-skew S`: how far the callback's signed time may be from the clock (default 5 minutes). */
export function maxSkewOption(what: string): OptionSpec {
  return {
    type: "string",
    value: "S",
    description: `accepted distance of ${what} from the clock (default 5m)`,
  };
}

/** `--max-skew` in seconds, 1 to `max`, 300 when absent. */
export function maxSkewSeconds(ctx: CommandContext, max = 86_400): number {
  return durationOption(ctx, "max-skew", { min: 1, max, fallback: 300 });
}

/** Splits `Name:value`; the value may hold colons (a `Date` header does). */
function parseHeader(value: string): [string, string] {
  const at = value.indexOf(":");
  if (at <= 0) throw new UsageError(`--header must look like Name:value (got '${value.slice(0, 20)}')`);
  return [value.slice(0, at).trim(), value.slice(at + 1).trim()];
}

/** The repeated `--header K:V` options as `Headers`; a name or value `Headers` refuses is a usage error. */
export function headersOf(ctx: CommandContext): Headers {
  const list = (ctx.values.header as string[] | undefined) ?? [];
  const headers = new Headers();
  for (const h of list) {
    const [k, v] = parseHeader(h);
    try {
      headers.append(k, v);
    } catch {
      throw new UsageError(`--header: '${k.slice(0, 20)}' is not a valid header`);
    }
  }
  return headers;
}

/** Sets a header from a shortcut flag (`--signature`), a usage error when `Headers` refuses the value. */
export function setHeader(headers: Headers, name: string, value: string | undefined, flag: string): void {
  if (value === undefined) return;
  try {
    headers.set(name, value);
  } catch {
    throw new UsageError(`--${flag} is not a valid header value`);
  }
}

/** The body as shown in human output: at most 200 characters. */
function clipBody(rawBody: string): string {
  if (rawBody === "") return "(empty)";
  return rawBody.length > 200 ? `${rawBody.slice(0, 200)}...` : rawBody;
}

/**
 * What `verify-callback` prints for an accepted callback: `rows` (vendor fields) between the event and the
 * signing time, or under `--json` `fields` with the event, details, signing time and parsed payload.
 */
export function printVerifiedCallback(
  ctx: CommandContext,
  verified: VerifiedWebhook,
  rows: Array<[string, string]>,
  fields: Record<string, unknown> = {},
): ExitCode {
  const signedAt = showTime(verified.receivedAt.getTime());
  if (ctx.json) {
    printJson(ctx, {
      ok: true,
      valid: true,
      ...fields,
      event: verified.event ?? null,
      details: verified.details,
      signedAt,
      payload: verified.payload ?? null,
    });
  } else {
    printRows(ctx, "valid callback", [
      ["event", verified.event ?? "(unknown)"],
      ...rows,
      ["signed", `${signedAt.utc}  (local ${signedAt.local})`],
      ["body", clipBody(verified.rawBody)],
    ]);
  }
  return EXIT.OK;
}
