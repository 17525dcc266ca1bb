import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const demo = fileURLToPath(new URL("../src/demo.ts", import.meta.url));

// Runs `pnpm demo`'s script as users do: Node on the built packages, servers on 127.0.0.1 only.
describe("the demo", () => {
  it("walks every vendor's flow and ends with exit code 0 and a one-line summary", () => {
    const r = spawnSync(process.execPath, [demo], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    for (const vendor of ["tencent", "tencent-legacy", "netease", "agora", "rongcloud", "easemob"])
      expect(r.stdout).toContain(`IMAUTH_VENDOR=${vendor}:`);
    expect(r.stdout).not.toContain("FAIL");
    const last = r.stdout.trim().split("\n").at(-1);
    expect(last).toMatch(/^demo: 6 vendor\(s\), 44 checks passed in [\d.]+ s$/);
  });

  it("runs one vendor when IMAUTH_VENDOR is set", () => {
    const r = spawnSync(process.execPath, [demo], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: "1", IMAUTH_VENDOR: "netease" },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("IMAUTH_VENDOR=netease:");
    expect(r.stdout).not.toContain("IMAUTH_VENDOR=tencent");
  });

  // Step 4 adds a check for the vendors without an admin credential: a replayed signature is refused.
  it.each([
    ["agora", "bearer Chat app token issued", 7],
    ["rongcloud", "a stale Signature is refused", 8],
    ["easemob", "the provider fetched a new app token before sending", 7],
  ])("runs %s alone, every step passing", (vendor, line, checks) => {
    const r = spawnSync(process.execPath, [demo], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: "1", IMAUTH_VENDOR: vendor },
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`IMAUTH_VENDOR=${vendor}:`);
    expect(r.stdout).toContain(line);
    expect(r.stdout).not.toContain("FAIL");
    expect(r.stdout.trim().split("\n").at(-1)).toMatch(
      new RegExp(`^demo: 1 vendor\\(s\\), ${checks} checks passed in [\\d.]+ s$`),
    );
  });

  it("refuses an unknown vendor", () => {
    const r = spawnSync(process.execPath, [demo], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, IMAUTH_VENDOR: "wechat" },
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      "IMAUTH_VENDOR must be one of tencent, tencent-legacy, netease, agora, rongcloud, easemob",
    );
  });
});
