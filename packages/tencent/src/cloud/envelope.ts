import { ImAuthError } from "@imauth/core";

/**
 * The `Response` object of every Tencent Cloud API 3.0 answer: the API's own fields and `RequestId`.
 *
 * @example
 * ```ts
 * const answer: TencentCloudResult<{ TaskId: string }> = await cloud.call("CreateCloudRecording", params);
 * console.log(answer.TaskId, answer.RequestId);
 * ```
 */
export type TencentCloudResult<T extends object = Record<string, unknown>> = T & {
  /** Tencent's ID of the request: quote it to Tencent's support. */
  RequestId: string;
};

const CODE = /^[A-Za-z][A-Za-z0-9._]{0,127}$/;
const REQUEST_ID = /^[A-Za-z0-9_-]{1,128}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads a Tencent Cloud API 3.0 answer, `{"Response": {..., "RequestId"}}`: returns `Response` when it has
 * no `Error`, and throws `ImAuthError` `ERR_VENDOR_API` otherwise, with `vendorCode` = `Error.Code`
 * (e.g. `AuthFailure.SignatureFailure`), `vendorMessage` = `Error.Message`, `status` = the HTTP status and
 * the `RequestId` in the message. Tencent answers errors with HTTP 200, so the envelope decides; a non-2xx
 * status without an envelope (a gateway) is an error too.
 *
 * @example
 * ```ts
 * const result = parseTencentCloudEnvelope(200, await response.json());
 * ```
 */
export function parseTencentCloudEnvelope<T extends object = Record<string, unknown>>(
  status: number,
  json: unknown,
): TencentCloudResult<T> {
  const response = isRecord(json) && isRecord(json.Response) ? json.Response : undefined;
  const error = response !== undefined && isRecord(response.Error) ? response.Error : undefined;
  const requestId =
    typeof response?.RequestId === "string" && REQUEST_ID.test(response.RequestId)
      ? response.RequestId
      : undefined;
  const where = requestId === undefined ? "" : ` (RequestId ${requestId})`;
  if (error !== undefined) {
    const code = typeof error.Code === "string" && CODE.test(error.Code) ? error.Code : "UnknownError";
    const message = typeof error.Message === "string" ? error.Message.slice(0, 500) : "";
    throw new ImAuthError(
      "ERR_VENDOR_API",
      `Tencent Cloud API error ${code}${message ? `: ${message}` : ""}${where}`,
      {
        status,
        vendorCode: code,
        ...(message ? { vendorMessage: message } : {}),
      },
    );
  }
  if (status < 200 || status >= 300) {
    throw new ImAuthError("ERR_VENDOR_API", `Tencent Cloud API answered HTTP ${status}${where}`, {
      status,
      vendorCode: status,
    });
  }
  if (response === undefined || requestId === undefined) {
    throw new ImAuthError(
      "ERR_VENDOR_API",
      "Tencent Cloud API answered without a Response object and RequestId",
      {
        status,
      },
    );
  }
  return response as TencentCloudResult<T>;
}
