/**
 * An offline emulator of Tencent Cloud IM's REST API and callbacks, and signed callbacks, for your
 * integration tests.
 *
 * @example
 * ```ts
 * import { createTencentEmulator } from "@imauth/tencent/testing";
 * const emulator = createTencentEmulator({ sdkAppId: 1400000000, secretKey: "test-key" });
 * const response = await emulator.fetch(signedRequest);
 * ```
 *
 * @packageDocumentation
 */
export {
  type SignTencentCallbackOptions,
  type SignTrtcCallbackOptions,
  signTencentCallback,
  signTrtcCallback,
  type TencentCallback,
  type TrtcCallback,
} from "./callback.js";
export * from "./cloud/index.js";
export {
  createTencentEmulator,
  type TencentEmulator,
  type TencentEmulatorCall,
  type TencentEmulatorOptions,
} from "./emulator.js";
export type { TencentEmulatorFailure } from "./failures.js";
export type { TencentEmulatorAccount, TencentEmulatorGroup, TencentEmulatorMessage } from "./handlers.js";
