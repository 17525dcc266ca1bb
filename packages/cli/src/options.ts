import type { CommandContext } from "./command.js";
import { UsageError } from "./exit.js";

/** A required string option. */
export function requireString(ctx: CommandContext, name: string): string {
  const value = ctx.values[name];
  if (typeof value !== "string" || value.length === 0) throw new UsageError(`--${name} is required`);
  return value;
}

/** An optional string option. */
export function optionalString(ctx: CommandContext, name: string): string | undefined {
  const value = ctx.values[name];
  return typeof value === "string" ? value : undefined;
}

/** An absent option's fallback; absent with no fallback is a usage error. */
function fallbackOf(name: string, fallback: number | undefined): number {
  if (fallback === undefined) throw new UsageError(`--${name} is required`);
  return fallback;
}

/** Bounds of a numeric option; `fallback` when absent (required when `fallback` is undefined). */
export interface NumberRules {
  min: number;
  max: number;
  fallback?: number;
}

/** Reads option `name` with `parse` (undefined: not a valid spelling, which `expected` describes), in bounds. */
function numberOption(
  ctx: CommandContext,
  name: string,
  rules: NumberRules,
  parse: (text: string) => number | undefined,
  expected: string,
  unit = "",
): number {
  const value = ctx.values[name];
  if (value === undefined) return fallbackOf(name, rules.fallback);
  const n = typeof value === "string" ? parse(value) : undefined;
  if (n === undefined) throw new UsageError(`--${name} must be ${expected}`);
  if (n < rules.min || n > rules.max) {
    throw new UsageError(`--${name} must be between ${rules.min} and ${rules.max}${unit}`);
  }
  return n;
}

/** An integer option in [min, max]. */
export function intOption(ctx: CommandContext, name: string, rules: NumberRules): number {
  return numberOption(
    ctx,
    name,
    rules,
    (text) => (/^\d+$/.test(text) ? Number(text) : undefined),
    "a whole number",
  );
}

const SECONDS_PER_UNIT = { "": 1, s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** `3600`, `90s`, `30m`, `12h` or `180d` in seconds; undefined for anything else. */
function parseDuration(text: string): number | undefined {
  const match = /^(\d+)([smhd]?)$/.exec(text);
  return match ? Number(match[1]) * SECONDS_PER_UNIT[match[2] as keyof typeof SECONDS_PER_UNIT] : undefined;
}

/** A duration option such as `3600`, `90s`, `30m`, `12h`, `180d`, in seconds, in [min, max]. */
export function durationOption(ctx: CommandContext, name: string, rules: NumberRules): number {
  const expected = "seconds or a number with s, m, h or d, e.g. 86400 or 1d";
  return numberOption(ctx, name, rules, parseDuration, expected, " seconds");
}
