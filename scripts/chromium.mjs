// How every browser test launches Debian's Chromium through playwright-core: the system binary (never a
// downloaded browser), headless, with the flags that keep it from stalling on an offline network, and a
// fresh profile directory that the caller removes.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function chromiumPath() {
  const which = spawnSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" });
  const path = which.stdout.trim();
  if (!path) throw new Error("chromium is not installed (apt-get install -y chromium; .ci/run does it)");
  return path;
}

/** Launches Chromium with a fresh user data dir; `close()` shuts it down and removes the profile. */
export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  const userDataDir = mkdtempSync(join(tmpdir(), "imauth-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    timeout: 60_000,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(30_000);
  return {
    context,
    version:
      context.browser()?.version() ??
      spawnSync(chromiumPath(), ["--version"], { encoding: "utf8" }).stdout.trim(),
    async close() {
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
