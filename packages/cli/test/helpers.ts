import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";

/** The built binary: these tests run what users run (turbo builds the package before its tests). */
export const BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `imauth` with a clean environment (only what `env` adds), UTC time zone. */
export function imauth(args: string[], env: Record<string, string> = {}, input?: string): RunResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", TZ: "UTC", ...env },
    ...(input === undefined ? {} : { input }),
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `imauth ... --json` and parses stdout. */
export function imauthJson(args: string[], env: Record<string, string> = {}): RunResult & { json: any } {
  const result = imauth([...args, "--json"], env);
  let json: unknown;
  try {
    json = JSON.parse(result.stdout);
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.status}): ${result.stdout}\n${result.stderr}`);
  }
  return { ...result, json };
}

/** Writes a file in a fresh temporary directory and returns its path. */
export function tempFile(name: string, content: string | Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), "imauth-cli-"));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Decodes a Tencent-base64 zlib document (a UserSig or NERTC permission key) with node:zlib, independently of imauth. */
export async function inflateTencent(text: string): Promise<unknown> {
  const { inflateSync } = await import("node:zlib");
  const b64 = text.replaceAll("*", "+").replaceAll("-", "/").replaceAll("_", "=");
  return JSON.parse(inflateSync(Buffer.from(b64, "base64")).toString("utf8"));
}

/** A stream of `total` zero bytes made as it is read (one 64 KiB chunk reused), counting what was taken. */
export function zeros(total: number): { stream: Readable; pulled: () => number } {
  const chunk = new Uint8Array(64 * 1024);
  let pulled = 0;
  function* generate() {
    while (pulled < total) {
      const part = chunk.subarray(0, Math.min(chunk.length, total - pulled));
      pulled += part.length;
      yield part;
    }
  }
  return { stream: Readable.from(generate(), { objectMode: false }), pulled: () => pulled };
}

/** Copies `input` into `sink`; a reader that stops early (EPIPE) is what the cap tests expect, not a failure. */
export function feed(input: Readable, sink: Writable): void {
  pipeline(input, sink).catch(() => {});
}

/**
 * Runs `imauth` asynchronously, `input` (if any) piped to stdin as the child reads it, killed after
 * `timeoutMs` (status null then); `ms` is how long it ran.
 */
export async function imauthAsync(
  args: string[],
  options: { env?: Record<string, string>; input?: Readable; timeoutMs?: number } = {},
): Promise<RunResult & { ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? "", TZ: "UTC", ...options.env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  if (options.input) feed(options.input, child.stdin);
  else child.stdin.end();
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 10_000);
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearTimeout(timer);
  return { status, stdout, stderr, ms: performance.now() - started };
}
