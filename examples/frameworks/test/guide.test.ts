// One source: every recipe in src/ is printed verbatim in docs/guides/verifying-callbacks.md, and every
// complete TypeScript block of the guide's recipes section is one of them, so the guide shows exactly what the other
// tests run.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const srcDir = fileURLToPath(new URL("../src", import.meta.url));
const guidePath = fileURLToPath(new URL("../../../docs/guides/verifying-callbacks.md", import.meta.url));

function recipes(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? recipes(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The ```ts blocks of the guide that are not marked `fragment`, with the line they start on. */
function completeBlocks(markdown: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```ts(.*)$/.exec(lines[i] ?? "");
    if (!open) continue;
    const end = lines.indexOf("```", i + 1);
    if (!open[1]?.includes("fragment"))
      blocks.push({ line: i + 2, code: lines.slice(i + 1, end).join("\n") });
    i = end;
  }
  return blocks;
}

// The recipes section: from its heading to the next second-level heading.
const guide = readFileSync(guidePath, "utf8");
const start = guide.indexOf("\n## The recipes\n");
const end = guide.indexOf("\n## ", start + 1);
const blocks = start < 0 ? [] : completeBlocks(guide.slice(start, end < 0 ? undefined : end));
const files = recipes(srcDir).map((path) => ({
  name: relative(srcDir, path),
  code: readFileSync(path, "utf8").trimEnd(),
}));

describe("docs/guides/verifying-callbacks.md", () => {
  it("has the recipes", () => expect(files.length).toBeGreaterThanOrEqual(6));
  for (const file of files) {
    it(`prints src/${file.name} verbatim`, () => {
      expect(blocks.map((b) => b.code)).toContain(file.code);
    });
  }
  it("has no complete TypeScript block among the recipes that is not a tested recipe", () => {
    const untested = blocks.filter((b) => !files.some((f) => f.code === b.code)).map((b) => `line ${b.line}`);
    expect(untested).toEqual([]);
  });
});
