import { defineConfig } from "tsdown";
import { packageConfig } from "../../tsdown.base.mjs";

// Node-only and ESM-only: the CLI reads files and the environment, and `bin` needs one format.
export default defineConfig(
  packageConfig(
    { index: "src/index.ts", bin: "src/bin.ts" },
    { format: ["esm"], platform: "node", target: "node20" },
  ),
);
