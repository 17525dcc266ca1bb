/**
 * NetEase's server-API client (`@imauth/netease/client`), on `@imauth/core/http` (install `ky`). Kept in its
 * own entry so code that only makes tokens or CheckSums never loads an HTTP library.
 *
 * @example
 * ```ts
 * import { createNeteaseImClient } from "@imauth/netease/client";
 * const client = createNeteaseImClient(provider);
 * await client.callV1("user/create.action", { accid: "user01" });
 * ```
 *
 * @packageDocumentation
 */
export {
  createNeteaseImClient,
  type NeteaseAccountToken,
  type NeteaseCallOptions,
  type NeteaseImClient,
  type NeteaseImClientOptions,
  type NeteaseV1Reply,
} from "./client.js";
export { type NeteaseEnvelope, neteaseApiPath, parseNeteaseEnvelope } from "./envelope.js";
export {
  classifyNeteaseError,
  NETEASE_IDEMPOTENT_APIS,
  NETEASE_RATE_LIMIT_CODE,
  NETEASE_RETRY_CODES,
} from "./retry.js";
export { createNeteaseStaticProvider, type NeteaseStaticProviderOptions } from "./static-provider.js";
