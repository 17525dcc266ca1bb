import { defineConfig } from "tsdown";
import { packageConfig } from "../../tsdown.base.mjs";

// The two flavours of src/platform.ts are entries of their own, and `#ecdsa-platform` stays an import in the
// output: package.json `imports` picks dist/platform.node.* (node:crypto) under the `node` condition and
// dist/platform.* (Web Crypto and @noble/curves, no `node:` APIs) everywhere else. One build; the modules
// both flavours use (keys, DER, signature forms) are shared chunks, loaded once.
export default defineConfig(
  packageConfig(
    { index: "src/index.ts", platform: "src/platform.ts", "platform.node": "src/platform.node.ts" },
    { deps: { neverBundle: ["#ecdsa-platform", /^node:/] } },
  ),
);
