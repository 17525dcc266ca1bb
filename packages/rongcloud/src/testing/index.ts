/**
 * An offline emulator of RongCloud's server API and callbacks, and signed callbacks, for your integration
 * tests.
 *
 * @example
 * ```ts
 * import { createRongCloudEmulator } from "@imauth/rongcloud/testing";
 * const emulator = createRongCloudEmulator({ appKey, appSecret });
 * const provider = createRongCloudProvider({ appKey, appSecret, baseUrl: "http://rc.test/", fetch: emulator.fetch });
 * ```
 *
 * @packageDocumentation
 */
export {
  type RongCloudCallback,
  type SignRongCloudCallbackOptions,
  signRongCloudCallback,
} from "./callback.js";
export {
  createRongCloudEmulator,
  type RongCloudEmulator,
  type RongCloudEmulatorCall,
  type RongCloudEmulatorOptions,
} from "./emulator.js";
export type { RongCloudEmulatorFailure } from "./failures.js";
export type { RongCloudEmulatedMessage, RongCloudEmulatorUser } from "./handlers.js";
