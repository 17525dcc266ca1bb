#!/usr/bin/env node
// The structural targets of issue 11 ("one mold for every vendor"), checked on what is in the working tree and
// on the BUILT packages (run `turbo run build` first; `pnpm mold:check` does):
//   1. every vendor package has the mold's rooms: src/{index,provider,verify,webhook,regions}.ts,
//      src/client/index.ts, src/testing/{index,emulator}.ts;
//   2. runtime values exported by the main entries (import the built package, count its keys):
//      @imauth/core <= 10, @imauth/tencent <= 24, each other vendor <= 22; and @imauth/core/adapter exists;
//   3. no function, method or arrow function in packages/*/src whose body spans more than 120 lines
//      (measured with the TypeScript compiler API, from the body's first line to its last);
//   4. no two byte-identical fixture files among the files git tracks (see isFixture).
// Prints every violation, not only the first; exits 1 when there is any.
//
//   node scripts/mold-check.mjs
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, extname, join, relative } from "node:path";
import ts from "typescript";
import { printTable, publishedPackages, root } from "./lib.mjs";

const VENDORS = ["tencent", "netease", "agora", "rongcloud", "easemob"];
const ROOMS = [
  "src/index.ts",
  "src/provider.ts",
  "src/verify.ts",
  "src/webhook.ts",
  "src/regions.ts",
  "src/client/index.ts",
  "src/testing/index.ts",
  "src/testing/emulator.ts",
];
const MAX_RUNTIME_EXPORTS = {
  "@imauth/core": 10,
  "@imauth/tencent": 24,
  "@imauth/netease": 22,
  "@imauth/agora": 22,
  "@imauth/rongcloud": 22,
  "@imauth/easemob": 22,
};
const MAX_FUNCTION_LINES = 120;

const checks = [];
/** Records one check: its name, what was measured, and its violations (none: passed). */
const check = (name, measured, violations) => checks.push({ name, measured, violations });

// 1. The rooms of the mold.
for (const vendor of VENDORS) {
  const missing = ROOMS.filter((f) => !existsSync(join(root, "packages", vendor, f)));
  check(
    `@imauth/${vendor} has the mold's files`,
    `${ROOMS.length - missing.length}/${ROOMS.length}`,
    missing.map((f) => `packages/${vendor}/${f} is missing`),
  );
}

// 2. Runtime values of the main entries, from the built packages (types are erased, so every key counts).
for (const [specifier, max] of Object.entries(MAX_RUNTIME_EXPORTS)) {
  try {
    const names = Object.keys(await import(specifier))
      .filter((k) => k !== "default")
      .sort();
    check(
      `${specifier} main exports <= ${max} runtime values`,
      String(names.length),
      names.length > max ? [`${specifier} exports ${names.length} runtime values: ${names.join(", ")}`] : [],
    );
  } catch (error) {
    check(`${specifier} main exports <= ${max} runtime values`, "-", [
      `cannot import ${specifier} (built?): ${String(error).slice(0, 300)}`,
    ]);
  }
}
{
  const core = publishedPackages().find((p) => p.name === "@imauth/core");
  const problems = [];
  let measured = "-";
  if (!core?.manifest.exports?.["./adapter"])
    problems.push(`@imauth/core has no "./adapter" in its exports map`);
  else {
    try {
      measured = `${Object.keys(await import("@imauth/core/adapter")).length} exports`;
    } catch (error) {
      problems.push(`cannot import @imauth/core/adapter (built?): ${String(error).slice(0, 300)}`);
    }
  }
  check("@imauth/core/adapter exists", measured, problems);
}

// 2b. The vocabulary of the mold, by name: every vendor's main entry has create<Vendor>Provider,
// verify<Vendor>Callback and <VENDOR>_REGIONS (or <VENDOR>_<PRODUCT>_REGIONS), its /client entry a create<Vendor>...Client, its /testing entry
// create<Vendor>Emulator and sign<Vendor>Callback; and no source file spells an option the mold names
// otherwise (a callback window that is not `webhookMaxSkewSeconds`, a clock called `now`).
const PASCAL = {
  tencent: "Tencent",
  netease: "Netease",
  agora: "Agora",
  rongcloud: "RongCloud",
  easemob: "Easemob",
};
for (const vendor of VENDORS) {
  const P = PASCAL[vendor];
  const expected = {
    [`@imauth/${vendor}`]: [
      `create${P}Provider`,
      `verify${P}Callback`,
      new RegExp(`^${vendor.toUpperCase()}(_[A-Z]+)?_REGIONS$`),
    ],
    [`@imauth/${vendor}/client`]: [new RegExp(`^create${P}\\w*Client$`)],
    [`@imauth/${vendor}/testing`]: [`create${P}Emulator`, `sign${P}Callback`],
  };
  const problems = [];
  for (const [specifier, names] of Object.entries(expected)) {
    let exported;
    try {
      exported = Object.keys(await import(specifier));
    } catch (error) {
      problems.push(`cannot import ${specifier} (built?): ${String(error).slice(0, 200)}`);
      continue;
    }
    for (const name of names) {
      const found = typeof name === "string" ? exported.includes(name) : exported.some((n) => name.test(n));
      if (!found) problems.push(`${specifier} does not export ${name}`);
    }
  }
  // Optional properties are what options objects are made of; internal variables may say what they like.
  const banned = [
    [
      /\b(maxSkewSeconds|maxAgeSeconds|callbackMaxAgeSeconds|webhookMaxAgeSeconds|toleranceSeconds)\?:/,
      "webhookMaxSkewSeconds",
    ],
    [/\bnow\?:\s*\(\)\s*=>/, "clock"],
  ];
  for (const file of tsFiles(join(root, "packages", vendor, "src"))) {
    const text = readFileSync(file, "utf8");
    for (const [pattern, word] of banned) {
      const hit = text.match(pattern);
      if (hit) problems.push(`${relative(root, file)} says ${hit[0]} where the mold says ${word}`);
    }
  }
  check(`@imauth/${vendor} speaks the mold's vocabulary`, `${problems.length} issues`, problems);
}

// 3. Function length in packages/*/src.
/** Every .ts file under `dir`, recursively. */
function tsFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return /\.[cm]?ts$/.test(e.name) && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** A readable name for a function node: its own name, or the variable, property or assignment it is bound to. */
function functionName(node) {
  if (ts.isConstructorDeclaration(node)) return `${functionName(node.parent)}.constructor`;
  if (
    node.name &&
    (ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name) || ts.isStringLiteral(node.name))
  )
    return node.name.text;
  const p = node.parent;
  if (
    p &&
    (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) &&
    p.name
  )
    return ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : p.name.getText();
  if (p && ts.isBinaryExpression(p)) return p.left.getText();
  if (p && ts.isCallExpression(p)) return `(callback of ${p.expression.getText().slice(0, 40)})`;
  return "(anonymous)";
}

const longFunctions = [];
let functionsMeasured = 0;
for (const pkg of publishedPackages()) {
  for (const file of tsFiles(join(pkg.path, "src"))) {
    const text = readFileSync(file, "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node) => {
      if (ts.isFunctionLike(node) && node.body) {
        functionsMeasured++;
        const first = source.getLineAndCharacterOfPosition(node.body.getStart(source)).line;
        const last = source.getLineAndCharacterOfPosition(node.body.getEnd()).line;
        const lines = last - first + 1;
        if (lines > MAX_FUNCTION_LINES) {
          longFunctions.push(
            `${relative(root, file)}:${first + 1} ${functionName(node)} spans ${lines} lines (max ${MAX_FUNCTION_LINES})`,
          );
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
}
check(
  `no function in packages/*/src over ${MAX_FUNCTION_LINES} lines`,
  `${functionsMeasured} functions`,
  longFunctions,
);

// 4. Byte-identical fixtures.
const CODE_OR_DOC = new Set([".ts", ".mts", ".cts", ".tsx", ".js", ".mjs", ".cjs", ".md", ".css", ".html"]);
const CONFIG = new Set([
  "package.json",
  "tsconfig.json",
  "turbo.json",
  "biome.json",
  "typedoc.json",
  "pnpm-lock.yaml",
  "pnpm-workspace.yaml",
  ".gitignore",
  ".npmrc",
]);
/**
 * A fixture: a tracked, non-empty data file. Everything in a vectors/, fixtures/, __fixtures__/ or testdata/
 * folder; elsewhere any file that is neither code, documentation nor a manifest or tool configuration.
 */
function isFixture(path) {
  if (/(^|\/)(vectors|fixtures|__fixtures__|testdata)\//.test(path)) return true;
  if (path.startsWith(".changeset/")) return false;
  return !CODE_OR_DOC.has(extname(path)) && !CONFIG.has(basename(path));
}
const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" })
  .split("\0")
  .filter((f) => f && existsSync(join(root, f)) && isFixture(f));
const byHash = new Map();
for (const f of tracked) {
  const bytes = readFileSync(join(root, f));
  if (bytes.length === 0) continue;
  const hash = createHash("sha256").update(bytes).digest("hex");
  byHash.set(hash, [...(byHash.get(hash) ?? []), f]);
}
const copies = [...byHash.values()].filter((files) => files.length > 1);
check(
  "no two byte-identical fixture files",
  `${tracked.length} fixture files`,
  copies.map((files) => `identical: ${files.join(", ")}`),
);

printTable(
  ["target", "measured", "result"],
  checks.map((c) => [c.name, c.measured, c.violations.length ? `FAIL (${c.violations.length})` : "ok"]),
);
const failed = checks.filter((c) => c.violations.length);
if (failed.length) {
  console.log("\nViolations:");
  for (const c of failed) {
    console.log(`  ${c.name}:`);
    for (const v of c.violations) console.log(`    - ${v}`);
  }
  process.exitCode = 1;
}
console.log(`\nmold: ${checks.length - failed.length} passed, ${failed.length} failed`);
