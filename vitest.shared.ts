import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (p: string) => fileURLToPath(new URL(`./packages/${p}`, import.meta.url));

/**
 * Unit tests run against the workspace sources (no build needed); the cross-runtime suite runs against the
 * built packages instead.
 */
export const workspaceAliases = [
  { find: /^@imauth\/core\/http$/, replacement: src("core/src/http/index.ts") },
  { find: /^@imauth\/core\/testing$/, replacement: src("core/src/testing/index.ts") },
  { find: /^@imauth\/core\/adapter$/, replacement: src("core/src/adapter/index.ts") },
  { find: /^@imauth\/core\/deflate$/, replacement: src("core/src/deflate.ts") },
  { find: /^@imauth\/core$/, replacement: src("core/src/index.ts") },
  { find: /^@imauth\/tencent\/compat$/, replacement: src("tencent/src/compat/index.ts") },
  { find: /^@imauth\/tencent\/client$/, replacement: src("tencent/src/client/index.ts") },
  { find: /^@imauth\/tencent\/cloud$/, replacement: src("tencent/src/cloud/index.ts") },
  { find: /^@imauth\/tencent\/testing$/, replacement: src("tencent/src/testing/index.ts") },
  { find: /^@imauth\/tencent$/, replacement: src("tencent/src/index.ts") },
  // Tencent's own `#platform` (package.json `imports`, resolved against dist/ at run time): the portable
  // sources; a test that wants the Node flavour mocks it with platform.node.ts.
  { find: /^#platform$/, replacement: src("tencent/src/platform.ts") },
  { find: /^@imauth\/netease\/client$/, replacement: src("netease/src/client/index.ts") },
  { find: /^@imauth\/netease\/testing$/, replacement: src("netease/src/testing/index.ts") },
  { find: /^@imauth\/netease$/, replacement: src("netease/src/index.ts") },
  { find: /^@imauth\/agora\/(client|testing|compat)$/, replacement: src("agora/src/$1/index.ts") },
  { find: /^@imauth\/agora$/, replacement: src("agora/src/index.ts") },
  { find: /^@imauth\/rongcloud\/(client|testing)$/, replacement: src("rongcloud/src/$1/index.ts") },
  { find: /^@imauth\/rongcloud$/, replacement: src("rongcloud/src/index.ts") },
  { find: /^@imauth\/easemob\/(client|testing)$/, replacement: src("easemob/src/$1/index.ts") },
  { find: /^@imauth\/easemob$/, replacement: src("easemob/src/index.ts") },
  { find: /^@imauth\/legacy-ecdsa$/, replacement: src("legacy-ecdsa/src/index.ts") },
];

export const packageTestConfig = defineConfig({
  resolve: { alias: workspaceAliases },
  test: { include: ["test/**/*.test.ts"], testTimeout: 30_000 },
});
