import { defineConfig } from "tsdown";

const shared = {
  format: ["esm", "cjs"],
  target: "es2022",
  sourcemap: true,
  fixedExtension: false,
} as const;

export default defineConfig([
  // The portable build: no `node:` APIs; what Bun, Deno, Workers and browsers load.
  {
    ...shared,
    entry: {
      index: "src/index.ts",
      compat: "src/compat/index.ts",
      client: "src/client/index.ts",
      testing: "src/testing/index.ts",
    },
    dts: true,
    platform: "neutral",
    clean: true,
  },
  // The Node build of the main entry (export condition `node`): the same sources with platform.ts swapped for
  // platform.node.ts (node:crypto HMAC, Buffer base64). Its types are the portable build's.
  {
    ...shared,
    entry: { "index.node": "src/index.ts" },
    dts: false,
    platform: "node",
    clean: false,
    plugins: [
      {
        name: "imauth-node-platform",
        resolveId(source: string, importer: string | undefined) {
          if (source === "./platform.js" && importer?.includes("/src/")) {
            return importer.replace(/[^/\\]+$/, "platform.node.ts");
          }
          return null;
        },
      },
    ],
  },
]);
