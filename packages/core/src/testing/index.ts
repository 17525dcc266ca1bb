/**
 * The conformance suite every imauth adapter runs against its provider, the emulator interface, and the
 * reference provider (a test double).
 *
 * @example
 * ```ts
 * import { describe, it } from "vitest";
 * import { registerConformanceTests } from "@imauth/core/testing";
 *
 * describe("my provider", () => registerConformanceTests(harness, it));
 * ```
 *
 * @packageDocumentation
 */
export {
  type ConformanceCheck,
  type ConformanceHarness,
  type ConformanceResult,
  type ConformanceTestContext,
  type ConformanceTestFunction,
  conformanceChecks,
  type RoomConformance,
  registerConformanceTests,
  runProviderConformance,
  withQueryParam,
} from "./conformance.js";
export { deliverCallback } from "./deliver.js";
export type {
  ImCallbackResult,
  ImCallbackTarget,
  ImEmulator,
  ImEmulatorCall,
  ImEmulatorFailure,
} from "./emulator.js";
export { createFailureQueue, type FailureQueue } from "./failure-queue.js";
export { outcomeOf } from "./outcome.js";
export {
  createReferenceProvider,
  type ReferenceProviderOptions,
  referenceConformanceHarness,
  verifyReferenceRequest,
} from "./reference-provider.js";
