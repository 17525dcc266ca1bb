#!/usr/bin/env node
// Cross-runtime suite: bundles suite/ with esbuild against the BUILT @imauth packages (resolved through each
// package's exports map to its dist/), runs the bundle in every runtime and prints a runtime x package table.
// Exits non-zero on any failed test, on a runtime that cannot be started, and on a public export of a package
// that no test imports.
//
//   node run.mjs                  every runtime
//   node run.mjs --only=deno,bun  some runtimes (for development; CI runs all)
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:http";
import { builtinModules, createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { launchChromium } from "../scripts/chromium.mjs";
import { run as runProcess } from "../scripts/lib.mjs";
import { systemNode } from "../scripts/system-node.mjs";
import { ensureRuntimes, runtimeBinary } from "./runtimes/install.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const out = join(here, "dist");
const RUNTIME_TIMEOUT_MS = 120_000;
const only = process.argv
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",");

// ---------------------------------------------------------------------------------------------------------
// Packages: every published package of the workspace must be covered once its sources exist.
const packages = readdirSync(join(root, "packages"))
  .map((dir) => ({ dir, path: join(root, "packages", dir) }))
  .filter(({ path }) => existsSync(join(path, "package.json")))
  .map(({ dir, path }) => ({
    dir,
    path,
    manifest: JSON.parse(readFileSync(join(path, "package.json"), "utf8")),
  }))
  // Libraries only: a command-line tool (a package with `bin`) is tested by its own package.
  .filter(({ manifest }) => !manifest.private && !manifest.bin && manifest.name?.startsWith("@imauth/"))
  .map((p) => ({ ...p, name: p.manifest.name, landed: existsSync(join(p.path, "src", "index.ts")) }));
const suiteFile = (pkg) => join(here, "suite", `${pkg.dir}.suite.ts`);

const problems = [];

// ---------------------------------------------------------------------------------------------------------
// Coverage: every runtime export of every entry point of every landed package is imported by the suite.
async function checkCoverage() {
  const sources = readdirSync(join(here, "suite"))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => readFileSync(join(here, "suite", f), "utf8"))
    .join("\n");
  const imported = new Map();
  for (const m of sources.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*"(@imauth\/[^"]+)"/g)) {
    const names = imported.get(m[2]) ?? new Set();
    for (const part of m[1].split(",")) {
      const name = part
        .trim()
        .replace(/^type\s+/, "")
        .split(/\s+as\s+/)[0]
        .trim();
      if (name && !part.trim().startsWith("type ")) names.add(name);
    }
    imported.set(m[2], names);
  }
  for (const pkg of packages.filter((p) => p.landed)) {
    if (!existsSync(suiteFile(pkg))) {
      problems.push(`${pkg.name} has sources but no suite (runtime-tests/suite/${pkg.dir}.suite.ts)`);
      continue;
    }
    for (const [subpath, target] of Object.entries(pkg.manifest.exports ?? {})) {
      if (subpath === "./package.json") continue;
      const file = join(pkg.path, target.import?.default ?? target.import ?? target.default);
      if (!existsSync(file)) {
        problems.push(
          `${pkg.name}${subpath.slice(1)}: ${relative(root, file)} is missing (run the build first)`,
        );
        continue;
      }
      const specifier = pkg.name + subpath.slice(1);
      const mod = await import(file);
      const names = imported.get(specifier) ?? new Set();
      const missing = Object.keys(mod).filter((name) => name !== "default" && !names.has(name));
      if (missing.length) problems.push(`${specifier}: no test imports ${missing.join(", ")}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Bundles. Bare Node builtins ("module", "util") become "node:" imports so Deno and Bun load them too.
const nodeBuiltins = {
  name: "node-builtins",
  setup(build) {
    const names = new Set(builtinModules);
    build.onResolve({ filter: /^[a-z_]+(\/[a-z_]+)?$/ }, (args) =>
      names.has(args.path) ? { path: `node:${args.path}`, external: true } : undefined,
    );
  },
};

async function bundle(name, entry, options) {
  const result = await esbuild.build({
    entryPoints: [join(here, "entries", entry)],
    outfile: join(out, name),
    bundle: true,
    target: "es2022",
    logLevel: "silent",
    metafile: true,
    ...options,
  });
  // Prove the bundle holds the built packages, never their sources.
  for (const input of Object.keys(result.metafile.inputs)) {
    const abs = realpathOrSelf(resolve(here, input));
    const rel = relative(join(root, "packages"), abs);
    if (!rel.startsWith("..") && !/^[^/\\]+[/\\]dist[/\\]/.test(rel)) {
      throw new Error(`${name} bundled ${relative(root, abs)}: @imauth packages must resolve to dist/`);
    }
  }
  return join(out, name);
}

function realpathOrSelf(p) {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

// Where Node builtins do not exist (workerd without nodejs_compat, browsers), an import of one fails: a stub
// that throws gives the same outcome without a network request for "node:util".
const noNodeBuiltins = {
  name: "no-node-builtins",
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: "missing-builtin" }));
    build.onLoad({ filter: /.*/, namespace: "missing-builtin" }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not available in this runtime`)});`,
      loader: "js",
    }));
  },
};

// ---------------------------------------------------------------------------------------------------------
// Runtimes.
// Node 24 is the workspace's own `node` devDependency (it runs the package scripts); Bun, Deno, workerd and
// Node 22 are installed outside the workspace on first use (runtimes/install.mjs).
function node24Binary() {
  return join(dirname(createRequire(join(root, "package.json")).resolve("node/package.json")), "bin", "node");
}

// The shared process runner, with this suite's per-runtime timeout and working directory.
function run(cmd, args, { timeoutMs = RUNTIME_TIMEOUT_MS, env } = {}) {
  return runProcess(cmd, args, { cwd: process.cwd(), env, timeoutMs });
}

function parseCliResults({ code, stdout, stderr }) {
  const line = stdout.split("\n").find((l) => l.startsWith("IMAUTH_RESULTS "));
  if (!line) throw new Error(`no results (exit ${code}): ${(stderr || stdout).trim().slice(-1500)}`);
  return JSON.parse(line.slice("IMAUTH_RESULTS ".length));
}

function versionOf(bin, args = ["--version"]) {
  const r = spawnSync(bin, args, { encoding: "utf8", timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed: ${r.stderr || r.error?.message}`);
  return r.stdout
    .trim()
    .split("\n")[0]
    .replace(/ \(.*$/, "");
}

function cliRuntime(label, binary, bundleFile, extraArgs = [], env = {}) {
  return {
    label,
    async run() {
      const bin = typeof binary === "function" ? binary() : binary;
      if (!bin) throw new Error("binary not found");
      const version = versionOf(bin);
      const results = parseCliResults(await run(bin, [...extraArgs, bundleFile], { env }));
      return { version, results };
    },
  };
}

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

async function fetchWithDeadline(url, deadlineMs) {
  const until = Date.now() + deadlineMs;
  let last;
  while (Date.now() < until) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(Math.max(1000, until - Date.now())) });
      return await response.text();
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`no answer from ${url}: ${last?.message ?? "timeout"}`);
}

function workerdRuntime(bundleFile) {
  return {
    label: "workerd",
    async run() {
      const workerd = ensureRuntimes()("workerd");
      const bin = workerd.default;
      const version = `workerd ${workerd.version}`;
      const port = await freePort();
      const config = join(out, "workerd.capnp");
      writeFileSync(
        config,
        `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "suite", worker = .suiteWorker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "suite")],
);
const suiteWorker :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed "${bundleFile.split(sep).pop()}")],
  compatibilityDate = "${workerd.compatibilityDate}",
);
`,
      );
      const child = spawn(bin, ["serve", config], { stdio: ["ignore", "pipe", "pipe"], detached: true });
      let log = "";
      child.stdout.on("data", (d) => (log += d));
      child.stderr.on("data", (d) => (log += d));
      const exited = new Promise((r) => child.on("close", r));
      try {
        const text = await Promise.race([
          fetchWithDeadline(`http://127.0.0.1:${port}/`, RUNTIME_TIMEOUT_MS),
          exited.then((code) => {
            throw new Error(`workerd exited (${code}): ${log.trim().slice(-1500)}`);
          }),
        ]);
        try {
          return { version, results: JSON.parse(text) };
        } catch {
          throw new Error(`workerd answered: ${text.slice(0, 500)} ${log.slice(-500)}`);
        }
      } finally {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
      }
    },
  };
}

function chromiumRuntime(bundleFile) {
  return {
    label: "chromium",
    async run() {
      const html = `<!doctype html><meta charset="utf-8"><title>imauth suite</title><script type="module" src="/suite.mjs"></script>`;
      const js = readFileSync(bundleFile);
      const server = createServer((req, res) => {
        if (req.url === "/suite.mjs") res.writeHead(200, { "content-type": "text/javascript" }).end(js);
        else if (req.url === "/") res.writeHead(200, { "content-type": "text/html" }).end(html);
        else if (req.url === "/favicon.ico") res.writeHead(204).end();
        else res.writeHead(404).end();
      });
      await new Promise((r) => server.listen(0, "127.0.0.1", r));
      const browser = await launchChromium();
      try {
        const version = `chromium ${browser.version}`;
        const context = browser.context;
        const page = context.pages()[0] ?? (await context.newPage());
        const pageErrors = [];
        page.on("pageerror", (e) => pageErrors.push(e.message));
        page.on("console", (m) => m.type() === "error" && pageErrors.push(m.text()));
        await page.goto(`http://127.0.0.1:${server.address().port}/`, { timeout: 30_000 });
        const handle = await page.waitForFunction(() => globalThis.__IMAUTH_RESULTS__, null, {
          timeout: RUNTIME_TIMEOUT_MS,
        });
        const results = await handle.jsonValue();
        if (pageErrors.length) {
          results.push({
            pkg: "(page)",
            name: "no page errors",
            ok: false,
            error: pageErrors.join("; "),
            ms: 0,
          });
        }
        return { version, results };
      } finally {
        await browser.close();
        server.close();
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
async function main() {
  await checkCoverage();
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const nodeEsm = await bundle("node.mjs", "cli.ts", {
    platform: "node",
    format: "esm",
    plugins: [nodeBuiltins],
  });
  const nodeCjs = await bundle("node.cjs", "cli.ts", {
    platform: "node",
    format: "cjs",
    plugins: [nodeBuiltins],
  });
  const browserOptions = { platform: "browser", format: "esm", plugins: [noNodeBuiltins] };
  const worker = await bundle("worker.mjs", "worker.ts", {
    ...browserOptions,
    conditions: ["workerd", "worker", "browser"],
  });
  const browser = await bundle("browser.mjs", "browser.ts", browserOptions);

  const denoDir = join(tmpdir(), `imauth-deno-${process.pid}`);
  const runtimes = [
    cliRuntime("node (system)", systemNode, nodeEsm),
    cliRuntime("node (system) cjs", systemNode, nodeCjs),
    cliRuntime("node 22", () => runtimeBinary("node22"), nodeEsm),
    cliRuntime("node 22 cjs", () => runtimeBinary("node22"), nodeCjs),
    cliRuntime("node 24", node24Binary, nodeEsm),
    cliRuntime("node 24 cjs", node24Binary, nodeCjs),
    cliRuntime("bun", () => runtimeBinary("bun"), nodeEsm),
    cliRuntime(
      "deno",
      () => runtimeBinary("deno"),
      nodeEsm,
      ["run", "--quiet", "--no-prompt", "--no-config"],
      {
        DENO_DIR: denoDir,
        DENO_NO_UPDATE_CHECK: "1",
        NO_COLOR: "1",
      },
    ),
    workerdRuntime(worker),
    chromiumRuntime(browser),
  ].filter((r) => !only || only.some((o) => r.label.startsWith(o)));

  const rows = [];
  for (const runtime of runtimes) {
    const started = Date.now();
    try {
      const { version, results } = await runtime.run();
      rows.push({ label: runtime.label, version, results, ms: Date.now() - started });
    } catch (error) {
      rows.push({
        label: runtime.label,
        version: "-",
        error: error.message,
        results: [],
        ms: Date.now() - started,
      });
    }
  }
  rmSync(denoDir, { recursive: true, force: true });
  report(rows);
}

function report(rows) {
  const landed = packages.filter((p) => p.landed && existsSync(suiteFile(p)));
  const names = landed.map((p) => p.name);
  const header = ["runtime", "version", ...names, "time"];
  const table = [header];
  let passed = 0;
  let failed = 0;
  const failures = [];
  for (const row of rows) {
    const cells = [row.label, row.version];
    if (row.error) {
      failures.push(`${row.label}: ${row.error}`);
      failed++;
    }
    for (const name of names) {
      const mine = row.results.filter((r) => r.pkg === name);
      const ok = mine.filter((r) => r.ok).length;
      passed += ok;
      failed += mine.length - ok;
      if (!row.error && mine.length === 0) {
        failures.push(`${row.label}: no tests ran for ${name}`);
        failed++;
      }
      cells.push(row.error ? "not run" : `${ok}/${mine.length}${ok === mine.length ? "" : " FAIL"}`);
    }
    for (const r of row.results.filter((r) => !r.ok)) {
      failures.push(`${row.label}: [${r.pkg}] ${r.name}: ${r.error}`);
      if (!names.includes(r.pkg)) failed++;
    }
    cells.push(`${(row.ms / 1000).toFixed(1)} s`);
    table.push(cells);
  }
  const widths = header.map((_, i) => Math.max(...table.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(" | ")} |`;
  console.log(line(table[0]));
  console.log(`| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`);
  for (const r of table.slice(1)) console.log(line(r));
  for (const pkg of packages.filter((p) => !p.landed)) {
    const message = `${pkg.name}: not built from sources yet (no src/index.ts)`;
    if (process.env.CI) problems.push(message);
    else console.log(`note: ${message}`);
  }
  for (const p of problems) failures.push(`coverage: ${p}`);
  failed += problems.length;
  if (failures.length) {
    console.log("\nFailures:");
    for (const f of failures) console.log(`  - ${f}`);
  }
  console.log(`\nruntimes: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || rows.length === 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
