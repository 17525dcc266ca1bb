import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { workspaceAliases } from "../../vitest.shared.js";

/** A test project with `#ecdsa-platform` resolved to one flavour (the tests read its name from the env). */
function flavour(name: "portable" | "node", file: string) {
  const replacement = fileURLToPath(new URL(`./src/${file}`, import.meta.url));
  return {
    resolve: { alias: [{ find: /^#ecdsa-platform$/, replacement }, ...workspaceAliases] },
    test: { name, include: ["test/**/*.test.ts"], testTimeout: 30_000, env: { ECDSA_FLAVOUR: name } },
  };
}

// Every test runs twice, once per flavour of `#ecdsa-platform` (package.json `imports`): the portable one
// (Web Crypto and @noble/curves, what Workers and browsers load) and the Node one (node:crypto), so the
// vectors, the official library's checks and the property tests hold for both.
export default defineConfig({
  test: { projects: [flavour("portable", "platform.ts"), flavour("node", "platform.node.ts")] },
});
