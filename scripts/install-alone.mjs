#!/usr/bin/env node
// Install alone: packs every published package (`pnpm pack`), installs each one (with only the @imauth
// packages it depends on) into a fresh project outside the workspace with npm, then
//   - imports and require()s every public entry point and runs a smoke check with a vendor vector;
//   - asserts what must not come along (@imauth/core: no zod; @imauth/netease, @imauth/agora,
//     @imauth/rongcloud, @imauth/easemob: no other vendor package, pako or @noble/curves; @imauth/tencent: no
//     @noble/curves; and no ky until the app installs it for the `./client` entry);
//   - prints each package's footprint: files, unpacked KiB, installed dependencies.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { entryPoints, pnpm, printTable, publishedPackages, run } from "./lib.mjs";

const KIB = 1024;
const work = mkdtempSync(join(tmpdir(), "imauth-install-alone-"));
const tarballs = join(work, "tarballs");
mkdirSync(tarballs);

// What must not be installed with a package, and what its smoke check runs (ESM and CJS alike).
const rules = {
  "@imauth/core": {
    forbid: ["ky", "pako", "@noble/curves", "@noble/hashes", "zod"],
    smoke: `const e = new m.ImAuthError("ERR_INVALID_INPUT", "bad userId");
      assert.ok(m.isImAuthError(e)); assert.equal(e.code, "ERR_INVALID_INPUT");`,
    peer: { install: "ky@^2", entries: { "./http": `assert.equal(typeof m.createImClient, "function");` } },
  },
  "@imauth/tencent": {
    forbid: ["ky", "@noble/curves", "@imauth/netease", "@imauth/legacy-ecdsa"],
    // Official UserSig from tls-sig-api-v2 (shared vectors, tencent-usersig-v2.json).
    smoke: `const d = m.decodeUserSig("eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMogMiUZOamKlkZmqOKplYUZBaBxE1NTY3gosWZ6UpWSj5ljuYp*p7l5unBxXnF2WVhVU4uAf7Ozi5JpX7O5SbuHuUhzgZJmQXaTia2SrUAohcx8g__");
      assert.equal(d.userId, "xiaojun"); assert.equal(d.sdkAppId, 1400000000);
      const sig = m.genUserSig({ sdkAppId: 1400000000, secretKey: "k", userId: "u", clock: () => 1700000000000 });
      assert.equal(m.verifyUserSig(sig, { sdkAppId: 1400000000, secretKey: "k", clock: () => 1700000000000 }).userId, "u");`,
    // The REST clients (IM and TRTC's cloud API) need the optional peer ky: they fail without it and work once
    // the app installs it.
    peer: {
      install: "ky@^2",
      entries: {
        "./client": `assert.equal(typeof m.createTencentImClient, "function");`,
        "./cloud": `assert.equal(typeof m.createTencentCloudSigner, "function");`,
      },
    },
  },
  "@imauth/netease": {
    forbid: ["ky", "pako", "@noble/curves", "@imauth/tencent", "@imauth/legacy-ecdsa"],
    // Official API CheckSum example (shared vectors, netease.json).
    smoke: `assert.equal(m.checkSum("c00000000000", "8dfdb33d2840", "1443592222"), "a93a74f63c4a3c26d97ff6f25f484eb7579dddde");`,
    peer: {
      install: "ky@^2",
      entries: { "./client": `assert.equal(typeof m.createNeteaseImClient, "function");` },
    },
  },
  "@imauth/agora": {
    forbid: ["ky", "pako", "@noble/curves", "@imauth/tencent", "@imauth/netease", "agora-token"],
    // An official Chat user token from agora-token@2.0.6 (shared vectors, agora.json agora-chat-user-01).
    smoke: `const d = m.decodeAccessToken("007eJxTYNDiPux1M0U1IlD1wd8pmjc/f3eoe60m6SHpLydVk+JjU6bAYGlu4OxobJqSamaQbGJiZmKalJSYapFoZGhqYGaYZGzM8DE4NYKJgWGzKAMDIwMrAyMDIwOIz8GQnJFYUlqcWgQAoHEckQ==");
      assert.equal(d.appId, "970CA35de60c44645bbae8a215061b33"); assert.equal(d.issuedAtSeconds, 1700000000); assert.equal(d.salt, 5555);`,
    peer: {
      install: "ky@^2",
      entries: { "./client": `assert.equal(typeof m.createAgoraChatClient, "function");` },
    },
  },
  "@imauth/rongcloud": {
    forbid: ["ky", "pako", "@noble/curves", "@imauth/tencent", "@imauth/netease"],
    // Signature of the official rongcloud-sdk@3.1.1 (shared vectors, rongcloud.json rc-api-01).
    smoke: `assert.equal(m.rongCloudSignature("Y1W2MeFwwwRxa0", "14314", "1408710653"), "3f7088873939e033bac1c1787eff5f3ba3a1c2d8");`,
    peer: {
      install: "ky@^2",
      entries: { "./client": `assert.equal(typeof m.createRongCloudImClient, "function");` },
    },
  },
  "@imauth/easemob": {
    forbid: ["ky", "pako", "@noble/curves", "@imauth/tencent", "@imauth/agora"],
    // The documented callback security, computed with commons-codec md5Hex (shared vectors, easemob.json em-cb-01).
    smoke: `assert.equal(m.easemobCallbackSecurity("easemob-demo#test_0990a64f-dp01-6c50-8696-cf3b48b20e7e", "cbSecret123", "1600060847294"), "b4c23b051e5747b2375179bddfb9112e");`,
    peer: {
      install: "ky@^2",
      entries: { "./client": `assert.equal(typeof m.createEasemobImClient, "function");` },
    },
  },
  "@imauth/legacy-ecdsa": {
    forbid: ["ky", "@imauth/netease"],
    smoke: `const key = m.importLegacyPublicKey("-----BEGIN PUBLIC KEY-----\\nMFYwEAYHKoZIzj0CAQYFK4EEAAoDQgAEaPVFHhWqRDnKnVlyU5JIzXOUyOJd/pPU\\nwhLUovf+PYBm7otRBptnvJ4EoJ4qeSJNG0v4XdiqM3mtChkhUEFT3Q==\\n-----END PUBLIC KEY-----\\n");
      assert.ok(key); assert.equal(typeof m.genLegacyUserSig, "function");`,
  },
  "@imauth/cli": {
    forbid: ["ky"],
    smoke: `assert.ok(Object.keys(m).length > 0);`,
  },
};

function installedPackages(dir) {
  // Every package directory under node_modules, nested ones included.
  const found = [];
  const walk = (nm) => {
    if (!existsSync(nm)) return;
    for (const entry of readdirSync(nm)) {
      if (entry.startsWith(".")) continue;
      if (entry.startsWith("@")) {
        for (const sub of readdirSync(join(nm, entry))) visit(join(nm, entry, sub), `${entry}/${sub}`);
      } else visit(join(nm, entry), entry);
    }
  };
  const visit = (path, name) => {
    if (existsSync(join(path, "package.json"))) found.push({ name, path });
    walk(join(path, "node_modules"));
  };
  walk(join(dir, "node_modules"));
  return found;
}

function directorySize(dir) {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    bytes += entry.isDirectory() ? directorySize(path) : statSync(path).size;
  }
  return bytes;
}

function closure(pkg, byName) {
  const out = new Set([pkg.name]);
  const visit = (p) => {
    for (const dep of Object.keys(p.manifest.dependencies ?? {})) {
      if (byName.has(dep) && !out.has(dep)) {
        out.add(dep);
        visit(byName.get(dep));
      }
    }
  };
  visit(pkg);
  return [...out];
}

/** Each entry that needs the optional peer ky: it must fail without it and work once the app installs it. */
async function checkPeerEntries(pkg, peer, project) {
  const loaders = Object.entries(peer.entries).map(([entry, check], i) => {
    const spec = pkg.name + entry.slice(1);
    const file = `peer-${i}.mjs`;
    const code = `import assert from "node:assert/strict";\nconst m = await import(${JSON.stringify(spec)});\n${check}\n`;
    writeFileSync(join(project, file), code);
    return { entry, spec, file };
  });
  const runIt = (file) => run(process.execPath, [file], { cwd: project, timeoutMs: 60_000, clean: true });
  for (const { spec, file } of loaders) {
    const without = await runIt(file);
    if (without.code === 0 || !/ky/.test(without.stderr)) {
      failures.push(`${spec}: expected to fail without its optional peer ky: ${without.stderr.slice(-300)}`);
    }
  }
  const npmArgs = ["install", "--no-audit", "--no-fund", "--loglevel=error", peer.install];
  const add = await run("npm", npmArgs, { cwd: project, timeoutMs: 240_000, clean: true });
  const results = [];
  for (const { entry, spec, file } of loaders) {
    const withPeer = add.code === 0 ? await runIt(file) : add;
    if (withPeer.code !== 0)
      failures.push(`${spec} with ky installed failed: ${withPeer.stderr.slice(-500)}`);
    else results.push(`${entry} after npm i ky`);
  }
  return results;
}

function probe(specs, smoke) {
  // One ESM and one CJS script: each loads every entry point and runs the smoke check on the main one.
  const esm = `import assert from "node:assert/strict";
const specs = ${JSON.stringify(specs)};
for (const s of specs) assert.ok(Object.keys(await import(s)).length > 0, s);
const m = await import(specs[0]);
${smoke}
console.log("esm ok");`;
  const cjs = `const assert = require("node:assert/strict");
const specs = ${JSON.stringify(specs)};
for (const s of specs) assert.ok(Object.keys(require(s)).length > 0, s);
const m = require(specs[0]);
${smoke}
console.log("cjs ok");`;
  return { esm, cjs };
}

const failures = [];
const rows = [];
try {
  const packages = publishedPackages();
  const byName = new Map(packages.map((p) => [p.name, p]));
  const packed = new Map();
  for (const pkg of packages) {
    const r = await run(pnpm.cmd, [...pnpm.args, "pack", "--json", "--pack-destination", tarballs], {
      cwd: pkg.path,
      timeoutMs: 120_000,
    });
    if (r.code !== 0) {
      failures.push(`${pkg.name}: pnpm pack failed: ${(r.stdout + r.stderr).slice(-1500)}`);
      continue;
    }
    const info = JSON.parse(r.stdout.slice(r.stdout.indexOf("{")));
    packed.set(pkg.name, { file: info.filename, files: info.files.length });
  }

  for (const pkg of packages.filter((p) => packed.has(p.name))) {
    const rule = rules[pkg.name] ?? { forbid: [], smoke: "" };
    const names = closure(pkg, byName);
    const missing = names.filter((n) => !packed.has(n));
    if (missing.length) {
      failures.push(`${pkg.name}: its dependencies ${missing.join(", ")} were not packed`);
      continue;
    }
    console.log(`installing ${names.join(" + ")} alone...`);
    const project = join(work, pkg.dir);
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "install-alone", private: true }));
    const install = await run(
      "npm",
      ["install", "--no-audit", "--no-fund", "--loglevel=error", ...names.map((n) => packed.get(n).file)],
      { cwd: project, timeoutMs: 240_000, clean: true },
    );
    if (install.code !== 0) {
      failures.push(`${pkg.name}: npm install failed: ${install.stderr.slice(-800)}`);
      continue;
    }
    const installed = installedPackages(project);
    const deps = installed.filter((p) => p.name !== pkg.name);
    for (const f of rule.forbid) {
      if (installed.some((p) => p.name === f)) failures.push(`${pkg.name}: installing it brings in ${f}`);
    }
    const peerEntries = Object.keys(rule.peer?.entries ?? {});
    const entries = entryPoints(pkg).filter((e) => !peerEntries.includes(e.subpath));
    const specs = entries.map((e) => e.specifier);
    const { esm, cjs } = probe(specs, rule.smoke);
    writeFileSync(join(project, "smoke.mjs"), esm);
    writeFileSync(join(project, "smoke.cjs"), cjs);
    const results = [];
    for (const file of ["smoke.mjs", "smoke.cjs"]) {
      const r = await run(process.execPath, [file], { cwd: project, timeoutMs: 60_000, clean: true });
      if (r.code !== 0) failures.push(`${pkg.name}: ${file} failed: ${(r.stderr || r.stdout).slice(-800)}`);
      results.push(r.code === 0 ? (file.endsWith("mjs") ? "import" : "require") : `${file} FAIL`);
    }
    if (rule.peer) results.push(...(await checkPeerEntries(pkg, rule.peer, project)));
    const p = packed.get(pkg.name);
    p.unpacked = directorySize(join(project, "node_modules", ...pkg.name.split("/")));
    rows.push([
      pkg.name,
      p.files,
      (p.unpacked / KIB).toFixed(1),
      deps.length,
      deps.map((d) => d.name).join(", ") || "-",
      results.join(", "),
    ]);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

printTable(
  ["package", "files", "unpacked KiB", "deps", "installed with it", "smoke (fresh npm project)"],
  rows,
);
if (failures.length) {
  console.log("\nFailures:");
  for (const f of failures) console.log(`  - ${f}`);
  process.exitCode = 1;
}
const failed = rows.filter((r) => failures.some((f) => f.startsWith(r[0]))).length;
console.log(`\ninstall-alone: ${rows.length - failed} passed, ${failures.length} failed`);
