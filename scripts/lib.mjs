// Helpers shared by the repository scripts (package checks, size budgets, install-alone, release dry run).
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Every package under packages/ that is published (not private), with its manifest. */
export function publishedPackages() {
  const dir = join(root, "packages");
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, "package.json")))
    .map((name) => {
      const path = join(dir, name);
      const manifest = JSON.parse(readFileSync(join(path, "package.json"), "utf8"));
      return { dir: name, path, name: manifest.name, manifest };
    })
    .filter((p) => !p.manifest.private)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The public entry points of a package: specifier, subpath and the ESM and CJS files. */
export function entryPoints(pkg) {
  const exportsMap = pkg.manifest.exports ?? {};
  return Object.entries(exportsMap)
    .filter(([subpath]) => subpath !== "./package.json")
    .map(([subpath, target]) => ({
      subpath,
      specifier: pkg.name + subpath.slice(1),
      import:
        typeof target === "string" ? target : (target.import?.default ?? target.import ?? target.default),
      require: typeof target === "string" ? undefined : (target.require?.default ?? target.require),
    }));
}

/**
 * The environment without the npm_* and pnpm_* variables a package manager sets for the scripts it runs, so
 * a child npm or Node behaves as in a user's fresh shell (not as part of this workspace's script).
 */
export function cleanEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm|pnpm)_/i.test(k)));
}

/** Runs a command and resolves with its exit code and output; kills its process group after `timeoutMs`. */
export function run(cmd, args, { cwd = root, env, timeoutMs = 300_000, clean = false } = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...(clean ? cleanEnv() : process.env), ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      stderr += `\n[${cmd} ${args.join(" ")} timed out after ${timeoutMs} ms]`;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolvePromise({ code: -1, stdout, stderr: `${stderr}\n${error.message}` });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Prints rows (arrays of cells) as a Markdown table. */
export function printTable(header, rows) {
  const all = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  console.log(line(all[0]));
  console.log(`| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`);
  for (const r of all.slice(1)) console.log(line(r));
}

/**
 * The pnpm command line: the pnpm that runs this script when there is one (no second download through npx,
 * which turbo's filtered environment makes slow), else `npx -y pnpm@10` as the README uses it.
 */
export const pnpm = (() => {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath)) {
    return /\.[cm]?js$/.test(execPath)
      ? { cmd: process.execPath, args: [execPath] }
      : { cmd: execPath, args: [] };
  }
  return { cmd: "npx", args: ["-y", "pnpm@10"] };
})();
