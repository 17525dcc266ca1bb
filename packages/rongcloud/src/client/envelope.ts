import { ImAuthError } from "@imauth/core";

/**
 * RongCloud codes retried with backoff and a switch to the backup domain: 1000 (internal error, HTTP 500) and
 * 1050 (internal timeout, HTTP 504). Here rather than in retry.ts so the provider's token fetch (which never
 * loads ky) uses the same set.
 */
export const RONGCLOUD_RETRY_CODES: ReadonlySet<number> = new Set([1000, 1050]);

/**
 * RongCloud's answer envelope: `code` 200 is success, with the call's fields beside it (`token`, `userId`...);
 * errors carry `errorMessage`.
 *
 * @example
 * ```ts
 * const ok: RongCloudEnvelope = { code: 200, userId: "user01", token: "abc@x.cn.rongnav.com" };
 * ```
 */
export interface RongCloudEnvelope {
  /** 200 on success, otherwise RongCloud's code (1002 parameters, 1004 signature, 1008 rate limit...). */
  code: number;
  [field: string]: unknown;
}

function envelopeCode(json: unknown): number | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const code = (json as { code?: unknown }).code;
  if (typeof code === "number" && Number.isInteger(code)) return code;
  if (typeof code === "string" && /^\d{1,9}$/.test(code)) return Number(code);
  return undefined;
}

function envelopeMessage(json: unknown): string | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const e = json as Record<string, unknown>;
  for (const value of [e.errorMessage, e.msg, e.message, e.desc]) {
    if (typeof value === "string" && value.length > 0) return value.slice(0, 300);
  }
  return undefined;
}

/**
 * Reads a RongCloud answer: returns the envelope when the HTTP status is 2xx and `code` is 200, and throws
 * `ImAuthError` `ERR_VENDOR_API` otherwise, with `vendorCode` = `code` (the HTTP status when there is none),
 * `vendorMessage` = `errorMessage` and `status` = the HTTP status. RongCloud answers most errors with an HTTP
 * status to match (1004 with 401, 1008 with 429, 1000 with 500).
 *
 * @example
 * ```ts
 * const { token } = parseRongCloudEnvelope(200, await response.json());
 * ```
 */
export function parseRongCloudEnvelope(status: number, json: unknown): RongCloudEnvelope {
  const code = envelopeCode(json);
  if (status >= 200 && status < 300 && code === 200) return json as RongCloudEnvelope;
  const vendorMessage = envelopeMessage(json);
  const detail = vendorMessage === undefined ? "" : `: ${vendorMessage}`;
  throw new ImAuthError(
    "ERR_VENDOR_API",
    code === undefined
      ? `RongCloud API answered HTTP ${status} without a code${detail}`
      : `RongCloud API answered code ${code} (HTTP ${status})${detail}`,
    { vendorCode: code ?? status, status, ...(vendorMessage === undefined ? {} : { vendorMessage }) },
  );
}

/**
 * An API path relative to the domain root (`user/getToken.json`): a leading `/` is dropped; an absolute URL,
 * a `..` or a path not ending in `.json` is refused with `ImAuthError` `ERR_INVALID_INPUT`.
 *
 * @example
 * ```ts
 * rongCloudApiPath("/user/getToken.json"); // "user/getToken.json"
 * ```
 */
export function rongCloudApiPath(path: string): string {
  if (
    typeof path !== "string" ||
    path.length === 0 ||
    path.length > 200 ||
    /^[a-z][a-z0-9+.-]*:/i.test(path) ||
    path.includes("..") ||
    !/\.json$/.test(path)
  ) {
    throw new ImAuthError("ERR_INVALID_INPUT", "path must be a relative API path such as user/getToken.json");
  }
  return path.replace(/^\/+/, "");
}
