import { parseArgs } from "node:util";
import { UsageError } from "./exit.js";
import type { CliIo } from "./io.js";

/** One option of a command, as `node:util` `parseArgs` takes it plus its help text. */
export interface OptionSpec {
  type: "string" | "boolean";
  multiple?: boolean;
  short?: string;
  /** Placeholder shown in help, e.g. `N` in `--sdkappid N`. */
  value?: string;
  description: string;
  /** Set on a flag that takes a secret itself: the safe ways to pass it, which `--help` names. */
  saferSources?: { env: string; fileFlag: string };
}

/** What a command's `run` receives. */
export interface CommandContext {
  io: CliIo;
  /** Parsed option values. */
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
  /** Whether `--json` was given. */
  json: boolean;
  /** The current time in epoch milliseconds (`--now` or the wall clock). */
  nowMs: number;
}

/** A leaf command such as `imauth tencent gen`. */
export interface Command {
  name: string;
  summary: string;
  /** Synopsis after the command path, e.g. `--sdkappid N --user U [--expire S]`. */
  synopsis: string;
  options: Record<string, OptionSpec>;
  /** Names of positional arguments, in order (all required). */
  positionals?: Array<{ name: string; description: string }>;
  /** Environment variables the command reads. */
  env?: Array<{ name: string; description: string }>;
  /** Longer explanation shown by `--help`. */
  details?: string;
  examples: string[];
  run(ctx: CommandContext): Promise<number>;
}

/** A vendor's group of commands, such as `imauth tencent`. */
export interface CommandGroup {
  name: string;
  summary: string;
  commands: Command[];
  /** Shown by the group's help after its commands: what the group leaves out, and why. */
  details?: string;
}

/** Options every command takes. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  json: { type: "boolean", description: "machine-readable JSON on stdout" },
  now: {
    type: "string",
    value: "TIME",
    description: "pretend the time is TIME (ISO 8601 or Unix seconds); for tests and replays",
  },
  help: { type: "boolean", short: "h", description: "show this help" },
};

/** Parses a command's arguments; mistakes become {@link UsageError}. */
export function parseCommandArgs(
  command: Command,
  argv: string[],
): { values: CommandContext["values"]; positionals: string[] } {
  const options: Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }> = {};
  for (const [name, spec] of Object.entries({ ...command.options, ...GLOBAL_OPTIONS })) {
    options[name] = { type: spec.type };
    if (spec.multiple) options[name].multiple = true;
    if (spec.short) options[name].short = spec.short;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs messages are clear ("Unknown option '--x'"); drop its advice about "--" for positionals.
    const message = error instanceof Error ? error.message.split(". To specify")[0]! : String(error);
    throw new UsageError(message);
  }
  const values = parsed.values as CommandContext["values"];
  if (values.help) return { values, positionals: parsed.positionals };
  const expected = command.positionals ?? [];
  if (parsed.positionals.length < expected.length) {
    throw new UsageError(`missing argument <${expected[parsed.positionals.length]!.name}>`);
  }
  if (parsed.positionals.length > expected.length) {
    throw new UsageError(`unexpected argument '${clip(parsed.positionals[expected.length]!)}'`);
  }
  return { values, positionals: parsed.positionals };
}

/** Shortens user input shown in messages (it may be a whole credential). */
export function clip(text: string, max = 24): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

/** Two-column help rows: the left column as wide as its longest entry plus two spaces (at least 28). */
function twoColumns(rows: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(28, ...rows.map(([left]) => left.length + 2));
  return rows.map(([left, right]) => left.padEnd(width) + right);
}

/** The help text of a leaf command. */
export function commandHelp(group: CommandGroup, command: Command): string {
  const lines = [`imauth ${group.name} ${command.name}: ${command.summary}`, ""];
  lines.push("Usage:", `  imauth ${group.name} ${command.name} ${command.synopsis}`.trimEnd(), "");
  if (command.details) lines.push(command.details, "");
  if (command.positionals?.length) {
    lines.push(
      "Arguments:",
      ...twoColumns(command.positionals.map((p) => [`  <${p.name}>`, p.description])),
      "",
    );
  }
  const options = Object.entries({ ...command.options, ...GLOBAL_OPTIONS }).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : ""}--${name}${spec.value ? ` ${spec.value}` : ""}`;
    return [`  ${flag}`, spec.description + (spec.multiple ? " (repeatable)" : "")] as const;
  });
  lines.push("Options:", ...twoColumns(options));
  if (command.env?.length) {
    lines.push("", "Environment:", ...twoColumns(command.env.map((e) => [`  ${e.name}`, e.description])));
  }
  lines.push(...secretsHelp(command));
  lines.push("", "Examples:", ...command.examples.map((e) => `  ${e}`), "");
  return lines.join("\n");
}

/** Help lines for flags that take a secret: they work, but the safe ways are the variable or the file. */
function secretsHelp(command: Command): string[] {
  const lines: string[] = [];
  for (const [name, spec] of Object.entries(command.options)) {
    if (!spec.saferSources) continue;
    const { env, fileFlag } = spec.saferSources;
    lines.push(
      `  --${name} shows the secret in the process list and shell history (and prints a warning);`,
      `  the safe ways are the environment variable ${env} or --${fileFlag} FILE.`,
    );
  }
  return lines.length ? ["", "Secrets:", ...lines] : [];
}

/**
 * The width of the command column in help: the longest `  imauth <vendor> <command>` plus two spaces, so a
 * long name (`nertc-permission-key`) never runs into its summary.
 */
export function commandColumn(groups: readonly CommandGroup[]): number {
  const names = groups.flatMap((g) => g.commands.map((c) => `  imauth ${g.name} ${c.name}`.length));
  return Math.max(...names) + 2;
}

/** The help text of a vendor group. */
export function groupHelp(group: CommandGroup): string {
  const lines = [`imauth ${group.name}: ${group.summary}`, "", "Commands:"];
  const width = commandColumn([group]);
  for (const c of group.commands) lines.push(`  imauth ${group.name} ${c.name}`.padEnd(width) + c.summary);
  if (group.details) lines.push("", group.details);
  lines.push("", `Run 'imauth ${group.name} <command> --help' for a command's options.`, "");
  return lines.join("\n");
}
