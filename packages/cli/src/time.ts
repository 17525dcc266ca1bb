import { UsageError } from "./exit.js";

/** Parses `--now`: Unix seconds or an ISO 8601 date-time with a zone (`Z` or an offset). */
export function parseNow(value: string): number {
  if (/^\d{1,12}$/.test(value)) return Number(value) * 1000;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms) && ms >= 0) return ms;
  }
  throw new UsageError(
    "--now must be Unix seconds or an ISO 8601 date-time with a zone, e.g. 2024-01-01T00:00:00Z",
  );
}

/** A point in time shown both ways. */
export interface ShownTime {
  /** Unix seconds. */
  unix: number;
  /** ISO 8601 in UTC. */
  utc: string;
  /** The local time with its UTC offset. */
  local: string;
}

/** Formats epoch milliseconds as UTC and local time. */
export function showTime(ms: number): ShownTime {
  const d = new Date(ms);
  if (!Number.isFinite(d.getTime())) return { unix: Math.floor(ms / 1000), utc: "invalid", local: "invalid" };
  const offsetMin = -d.getTimezoneOffset();
  const local = new Date(ms + offsetMin * 60_000)
    .toISOString()
    .replace("Z", "")
    .replace(/\.\d+$/, "");
  const sign = offsetMin < 0 ? "-" : "+";
  const abs = Math.abs(offsetMin);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  return {
    unix: Math.floor(ms / 1000),
    utc: d.toISOString().replace(/\.000Z$/, "Z"),
    local: `${local}${offset}`,
  };
}

/** A duration in seconds as `179d 23h 59m 10s`. */
export function showDuration(seconds: number): string {
  const s = Math.abs(Math.trunc(seconds));
  const parts: string[] = [];
  const units: Array<[string, number]> = [
    ["d", 86_400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ];
  let rest = s;
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || (unit === "s" && parts.length === 0)) parts.push(`${n}${unit}`);
  }
  return parts.join(" ");
}

/** "expires in 3d 1h" / "expired 2h ago" relative to now. */
export function showValidity(expiresAtMs: number, nowMs: number): string {
  const left = Math.floor((expiresAtMs - nowMs) / 1000);
  return left >= 0 ? `valid for ${showDuration(left)} more` : `expired ${showDuration(-left)} ago`;
}
