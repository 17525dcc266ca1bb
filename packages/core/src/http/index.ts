/**
 * A signed, retrying HTTP client for vendor server APIs, built on ky. Install `ky` to use it.
 *
 * @example
 * ```ts
 * import { createImClient } from "@imauth/core/http";
 * const client = createImClient(provider, { baseUrl: "https://api.example.com/" });
 * ```
 *
 * @packageDocumentation
 */
export {
  createImClient,
  type ImClient,
  type ImClientOptions,
  type ImClientTuning,
  type ImRequestInit,
  type ImResponse,
  type RetryInfo,
} from "./client.js";
// retry.ts holds only public names: the decision type, the default rule and the idempotency rule.
export * from "./retry.js";
