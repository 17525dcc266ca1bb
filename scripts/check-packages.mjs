#!/usr/bin/env node
// Package checks for every published package, on its built dist/:
//   1. publint (strict) on the packed tarball: the manifest, exports map and files are right;
//   2. arethetypeswrong on the packed tarball: types resolve for node16 (CJS and ESM) and bundlers;
//   3. `import` and `require()` of every entry point work, with the same exports, on the system Node
//      (>= 20.19), Node 22 and Node 24.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { runtimeBinary } from "../runtime-tests/runtimes/install.mjs";
import { entryPoints, pnpm, printTable, publishedPackages, root, run } from "./lib.mjs";
import { systemNode } from "./system-node.mjs";

const nodes = [
  ["node (system)", systemNode()],
  // Node 22 is installed outside the workspace on first use; Node 24 is the root's `node` devDependency.
  ["node 22", runtimeBinary("node22")],
  [
    "node 24",
    join(dirname(createRequire(join(root, "package.json")).resolve("node/package.json")), "bin", "node"),
  ],
];
const attwBin = join(root, "node_modules", ".bin", "attw");
const failures = [];
const failedPackages = new Set();
const rows = [];
const fail = (pkg, message) => {
  failedPackages.add(pkg);
  failures.push(message);
};
const packDir = mkdtempSync(join(tmpdir(), "imauth-check-packages-"));

// Imports every entry point both ways inside the package (self-reference through its exports map) and
// prints the export names of each.
const probe = (specifiers) => `
import { createRequire } from "node:module";
const require = createRequire(process.cwd() + "/package.json");
const names = (m) => Object.keys(m).filter((k) => k !== "default" && k !== "__esModule").sort();
const out = {};
for (const s of ${JSON.stringify(specifiers)}) {
  const r = (out[s] = {});
  try { r.import = names(await import(s)); } catch (e) { r.importError = String(e).slice(0, 300); }
  try { r.require = names(require(s)); } catch (e) { r.requireError = String(e).slice(0, 300); }
}
console.log(JSON.stringify(out));
`;

try {
  for (const pkg of publishedPackages()) {
    const row = [pkg.name];

    // What `pnpm pack` publishes (workspace: ranges replaced, only `files`) is what both checks read.
    const packed = await run(pnpm.cmd, [...pnpm.args, "pack", "--pack-destination", packDir], {
      cwd: pkg.path,
      timeoutMs: 120_000,
    });
    const tarball = packed.stdout.trim().split("\n").pop();
    if (packed.code !== 0 || !tarball.endsWith(".tgz")) {
      fail(pkg.name, `${pkg.name}: pnpm pack failed: ${(packed.stdout + packed.stderr).slice(-1500)}`);
      rows.push([...row, "pack failed", "pack failed", "-"]);
      continue;
    }

    // 1. publint, strict: warnings count as errors.
    const { messages, pkg: manifest } = await publint({
      pack: { tarball: new Uint8Array(readFileSync(tarball)).buffer },
      strict: true,
      level: "suggestion",
    });
    const bad = messages.filter((m) => m.type === "error" || m.type === "warning");
    for (const m of messages) {
      const text = `${pkg.name}: publint ${m.type}: ${formatMessage(m, manifest) ?? m.code}`;
      if (bad.includes(m)) fail(pkg.name, text);
      else console.log(text);
    }
    row.push(bad.length ? `${bad.length} problem(s)` : "ok");

    // 2. arethetypeswrong, profile node16: every resolution mode that can load the packages (node16/nodenext
    // from CJS and ESM, bundler). node10 resolution ignores `exports`, so it cannot see subpaths at all; the
    // packages need Node >= 20.19, which always reads `exports`, and TypeScript 6 deprecates node10
    // resolution. ESM-only packages are held to the esm-only profile.
    {
      const esmOnly = !JSON.stringify(pkg.manifest.exports ?? {}).includes('"require"');
      const profile = esmOnly ? "esm-only" : "node16";
      const args = [tarball, "--format", "table-flipped", "--no-color", "--profile", profile];
      const attw = await run(attwBin, args, { timeoutMs: 120_000 });
      if (attw.code !== 0) {
        fail(pkg.name, `${pkg.name}: arethetypeswrong found problems:\n${attw.stdout}${attw.stderr}`);
        row.push("problems");
      } else row.push(`ok (${profile})`);
    }

    // 3. import and require() on each Node.
    const specifiers = entryPoints(pkg).map((e) => e.specifier);
    const results = [];
    for (const [label, bin] of nodes) {
      if (!bin) {
        fail(pkg.name, `${label}: not found`);
        results.push(`${label}: missing`);
        continue;
      }
      const r = await run(bin, ["--input-type=module", "-e", probe(specifiers)], {
        cwd: pkg.path,
        timeoutMs: 60_000,
      });
      let out;
      try {
        out = JSON.parse(r.stdout.trim().split("\n").pop());
      } catch {
        fail(pkg.name, `${pkg.name} on ${label}: probe failed: ${r.stderr.slice(-500)}`);
        results.push(`${label} FAIL`);
        continue;
      }
      let ok = true;
      for (const s of specifiers) {
        const { import: esm, require: cjs, importError, requireError } = out[s];
        if (importError || requireError) {
          fail(
            pkg.name,
            `${s} on ${label}: ${importError ? `import: ${importError}` : ""} ${requireError ? `require: ${requireError}` : ""}`,
          );
          ok = false;
        } else if (esm.length === 0 || esm.join() !== cjs.join()) {
          fail(pkg.name, `${s} on ${label}: import gives [${esm}] but require gives [${cjs}]`);
          ok = false;
        }
      }
      results.push(`${label.replace("node ", "")} ${ok ? "ok" : "FAIL"}`);
    }
    row.push(`${specifiers.length} entries: ${results.join(", ")}`);
    rows.push(row);
  }
} finally {
  rmSync(packDir, { recursive: true, force: true });
}

printTable(["package", "publint --strict", "arethetypeswrong", "import + require()"], rows);
if (failures.length) {
  console.log("\nFailures:");
  for (const f of failures) console.log(`  - ${f}`);
  process.exitCode = 1;
}
console.log(`\npackages: ${rows.length - failedPackages.size} passed, ${failedPackages.size} failed`);
