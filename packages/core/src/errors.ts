/**
 * Every failure in imauth is an {@link ImAuthError} with one of these codes.
 *
 * - `ERR_INVALID_CONFIG`: a provider or function was configured wrongly (missing key, bad SDKAppID...).
 * - `ERR_INVALID_INPUT`: an argument of a call is invalid (empty user ID, non-integer TTL...).
 * - `ERR_MALFORMED_CREDENTIAL`: a credential (UserSig, token) cannot be decoded.
 * - `ERR_SIGNATURE_INVALID`: a credential decodes but its signature does not match.
 * - `ERR_CREDENTIAL_EXPIRED`: a credential is authentic but expired.
 * - `ERR_APP_MISMATCH`: a credential was issued for another application.
 * - `ERR_USER_MISMATCH`: a credential was issued for another user.
 * - `ERR_USERBUF_MISMATCH`: a credential carries other user data than expected.
 * - `ERR_WEBHOOK_INVALID`: an inbound callback is not authentic or is malformed.
 * - `ERR_WEBHOOK_EXPIRED`: an inbound callback is authentic but too old (or too far in the future).
 * - `ERR_VENDOR_API`: the vendor's API answered with an error; see `vendorCode` and `vendorMessage`.
 * - `ERR_NETWORK`: the vendor's API could not be reached (DNS, connection, timeout).
 *
 * ## Which of `ERR_INVALID_CONFIG` and `ERR_INVALID_INPUT`
 * One rule, followed by every validator in core and every adapter:
 *
 * - **Bad configuration is `ERR_INVALID_CONFIG`**: what is fixed when an application is set up. That is
 *   a factory's options object and every field of it (`create*Provider`, `create*ImClient`,
 *   `create*Emulator`), and, in whatever function they are passed, keys and secrets (`secretKey`,
 *   `appSecret`, PEM keys, callback tokens), application IDs (`sdkAppId`, `appKey`), clocks, regions and base
 *   URLs: a wrong one fails every call, so it is a deployment error, not a caller's.
 * - **Bad per-call input is `ERR_INVALID_INPUT`**: what changes from call to call. The arguments of a
 *   method or function (user IDs, TTLs, room IDs, user data, request paths, a `Request` to sign), the options
 *   object of a call, and encoded values handed in to decode (base64, hex).
 *
 * Validators in `@imauth/core/adapter` take the code to throw; their default is the code of what they
 * usually check (`assertNonEmptyString` checks keys: `ERR_INVALID_CONFIG`; `assertUserId`, `assertInteger`,
 * `assertOptionsObject`: `ERR_INVALID_INPUT`; `parseConfig`, `normalizeBaseUrl`, `readClock`:
 * `ERR_INVALID_CONFIG`). Pass the code whenever the default does not fit the rule above. Messages name the
 * field and what was wrong, never the value.
 *
 * @example
 * ```ts
 * const retryable = (code: ImAuthErrorCode) => code === "ERR_NETWORK";
 * ```
 */
export type ImAuthErrorCode =
  | "ERR_INVALID_CONFIG"
  | "ERR_INVALID_INPUT"
  | "ERR_MALFORMED_CREDENTIAL"
  | "ERR_SIGNATURE_INVALID"
  | "ERR_CREDENTIAL_EXPIRED"
  | "ERR_APP_MISMATCH"
  | "ERR_USER_MISMATCH"
  | "ERR_USERBUF_MISMATCH"
  | "ERR_WEBHOOK_INVALID"
  | "ERR_WEBHOOK_EXPIRED"
  | "ERR_VENDOR_API"
  | "ERR_NETWORK";

/**
 * Extra fields of an {@link ImAuthError}.
 *
 * @example
 * ```ts
 * throw new ImAuthError("ERR_VENDOR_API", "the API refused the call", { vendorCode: 70001, vendorMessage: "expired" });
 * ```
 */
export interface ImAuthErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** The vendor's own error code, for `ERR_VENDOR_API`. */
  vendorCode?: number | string;
  /** The vendor's own error message, for `ERR_VENDOR_API`. */
  vendorMessage?: string;
  /** HTTP status of the vendor's answer, when there was one. */
  status?: number;
  /** For `ERR_NETWORK`: whether the request can have reached the vendor. */
  delivery?: ImDelivery;
}

/**
 * Whether a request that failed in transit can have reached the vendor: `"not-sent"` when the connection
 * was never made (refused, DNS failure), so repeating it cannot duplicate an effect; `"unknown"` after a
 * timeout or a reset, when the vendor may have acted on it.
 *
 * @example
 * ```ts
 * if (error.code === "ERR_NETWORK" && error.delivery === "not-sent") await sendAgain();
 * ```
 */
export type ImDelivery = "not-sent" | "unknown";

/**
 * The one error class of imauth. Messages name the field and what was wrong, and never contain a secret,
 * a key or a whole credential.
 *
 * @example
 * ```ts
 * import { ImAuthError } from "@imauth/core";
 *
 * try {
 *   verifyUserSig(userSig, { sdkAppId, secretKey });
 * } catch (error) {
 *   if (error instanceof ImAuthError && error.code === "ERR_CREDENTIAL_EXPIRED") {
 *     // ask the client to log in again
 *   }
 * }
 * ```
 */
export class ImAuthError extends Error {
  override readonly name = "ImAuthError";
  /** What went wrong, as a stable machine-readable string. */
  readonly code: ImAuthErrorCode;
  /** The vendor's own error code, for `ERR_VENDOR_API`. */
  readonly vendorCode?: number | string;
  /** The vendor's own error message, for `ERR_VENDOR_API`. */
  readonly vendorMessage?: string;
  /** HTTP status of the vendor's answer, when there was one. */
  readonly status?: number;
  /** For `ERR_NETWORK`: whether the request can have reached the vendor. */
  readonly delivery?: ImDelivery;

  constructor(code: ImAuthErrorCode, message: string, options: ImAuthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.vendorCode !== undefined) this.vendorCode = options.vendorCode;
    if (options.vendorMessage !== undefined) this.vendorMessage = options.vendorMessage;
    if (options.status !== undefined) this.status = options.status;
    if (options.delivery !== undefined) this.delivery = options.delivery;
  }
}

/**
 * Whether `value` is an {@link ImAuthError}, optionally with the given code. Works across copies of the
 * package (it checks the name and code, not the prototype).
 *
 * @example
 * ```ts
 * if (isImAuthError(error, "ERR_VENDOR_API")) console.log(error.vendorCode);
 * ```
 */
export function isImAuthError(value: unknown, code?: ImAuthErrorCode): value is ImAuthError {
  if (typeof value !== "object" || value === null) return false;
  const e = value as { name?: unknown; code?: unknown };
  return e.name === "ImAuthError" && typeof e.code === "string" && (code === undefined || e.code === code);
}
