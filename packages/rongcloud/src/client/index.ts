/**
 * RongCloud's server-API client (`@imauth/rongcloud/client`), on `@imauth/core/http` (install `ky`). Kept in
 * its own entry so code that only signs, verifies or issues credentials never loads an HTTP library.
 *
 * @example
 * ```ts
 * import { createRongCloudImClient } from "@imauth/rongcloud/client";
 * const client = createRongCloudImClient(provider);
 * await client.getToken("user01", { name: "Alice" });
 * ```
 *
 * @packageDocumentation
 */
export {
  createRongCloudImClient,
  type RongCloudCallOptions,
  type RongCloudImClient,
  type RongCloudImClientOptions,
  type RongCloudPrivateMessage,
} from "./client.js";
export { parseRongCloudEnvelope, type RongCloudEnvelope, rongCloudApiPath } from "./envelope.js";
export {
  classifyRongCloudError,
  RONGCLOUD_IDEMPOTENT_APIS,
  RONGCLOUD_RATE_LIMIT_CODE,
  RONGCLOUD_RETRY_CODES,
} from "./retry.js";
