import { readBaseUrls as readEndpoints } from "@imauth/core/adapter";

/**
 * RongCloud's server-API domains per data center, primary first, then the backups the client fails over to
 * (RongCloud asks integrations to switch domains on a timeout or an outage and to keep using the one that
 * works). Mainland China keeps the long-standing `api-cn.ronghub.com` / `api2-cn.ronghub.com` pair first and
 * the newer `api.rong-api.com` / `api-b.rong-api.com` pair after it: both pairs serve the same data center.
 * Global data centers use their `*-light-api.com` pair. Check the App Key page of RongCloud's console for the
 * domains of your app; `baseUrl` overrides the list.
 */
export const RONGCLOUD_REGIONS = Object.freeze({
  /** Mainland China (Beijing). */
  cn: Object.freeze([
    "https://api-cn.ronghub.com/",
    "https://api2-cn.ronghub.com/",
    "https://api.rong-api.com/",
    "https://api-b.rong-api.com/",
  ]),
  /** Singapore. */
  sg: Object.freeze([
    "https://api-sg01.ronghub.com/",
    "https://api.sg-light-api.com/",
    "https://api-b.sg-light-api.com/",
  ]),
  /** Singapore B. */
  "sg-b": Object.freeze(["https://api.sg-b-light-api.com/", "https://api-b.sg-b-light-api.com/"]),
  /** North America. */
  na: Object.freeze(["https://api.us-light-api.com/", "https://api-b.us-light-api.com/"]),
  /** Saudi Arabia. */
  sa: Object.freeze(["https://api.sau-light-api.com/", "https://api-b.sau-light-api.com/"]),
} as const);

/**
 * A RongCloud data center.
 *
 * @example
 * ```ts
 * const region: RongCloudRegion = process.env.RONGCLOUD_REGION === "sg" ? "sg" : "cn";
 * ```
 */
export type RongCloudRegion = keyof typeof RONGCLOUD_REGIONS;

/**
 * The API base URLs of a provider: a region's domains (default `cn`) or `baseUrl` (one URL, or the primary
 * followed by backups), never both. Throws `ImAuthError` `ERR_INVALID_CONFIG`.
 */
export function readBaseUrls(region: unknown, baseUrl: unknown): readonly string[] {
  return readEndpoints(region, baseUrl, RONGCLOUD_REGIONS, "cn");
}
