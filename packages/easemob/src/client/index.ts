/**
 * Easemob's REST client (`@imauth/easemob/client`), on `@imauth/core/http` (install `ky`). Kept in its own
 * entry so code that only issues credentials or verifies callbacks never loads an HTTP library.
 *
 * @example
 * ```ts
 * import { createEasemobImClient } from "@imauth/easemob/client";
 * const client = createEasemobImClient(provider);
 * await client.registerUser("alice", "a-password");
 * ```
 *
 * @packageDocumentation
 */
export {
  createEasemobImClient,
  type EasemobCallOptions,
  type EasemobImClient,
  type EasemobImClientOptions,
  type EasemobUser,
} from "./client.js";
export { type EasemobEnvelope, parseEasemobEnvelope } from "./envelope.js";
export { type AppTokenRenewer, classifyEasemobError } from "./retry.js";
