import { readFileSync } from "node:fs";
import {
  type Command,
  type CommandGroup,
  clip,
  commandColumn,
  commandHelp,
  groupHelp,
  parseCommandArgs,
} from "./command.js";
import { agoraCommands } from "./commands/agora.js";
import { easemobCommands } from "./commands/easemob.js";
import { legacyCommands } from "./commands/legacy.js";
import { neteaseCommands } from "./commands/netease.js";
import { rongcloudCommands } from "./commands/rongcloud.js";
import { tencentCommands } from "./commands/tencent.js";
import { EXIT, exitCodeOf, UsageError } from "./exit.js";
import type { CliIo } from "./io.js";
import { printError, printJson, printText } from "./output.js";
import { parseNow } from "./time.js";

const GROUPS: CommandGroup[] = [
  tencentCommands,
  legacyCommands,
  neteaseCommands,
  agoraCommands,
  rongcloudCommands,
  easemobCommands,
];

/** The package version, read from package.json next to `dist/` (so a release bump needs no code change). */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

function mainHelp(): string {
  const lines = [
    "imauth: mint, decode and verify IM vendor credentials (Tencent Cloud IM/TRTC, NetEase YunXin, Agora,",
    "RongCloud, Easemob)",
    "",
    "Usage:",
    "  imauth <vendor> <command> [options]",
    "",
    "Commands:",
  ];
  const width = commandColumn(GROUPS);
  for (const g of GROUPS) {
    for (const c of g.commands) lines.push(`  imauth ${g.name} ${c.name}`.padEnd(width) + c.summary);
  }
  lines.push(
    "",
    "Every command takes --json (machine output), --now TIME (fixed clock) and --help.",
    "Secrets come from environment variables or files (see each command's --help): those are the safe",
    "ways. A secret given as a flag works but is visible in the process list and shell history, so it warns.",
    "",
    "Exit codes: 0 ok / valid, 1 rejected (reason code printed), 2 usage error, 3 unexpected failure.",
    "",
  );
  return lines.join("\n");
}

/**
 * Runs the `imauth` command line with `argv` (without the node and script paths) and returns the exit code.
 * Output goes through `io`, so it can be embedded or tested without spawning a process.
 *
 * @example
 * ```ts
 * import { nodeIo, run } from "@imauth/cli";
 *
 * process.exitCode = await run(["tencent", "decode", userSig, "--json"], nodeIo());
 * ```
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = [...argv];
  const [first, second] = args;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    printText({ io }, mainHelp());
    return first === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (first === "--version" || first === "-v") {
    printText({ io }, `${version()}\n`);
    return EXIT.OK;
  }
  const group = GROUPS.find((g) => g.name === first);
  if (!group)
    return usage(io, `unknown vendor '${clip(first)}' (expected ${GROUPS.map((g) => g.name).join(", ")})`);
  if (second === undefined || second === "--help" || second === "-h") {
    printText({ io }, groupHelp(group));
    return second === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const command: Command | undefined = group.commands.find((c) => c.name === second);
  if (!command) {
    return usage(
      io,
      `unknown command '${clip(second)}' for ${group.name} (expected ${group.commands.map((c) => c.name).join(", ")})`,
      group,
    );
  }
  const json = args.includes("--json");
  try {
    const { values, positionals } = parseCommandArgs(command, args.slice(2));
    if (values.help) {
      printText({ io }, commandHelp(group, command));
      return EXIT.OK;
    }
    const nowMs = typeof values.now === "string" ? parseNow(values.now) : io.nowMs();
    return await command.run({ io, values, positionals, json: values.json === true, nowMs });
  } catch (error) {
    const code = exitCodeOf(error);
    if (error instanceof UsageError) return usage(io, error.message, group, command);
    const message = error instanceof Error ? error.message : String(error);
    const reason = (error as { code?: unknown }).code;
    if (code === EXIT.FAILURE) {
      printError({ io }, `imauth: unexpected failure: ${message}\n`);
    } else if (json) {
      printJson({ io }, { ok: false, code: reason, message });
    }
    if (code !== EXIT.FAILURE) printError({ io }, `imauth: ${String(reason)}: ${message}\n`);
    return code;
  }
}

function usage(io: CliIo, message: string, group?: CommandGroup, command?: Command): number {
  const where = command
    ? `imauth ${group!.name} ${command.name} --help`
    : group
      ? `imauth ${group.name} --help`
      : "imauth --help";
  printError({ io }, `imauth: ${message}\nRun '${where}' for usage.\n`);
  return EXIT.USAGE;
}
