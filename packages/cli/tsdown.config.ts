import { defineConfig } from "tsdown";

// Node-only and ESM-only: the CLI reads files and the environment, and `bin` needs one format.
export default defineConfig({
  entry: { index: "src/index.ts", bin: "src/bin.ts" },
  format: ["esm"],
  dts: true,
  platform: "node",
  target: "node20",
  sourcemap: true,
  clean: true,
  fixedExtension: false,
});
