import { defineConfig, type UserConfig } from "tsdown";

const shared: UserConfig = {
  format: ["esm", "cjs"],
  target: "es2022",
  sourcemap: true,
  fixedExtension: false,
  // Entry files only re-export: the UserSig modules share one chunk and every other module gets its own, so a
  // bundler that imports only genUserSig or verifyUserSig (package `sideEffects: false`) drops the rest,
  // including module-level option schemas (zod) that it could not otherwise prove unused.
  // Chunks per module need this; set it explicitly instead of relying on Rolldown's implicit switch.
  inputOptions: { preserveEntrySignatures: "allow-extension" },
  outputOptions: {
    codeSplitting: {
      includeDependenciesRecursively: false,
      groups: [
        {
          name: (id: string) => {
            // Declaration files (`*.d.ts`, made by the dts plugin) keep their default chunks.
            const m = /[\\/]src[\\/](?:(client|testing)[\\/])?([\w-]+(?:\.node)?)\.ts$/.exec(id);
            if (!m || m[2] === "index") return null;
            if (!m[1] && /^(usersig|verify|zlib|platform(\.node)?|signer)$/.test(m[2]!)) return "usersig";
            return m[1] ? `${m[1]}-${m[2]}` : m[2]!;
          },
        },
      ],
    },
  },
};

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
