// Runs the CLI the way the guides and `--help` print it: each shell block's `imauth` commands (with the
// block's own `export` lines) in a fresh shell, and every example of every command's `--help`. `imauth` is the
// packed CLI; `curl` is a stand-in that sends the request to a NetEase emulator on 127.0.0.1 instead of
// NetEase, so `curl $(imauth netease headers --curl) ...` runs as printed without the network. The emulator
// is reset before each block and each example: every one runs as a reader would run it, against an app where
// the accounts it creates do not exist yet.
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { root } from "../../../scripts/lib.mjs";
import { cliCommands } from "./extract.mjs";

/** A curl that understands -H, -d, -X and -s/-f and sends the request to the emulator (any host). */
const CURL = `const args = process.argv.slice(2);
const headers = new Headers(); let body; let method; let url;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "-H") { const h = args[++i]; const c = h.indexOf(":"); headers.append(h.slice(0, c).trim(), h.slice(c + 1).trim()); }
  else if (a === "-d" || a === "--data") { body = (body ? body + "&" : "") + args[++i]; }
  else if (a === "-X") method = args[++i];
  else if (!a.startsWith("-")) url = a;
}
if (body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/x-www-form-urlencoded;charset=utf-8");
const target = new URL(url); const local = new URL(process.env.SNIPPET_EMULATOR_URL);
target.protocol = local.protocol; target.host = local.host;
const r = await fetch(target, { method: method ?? (body === undefined ? "GET" : "POST"), headers, body });
const text = await r.text(); process.stdout.write(text + "\\n");
const code = (() => { try { return JSON.parse(text).code; } catch { return undefined; } })();
process.exitCode = r.ok && (code === undefined || code === 200) ? 0 : 22;
`;

/** The CLI credentials of Agora, RongCloud and Easemob, from the vectors their --help examples are made of. */
function newVendorEnv() {
  const vectors = (name) => JSON.parse(readFileSync(join(root, `vectors/${name}.json`), "utf8")).vectors;
  const agora = vectors("agora");
  const rongcloud = vectors("rongcloud").find((v) => v.kind === "apiSignature");
  const easemob = vectors("easemob").find((v) => v.kind === "callbackSecurity");
  return {
    IMAUTH_AGORA_APP_ID: agora[0].appId,
    IMAUTH_AGORA_CERTIFICATE: agora[0].appCertificate,
    IMAUTH_AGORA_NCS_SECRET: agora.find((v) => v.kind === "ncsWebhookSignature").secret,
    IMAUTH_RONGCLOUD_APPKEY: rongcloud.appKey,
    IMAUTH_RONGCLOUD_SECRET: rongcloud.appSecret,
    IMAUTH_EASEMOB_CALLBACK_SECRET: easemob.secret,
  };
}

function bash(script, { cwd, env }) {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", script], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }, 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** One script for a list of commands: it stops at the first failure and says which one failed. */
function script(commands) {
  const lines = ["set -o pipefail"];
  commands.forEach((c, i) => {
    lines.push(
      `{ ${c.command}\n} || { echo "__FAILED__ ${i} exit $?" >&2; exit 1; }`,
      `echo "__RAN__ ${i}" >&2`,
    );
  });
  return lines.join("\n");
}

async function runCommands(commands, options) {
  const r = await bash(script(commands), options);
  const failed = /__FAILED__ (\d+) (exit \d+)/.exec(r.out);
  const ran = [...r.out.matchAll(/__RAN__ (\d+)/g)].map((m) => Number(m[1]));
  const clean = r.out.replace(/__(RAN|FAILED)__[^\n]*\n?/g, "").trim();
  return {
    ok: r.code === 0,
    failedAt: failed ? Number(failed[1]) : r.code === 0 ? -1 : 0,
    why: failed?.[2],
    ran,
    output: clean,
  };
}

/** Files the examples name, in the directory they run in. */
function workDir(app) {
  const dir = join(app, "shell");
  mkdirSync(join(dir, "bin"), { recursive: true });
  const v2 = JSON.parse(readFileSync(join(root, "vectors/tencent-usersig-v2.json"), "utf8"));
  const legacy = JSON.parse(readFileSync(join(root, "vectors/tencent-legacy-ecdsa.json"), "utf8"));
  const key = legacy.generatedByOfficial[0];
  writeFileSync(join(dir, "private_key.pem"), key.privateKeyPem);
  writeFileSync(join(dir, "public_key.pem"), key.publicKeyPem);
  writeFileSync(join(dir, "key.txt"), v2.inputs.secretKey);
  writeFileSync(join(dir, "body.json"), "{}");
  return { dir, v2, nim: JSON.parse(readFileSync(join(root, "vectors/netease.json"), "utf8")) };
}

async function startEmulator(app, appKey, appSecret) {
  const testing = await import(pathToFileURL(join(app, "node_modules/@imauth/netease/dist/testing.js")).href);
  const emulator = testing.createNeteaseEmulator({ appKey, appSecret });
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: Object.entries(req.headers).map(([k, v]) => [k, String(v)]),
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    });
    const response = await emulator.fetch(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, emulator, url: `http://127.0.0.1:${server.address().port}/` };
}

/** The examples of every command's `--help`, continuation lines joined. */
async function helpExamples(options) {
  const main = await runCommands([{ command: "imauth --help" }], options);
  const listed = main.output.split(/^Commands:$/m)[1] ?? "";
  const commands = [...listed.matchAll(/^ {2}imauth (\S+) (\S+)/gm)].map((m) => `${m[1]} ${m[2]}`);
  const out = [];
  for (const c of commands) {
    const help = await runCommands([{ command: `imauth ${c} --help` }], options);
    const section = help.output.split(/^Examples:$/m)[1] ?? "";
    const lines = section
      .split("\n")
      .filter((l) => l.startsWith("  "))
      .map((l) => l.slice(2));
    for (const { command } of cliCommands(lines.join("\n")))
      out.push({ where: `imauth ${c} --help`, command });
    if (!lines.length) out.push({ where: `imauth ${c} --help`, command: "false # no Examples section" });
  }
  return { commands, examples: out };
}

/**
 * @returns {Promise<{ failures: string[], ran: number, total: number, blocks: number, helpExamples: number }>}
 */
export async function runShellChecks({ app, node, blocks, skipHelp }) {
  const { dir, v2, nim } = workDir(app);
  const bin = join(dir, "bin");
  writeFileSync(
    join(bin, "imauth"),
    `#!/bin/sh\nexec "${node}" "${join(app, "node_modules/@imauth/cli/dist/bin.js")}" "$@"\n`,
  );
  writeFileSync(join(dir, "curl.mjs"), CURL);
  writeFileSync(join(bin, "curl"), `#!/bin/sh\nexec "${node}" "${join(dir, "curl.mjs")}" "$@"\n`);
  chmodSync(join(bin, "imauth"), 0o755);
  chmodSync(join(bin, "curl"), 0o755);
  const appKey = nim.imDynamicToken[0].appKey;
  const appSecret = nim.callback[0].appSecret;
  const { server, emulator, url } = await startEmulator(app, appKey, appSecret);
  const base = {
    PATH: `${bin}:/usr/bin:/bin`,
    HOME: dir,
    LANG: "C.UTF-8",
    TZ: "Asia/Shanghai",
    SNIPPET_EMULATOR_URL: url,
  };
  const failures = [];
  let ran = 0;
  let total = 0;
  let used = 0;
  try {
    // Guide blocks run in a clean environment: what they need, they set themselves.
    for (const block of blocks) {
      const commands = cliCommands(block.code);
      const calls = commands.filter((c) => /imauth\s/.test(c.command));
      if (!calls.length) continue;
      used++;
      total += calls.length;
      emulator.reset();
      const r = await runCommands(commands, { cwd: dir, env: base });
      ran += commands.filter((c, i) => r.ran.includes(i) && /imauth\s/.test(c.command)).length;
      if (!r.ok) {
        const c = commands[r.failedAt];
        failures.push(
          `${block.file}:${block.line + (c?.line ?? 0)} (shell, ${r.why}): ${c?.command}\n${r.output.slice(-800)}`,
        );
      }
    }
    // --help examples run with the environment each command's help names.
    let helpCount = 0;
    if (!skipHelp) {
      const env = {
        ...base,
        IMAUTH_TENCENT_KEY: v2.inputs.secretKey,
        IMAUTH_NETEASE_APPKEY: appKey,
        IMAUTH_NETEASE_SECRET: appSecret,
        IMAUTH_NERTC_PERM_SECRET: nim.nertcPermissionKey[0].permSecret,
        ...newVendorEnv(),
      };
      const made = await runCommands(
        [
          {
            command: `export USERSIG=$(imauth tencent gen --sdkappid ${v2.inputs.sdkAppId} --user alice --expire 1d)`,
          },
          {
            command: `export LEGACY_USERSIG=$(imauth legacy gen --sdkappid ${v2.inputs.sdkAppId} --user alice --private-key-file private_key.pem)`,
          },
          { command: `printf '%s\\n%s\\n' "$USERSIG" "$LEGACY_USERSIG"` },
        ],
        { cwd: dir, env },
      );
      const [userSig, legacyUserSig] = made.output.split("\n").slice(-2);
      if (!made.ok)
        failures.push(
          `(setup) could not make the UserSigs the --help examples use: ${made.output.slice(-500)}`,
        );
      const { examples } = await helpExamples({ cwd: dir, env });
      helpCount = examples.length;
      for (const e of examples) {
        total++;
        emulator.reset();
        const r = await runCommands([{ command: e.command }], {
          cwd: dir,
          env: { ...env, USERSIG: userSig, LEGACY_USERSIG: legacyUserSig },
        });
        if (r.ok) ran++;
        else failures.push(`${e.where} (example, ${r.why}): ${e.command}\n${r.output.slice(-800)}`);
      }
    }
    return { failures, ran, total, blocks: used, helpExamples: helpCount };
  } finally {
    server.close();
  }
}
