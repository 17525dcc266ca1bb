/**
 * The Tencent Cloud IM REST client, on `@imauth/core/http` (install `ky`). Kept in its own entry so code that
 * only issues UserSigs never loads an HTTP library.
 *
 * @example
 * ```ts
 * import { createTencentImClient } from "@imauth/tencent/client";
 * const client = createTencentImClient(provider);
 * await client.call("v4/im_open_login_svc/account_import", { UserID: "alice" });
 * ```
 *
 * @packageDocumentation
 */
export {
  createTencentImClient,
  type TencentAccountCheck,
  type TencentImClient,
  type TencentImClientOptions,
  type TencentOnlineStatus,
  type TencentResult,
} from "./client.js";
export { parseTencentEnvelope, type TencentEnvelope, tencentApiPath } from "./envelope.js";
export {
  classifyTencentError,
  TENCENT_BLOCKED_CODE,
  TENCENT_FATAL_CODES,
  TENCENT_IDEMPOTENT_APIS,
  TENCENT_RATE_LIMIT_CODES,
  TENCENT_RENEW_CODES,
  TENCENT_TRANSIENT_CODES,
  type TencentRetryDelays,
} from "./retry.js";
