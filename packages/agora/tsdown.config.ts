import { defineConfig } from "tsdown";
import { packageConfig } from "../../tsdown.base.mjs";

export default defineConfig(
  packageConfig({
    index: "src/index.ts",
    client: "src/client/index.ts",
    testing: "src/testing/index.ts",
    compat: "src/compat/index.ts",
  }),
);
