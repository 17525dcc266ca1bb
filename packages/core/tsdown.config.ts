import { defineConfig } from "tsdown";
import { packageConfig } from "../../tsdown.base.mjs";

export default defineConfig(
  packageConfig({
    index: "src/index.ts",
    adapter: "src/adapter/index.ts",
    deflate: "src/deflate.ts",
    http: "src/http/index.ts",
    testing: "src/testing/index.ts",
  }),
);
