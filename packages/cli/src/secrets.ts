import { DEFAULT_MAX_WEBHOOK_BYTES } from "@imauth/core/adapter";
import { type CommandContext, clip, type OptionSpec } from "./command.js";
import { UsageError } from "./exit.js";
import { InputTooLargeError } from "./io.js";
import { printError } from "./output.js";

/** Where a secret may come from: a file flag, an environment variable, or (with a warning) a flag. */
export interface SecretSource {
  /** The flag naming a file that holds the secret, e.g. `key-file`. */
  fileFlag: string;
  /** The flag taking the secret itself, e.g. `key` (works, but warns: shells keep history). */
  flag?: string;
  /** The environment variable, e.g. `IMAUTH_TENCENT_KEY`. */
  env: string;
  /** What the secret is, for messages. */
  what: string;
  /** Keep the file's content as is (PEM keys); otherwise surrounding whitespace is trimmed. */
  raw?: boolean;
}

/** The most the CLI reads from a file or stdin, and what that input is, for the message when it is more. */
export interface InputLimit {
  maxBytes: number;
  what: string;
}

/**
 * UserSigs are at most 4 KB, tokens and secrets far less and PEM keys under 1 KB (with EC PARAMETERS): 64 KiB
 * fits any of them many times over and stops `imauth tencent decode - < /dev/zero` from filling memory.
 */
export const CREDENTIAL_LIMIT: InputLimit = { maxBytes: 64 * 1024, what: "a credential or key" };

/** The cap the library itself puts on a callback body, so the CLI never buffers more than a server would. */
export const BODY_LIMIT: InputLimit = { maxBytes: DEFAULT_MAX_WEBHOOK_BYTES, what: "a callback body" };

/** The `--<fileFlag> FILE` and `--<flag> VALUE` options of a secret; help names the safe ways next to the flag. */
export function secretOptions(
  source: SecretSource,
  fileDescription: string,
  flagDescription: string,
): Record<string, OptionSpec> {
  const options: Record<string, OptionSpec> = {
    [source.fileFlag]: { type: "string", value: "FILE", description: fileDescription },
  };
  if (source.flag) {
    options[source.flag] = {
      type: "string",
      value: "SECRET",
      description: `${flagDescription} (unsafe, warns: see Secrets)`,
      saferSources: { env: source.env, fileFlag: source.fileFlag },
    };
  }
  return options;
}

/** Reads a secret from `--<fileFlag>`, `--<flag>` (warning) or the environment, in that order. */
export async function readSecret(ctx: CommandContext, source: SecretSource): Promise<string> {
  const file = ctx.values[source.fileFlag];
  let value: string | undefined;
  if (typeof file === "string") {
    value = await readText(ctx, file, `--${source.fileFlag}`, CREDENTIAL_LIMIT);
  } else if (source.flag && typeof ctx.values[source.flag] === "string") {
    printError(
      ctx,
      `imauth: warning: a secret passed as --${source.flag} is visible in the process list and shell history; ` +
        `prefer ${source.env} or --${source.fileFlag}\n`,
    );
    value = ctx.values[source.flag] as string;
  } else {
    value = ctx.io.env[source.env];
  }
  if (value !== undefined && !source.raw) value = value.trim();
  if (!value) {
    const flags = [`--${source.fileFlag} FILE`, source.flag ? `--${source.flag}` : undefined].filter(Boolean);
    throw new UsageError(`the ${source.what} is missing: set ${source.env} or pass ${flags.join(" or ")}`);
  }
  return value;
}

/** Reads a file (or stdin for `-`) as UTF-8 text; failures are usage errors that name the flag. */
export async function readText(
  ctx: CommandContext,
  path: string,
  flag: string,
  limit: InputLimit,
): Promise<string> {
  return new TextDecoder().decode(await readBytes(ctx, path, flag, limit));
}

/** Reads at most `limit.maxBytes` of a file (or stdin for `-`); failures are usage errors naming the flag. */
export async function readBytes(
  ctx: CommandContext,
  path: string,
  flag: string,
  limit: InputLimit,
): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await ctx.io.readFile(path, limit.maxBytes);
  } catch (error) {
    if (error instanceof InputTooLargeError) throw tooLarge(path, flag, limit);
    const reason = (error as { code?: string }).code ?? "read error";
    throw new UsageError(`${flag}: cannot read '${path}' (${reason})`);
  }
  // An embedder's CliIo may ignore maxBytes: what it returns is held to the same limit.
  if (bytes.length > limit.maxBytes) throw tooLarge(path, flag, limit);
  return bytes;
}

function tooLarge(path: string, flag: string, limit: InputLimit): UsageError {
  const input = path === "-" ? "stdin" : `'${clip(path, 60)}'`;
  return new UsageError(
    `${flag}: ${input} holds more than ${showBytes(limit.maxBytes)}, the limit for ${limit.what}`,
  );
}

/** `65536` as `64 KiB`, `4194304` as `4 MiB`. */
function showBytes(n: number): string {
  if (n % 1024 ** 2 === 0) return `${n / 1024 ** 2} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
