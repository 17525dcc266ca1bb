/**
 * Agora Chat's REST client (`@imauth/agora/client`), on `@imauth/core/http` (install `ky`). Kept in its own
 * entry so code that only makes tokens never loads an HTTP library.
 *
 * @example
 * ```ts
 * import { createAgoraChatClient } from "@imauth/agora/client";
 * const client = createAgoraChatClient(provider);
 * await client.registerUser("alice");
 * ```
 *
 * @packageDocumentation
 */
export {
  type AgoraChatCallOptions,
  type AgoraChatClient,
  type AgoraChatClientOptions,
  type AgoraChatTextMessage,
  type AgoraChatUser,
  createAgoraChatClient,
} from "./client.js";
export { type AgoraChatEnvelope, agoraChatApiPath, parseAgoraChatEnvelope } from "./envelope.js";
export { classifyAgoraChatError } from "./retry.js";
