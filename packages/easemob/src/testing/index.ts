/**
 * An offline emulator of Easemob's token endpoint, user API and callbacks, and signed callbacks, for your
 * integration tests.
 *
 * @example
 * ```ts
 * import { createEasemobEmulator } from "@imauth/easemob/testing";
 * const emulator = createEasemobEmulator({ orgName, appName, clientId, clientSecret });
 * const provider = createEasemobProvider({ orgName, appName, clientId, clientSecret, fetch: emulator.fetch });
 * ```
 *
 * @packageDocumentation
 */
export { type EasemobCallback, type SignEasemobCallbackOptions, signEasemobCallback } from "./callback.js";
export {
  createEasemobEmulator,
  type EasemobEmulator,
  type EasemobEmulatorCall,
  type EasemobEmulatorFailure,
  type EasemobEmulatorOptions,
} from "./emulator.js";
export type { EasemobEmulatorUser } from "./handlers.js";
