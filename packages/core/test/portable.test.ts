import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("core's runtime code", () => {
  it("has no static node: imports", () => {
    const root = new URL("../src/", import.meta.url);
    const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    expect(files).toContain("zlib.ts");
    const offenders = files.filter((f) => /from\s+["']node:/.test(readFileSync(new URL(f, root), "utf8")));
    expect(offenders).toEqual([]);
  });
});
