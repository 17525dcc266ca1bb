/**
 * Tencent Cloud API 3.0 (TC3-HMAC-SHA256): the signer, a client on `@imauth/core/http` (install `ky`) and
 * the domains, for TRTC's server API (`trtc.tencentcloudapi.com`, version `2019-07-22`: room management,
 * mixing, recording, monitoring) and any other Tencent Cloud product. Its own entry, so code that only
 * issues UserSigs never loads it.
 *
 * @example
 * ```ts
 * import { createTencentCloudClient, createTencentCloudSigner } from "@imauth/tencent/cloud";
 *
 * const signer = createTencentCloudSigner({ secretId, secretKey, service: "trtc", region: "ap-guangzhou", version: "2019-07-22" });
 * const trtc = createTencentCloudClient({ signer });
 * await trtc.call("DismissRoom", { SdkAppId: 1400000001, RoomId: 1234 });
 * ```
 *
 * @packageDocumentation
 */
export {
  createTencentCloudClient,
  type TencentCloudClient,
  type TencentCloudClientOptions,
} from "./client.js";
export { parseTencentCloudEnvelope, type TencentCloudResult } from "./envelope.js";
export { TENCENT_CLOUD_REGIONS, tencentCloudEndpoints } from "./regions.js";
export {
  classifyTencentCloudError,
  TENCENT_CLOUD_IDEMPOTENT_ACTIONS,
  type TencentCloudRetryDelays,
} from "./retry.js";
export {
  createTencentCloudSigner,
  type TencentCloudSigner,
  type TencentCloudSignerOptions,
} from "./signer.js";
export { TC3_ALGORITHM, type Tc3Signature, type Tc3SignInput, tc3Sign } from "./tc3.js";
