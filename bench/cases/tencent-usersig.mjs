// @imauth/tencent UserSig throughput against the official tls-sig-api-v2, side by side in one process:
// - genUserSig, Node flavour (`#platform` under the `node` condition: node:crypto HMAC) vs the official
//   genUserSig (target 1.5)
// - genUserSig, portable flavour (no node: APIs; what Bun, Deno, Workers and browsers load) vs official (1.0)
// - verifyUserSig (Node flavour) vs the official genUserSig (1.0)
// Imports the built packages: run `turbo run build` first. Prints one JSON array of rows.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { compare } from "../lib/measure.mjs";

const require = createRequire(import.meta.url);
const nodeBuild = await import("@imauth/tencent");
// Node always resolves `#platform` to the Node flavour; the portable one is bundled the way a browser or
// Workers bundler would (esbuild, platform browser) and imported from a temporary file.
async function importPortable() {
  const dir = mkdtempSync(join(tmpdir(), "imauth-bench-"));
  try {
    const outfile = join(dir, "portable.mjs");
    await esbuild.build({
      stdin: {
        contents: `export { genUserSig, verifyUserSig } from "@imauth/tencent";`,
        resolveDir: dirname(fileURLToPath(import.meta.url)),
        loader: "js",
      },
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      outfile,
      logLevel: "silent",
    });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const portableBuild = await importPortable();
const { Api } = require("tls-sig-api-v2");

const sdkAppId = 1400000000;
const secretKey = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const expireSeconds = 15552000;
const nowMs = 1_700_000_000_000;
const clock = () => nowMs;
const official = new Api(sdkAppId, secretKey);

// The official package reads Date.now(); the subjects get the same instant through their clock option.
// User IDs rotate so no call can be served from a cache.
const USERS = Array.from({ length: 1024 }, (_, i) => `user_${i}`);
let i = 0;
const nextUser = () => USERS[i++ & 1023];
const officialGen = {
  name: "tls-sig-api-v2 genUserSig",
  fn: () => official.genUserSig(nextUser(), expireSeconds),
};

if (nodeBuild.genUserSig === portableBuild.genUserSig) throw new Error("expected two distinct flavours");
const userSigs = USERS.map((userId) =>
  nodeBuild.genUserSig({ sdkAppId, secretKey, userId, expireSeconds, clock }),
);
for (const [n, sig] of userSigs.entries())
  nodeBuild.verifyUserSig(sig, { sdkAppId, secretKey, userId: USERS[n], clock });

const realNow = Date.now;
Date.now = clock;
try {
  const rows = [];
  rows.push(
    await compare({
      comparison: "genUserSig (Node flavour) vs tls-sig-api-v2",
      subject: {
        name: "@imauth/tencent genUserSig (node)",
        fn: () => nodeBuild.genUserSig({ sdkAppId, secretKey, userId: nextUser(), expireSeconds, clock }),
      },
      anchor: officialGen,
      target: 1.5,
    }),
  );
  rows.push(
    await compare({
      comparison: "genUserSig (portable flavour) vs tls-sig-api-v2",
      subject: {
        name: "@imauth/tencent genUserSig (portable)",
        fn: () => portableBuild.genUserSig({ sdkAppId, secretKey, userId: nextUser(), expireSeconds, clock }),
      },
      anchor: officialGen,
      target: 1.0,
    }),
  );
  let k = 0;
  rows.push(
    await compare({
      comparison: "verifyUserSig vs tls-sig-api-v2 genUserSig",
      subject: {
        name: "@imauth/tencent verifyUserSig (node)",
        fn: () => {
          const n = k++ & 1023;
          return nodeBuild.verifyUserSig(userSigs[n], { sdkAppId, secretKey, userId: USERS[n], clock });
        },
      },
      anchor: officialGen,
      target: 1.0,
    }),
  );
  console.log(JSON.stringify(rows));
} finally {
  Date.now = realNow;
}
