import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  base64Alphabet,
  base64DecodeWith,
  base64EncodeWith,
  isWellFormed,
  parseConfig,
  STANDARD_BASE64,
  TENCENT_BASE64,
} from "../src/adapter/index.js";
import { ImAuthError } from "../src/index.js";

const srcDir = join(dirname(fileURLToPath(import.meta.url)), "../src");

/** Every module an entry reaches through static imports, and every bare specifier they import. */
function importGraph(entry: string): { files: string[]; packages: Set<string> } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const [, spec] of text.matchAll(/^(?:import|export)(?!\s+type\b)[^;]*?from\s+"([^"]+)"/gms)) {
      if (spec!.startsWith(".")) visit(resolve(dirname(file), spec!.replace(/\.js$/, ".ts")));
      else packages.add(spec!);
    }
  };
  visit(join(srcDir, entry));
  return { files: [...seen].map((f) => relative(srcDir, f)), packages };
}

describe("@imauth/core/adapter", () => {
  it("neither the main entry nor /adapter loads zod", () => {
    for (const entry of ["index.ts", "adapter/index.ts"]) {
      const { files, packages } = importGraph(entry);
      if (entry === "adapter/index.ts") expect(files).toContain("config.ts");
      expect([...packages].filter((p) => p.startsWith("zod"))).toEqual([]);
    }
  });

  it("parseConfig validates through the Standard Schema interface of any library", () => {
    const schema = {
      "~standard": {
        version: 1 as const,
        vendor: "hand-written",
        validate: (value: unknown) =>
          typeof value === "string"
            ? { value: value.length }
            : { issues: [{ message: "expected string", path: [{ key: "root" }, 0] }] },
      },
    };
    expect(parseConfig(schema, "abc", "options")).toBe(3);
    expect(() => parseConfig(schema, 42, "test options")).toThrowError(
      expect.objectContaining({
        code: "ERR_INVALID_CONFIG",
        message: "invalid test options: root.0: invalid value",
      }),
    );
    const asyncSchema = { "~standard": { ...schema["~standard"], validate: async () => ({ value: 1 }) } };
    expect(() => parseConfig(asyncSchema, "x", "options", "ERR_INVALID_INPUT")).toThrowError(
      expect.objectContaining({ code: "ERR_INVALID_INPUT" }),
    );
  });

  it("has one base64 encoder and decoder, parameterised by alphabet", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const standard = Buffer.from(bytes).toString("base64");
        expect(base64EncodeWith(bytes, STANDARD_BASE64)).toBe(standard);
        const tencent = standard.replaceAll("+", "*").replaceAll("/", "-").replaceAll("=", "_");
        expect(base64EncodeWith(bytes, TENCENT_BASE64)).toBe(tencent);
        expect(base64DecodeWith(tencent, TENCENT_BASE64)).toEqual(Uint8Array.from(bytes));
        const url = base64Alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", "=");
        expect(base64EncodeWith(bytes, url)).toBe(
          Buffer.from(bytes).toString("base64url").padEnd(standard.length, "="),
        );
      }),
    );
    expect(() => base64DecodeWith("+/8=", TENCENT_BASE64)).toThrowError(ImAuthError);
    expect(() => base64Alphabet("abc", "=")).toThrowError(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
    expect(() => base64Alphabet(STANDARD_BASE64.chars, "A")).toThrowError(ImAuthError);
    expect(isWellFormed("a")).toBe(true);
  });
});

describe("core sources", () => {
  it("have no function longer than 120 lines", () => {
    const long: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (path.endsWith(".ts")) long.push(...longFunctions(path));
      }
    };
    walk(srcDir);
    expect(long).toEqual([]);
  });
});

/** Functions (declarations, methods and arrows opening a block) whose body spans more than 120 lines. */
function longFunctions(file: string): string[] {
  const lines = readFileSync(file, "utf8").split("\n");
  const found: string[] = [];
  lines.forEach((line, start) => {
    if (!/(\bfunction\b.*\{\s*$|=>\s*\{\s*$|^\s*(async\s+)?[\w$]+\([^)]*\)[^=;]*\{\s*$)/.test(line)) return;
    const indent = line.length - line.trimStart().length;
    for (let end = start + 1; end < lines.length; end++) {
      const l = lines[end]!;
      if (l.trim() === "" || l.length - l.trimStart().length > indent) continue;
      if (end - start + 1 > 120)
        found.push(`${relative(srcDir, file)}:${start + 1} (${end - start + 1} lines)`);
      break;
    }
  });
  return found;
}
