import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("the portable build", () => {
  it("has no node: imports outside platform.node.ts", () => {
    const root = new URL("../src/", import.meta.url);
    const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter(
      (f) => f.endsWith(".ts") && !f.endsWith(".node.ts"),
    );
    expect(files).toContain("usersig.ts");
    const offenders = files.filter((f) => /from\s+["']node:/.test(readFileSync(new URL(f, root), "utf8")));
    expect(offenders).toEqual([]);
  });
});
