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

/** An integer option in [min, max]; `fallback` when absent (required when `fallback` is undefined). */
export function intOption(
  ctx: CommandContext,
  name: string,
  rules: { min: number; max: number; fallback?: number },
): number {
  const value = ctx.values[name];
  if (value === undefined) return fallbackOf(name, rules.fallback);
  if (typeof value !== "string" || !/^\d+$/.test(value)) {
    throw new UsageError(`--${name} must be a whole number`);
  }
  const n = Number(value);
  if (n < rules.min || n > rules.max) {
    throw new UsageError(`--${name} must be between ${rules.min} and ${rules.max}`);
  }
  return n;
}

/** Parses a duration such as `3600`, `90s`, `30m`, `12h`, `180d` into seconds. */
export function durationOption(
  ctx: CommandContext,
  name: string,
  rules: { min: number; max: number; fallback?: number },
): number {
  const value = ctx.values[name];
  if (value === undefined) return fallbackOf(name, rules.fallback);
  const match = typeof value === "string" ? /^(\d+)([smhd]?)$/.exec(value) : null;
  if (!match)
    throw new UsageError(`--${name} must be seconds or a number with s, m, h or d, e.g. 86400 or 1d`);
  const unit = { "": 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as "" | "s" | "m" | "h" | "d"];
  const seconds = Number(match[1]) * unit;
  if (seconds < rules.min || seconds > rules.max) {
    throw new UsageError(`--${name} must be between ${rules.min} and ${rules.max} seconds`);
  }
  return seconds;
}
