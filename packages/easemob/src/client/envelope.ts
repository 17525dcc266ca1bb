import { ImAuthError } from "@imauth/core";

/**
 * Easemob's error envelope: `error` names the kind (`unauthorized`, `illegal_argument`,
 * `service_resource_not_found`...), `error_description` says what happened, `exception` is the server's
 * exception class; successful answers carry their own fields (`entities`, `data`, `access_token`...).
 *
 * @example
 * ```ts
 * const refused: EasemobEnvelope = { error: "unauthorized", error_description: "Unable to authenticate (OAuth)" };
 * ```
 */
export interface EasemobEnvelope {
  /** The error kind, on failures. */
  error?: string;
  /** What went wrong, on failures. */
  error_description?: string;
  /** The server's exception class, on failures. */
  exception?: string;
  [field: string]: unknown;
}

function field(json: unknown, name: string, max: number): string | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const value = (json as Record<string, unknown>)[name];
  return typeof value === "string" && value.length > 0 ? value.slice(0, max) : undefined;
}

/**
 * Reads an Easemob answer: returns the body (a JSON object, or `{}` when empty) when the HTTP status is 2xx,
 * and throws `ImAuthError` `ERR_VENDOR_API` otherwise, with `vendorCode` = the envelope's `error` (the HTTP
 * status when there is none: Easemob's codes are its HTTP statuses), `vendorMessage` = `error_description`
 * and `status`. Pure: the provider's token requests and the REST client share it.
 *
 * @example
 * ```ts
 * import { parseEasemobEnvelope } from "@imauth/easemob/client";
 *
 * parseEasemobEnvelope(200, { entities: [] }); // the body
 * parseEasemobEnvelope(401, { error: "unauthorized" }); // throws ERR_VENDOR_API, status 401
 * ```
 */
export function parseEasemobEnvelope(status: number, json: unknown): EasemobEnvelope {
  const ok = status >= 200 && status < 300;
  const isObject = typeof json === "object" && json !== null && !Array.isArray(json);
  if (ok && (isObject || json === undefined)) return (json ?? {}) as EasemobEnvelope;
  const error = field(json, "error", 100);
  const vendorMessage = field(json, "error_description", 300);
  const exception = field(json, "exception", 100);
  const what = [error, vendorMessage].filter((x) => x !== undefined).join(": ");
  const message = ok
    ? `Easemob API answered HTTP ${status} with a body that is not a JSON object`
    : `Easemob API answered HTTP ${status}${what ? ` ${what}` : ""}${exception ? ` (${exception})` : ""}`;
  throw new ImAuthError("ERR_VENDOR_API", message, {
    vendorCode: error ?? status,
    status,
    ...(vendorMessage === undefined ? {} : { vendorMessage }),
  });
}
