/**
 * An offline emulator of Agora Chat's REST API and of Notification Center callbacks, and signed callbacks,
 * for your integration tests.
 *
 * @example
 * ```ts
 * import { createAgoraEmulator } from "@imauth/agora/testing";
 * const emulator = createAgoraEmulator({ appId, appCertificate, ncsSecret });
 * const client = createAgoraChatClient(provider, { fetch: emulator.fetch });
 * ```
 *
 * @packageDocumentation
 */
export { type AgoraCallback, type SignAgoraCallbackOptions, signAgoraCallback } from "./callback.js";
export {
  type AgoraEmulator,
  type AgoraEmulatorCall,
  type AgoraEmulatorMessage,
  type AgoraEmulatorOptions,
  createAgoraEmulator,
} from "./emulator.js";
export type { AgoraEmulatorFailure } from "./failures.js";
