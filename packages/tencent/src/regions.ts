/**
 * The regions of Tencent Cloud IM's REST API. An application lives in the region chosen when it was created.
 *
 * @example
 * ```ts
 * const region: TencentRegion = "singapore";
 * ```
 */
export type TencentRegion =
  | "china"
  | "singapore"
  | "korea"
  | "germany"
  | "india"
  | "usa"
  | "indonesia"
  | "japan";

/**
 * The REST API base URLs of each region: the primary domain, then the backup domain the client fails over to
 * on network errors and HTTP 5xx.
 */
export const TENCENT_REGIONS: Readonly<Record<TencentRegion, readonly [string, string]>> = Object.freeze({
  china: ["https://console.tim.qq.com/", "https://adminapi.my-imcloud.com/"],
  singapore: ["https://adminapisgp.im.qcloud.com/", "https://adminapisgp.my-imcloud.com/"],
  korea: ["https://adminapikr.im.qcloud.com/", "https://adminapikr.my-imcloud.com/"],
  germany: ["https://adminapiger.im.qcloud.com/", "https://adminapiger.my-imcloud.com/"],
  india: ["https://adminapiind.im.qcloud.com/", "https://adminapiind.my-imcloud.com/"],
  usa: ["https://adminapiusa.im.qcloud.com/", "https://adminapiusa.my-imcloud.com/"],
  indonesia: ["https://adminapiidn.im.qcloud.com/", "https://adminapiidn.my-imcloud.com/"],
  japan: ["https://adminapijpn.im.qcloud.com/", "https://adminapijpn.my-imcloud.com/"],
} as const);
