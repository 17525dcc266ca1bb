import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { workspaceAliases } from "../../vitest.shared.js";

const flavour = (file: string) => ({
  resolve: {
    alias: [
      { find: /^#ecdsa-platform$/, replacement: fileURLToPath(new URL(`./src/${file}`, import.meta.url)) },
      ...workspaceAliases,
    ],
  },
});

// Every test runs twice, once per flavour of `#ecdsa-platform` (package.json `imports`): the portable one
// (Web Crypto and @noble/curves, what Bun, Deno, Workers and browsers load) and the Node one (node:crypto),
// so the vectors, the official library's checks and the property tests hold for both.
export default defineConfig({
  test: {
    projects: [
      {
        ...flavour("platform.ts"),
        test: { name: "portable", include: ["test/**/*.test.ts"], testTimeout: 30_000 },
      },
      {
        ...flavour("platform.node.ts"),
        test: { name: "node", include: ["test/**/*.test.ts"], testTimeout: 30_000 },
      },
    ],
  },
});
