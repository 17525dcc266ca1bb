import { defineConfig } from "tsdown";
import { packageConfig } from "../../tsdown.base.mjs";

export default defineConfig(packageConfig({ index: "src/index.ts" }));
