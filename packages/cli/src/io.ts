import { readFile } from "node:fs/promises";

/**
 * Everything the CLI touches outside itself, so `run` can be embedded and tested without a process.
 *
 * @example
 * ```ts
 * const io = nodeIo();
 * const exitCode = await run(["tencent", "decode", userSig], io);
 * ```
 */
export interface CliIo {
  /** Environment variables (secrets are read from here). */
  env: Record<string, string | undefined>;
  /** Writes to standard output. */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
  /** Reads a file; `-` means standard input. */
  readFile(path: string): Promise<Uint8Array>;
  /** The wall clock in epoch milliseconds, used unless `--now` is given. */
  nowMs(): number;
}

/**
 * The {@link CliIo} of a Node process: `process.env`, `process.stdout`, `process.stderr`, the file system.
 *
 * @example
 * ```ts
 * process.exitCode = await run(process.argv.slice(2), nodeIo());
 * ```
 */
export function nodeIo(): CliIo {
  return {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: async (path) => (path === "-" ? readStdin() : new Uint8Array(await readFile(path))),
    nowMs: () => Date.now(),
  };
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}
