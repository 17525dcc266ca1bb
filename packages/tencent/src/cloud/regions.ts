import { ImAuthError } from "@imauth/core";

/**
 * Tencent Cloud regions (the `X-TC-Region` values). TRTC's room APIs accept a subset; `DescribeRoomInfo`,
 * for one, only ap-beijing, ap-guangzhou, ap-mumbai, ap-singapore and na-toronto (see each API's page).
 * Other well-formed region names are accepted too, since Tencent adds regions.
 *
 * @example
 * ```ts
 * TENCENT_CLOUD_REGIONS.includes("ap-singapore"); // true
 * ```
 */
export const TENCENT_CLOUD_REGIONS: readonly string[] = /* @__PURE__ */ Object.freeze([
  "ap-bangkok",
  "ap-beijing",
  "ap-chengdu",
  "ap-chongqing",
  "ap-guangzhou",
  "ap-hongkong",
  "ap-jakarta",
  "ap-mumbai",
  "ap-nanjing",
  "ap-seoul",
  "ap-shanghai",
  "ap-shanghai-fsi",
  "ap-shenzhen-fsi",
  "ap-singapore",
  "ap-tokyo",
  "eu-frankfurt",
  "na-ashburn",
  "na-siliconvalley",
  "na-toronto",
  "sa-saopaulo",
]);

const REGION = /^[a-z]{2}-[a-z]{2,20}(?:-[a-z]{2,10})?$/;

/** Checks a region name (configuration). */
export function assertRegion(value: unknown): asserts value is string {
  if (typeof value !== "string" || !REGION.test(value)) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "region must look like ap-guangzhou");
  }
}

/**
 * The API domains of a service: without a region, the global domain (`https://trtc.tencentcloudapi.com/`,
 * routed to a nearby access point by DNS); with one, the nearest-endpoint domain of that region first
 * (`https://trtc.ap-singapore.tencentcloudapi.com/`) and the global domain as the backup the client fails
 * over to.
 *
 * @example
 * ```ts
 * tencentCloudEndpoints("trtc", "ap-singapore");
 * // ["https://trtc.ap-singapore.tencentcloudapi.com/", "https://trtc.tencentcloudapi.com/"]
 * ```
 */
export function tencentCloudEndpoints(service: string, region?: string): string[] {
  if (typeof service !== "string" || !/^[a-z][a-z0-9-]{0,63}$/.test(service)) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "service must be a lower-case product name such as trtc");
  }
  const global = `https://${service}.tencentcloudapi.com/`;
  if (region === undefined) return [global];
  assertRegion(region);
  return [`https://${service}.${region}.tencentcloudapi.com/`, global];
}
