/**
 * An offline emulator of NetEase YunXin's server API and callbacks, and signed callbacks, for your
 * integration tests.
 *
 * @example
 * ```ts
 * import { createNeteaseEmulator } from "@imauth/netease/testing";
 * const emulator = createNeteaseEmulator({ appKey, appSecret });
 * const client = createNeteaseImClient(provider, { baseUrl: "http://nim.test/nimserver/", fetch: emulator.fetch });
 * ```
 *
 * @packageDocumentation
 */
export { type NeteaseCallback, type SignNeteaseCallbackOptions, signNeteaseCallback } from "./callback.js";
export {
  createNeteaseEmulator,
  type NeteaseEmulator,
  type NeteaseEmulatorCall,
  type NeteaseEmulatorOptions,
} from "./emulator.js";
export type { NeteaseEmulatorFailure } from "./failures.js";
export type { NeteaseEmulatorAccount, NeteaseEmulatorAccountConfiguration } from "./handlers.js";
