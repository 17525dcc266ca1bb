// The one build configuration every published package shares; each packages/*/tsdown.config.ts lists its
// entries and only what is truly its own. Plain JavaScript (typed by tsdown.base.d.mts) so that both Node's
// native TypeScript loader and `tsc` accept the relative import from a package's config.

/**
 * A library build: ESM (`.js`) and CJS (`.cjs`) with declarations for both, portable output (no Node
 * built-ins unless a package says so), ES2022, source maps, a clean `dist/` each time.
 *
 * @param {Record<string, string>} entry entry name -> source file, e.g. `{ index: "src/index.ts" }`
 * @param {import("tsdown").UserConfig} [own] what this package needs beyond the shared settings
 * @returns {import("tsdown").UserConfig}
 */
export function packageConfig(entry, own = {}) {
  return {
    format: ["esm", "cjs"],
    dts: true,
    platform: "neutral",
    target: "es2022",
    sourcemap: true,
    clean: true,
    fixedExtension: false,
    ...own,
    entry,
  };
}
