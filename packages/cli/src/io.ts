import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";

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
  /**
   * Reads a file; `-` means standard input. Should stop and throw {@link InputTooLargeError} once more than
   * `maxBytes` arrive (the CLI checks the length again, but only a bounded read keeps memory bounded).
   */
  readFile(path: string, maxBytes: number): Promise<Uint8Array>;
  /** The wall clock in epoch milliseconds, used unless `--now` is given. */
  nowMs(): number;
}

/**
 * Thrown by {@link CliIo.readFile} when an input holds more than `maxBytes`.
 *
 * @example
 * ```ts
 * if (bytes.length > maxBytes) throw new InputTooLargeError(maxBytes);
 * ```
 */
export class InputTooLargeError extends Error {
  override readonly name = "InputTooLargeError";
  constructor(readonly maxBytes: number) {
    super(`input is larger than ${maxBytes} bytes`);
  }
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
    readFile: (path, maxBytes) =>
      path === "-" ? readCapped(process.stdin, maxBytes) : readFileCapped(path, maxBytes),
    nowMs: () => Date.now(),
  };
}

async function readFileCapped(path: string, maxBytes: number): Promise<Uint8Array> {
  // A regular file's size is known up front: refuse a big one without reading a byte of it.
  const info = await stat(path);
  if (info.isFile() && info.size > maxBytes) throw new InputTooLargeError(maxBytes);
  // FIFOs, devices (/dev/zero) and files that grow after the stat report no useful size: read one byte past
  // the cap at most (`end` is inclusive), which is enough to tell "too large" from "exactly the cap".
  return readCapped(createReadStream(path, { end: maxBytes }), maxBytes);
}

/** Collects a stream, throwing as soon as it passes `maxBytes`, so memory stays at the cap plus one chunk. */
async function readCapped(stream: NodeJS.ReadableStream, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  // Leaving the loop early (the throw) destroys the stream, which closes the file or stdin.
  for await (const chunk of stream) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    total += bytes.length;
    if (total > maxBytes) throw new InputTooLargeError(maxBytes);
    chunks.push(bytes);
  }
  return new Uint8Array(Buffer.concat(chunks, total));
}
