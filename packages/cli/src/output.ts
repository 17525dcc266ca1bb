import type { CliIo } from "./io.js";

/** Where output goes: a command's context, or `{ io }` before there is one. */
export interface Out {
  io: CliIo;
}

// Characters a terminal acts on instead of showing: C0 controls (ESC, BEL, CR, LF, ...), DEL and the C1
// controls (U+009B is a one-character CSI), plus the bidi marks, embeddings, overrides and isolates and the
// line and paragraph separators, which make text read differently from what it is. Signed fields (user IDs,
// rooms, callback bodies) may hold any of them, so human output never prints them raw.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Replaces each character a terminal could act on with a visible escape: `\x1b` for ESC, `\u202e` for RLO.
 *
 * @example
 * ```ts
 * escapeControls("a\u001b[31mb"); // "a\\x1b[31mb"
 * ```
 */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** Escapes every line of `text` but keeps the line breaks the CLI itself put there. */
function escapeLines(text: string): string {
  return text.split("\n").map(escapeControls).join("\n");
}

/**
 * Prints a value as indented JSON (Dates as ISO strings, bytes as base64). Not escaped: JSON.stringify
 * already writes every C0 control as `\uXXXX`, and programs read this output, not terminals.
 */
export function printJson(out: Out, value: unknown): void {
  out.io.stdout(
    `${JSON.stringify(
      value,
      (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v),
      2,
    )}\n`,
  );
}

/** Prints human text on stdout, control characters escaped (line breaks kept). */
export function printText(out: Out, text: string): void {
  out.io.stdout(escapeLines(text));
}

/** Prints a human message on stderr, control characters escaped (line breaks kept). */
export function printError(out: Out, text: string): void {
  out.io.stderr(escapeLines(text));
}

/** Prints aligned `label  value` rows under an optional title; a value's own line breaks are escaped too. */
export function printRows(out: Out, title: string | undefined, rows: Array<[string, string]>): void {
  // At least 12 wide, so the same command lines its values up the same way whatever rows it shows.
  const width = Math.max(12, ...rows.map(([k]) => k.length)) + 2;
  const lines = title ? [escapeControls(title)] : [];
  for (const [k, v] of rows) lines.push(`  ${escapeControls(k).padEnd(width)}${escapeControls(v)}`);
  out.io.stdout(`${lines.join("\n")}\n`);
}
