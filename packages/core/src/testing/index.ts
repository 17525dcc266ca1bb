/**
 * The conformance suite every imauth adapter runs against its provider.
 *
 * @example
 * ```ts
 * import { describe, it } from "vitest";
 * import { conformanceChecks } from "@imauth/core/testing";
 *
 * describe("my provider", () => {
 *   for (const c of conformanceChecks(harness)) it(c.name, c.run);
 * });
 * ```
 *
 * @packageDocumentation
 */
export {
  type ConformanceCheck,
  type ConformanceHarness,
  type ConformanceResult,
  conformanceChecks,
  runProviderConformance,
} from "./conformance.js";
export type {
  ImCallbackResult,
  ImCallbackTarget,
  ImEmulator,
  ImEmulatorCall,
  ImEmulatorFailure,
} from "./emulator.js";
