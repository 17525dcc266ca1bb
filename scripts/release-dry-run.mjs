#!/usr/bin/env node
// Release dry run: on a temporary copy of the repository (its files as git sees them, plus the built dist/),
// `changeset version` consumes the pending changesets, bumping exactly the packages they name and writing
// their CHANGELOGs, and `pnpm pack` of every published package succeeds with workspace ranges replaced.
// Nothing in the working tree changes; nothing is published.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pnpm, printTable, publishedPackages, root, run } from "./lib.mjs";

const copy = mkdtempSync(join(tmpdir(), "imauth-release-"));
const failures = [];
const rows = [];

function pendingChangesets(dir) {
  const changesetDir = join(dir, ".changeset");
  return readdirSync(changesetDir)
    .filter((f) => f.endsWith(".md") && f !== "README.md")
    .map((f) => {
      const text = readFileSync(join(changesetDir, f), "utf8");
      const front = text.match(/^---\n([\s\S]*?)\n---/)?.[1] ?? "";
      const bumps = [...front.matchAll(/^["']?([^"':]+)["']?\s*:\s*(major|minor|patch)\s*$/gm)].map((m) => ({
        name: m[1].trim(),
        type: m[2],
      }));
      return { file: f, bumps };
    });
}

const bumpRank = { patch: 1, minor: 2, major: 3 };
function expectedVersion(version, type) {
  const [major, minor, patch] = version.split(".").map(Number);
  // Below 1.0.0 changesets bumps as written: minor -> 0.(x+1).0, major -> 1.0.0.
  if (type === "major") return `${major + 1}.0.0`;
  if (type === "minor") return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

try {
  // 1. A copy of the repository as committed plus untracked files not ignored, and the built dist/.
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
  })
    .split("\0")
    .filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(root, f))) continue; // deleted in the working tree
    mkdirSync(dirname(join(copy, f)), { recursive: true });
    cpSync(join(root, f), join(copy, f));
  }
  const packages = publishedPackages();
  for (const pkg of packages) {
    const dist = join(pkg.path, "dist");
    if (!existsSync(dist)) failures.push(`${pkg.name}: not built (no dist/)`);
    else cpSync(dist, join(copy, "packages", pkg.dir, "dist"), { recursive: true });
  }
  // changesets reads the git history for nothing here, but it wants a repository.
  execFileSync("git", ["init", "-q"], { cwd: copy });

  // 2. changeset version on the copy.
  const pending = pendingChangesets(copy);
  const expected = new Map();
  for (const c of pending) {
    for (const b of c.bumps) {
      const prev = expected.get(b.name);
      if (!prev || bumpRank[b.type] > bumpRank[prev]) expected.set(b.name, b.type);
    }
  }
  const before = new Map(packages.map((p) => [p.name, p.manifest.version]));
  const changesetBin = join(root, "node_modules", "@changesets", "cli", "bin.js");
  const version = await run(process.execPath, [changesetBin, "version"], { cwd: copy, timeoutMs: 120_000 });
  if (version.code !== 0) failures.push(`changeset version failed: ${version.stderr.slice(-1000)}`);
  const left = pendingChangesets(copy);
  if (left.length) failures.push(`changeset version left ${left.map((c) => c.file).join(", ")} unconsumed`);

  // 3. Versions and changelogs, then pnpm pack of every package.
  const packDir = join(copy, ".packed");
  mkdirSync(packDir);
  // pnpm pack reads the versions behind workspace: ranges from node_modules: link each @imauth dependency to
  // its (bumped) copy, as `pnpm install` would.
  const dirOf = new Map(packages.map((p) => [p.name, join(copy, "packages", p.dir)]));
  for (const pkg of packages) {
    const manifest = JSON.parse(readFileSync(join(copy, "packages", pkg.dir, "package.json"), "utf8"));
    const deps = { ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.devDependencies };
    for (const name of Object.keys(deps).filter((n) => dirOf.has(n))) {
      const link = join(copy, "packages", pkg.dir, "node_modules", ...name.split("/"));
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(dirOf.get(name), link, "dir");
    }
  }
  for (const pkg of packages) {
    const dir = join(copy, "packages", pkg.dir);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const type = expected.get(pkg.name);
    const was = before.get(pkg.name);
    // Dependents may get a patch bump from changesets' updateInternalDependencies; only named ones must move.
    if (type && manifest.version !== expectedVersion(was, type)) {
      failures.push(
        `${pkg.name}: expected ${expectedVersion(was, type)} after a ${type} changeset, got ${manifest.version}`,
      );
    }
    const changelog = existsSync(join(dir, "CHANGELOG.md"))
      ? readFileSync(join(dir, "CHANGELOG.md"), "utf8")
      : "";
    if (!changelog) failures.push(`${pkg.name}: no CHANGELOG.md`);
    if (manifest.version !== was && !changelog.includes(`## ${manifest.version}`)) {
      failures.push(`${pkg.name}: CHANGELOG.md has no entry for ${manifest.version}`);
    }
    const packed = await run(pnpm.cmd, [...pnpm.args, "pack", "--json", "--pack-destination", packDir], {
      cwd: dir,
      timeoutMs: 120_000,
    });
    let tarball = "-";
    if (packed.code !== 0)
      failures.push(`${pkg.name}: pnpm pack failed: ${(packed.stdout + packed.stderr).slice(-800)}`);
    else {
      const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("{")));
      tarball = info.filename.split(/[/\\]/).pop();
      const listing = execFileSync("tar", ["-xzOf", info.filename, "package/package.json"], {
        encoding: "utf8",
      });
      const published = JSON.parse(listing);
      if (published.version !== manifest.version) failures.push(`${tarball}: version ${published.version}`);
      const ranges = JSON.stringify({ ...published.dependencies, ...published.peerDependencies });
      if (ranges.includes("workspace:"))
        failures.push(`${tarball}: a workspace: range was published: ${ranges}`);
    }
    rows.push([
      pkg.name,
      was,
      manifest.version,
      type ?? (manifest.version !== was ? "dependent" : "-"),
      tarball,
    ]);
  }
} finally {
  rmSync(copy, { recursive: true, force: true });
}

// 4. Independent versioning: a patch changeset naming one package bumps that package alone, for each package.
async function bumpsAlone(pkg, all) {
  const dir = mkdtempSync(join(tmpdir(), "imauth-alone-"));
  try {
    for (const f of ["package.json", "pnpm-workspace.yaml", ".changeset/config.json"]) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      cpSync(join(root, f), join(dir, f));
    }
    for (const p of all) {
      for (const f of ["package.json", "CHANGELOG.md"]) {
        mkdirSync(join(dir, "packages", p.dir), { recursive: true });
        cpSync(join(p.path, f), join(dir, "packages", p.dir, f));
      }
    }
    writeFileSync(join(dir, ".changeset", "alone.md"), `---\n"${pkg.name}": patch\n---\n\nA fix.\n`);
    execFileSync("git", ["init", "-q"], { cwd: dir });
    const bin = join(root, "node_modules", "@changesets", "cli", "bin.js");
    const result = await run(process.execPath, [bin, "version"], { cwd: dir, timeoutMs: 120_000 });
    if (result.code !== 0)
      return [`changeset version (${pkg.name} alone) failed: ${result.stderr.slice(-500)}`];
    const problems = [];
    for (const p of all) {
      const after = JSON.parse(readFileSync(join(dir, "packages", p.dir, "package.json"), "utf8"));
      const want = p.name === pkg.name ? expectedVersion(p.manifest.version, "patch") : p.manifest.version;
      if (after.version !== want)
        problems.push(`a patch of ${pkg.name} alone moved ${p.name} to ${after.version}`);
      const deps = JSON.stringify({ ...after.dependencies, ...after.peerDependencies });
      const was = JSON.stringify({ ...p.manifest.dependencies, ...p.manifest.peerDependencies });
      if (p.name !== pkg.name && deps !== was)
        problems.push(`a patch of ${pkg.name} alone rewrote ${p.name}'s ranges`);
    }
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const published = publishedPackages();
const aloneRows = [];
for (const pkg of published) {
  const problems = await bumpsAlone(pkg, published);
  failures.push(...problems);
  aloneRows.push([pkg.name, problems.length ? "FAIL" : "only this package"]);
}

printTable(["package", "version", "after changeset version", "bump", "pnpm pack"], rows);
console.log("");
printTable(["patch changeset naming", "bumped"], aloneRows);
if (failures.length) {
  console.log("\nFailures:");
  for (const f of failures) console.log(`  - ${f}`);
  process.exitCode = 1;
}
console.log(`\nrelease dry run: ${failures.length ? 0 : 1} passed, ${failures.length ? 1 : 0} failed`);
