import { ImAuthError } from "@imauth/core";

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
 *
 * @example
 * ```ts
 * TENCENT_REGIONS.singapore; // ["https://adminapisgp.im.qcloud.com/", "https://adminapisgp.my-imcloud.com/"]
 * ```
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

/**
 * The envelope of every Tencent IM REST answer. HTTP is 200 even on errors: `ErrorCode` is the truth.
 *
 * @example
 * ```ts
 * const ok: TencentEnvelope = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" };
 * ```
 */
export interface TencentEnvelope {
  /** `"OK"` or `"FAIL"`. */
  ActionStatus: string;
  /** 0 on success, otherwise Tencent's error code. */
  ErrorCode: number;
  /** Tencent's error message (English or Chinese). */
  ErrorInfo: string;
  /** A more detailed message, on some errors. */
  ErrorDisplay?: string;
}

/**
 * ErrorCodes that mean a temporary failure on Tencent's side: retried with exponential backoff and jitter.
 *
 * @example
 * ```ts
 * TENCENT_TRANSIENT_CODES.has(70500); // true
 * ```
 */
export const TENCENT_TRANSIENT_CODES: ReadonlySet<number> = new Set([
  60008, 70169, 70202, 70500, 10002, 20004, 20005, 30006, 30007, 90994, 90995, 91000,
]);

/**
 * ErrorCodes that mean a rate limit was hit: retried after a longer delay.
 *
 * @example
 * ```ts
 * TENCENT_RATE_LIMIT_CODES.has(60007); // true
 * ```
 */
export const TENCENT_RATE_LIMIT_CODES: ReadonlySet<number> = new Set([
  60007, 60011, 60018, 60019, 10006, 10023,
]);

/**
 * ErrorCodes that mean the admin UserSig expired (70001) or was invalidated (70052): the client renews the
 * admin UserSig and retries once.
 *
 * @example
 * ```ts
 * TENCENT_RENEW_CODES.has(70001); // true
 * ```
 */
export const TENCENT_RENEW_CODES: ReadonlySet<number> = new Set([70001, 70052]);

/**
 * ErrorCodes that retrying cannot fix (wrong key, wrong account, wrong SDKAppID, banned app, IP not allowed):
 * never retried.
 *
 * @example
 * ```ts
 * TENCENT_FATAL_CODES.has(70009); // true: the secret key is wrong
 * ```
 */
export const TENCENT_FATAL_CODES: ReadonlySet<number> = new Set([
  60004, 60005, 60006, 60010, 60016, 60021, 70003, 70005, 70009, 70013, 70014, 70016, 70020, 70398, 70403,
]);

/**
 * ErrorCode 70050: UserSig checks failed too often and Tencent blocks the caller for a minute.
 *
 * @example
 * ```ts
 * if (error.vendorCode === TENCENT_BLOCKED_CODE) await sleep(60_000);
 * ```
 */
export const TENCENT_BLOCKED_CODE = 70050;

/**
 * Delays of {@link classifyTencentError}.
 *
 * @example
 * ```ts
 * const delays: TencentRetryDelays = { rateLimitDelayMs: 2000 };
 * ```
 */
export interface TencentRetryDelays {
  /** First delay after a rate-limit code, in ms; doubled on each further attempt. Default 1000. */
  rateLimitDelayMs?: number;
  /** Delay after ErrorCode 70050, in ms (at least 60000). Default 60000. */
  blockedDelayMs?: number;
}

/**
 * What {@link classifyTencentError} decides about a failed attempt.
 *
 * @example
 * ```ts
 * const advice: TencentRetryAdvice = classifyTencentError(error, attempt);
 * if (advice.renew) await provider.renewAdminUserSig();
 * ```
 */
export interface TencentRetryAdvice {
  /** Whether to try again. */
  retry: boolean;
  /** Least wait before the next attempt, in ms. */
  delayMs?: number;
  /** Whether to switch to the backup domain. */
  failover?: boolean;
  /** Whether the admin UserSig must be renewed before the retry (70001, 70052). */
  renew?: boolean;
}

/**
 * Tencent's retry policy for one failed REST attempt, as a pure function: transport errors and HTTP 5xx are
 * retried on the backup domain; transient ErrorCodes with backoff; rate-limit codes after a longer delay;
 * 70050 after at least 60 s; 70001 and 70052 after renewing the admin UserSig; everything else never.
 *
 * @example
 * ```ts
 * classifyTencentError(error, 1); // { retry: true, delayMs: 1000 } for ErrorCode 60007
 * ```
 */
export function classifyTencentError(
  error: ImAuthError,
  attempt: number,
  delays: TencentRetryDelays = {},
): TencentRetryAdvice {
  const { rateLimitDelayMs = 1000, blockedDelayMs = 60_000 } = delays;
  if (error.code === "ERR_NETWORK") return { retry: true, failover: true };
  if (error.code !== "ERR_VENDOR_API") return { retry: false };
  if (error.status !== undefined && error.status >= 500) return { retry: true, failover: true };
  if (error.status === 429) return { retry: true, delayMs: rateLimitDelayMs * 2 ** (attempt - 1) };
  const code = typeof error.vendorCode === "number" ? error.vendorCode : undefined;
  if (code === undefined || TENCENT_FATAL_CODES.has(code)) return { retry: false };
  if (TENCENT_RENEW_CODES.has(code)) return { retry: true, renew: true };
  if (code === TENCENT_BLOCKED_CODE) return { retry: true, delayMs: Math.max(60_000, blockedDelayMs) };
  if (TENCENT_RATE_LIMIT_CODES.has(code))
    return { retry: true, delayMs: rateLimitDelayMs * 2 ** (attempt - 1) };
  if (TENCENT_TRANSIENT_CODES.has(code)) return { retry: true };
  return { retry: false };
}

/**
 * Reads a Tencent REST answer: returns the envelope (with the API's own fields) when `ErrorCode` is 0, and
 * throws `ImAuthError` `ERR_VENDOR_API` otherwise, with `vendorCode` = ErrorCode, `vendorMessage` = ErrorInfo
 * (plus ErrorDisplay when it says more) and `status` = the HTTP status.
 *
 * @example
 * ```ts
 * const body = parseTencentEnvelope(200, await response.json());
 * ```
 */
export function parseTencentEnvelope<T extends object = Record<string, unknown>>(
  status: number,
  json: unknown,
): T & TencentEnvelope {
  const envelope = isRecord(json) ? json : undefined;
  const code = envelope?.ErrorCode;
  if (status >= 300 || status < 200) {
    const info = envelope ? vendorText(envelope) : undefined;
    throw new ImAuthError("ERR_VENDOR_API", `Tencent IM answered HTTP ${status}${info ? `: ${info}` : ""}`, {
      status,
      vendorCode: typeof code === "number" ? code : status,
      ...(info ? { vendorMessage: info } : {}),
    });
  }
  if (envelope === undefined || typeof code !== "number" || !Number.isInteger(code)) {
    throw new ImAuthError("ERR_VENDOR_API", "Tencent IM answered without an integer ErrorCode", { status });
  }
  if (code !== 0) {
    const info = vendorText(envelope);
    throw new ImAuthError("ERR_VENDOR_API", `Tencent IM ErrorCode ${code}${info ? `: ${info}` : ""}`, {
      status,
      vendorCode: code,
      vendorMessage: info,
    });
  }
  return envelope as T & TencentEnvelope;
}

function vendorText(envelope: Record<string, unknown>): string {
  const info = typeof envelope.ErrorInfo === "string" ? envelope.ErrorInfo.slice(0, 500) : "";
  const display = typeof envelope.ErrorDisplay === "string" ? envelope.ErrorDisplay.slice(0, 500) : "";
  if (display && display !== info) return info ? `${info} (${display})` : display;
  return info;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const API_PATH = /^v4\/[A-Za-z0-9_]{1,64}\/[A-Za-z0-9_]{1,64}$/;

/**
 * Checks and normalises a REST API path such as `v4/im_open_login_svc/account_import` (a leading `/` is
 * dropped). Anything else (absolute URLs, `..`, query strings) throws `ImAuthError` `ERR_INVALID_INPUT`, so
 * a path can never send the admin UserSig to another host.
 *
 * @example
 * ```ts
 * tencentApiPath("/v4/openim/sendmsg"); // "v4/openim/sendmsg"
 * ```
 */
export function tencentApiPath(path: unknown): string {
  if (typeof path !== "string") throw new ImAuthError("ERR_INVALID_INPUT", "path must be a string");
  const trimmed = path.startsWith("/") ? path.slice(1) : path;
  if (!API_PATH.test(trimmed)) {
    throw new ImAuthError(
      "ERR_INVALID_INPUT",
      "path must look like v4/<service>/<command> (letters, digits and underscores only)",
    );
  }
  return trimmed;
}
