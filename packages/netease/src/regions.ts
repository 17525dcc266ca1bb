import { ImAuthError } from "@imauth/core";
import { normalizeBaseUrl } from "@imauth/core/adapter";

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

/** Most base URLs accepted in one list (primary and backups). */
const MAX_BASE_URLS = 8;

/**
 * The API base URLs of a provider: a region's domains (default `cn`) or `baseUrl` (one URL, or the primary
 * followed by backups), never both. Throws `ImAuthError` `ERR_INVALID_CONFIG`.
 */
export function readBaseUrls(region: unknown, baseUrl: unknown): readonly string[] {
  if (region !== undefined && baseUrl !== undefined) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "give either region or baseUrl, not both");
  }
  if (baseUrl === undefined) {
    const name = region ?? "cn";
    if (typeof name !== "string" || !Object.hasOwn(NETEASE_REGIONS, name)) {
      throw new ImAuthError(
        "ERR_INVALID_CONFIG",
        `region must be one of ${Object.keys(NETEASE_REGIONS).join(", ")}`,
      );
    }
    return NETEASE_REGIONS[name as NeteaseRegion];
  }
  const list = typeof baseUrl === "string" ? [baseUrl] : baseUrl;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_BASE_URLS) {
    throw new ImAuthError(
      "ERR_INVALID_CONFIG",
      `baseUrl must be a URL or a list of 1 to ${MAX_BASE_URLS} URLs`,
    );
  }
  return Object.freeze(list.map((url) => normalizeBaseUrl(url)));
}
