import type { CommandContext } from "./command.js";

/** Prints a value as indented JSON (Dates as ISO strings, bytes as base64). */
export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.io.stdout(
    `${JSON.stringify(
      value,
      (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v),
      2,
    )}\n`,
  );
}

/** Prints aligned `label  value` rows under an optional title. */
export function printRows(
  ctx: CommandContext,
  title: string | undefined,
  rows: Array<[string, string]>,
): void {
  // At least 12 wide, so the same command lines its values up the same way whatever rows it shows.
  const width = Math.max(12, ...rows.map(([k]) => k.length)) + 2;
  const lines = title ? [title] : [];
  for (const [k, v] of rows) lines.push(`  ${k.padEnd(width)}${v}`);
  ctx.io.stdout(`${lines.join("\n")}\n`);
}
