import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { imauth } from "./helpers.js";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

const commands = [
  ["tencent", "gen"],
  ["tencent", "decode"],
  ["tencent", "verify"],
  ["legacy", "gen"],
  ["legacy", "decode"],
  ["legacy", "verify"],
  ["netease", "headers"],
  ["netease", "token"],
  ["netease", "nertc-token"],
  ["netease", "nertc-permission-key"],
  ["netease", "verify-callback"],
  ["agora", "gen"],
  ["agora", "decode"],
  ["agora", "verify"],
  ["agora", "verify-callback"],
  ["rongcloud", "headers"],
  ["rongcloud", "verify"],
  ["rongcloud", "verify-callback"],
  ["easemob", "verify-callback"],
  ["easemob", "sign-callback"],
];

describe("imauth", () => {
  it("prints help for every command with --help and exit code 0", () => {
    for (const c of commands) {
      const r = imauth([...c, "--help"]);
      expect(r.status, c.join(" ")).toBe(0);
      expect(r.stdout).toContain(`imauth ${c.join(" ")}`);
      expect(r.stdout).toContain("Usage:");
      expect(r.stdout).toContain("Examples:");
      expect(r.stdout).toContain("--json");
    }
    for (const group of ["tencent", "legacy", "netease", "agora", "rongcloud", "easemob"]) {
      const r = imauth([group, "--help"]);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("Commands:");
    }
    const top = imauth(["--help"]);
    expect(top.status).toBe(0);
    for (const c of commands) expect(top.stdout).toContain(`imauth ${c.join(" ")}`);
    expect(top.stdout).toContain("Exit codes");
  });

  it("exits 2 with a hint on unknown vendors, commands and options, and with no arguments", () => {
    for (const args of [
      [],
      ["wechat"],
      ["tencent"],
      ["tencent", "mint"],
      ["tencent", "decode"],
      ["tencent", "decode", "a", "b"],
      ["tencent", "decode", "a", "--nope"],
    ]) {
      const r = imauth(args);
      expect(r.status, args.join(" ")).toBe(2);
      if (args.length > 1) expect(r.stderr).toContain("--help' for usage");
    }
  });

  it("prints the package version", () => {
    const r = imauth(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});
