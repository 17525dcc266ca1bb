import type { UserConfig } from "tsdown";

/**
 * A library build: ESM (`.js`) and CJS (`.cjs`) with declarations for both, portable output, ES2022, source
 * maps, a clean `dist/` each time. `own` adds or overrides what a package needs beyond the shared settings.
 */
export declare function packageConfig(entry: Record<string, string>, own?: UserConfig): UserConfig;
