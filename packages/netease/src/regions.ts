import { readBaseUrls as readEndpoints } from "@imauth/core/adapter";

/**
 * NetEase's server-API domains per region, primary first, then the backups the client fails over to. Both
 * API generations live under `/nimserver/` (v1 `user/create.action`, v2 `im/v2/accounts`), as in NetEase's
 * official server SDKs.
 */
export const NETEASE_REGIONS = Object.freeze({
  /** Mainland China. */
  cn: Object.freeze([
    "https://api-cn.yunxinapi.com/nimserver/",
    "https://api-cn-bak.yunxinapi.com/nimserver/",
    "https://api.netease.im/nimserver/",
  ]),
  /** Singapore (international). */
  sg: Object.freeze([
    "https://api-sg.yunxinapi.com/nimserver/",
    "https://api-sg-bak.yunxinapi.com/nimserver/",
    "https://api-sg.netease.im/nimserver/",
  ]),
} as const);

/**
 * A NetEase data-center region.
 *
 * @example
 * ```ts
 * const region: NeteaseRegion = process.env.NIM_REGION === "sg" ? "sg" : "cn";
 * ```
 */
export type NeteaseRegion = keyof typeof NETEASE_REGIONS;

/**
 * The API base URLs of a provider: a region's domains (default `cn`) or `baseUrl` (one URL, or the primary
 * followed by backups), never both. Throws `ImAuthError` `ERR_INVALID_CONFIG`.
 */
export function readBaseUrls(region: unknown, baseUrl: unknown): readonly string[] {
  return readEndpoints(region, baseUrl, NETEASE_REGIONS, "cn");
}
