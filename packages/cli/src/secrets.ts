import type { CommandContext } from "./command.js";
import { UsageError } from "./exit.js";

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

/** Reads a secret from `--<fileFlag>`, `--<flag>` (warning) or the environment, in that order. */
export async function readSecret(ctx: CommandContext, source: SecretSource): Promise<string> {
  const file = ctx.values[source.fileFlag];
  let value: string | undefined;
  if (typeof file === "string") {
    value = await readText(ctx, file, `--${source.fileFlag}`);
  } else if (source.flag && typeof ctx.values[source.flag] === "string") {
    ctx.io.stderr(
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
export async function readText(ctx: CommandContext, path: string, flag: string): Promise<string> {
  return new TextDecoder().decode(await readBytes(ctx, path, flag));
}

/** Reads a file (or stdin for `-`) as bytes; failures are usage errors that name the flag. */
export async function readBytes(ctx: CommandContext, path: string, flag: string): Promise<Uint8Array> {
  try {
    return await ctx.io.readFile(path);
  } catch (error) {
    const reason = (error as { code?: string }).code ?? "read error";
    throw new UsageError(`${flag}: cannot read '${path}' (${reason})`);
  }
}
