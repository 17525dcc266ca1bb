import { ImAuthError } from "@imauth/core";

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
