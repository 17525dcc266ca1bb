import { ImAuthError } from "@imauth/core";

/**
 * An Agora Chat REST answer. Successes carry `action`, `path`, `uri`, `timestamp`, `duration` and the call's
 * `entities` or `data`; errors carry `error` (a name such as `"unauthorized"` or `"reach_limit"`),
 * `exception`, `timestamp`, `duration` and `error_description`, with an HTTP status of 4xx or 5xx.
 *
 * @example
 * ```ts
 * const ok: AgoraChatEnvelope = { action: "post", entities: [{ username: "alice" }], timestamp: 1700000000000 };
 * ```
 */
export interface AgoraChatEnvelope {
  /** The HTTP method, lowercase. */
  action?: string;
  /** The created or read entities (users...). */
  entities?: Array<Record<string, unknown>>;
  /** The call's data (message IDs by recipient...). */
  data?: unknown;
  /** Server time of the answer, epoch milliseconds. */
  timestamp?: number;
  [field: string]: unknown;
}

function text(value: unknown, max: number): string | undefined {
  return typeof value === "string" && value.length > 0 ? value.slice(0, max) : undefined;
}

/**
 * Reads an Agora Chat REST answer: returns it when the HTTP status is 2xx and the body is a JSON object
 * without `error`; throws `ImAuthError` `ERR_VENDOR_API` otherwise, with `vendorCode` = the `error` name (the
 * HTTP status when there is none), `vendorMessage` = `error_description` and `status` = the HTTP status.
 *
 * @example
 * ```ts
 * const { entities } = parseAgoraChatEnvelope(200, await response.json());
 * ```
 */
export function parseAgoraChatEnvelope(status: number, json: unknown): AgoraChatEnvelope {
  const object = typeof json === "object" && json !== null && !Array.isArray(json);
  const error = object ? text((json as { error?: unknown }).error, 100) : undefined;
  if (status >= 200 && status < 300 && object && error === undefined) return json as AgoraChatEnvelope;
  const vendorMessage = object
    ? text((json as { error_description?: unknown }).error_description, 300)
    : undefined;
  const detail = vendorMessage === undefined ? "" : `: ${vendorMessage}`;
  throw new ImAuthError(
    "ERR_VENDOR_API",
    error === undefined
      ? `Agora Chat API answered HTTP ${status} without an error name${detail}`
      : `Agora Chat API answered HTTP ${status} ${error}${detail}`,
    { vendorCode: error ?? status, status, ...(vendorMessage === undefined ? {} : { vendorMessage }) },
  );
}

// A "." or ".." path segment (also percent-encoded, which URL parsers resolve alike) would move the call to
// another resource under the same base; a user ID such as "a..b" is only a name.
const DOT_SEGMENT = /(^|\/)(\.|%2e){1,2}(\/|[?#]|$)/i;

/**
 * An API path relative to the app's REST root (`users`, `messages/users`): a leading `/` is dropped; an
 * absolute URL or a `..` is refused with `ImAuthError` `ERR_INVALID_INPUT`.
 *
 * @example
 * ```ts
 * agoraChatApiPath("/users/alice"); // "users/alice"
 * ```
 */
export function agoraChatApiPath(path: string): string {
  if (
    typeof path !== "string" ||
    path.length === 0 ||
    /^[a-z][a-z0-9+.-]*:/i.test(path) ||
    DOT_SEGMENT.test(path)
  ) {
    throw new ImAuthError(
      "ERR_INVALID_INPUT",
      "path must be a relative API path such as users or messages/users",
    );
  }
  return path.replace(/^\/+/, "");
}
