import { ImAuthError } from "@imauth/core";

/**
 * NetEase's answer envelope: `code` 200 is success; v1 answers carry `desc` (errors) or `info` and other
 * fields, v2 answers `msg` and `data`.
 *
 * @example
 * ```ts
 * const ok: NeteaseEnvelope = { code: 200, data: { account_id: "user01" } };
 * ```
 */
export interface NeteaseEnvelope {
  /** 200 on success, otherwise NetEase's error code (414 parameter or CheckSum error, 416 rate limit...). */
  code: number;
  [field: string]: unknown;
}

function envelopeCode(json: unknown): number | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const code = (json as { code?: unknown }).code;
  if (typeof code === "number") return code;
  if (typeof code === "string" && /^\d{1,9}$/.test(code)) return Number(code);
  return undefined;
}

function envelopeMessage(json: unknown): string | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const e = json as Record<string, unknown>;
  for (const value of [e.desc, e.msg, e.info, e.message]) {
    if (typeof value === "string" && value.length > 0) return value.slice(0, 300);
  }
  return undefined;
}

/**
 * Reads a NetEase answer (both API generations): returns the envelope when the HTTP status is 2xx and `code`
 * is 200, and throws `ImAuthError` `ERR_VENDOR_API` otherwise, with `vendorCode` = `code` (the HTTP status
 * when there is none), `vendorMessage` = `desc`/`msg` and `status` = the HTTP status.
 *
 * @example
 * ```ts
 * const { info } = parseNeteaseEnvelope(200, await response.json());
 * ```
 */
export function parseNeteaseEnvelope(status: number, json: unknown): NeteaseEnvelope {
  const code = envelopeCode(json);
  const ok = status >= 200 && status < 300;
  if (ok && code === 200) return json as NeteaseEnvelope;
  const vendorMessage = envelopeMessage(json);
  const vendorCode = code ?? status;
  const detail = vendorMessage === undefined ? "" : `: ${vendorMessage}`;
  throw new ImAuthError(
    "ERR_VENDOR_API",
    code === undefined
      ? `NetEase API answered HTTP ${status} without a code${detail}`
      : `NetEase API answered code ${code}${detail}`,
    { vendorCode, status, ...(vendorMessage === undefined ? {} : { vendorMessage }) },
  );
}

/**
 * An API path relative to `/nimserver/` (`user/create.action`, `im/v2/accounts`): a leading `/` or
 * `nimserver/` is dropped; an absolute URL or a `..` is refused with `ImAuthError` `ERR_INVALID_INPUT`.
 *
 * @example
 * ```ts
 * neteaseApiPath("/nimserver/user/create.action"); // "user/create.action"
 * ```
 */
export function neteaseApiPath(path: string): string {
  if (
    typeof path !== "string" ||
    path.length === 0 ||
    /^[a-z][a-z0-9+.-]*:/i.test(path) ||
    path.includes("..")
  ) {
    throw new ImAuthError("ERR_INVALID_INPUT", "path must be a relative API path such as user/create.action");
  }
  return path.replace(/^\/+/, "").replace(/^nimserver\//, "");
}
