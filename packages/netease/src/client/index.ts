/**
 * NetEase's server-API client (`@imauth/netease/client`), on `@imauth/core/http`. Needs `ky`.
 *
 * @example
 * ```ts
 * import { createNeteaseImClient, createNeteaseStaticProvider } from "@imauth/netease/client";
 * ```
 *
 * @packageDocumentation
 */
export {
  createNeteaseImClient,
  createNeteaseStaticProvider,
  NETEASE_IDEMPOTENT_APIS,
  NETEASE_RATE_LIMIT_CODE,
  NETEASE_RETRY_CODES,
  type NeteaseAccountToken,
  type NeteaseCallOptions,
  type NeteaseImClient,
  type NeteaseImClientOptions,
  type NeteaseStaticProviderOptions,
  type NeteaseV1Reply,
  neteaseRetryDecision,
} from "../rest.js";
