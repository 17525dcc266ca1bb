/**
 * An offline emulator of Tencent Cloud IM's REST API and callbacks, for your integration tests.
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
  createTencentEmulator,
  type TencentCallbackResult,
  type TencentCallbackTarget,
  type TencentEmulator,
  type TencentEmulatorAccount,
  type TencentEmulatorCall,
  type TencentEmulatorFailure,
  type TencentEmulatorMessage,
  type TencentEmulatorOptions,
} from "./emulator.js";
