import { defineConfig } from "tsdown";
import { packageConfig } from "../../tsdown.base.mjs";

// The two flavours of src/platform.ts are entries of their own, and `#platform` stays an import in the output:
// package.json `imports` picks dist/platform.node.* (node:crypto HMAC, Buffer base64) under the `node`
// condition and dist/platform.* (no `node:` APIs) everywhere else. One build, one copy of every other module.
export default defineConfig(
  packageConfig(
    {
      index: "src/index.ts",
      compat: "src/compat/index.ts",
      client: "src/client/index.ts",
      cloud: "src/cloud/index.ts",
      testing: "src/testing/index.ts",
      platform: "src/platform.ts",
      "platform.node": "src/platform.node.ts",
    },
    {
      deps: { neverBundle: ["#platform", /^node:/] },
      // Entry files only re-export: the UserSig modules share one chunk and every other module gets its own,
      // so a bundler that imports only genUserSig or verifyUserSig (package `sideEffects: false`) drops the
      // rest, including module-level option schemas that it could not otherwise prove unused.
      // Chunks per module need this; set it explicitly instead of relying on Rolldown's implicit switch.
      inputOptions: { preserveEntrySignatures: "allow-extension" },
      outputOptions: {
        codeSplitting: {
          includeDependenciesRecursively: false,
          groups: [
            {
              debugName: "one chunk per module",
              name: (id: string) => {
                // Declaration files (`*.d.ts`, made by the dts plugin) keep their default chunks.
                const m = /[\\/]src[\\/](?:(client|cloud|testing(?:[\\/]cloud)?)[\\/])?([\w-]+)\.ts$/.exec(
                  id,
                );
                if (!m || m[2] === "index" || m[2] === "platform") return null;
                if (!m[1] && /^(usersig|verify|signer)$/.test(m[2]!)) return "usersig";
                return m[1] ? `${m[1].replace(/[\\/]/, "-")}-${m[2]}` : m[2]!;
              },
            },
          ],
        },
      },
    },
  ),
);
