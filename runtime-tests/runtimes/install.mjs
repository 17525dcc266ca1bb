// The runtimes that only the cross-runtime suite, the package checks and the framework recipes need (Bun,
// Deno, workerd, Node 22) live outside the pnpm workspace, so the README's first install does not download
// them (about 530 MB). `ensureRuntimes()` installs them here with `npm ci` from package-lock.json the first
// time a suite needs them; parallel turbo tasks wait for one install through a lock directory.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const stamp = join(here, "node_modules", ".imauth-installed");
const lock = join(here, ".install-lock");
const INSTALL_TIMEOUT_MS = 15 * 60_000;

function lockHash() {
  const text =
    readFileSync(join(here, "package-lock.json"), "utf8") + readFileSync(join(here, "package.json"));
  return createHash("sha256").update(text).digest("hex");
}

const installed = () => existsSync(stamp) && readFileSync(stamp, "utf8") === lockHash();

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// mkdir is atomic: whoever creates the directory installs, the others wait for it to go away. A lock older
// than the install timeout was left by a killed run and is taken over.
function acquireLock() {
  const until = Date.now() + INSTALL_TIMEOUT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      try {
        if (Date.now() - statSync(lock).mtimeMs > INSTALL_TIMEOUT_MS)
          rmSync(lock, { recursive: true, force: true });
      } catch {}
      if (Date.now() > until) throw new Error(`timed out waiting for ${lock}`);
      sleep(1000);
    }
  }
}

/** Installs the extra runtimes if they are missing or stale; returns a `require` that resolves them. */
export function ensureRuntimes() {
  if (!installed()) {
    acquireLock();
    try {
      if (!installed()) {
        console.error("installing Bun, Deno, workerd and Node 22 (runtime-tests/runtimes, npm ci)...");
        // Without the npm_* variables of the pnpm script that runs us: they would configure this npm.
        const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm|pnpm)_/i.test(k)));
        const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], {
          cwd: here,
          env,
          stdio: ["ignore", "inherit", "inherit"],
          timeout: INSTALL_TIMEOUT_MS,
        });
        if (result.status !== 0) {
          throw new Error(
            `npm ci in runtime-tests/runtimes failed (${result.error?.message ?? result.status})`,
          );
        }
        writeFileSync(stamp, lockHash());
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return createRequire(join(here, "package.json"));
}

/** The path of an extra runtime's binary: "bun", "deno", "node22" or "workerd". */
export function runtimeBinary(name) {
  const require = ensureRuntimes();
  const dir = (pkg) => dirname(require.resolve(`${pkg}/package.json`));
  if (name === "bun") return join(dir("bun"), "bin", "bun.exe");
  if (name === "node22") return join(dir("node22"), "bin", "node");
  if (name === "workerd") return require("workerd").default;
  if (name === "deno") {
    const exe = join(dir("deno"), "deno");
    return existsSync(exe) ? exe : require(join(dir("deno"), "install_api.cjs")).runInstall();
  }
  throw new Error(`unknown runtime ${name}`);
}
