#!/usr/bin/env node
// Size budgets: a browser bundle of one import (esbuild, minified, tree-shaken) measured gzipped, against
// the BUILT packages resolved through their exports maps (and Tencent's `#platform` through its imports map,
// so the portable flavour). Fails when a budget is exceeded or a bundle pulls in a module it must not (ky
// outside the HTTP client, full zod instead of zod/mini, pako, @noble/curves outside legacy-ecdsa).
//
//   node scripts/size.mjs
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { printTable, root } from "./lib.mjs";

const KIB = 1024;
const budgets = [
  {
    label: "@imauth/core errors + /adapter encodings",
    pkg: "@imauth/core",
    code: `export { ImAuthError, isImAuthError } from "@imauth/core";
      export { base64Encode, base64Decode, tencentBase64Encode, tencentBase64Decode, hexEncode, hexDecode,
        utf8Encode, utf8Decode, constantTimeEqual } from "@imauth/core/adapter";`,
    limit: 2,
    forbid: ["ky", "zod", "fflate"],
  },
  {
    label: "@imauth/core/http createImClient",
    pkg: "@imauth/core",
    code: `export { createImClient } from "@imauth/core/http";`,
    limit: 12,
    forbid: ["zod/v4/classic"],
  },
  {
    label: "@imauth/tencent genUserSig",
    pkg: "@imauth/tencent",
    code: `export { genUserSig } from "@imauth/tencent";`,
    limit: 12,
    forbid: ["ky", "pako", "@noble/curves", "zod/v4/classic"],
  },
  {
    label: "@imauth/tencent verifyUserSig",
    pkg: "@imauth/tencent",
    code: `export { verifyUserSig } from "@imauth/tencent";`,
    limit: 15,
    forbid: ["ky", "pako", "@noble/curves", "zod/v4/classic"],
  },
  {
    // The issue 11 target: a provider small enough for Workers and browsers.
    label: "@imauth/tencent createTencentProvider",
    pkg: "@imauth/tencent",
    code: `export { createTencentProvider } from "@imauth/tencent";`,
    limit: 15,
    forbid: ["ky", "pako", "@noble/curves", "zod/v4/classic"],
  },
  {
    // Issue 13: TRTC's server API signer, in its own entry so UserSig users don't pay for it.
    label: "@imauth/tencent/cloud createTencentCloudSigner",
    pkg: "@imauth/tencent",
    code: `export { createTencentCloudSigner } from "@imauth/tencent/cloud";`,
    limit: 6,
    forbid: ["ky", "pako", "@noble/curves", "zod"],
  },
  {
    label: "@imauth/netease createCheckSumHeaders",
    pkg: "@imauth/netease",
    code: `export { createCheckSumHeaders } from "@imauth/netease";`,
    limit: 6,
    forbid: ["ky", "pako", "@noble/curves", "@imauth/tencent", "zod/v4/classic"],
  },
  {
    // The issue 11 target, as for Tencent's provider.
    label: "@imauth/netease createNeteaseProvider",
    pkg: "@imauth/netease",
    code: `export { createNeteaseProvider } from "@imauth/netease";`,
    limit: 12,
    forbid: ["ky", "pako", "@noble/curves", "@imauth/tencent", "zod/v4/classic"],
  },
  // Issue 14: each new vendor's token generator within 6 KiB, its provider within 15 KiB.
  {
    label: "@imauth/agora genRtcToken",
    pkg: "@imauth/agora",
    code: `export { genRtcToken } from "@imauth/agora";`,
    limit: 6,
    forbid: ["ky", "pako", "@noble/curves", "@imauth/tencent", "zod"],
  },
  {
    label: "@imauth/agora createAgoraProvider",
    pkg: "@imauth/agora",
    code: `export { createAgoraProvider } from "@imauth/agora";`,
    limit: 15,
    forbid: ["ky", "pako", "@noble/curves", "@imauth/tencent", "zod"],
  },
  {
    label: "@imauth/rongcloud createRongCloudHeaders",
    pkg: "@imauth/rongcloud",
    code: `export { createRongCloudHeaders } from "@imauth/rongcloud";`,
    limit: 6,
    forbid: ["ky", "pako", "@noble/curves", "@imauth/tencent", "zod"],
  },
  {
    label: "@imauth/rongcloud createRongCloudProvider",
    pkg: "@imauth/rongcloud",
    code: `export { createRongCloudProvider } from "@imauth/rongcloud";`,
    limit: 15,
    forbid: ["ky", "pako", "@noble/curves", "@imauth/tencent", "zod"],
  },
  {
    // Easemob's tokens come from its server (or from an injected Agora Chat generator): the callback
    // verifier is its offline function.
    label: "@imauth/easemob verifyEasemobCallback",
    pkg: "@imauth/easemob",
    code: `export { verifyEasemobCallback } from "@imauth/easemob";`,
    limit: 6,
    forbid: ["ky", "pako", "@noble/curves", "@imauth/tencent", "@imauth/agora", "zod"],
  },
  {
    label: "@imauth/easemob createEasemobProvider",
    pkg: "@imauth/easemob",
    code: `export { createEasemobProvider } from "@imauth/easemob";`,
    limit: 15,
    forbid: ["ky", "pako", "@noble/curves", "@imauth/tencent", "@imauth/agora", "zod"],
  },
  {
    label: "@imauth/legacy-ecdsa genLegacyUserSig",
    pkg: "@imauth/legacy-ecdsa",
    code: `export { genLegacyUserSig } from "@imauth/legacy-ecdsa";`,
    limit: 25,
    forbid: ["ky", "pako", "zod/v4/classic"],
  },
];

// Package name of a bundled input path ("node_modules/.pnpm/x/node_modules/@noble/curves/..." -> "@noble/curves").
function packageOf(input) {
  const parts = input.split(/[/\\]/);
  const i = parts.lastIndexOf("node_modules");
  if (i >= 0) {
    const name = parts[i + 1]?.startsWith("@") ? `${parts[i + 1]}/${parts[i + 2]}` : parts[i + 1];
    const rest = parts.slice(i + (name.startsWith("@") ? 3 : 2)).join("/");
    return { name, rest };
  }
  const p = parts.indexOf("packages");
  return p >= 0
    ? { name: `@imauth/${parts[p + 1]}`, rest: parts.slice(p + 2).join("/") }
    : { name: input, rest: "" };
}

const rows = [];
const failures = [];
for (const b of budgets) {
  let result;
  try {
    result = await esbuild.build({
      stdin: { contents: b.code, resolveDir: join(root, "scripts"), loader: "js" },
      bundle: true,
      write: false,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      metafile: true,
      logLevel: "silent",
    });
  } catch (error) {
    failures.push(`${b.label}: bundling failed: ${error.errors?.[0]?.text ?? error.message}`);
    rows.push([b.label, "-", "-", `${b.limit.toFixed(2)}`, "FAIL", ""]);
    continue;
  }
  const bytes = result.outputFiles[0].contents;
  const gz = gzipSync(bytes, { level: 9 }).length;
  const inputs = Object.entries(result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].inputs);
  const byPackage = new Map();
  for (const [input, info] of inputs) {
    const { name, rest } = packageOf(input);
    byPackage.set(name, (byPackage.get(name) ?? 0) + info.bytesInOutput);
    for (const f of b.forbid) {
      const hit = f.includes("/") && !f.startsWith("@") ? `${name}/${rest}`.startsWith(f) : name === f;
      if (hit && info.bytesInOutput > 0) failures.push(`${b.label}: bundles ${f} (${input})`);
    }
  }
  const top = [...byPackage]
    .filter(([, n]) => n > 0)
    .sort((x, y) => y[1] - x[1])
    .map(([name, n]) => `${name} ${(n / KIB).toFixed(1)}`)
    .join(", ");
  const ok = gz <= b.limit * KIB;
  if (!ok) failures.push(`${b.label}: ${(gz / KIB).toFixed(2)} KiB gzip exceeds ${b.limit} KiB`);
  rows.push([
    b.label,
    (bytes.length / KIB).toFixed(2),
    (gz / KIB).toFixed(2),
    `${b.limit.toFixed(2)}`,
    ok ? "ok" : "OVER",
    top,
  ]);
}

printTable(
  [
    "bundle (browser, one import)",
    "min KiB",
    "gzip KiB",
    "budget KiB",
    "",
    "minified bytes by package (KiB)",
  ],
  rows,
);
if (failures.length) {
  console.log("\nFailures:");
  for (const f of failures) console.log(`  - ${f}`);
  process.exitCode = 1;
}
console.log(`\nsize: ${rows.filter((r) => r[4] === "ok").length} passed, ${failures.length} failed`);
