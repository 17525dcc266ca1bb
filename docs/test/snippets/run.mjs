#!/usr/bin/env node
// Snippets are tests: every complete `ts` block of the guides, the landing page and the package READMEs is
// type-checked (strict, moduleResolution nodenext and node10) against the packed packages installed into a
// fresh app, then run (REST calls answered by the emulators, route handlers fed signed callbacks); every shell
// block and `--help` example that calls the CLI runs too. A block marked ```ts fragment is skipped. A failure
// names the Markdown file and line.
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pnpm, publishedPackages, root, run } from "../../../scripts/lib.mjs";
import { extractBlocks } from "./extract.mjs";
import { runShellChecks } from "./shell.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const started = Date.now();
const keep = process.argv.includes("--keep");
const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);

/** The Markdown files whose blocks are checked. */
function sources() {
  const guides = readdirSync(join(root, "docs/guides"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/guides/${f}`);
  const readmes = readdirSync(join(root, "packages"))
    .map((d) => `packages/${d}/README.md`)
    .filter((f) => existsSync(join(root, f)));
  return [...guides, "docs/index.md", ...readmes].filter((f) => existsSync(join(root, f)));
}

/** Node >= 22.18 runs TypeScript by stripping types; under an older Node use the workspace's Node 24. */
function nodeForTs() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major > 22 || (major === 22 && minor >= 18)) return process.execPath;
  const local = join(root, "node_modules/node/bin/node");
  if (existsSync(local)) return local;
  throw new Error("running the snippets needs Node >= 22.18 (the workspace's `node` devDependency)");
}

/** Packs every public package and unpacks it into the app's node_modules, as npm would install it. */
async function installPackages(app, packages) {
  const tarballs = join(app, ".tarballs");
  mkdirSync(tarballs, { recursive: true });
  const packOne = async (pkg) => {
    const r = await run(pnpm.cmd, [...pnpm.args, "pack", "--json", "--pack-destination", tarballs], {
      cwd: pkg.path,
      timeoutMs: 120_000,
    });
    if (r.code !== 0) throw new Error(`${pkg.name}: pnpm pack failed: ${(r.stdout + r.stderr).slice(-800)}`);
    const { filename } = JSON.parse(r.stdout.slice(r.stdout.indexOf("{")));
    const dest = join(app, "node_modules", ...pkg.name.split("/"));
    mkdirSync(dest, { recursive: true });
    const untar = spawnSync("tar", ["-xzf", filename, "-C", dest, "--strip-components=1"]);
    if (untar.status !== 0) throw new Error(`${pkg.name}: tar failed: ${untar.stderr}`);
  };
  for (let i = 0; i < packages.length; i += 2) await Promise.all(packages.slice(i, i + 2).map(packOne));
}

/** Where the workspace already has a package installed (pnpm's store), so the app needs no download. */
function findInstalled(name) {
  const places = [
    ...readdirSync(join(root, "packages")).map((d) => join(root, "packages", d, "node_modules")),
    join(root, "docs/node_modules"),
    join(root, "node_modules"),
    join(root, "node_modules/.pnpm/node_modules"),
  ];
  for (const place of places) {
    const candidate = join(place, name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
  }
  return undefined;
}

/** Links the third-party packages the public packages and the snippets import, and their type packages. */
function linkDependencies(app, packages, blocks) {
  const wanted = new Set(["@types/node"]);
  for (const pkg of packages) {
    const m = pkg.manifest;
    for (const dep of Object.keys({ ...m.dependencies, ...m.peerDependencies })) {
      if (!dep.startsWith("@imauth/")) wanted.add(dep);
    }
  }
  for (const block of blocks) {
    for (const [, spec] of block.code.matchAll(
      /(?:from\s+|import\s*\(\s*|require\s*\(\s*)["']([^"'./][^"']*)["']/g,
    )) {
      if (spec.startsWith("node:") || spec.startsWith("@imauth/")) continue;
      const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
      wanted.add(name);
      wanted.add(`@types/${name.replace(/^@([^/]+)\//, "$1__")}`);
    }
  }
  const missing = [];
  for (const name of wanted) {
    const target = findInstalled(name);
    const link = join(app, "node_modules", ...name.split("/"));
    if (!target) {
      if (!name.startsWith("@types/")) missing.push(name);
      continue;
    }
    if (existsSync(link)) continue;
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(target, link, "dir");
  }
  return missing;
}

/** A snippet is CommonJS when it uses require() and has no import or export statement. */
const isCommonJs = (code) => /\brequire\(/.test(code) && !/^\s*(import|export)\s/m.test(code);

const slug = (block) => `${block.file.replace(/\.md$/, "").replace(/[^A-Za-z0-9]+/g, "-")}-L${block.line}`;

/** Type-checks every snippet under one moduleResolution; returns the errors per snippet file. */
function typecheck(app, files, resolution) {
  const compilerOptions =
    resolution === "nodenext"
      ? { module: "nodenext", moduleResolution: "nodenext" }
      : { module: "es2022", moduleResolution: "node10", ignoreDeprecations: "6.0" };
  const config = {
    compilerOptions: {
      ...compilerOptions,
      target: "es2022",
      lib: ["es2023"],
      types: ["node"],
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      moduleDetection: "force",
      allowImportingTsExtensions: true,
      esModuleInterop: true,
    },
    files,
  };
  const configFile = join(app, `tsconfig.${resolution}.json`);
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", configFile, "--pretty", "false"], {
    cwd: app,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const errors = new Map();
  let last;
  for (const line of `${r.stdout}${r.stderr}`.split("\n")) {
    const m = /^(snippets\/[^(]+)\((\d+),(\d+)\): (error .*)$/.exec(line);
    if (m) {
      last = { file: m[1], line: Number(m[2]), text: m[4] };
      errors.set(m[1], [...(errors.get(m[1]) ?? []), last]);
    } else if (line.startsWith(" ") && last) last.text += `\n${line}`;
    else if (/^node_modules\/@imauth\/|^error/.test(line)) {
      // Our own published types must hold under both resolutions; third-party types are not ours to check.
      last = { line: 0, text: line };
      errors.set("(package types)", [...(errors.get("(package types)") ?? []), last]);
    } else last = undefined;
  }
  return errors;
}

function fixtures() {
  const v2 = JSON.parse(readFileSync(join(root, "vectors/tencent-usersig-v2.json"), "utf8"));
  const legacy = JSON.parse(readFileSync(join(root, "vectors/tencent-legacy-ecdsa.json"), "utf8"));
  const nim = JSON.parse(readFileSync(join(root, "vectors/netease.json"), "utf8"));
  const agora = JSON.parse(readFileSync(join(root, "vectors/agora.json"), "utf8")).vectors;
  const rongcloud = JSON.parse(readFileSync(join(root, "vectors/rongcloud.json"), "utf8")).vectors;
  const easemob = JSON.parse(readFileSync(join(root, "vectors/easemob.json"), "utf8")).vectors;
  const ncs = agora.find((v) => v.kind === "ncsWebhookSignature");
  const rcApi = rongcloud.find((v) => v.kind === "apiSignature");
  const emCallback = easemob.find((v) => v.kind === "callbackSecurity");
  const key =
    legacy.generatedByOfficial.find((k) => /P-?256|prime256/i.test(k.name)) ?? legacy.generatedByOfficial[0];
  return {
    TENCENT_SDKAPPID: String(v2.inputs.sdkAppId),
    TENCENT_IM_SECRET_KEY: v2.inputs.secretKey,
    TENCENT_SECRET_KEY: v2.inputs.secretKey,
    TENCENT_IM_CALLBACK_TOKEN: "snippet-callback-token",
    TENCENT_CALLBACK_TOKEN: "snippet-callback-token",
    TENCENT_IM_PRIVATE_KEY: key.privateKeyPem,
    TENCENT_IM_PUBLIC_KEY: key.publicKeyPem,
    NIM_APP_KEY: nim.imDynamicToken[0].appKey,
    NIM_APP_SECRET: nim.imDynamicToken[0].appSecret,
    NERTC_PERM_SECRET: nim.nertcPermissionKey[0].permSecret,
    AGORA_APP_ID: agora[0].appId,
    AGORA_APP_CERTIFICATE: agora[0].appCertificate,
    AGORA_NCS_SECRET: ncs.secret,
    AGORA_CHAT_ORG_NAME: "snippet-org",
    AGORA_CHAT_APP_NAME: "snippet-app",
    RONGCLOUD_APP_KEY: rcApi.appKey,
    RONGCLOUD_APP_SECRET: rcApi.appSecret,
    EASEMOB_ORG_NAME: "snippet-org",
    EASEMOB_APP_NAME: "snippet-app",
    EASEMOB_CLIENT_ID: "YXA6snippetClientId",
    EASEMOB_CLIENT_SECRET: "YXA6snippetClientSecret",
    EASEMOB_CALLBACK_SECRET: emCallback.secret,
    IM_VENDOR: "tencent",
  };
}

async function main() {
  const packages = publishedPackages();
  const all = sources().flatMap((f) => extractBlocks(readFileSync(join(root, f), "utf8"), f));
  const selected = only ? all.filter((b) => `${b.file}:${b.line}`.includes(only)) : all;
  const ts = selected.filter((b) => b.lang === "ts" && !b.tags.includes("fragment"));
  const fragments = selected.filter((b) => b.lang === "ts" && b.tags.includes("fragment")).length;
  const app = mkdtempSync(join(tmpdir(), "imauth-snippets-"));
  const failures = [];
  let ran = 0;
  try {
    writeFileSync(
      join(app, "package.json"),
      JSON.stringify({ name: "snippet-app", private: true, type: "module" }),
    );
    await installPackages(app, packages);
    for (const name of linkDependencies(app, packages, ts)) {
      failures.push(`(setup): the snippets import ${name}, which the workspace has not installed`);
    }
    mkdirSync(join(app, "snippets"));
    const byFile = new Map();
    for (const block of ts) {
      const file = `snippets/${slug(block)}.${isCommonJs(block.code) ? "cts" : "ts"}`;
      writeFileSync(join(app, file), block.code);
      byFile.set(file, block);
    }
    const files = [...byFile.keys()];
    const checked = Object.fromEntries(["nodenext", "node10"].map((r) => [r, typecheck(app, files, r)]));
    const compileFailed = new Set();
    for (const [resolution, errors] of Object.entries(checked)) {
      for (const [file, list] of errors) {
        const block = byFile.get(file);
        for (const e of list) {
          const where = block ? `${block.file}:${block.line + e.line - 1}` : file;
          failures.push(`${where} (tsc, moduleResolution ${resolution}): ${e.text}`);
        }
        compileFailed.add(file);
      }
    }
    cpSync(join(here, "driver.mjs"), join(app, "driver.mjs"));
    const node = nodeForTs();
    const env = { ...fixtures(), NODE_NO_WARNINGS: "1" };
    const queue = files.filter((f) => !compileFailed.has(f));
    const runOne = async (file) => {
      const block = byFile.get(file);
      const vendor =
        ["netease", "agora", "rongcloud", "easemob"].find((v) => block.code.includes(`@imauth/${v}`)) ??
        "tencent";
      const legacy = /@imauth\/legacy-ecdsa/.test(block.code) ? "legacy" : "";
      const r = await run(node, ["driver.mjs", file, vendor, legacy], { cwd: app, env, timeoutMs: 30_000 });
      if (r.code === 0) ran++;
      else failures.push(`${block.file}:${block.line} (run): ${(r.stderr || r.stdout).trim().slice(-1200)}`);
    };
    const workers = Array.from({ length: 3 }, async () => {
      while (queue.length) await runOne(queue.shift());
    });
    await Promise.all(workers);
    const shell = await runShellChecks({
      app,
      node,
      blocks: selected.filter((b) => b.lang === "sh"),
      skipHelp: Boolean(only),
    });
    failures.push(...shell.failures);
    const compiled = files.length - compileFailed.size;
    console.log(
      `snippets: ${compiled} of ${files.length} TypeScript blocks compiled under nodenext and node10, ` +
        `${ran} ran (${fragments} fragments skipped); ${shell.ran} of ${shell.total} CLI commands ran ` +
        `(${shell.blocks} shell blocks, ${shell.helpExamples} --help examples); ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    if (keep) console.log(`kept ${app}`);
    else rmSync(app, { recursive: true, force: true });
  }
  if (failures.length) {
    console.log(`\n${failures.length} failure(s):`);
    for (const f of failures) console.log(`\n- ${f}`);
    process.exitCode = 1;
  }
}

await main();
