import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = resolve(dirname(fileURLToPath(import.meta.url)), "../src");

/** Every module specifier reachable from `entry` through relative imports. */
function reachable(entry: string): { files: Set<string>; specifiers: Set<string> } {
  const files = new Set<string>();
  const specifiers = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
      else specifiers.add(spec);
    }
  };
  visit(resolve(src, entry));
  return { files, specifiers };
}

describe("import graph", () => {
  it("keeps ky and @imauth/core/http out of the main and testing entries", () => {
    for (const entry of ["index.ts", "testing/index.ts"]) {
      const { files, specifiers } = reachable(entry);
      expect(files.size).toBeGreaterThan(3);
      expect(specifiers.has("@imauth/core")).toBe(true);
      expect([...specifiers].filter((s) => s === "ky" || s.startsWith("@imauth/core/http"))).toEqual([]);
    }
  });

  it("the client entry is the one that loads @imauth/core/http", () => {
    expect(reachable("client/index.ts").specifiers.has("@imauth/core/http")).toBe(true);
  });

  it("runtime sources import no node: modules", () => {
    for (const entry of ["index.ts", "client/index.ts", "testing/index.ts"]) {
      const { files, specifiers } = reachable(entry);
      const nodeOnly = [...files].filter((f) => f.endsWith("platform.node.ts"));
      expect(nodeOnly).toEqual([]);
      expect([...specifiers].filter((s) => s.startsWith("node:"))).toEqual([]);
    }
  });
});
