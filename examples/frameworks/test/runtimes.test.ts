// The Fetch-handler recipe under Deno (`deno serve`) and Bun, and the Hono and Fetch-handler recipes as
// Cloudflare Workers under workerd: each runtime is started on 127.0.0.1 and sent every case of callbacks.ts.
// The runtimes come from runtime-tests/runtimes (installed on first use, outside the workspace).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { afterAll, beforeAll, describe, it } from "vitest";
// @ts-expect-error: a plain .mjs helper shared with the runtime suite, without type declarations
import { ensureRuntimes, runtimeBinary } from "../../../runtime-tests/runtimes/install.mjs";
import { CASES, ENV, expectCase } from "./callbacks.ts";

const src = (file: string) => fileURLToPath(new URL(`../src/${file}`, import.meta.url));
const START_TIMEOUT_MS = 60_000;
const work = mkdtempSync(join(tmpdir(), "imauth-frameworks-"));

interface Started {
  base: string;
  stop: () => void;
}

/**
 * Starts a server process and resolves with its base URL once its output matches `listening` (the port is
 * the first group) or, given a port, once that port accepts a connection.
 */
function start(
  command: string,
  args: string[],
  env: Record<string, string>,
  listening: RegExp | number,
): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(command, args, {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      env: { PATH: process.env.PATH ?? "", HOME: work, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const stop = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {}
    };
    let output = "";
    const timer = setTimeout(() => {
      settled = true;
      stop();
      reject(new Error(`${command} did not start in ${START_TIMEOUT_MS / 1000} s: ${output.slice(-1500)}`));
    }, START_TIMEOUT_MS);
    let settled = false;
    const ready = (port: number | string) => {
      settled = true;
      clearTimeout(timer);
      resolve({ base: `http://127.0.0.1:${port}`, stop });
    };
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = typeof listening === "number" ? null : listening.exec(output);
      if (match?.[1]) ready(match[1]);
    };
    if (typeof listening === "number") {
      const poll = () =>
        connect(listening, "127.0.0.1")
          .on("connect", function (this: Socket) {
            this.destroy();
            ready(listening);
          })
          .on("error", () => {
            if (!settled) setTimeout(poll, 200);
          });
      poll();
    }
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => {
      settled = true;
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code}): ${output.slice(-1500)}`));
    });
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** Bundles a recipe as a Worker and serves it with workerd (nodejs_compat: the vars are in process.env). */
async function workerd(recipe: string): Promise<Started> {
  const name = recipe.replace(/\W/g, "-");
  await esbuild.build({
    entryPoints: [src(recipe)],
    outfile: join(work, `${name}.mjs`),
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    external: ["node:*"],
    logLevel: "silent",
  });
  const { compatibilityDate } = ensureRuntimes()("workerd");
  const port = await freePort();
  const bindings = Object.entries(ENV)
    .map(([k, v]) => `(name = "${k}", text = "${v}")`)
    .join(", ");
  const config = join(work, `${name}.capnp`);
  writeFileSync(
    config,
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed "${name}.mjs")],
  compatibilityDate = "${compatibilityDate}",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [${bindings}],
);
`,
  );
  return start(runtimeBinary("workerd"), ["serve", config, "--verbose"], {}, port);
}

const runtimes: Record<string, () => Promise<Started>> = {
  "deno serve (fetch.ts)": () =>
    start(
      runtimeBinary("deno"),
      [
        "serve",
        "--port",
        "0",
        "--host",
        "127.0.0.1",
        "--allow-env",
        "--allow-net",
        "--no-prompt",
        src("fetch.ts"),
      ],
      { ...ENV, DENO_DIR: join(work, "deno"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
      /Listening on http:\/\/127\.0\.0\.1:(\d+)/,
    ),
  "bun (fetch.ts)": () =>
    start(
      runtimeBinary("bun"),
      [fileURLToPath(new URL("serve-bun.mjs", import.meta.url)), src("fetch.ts")],
      { ...ENV },
      /listening on http:\/\/127\.0\.0\.1:(\d+)/,
    ),
  "workerd (hono.ts as a Worker)": () => workerd("hono.ts"),
  "workerd (fetch.ts as a Worker)": () => workerd("fetch.ts"),
};

// The first run installs the runtimes (npm ci, about 540 MB on a cold cache): minutes on a loaded CI machine,
// so it gets its own deadline (the installer's) instead of the start-up hook's.
beforeAll(() => void ensureRuntimes(), 15 * 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

for (const [name, launch] of Object.entries(runtimes)) {
  describe(name, () => {
    let started: Started;
    beforeAll(async () => {
      started = await launch();
    });
    afterAll(() => started?.stop());
    for (const c of CASES) it(c.name, () => expectCase(started.base, c));
  });
}
