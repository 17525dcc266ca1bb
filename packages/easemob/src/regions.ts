import { ImAuthError } from "@imauth/core";
import { normalizeBaseUrl } from "@imauth/core/adapter";

/**
 * Easemob's REST origins per data center, primary first, then the alternative domain the client fails over
 * to, as Easemob's documentation lists them; an app's base URL is `{origin}{orgName}/{appName}/`. An app lives
 * in one data center (shown on the console's app overview); VIP clusters get their own host from Easemob:
 * pass it as `baseUrl`.
 */
export const EASEMOB_REGIONS = Object.freeze({
  /** China zone 1. */
  cn1: Object.freeze(["https://a1.easemob.com/"]),
  /** China zone 2. */
  cn2: Object.freeze(["https://a31.easemob.com/"]),
  /** Singapore zone 1. */
  sgp1: Object.freeze(["https://a1-sgp.easemob.com/", "https://a1-sgp.easecdn.com/"]),
  /** Singapore zone 2. */
  sgp2: Object.freeze(["https://a61.easemob.com/", "https://a61.easecdn.com/"]),
  /** US East zone 1. */
  use1: Object.freeze(["https://a41.easemob.com/", "https://a41.easecdn.com/"]),
  /** Germany zone 2. */
  de2: Object.freeze(["https://a71.easemob.com/", "https://a71.easecdn.com/"]),
} as const);

/**
 * An Easemob data center.
 *
 * @example
 * ```ts
 * const region: EasemobRegion = process.env.EASEMOB_REGION === "sgp2" ? "sgp2" : "cn1";
 * ```
 */
export type EasemobRegion = keyof typeof EASEMOB_REGIONS;

/** Most hosts accepted in one list (primary and backups). */
const MAX_HOSTS = 8;

// Easemob's org and app names: letters, digits and hyphens (the console's rule); checked because they
// become URL path segments.
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * Checks an org or app name (letters, digits, `-`, `_`; 1 to 64 characters). Throws `ERR_INVALID_CONFIG`.
 */
export function assertEasemobName(value: unknown, what: string): asserts value is string {
  if (typeof value !== "string" || !NAME.test(value)) {
    throw new ImAuthError(
      "ERR_INVALID_CONFIG",
      `${what} must be 1 to 64 letters, digits, "-" or "_" (as the console shows it)`,
    );
  }
}

function hostUrl(host: unknown): string {
  if (typeof host !== "string" || host.length === 0 || host.length > 253) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "baseUrl must be a host name such as a1.easemob.com");
  }
  // A bare host name is reached over HTTPS; an origin (http://127.0.0.1:8080) is taken as it is.
  const url = /^https?:\/\//i.test(host) ? host : `https://${host}`;
  const normalized = normalizeBaseUrl(url);
  if (new URL(normalized).pathname !== "/") {
    throw new ImAuthError("ERR_INVALID_CONFIG", "baseUrl must be a host name or an origin, without a path");
  }
  return normalized;
}

/**
 * The REST base URLs of an app, `https://{host}/{orgName}/{appName}/`: a region's hosts (default `cn1`) or
 * `baseUrl` (one host, or the primary followed by backups), never both. Throws `ImAuthError` `ERR_INVALID_CONFIG`.
 */
export function readBaseUrls(
  region: unknown,
  host: unknown,
  orgName: string,
  appName: string,
): readonly string[] {
  if (region !== undefined && host !== undefined) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "give either region or baseUrl, not both");
  }
  let hosts: readonly unknown[];
  if (host === undefined) {
    const name = region ?? "cn1";
    if (typeof name !== "string" || !Object.hasOwn(EASEMOB_REGIONS, name)) {
      throw new ImAuthError(
        "ERR_INVALID_CONFIG",
        `region must be one of ${Object.keys(EASEMOB_REGIONS).join(", ")}`,
      );
    }
    hosts = EASEMOB_REGIONS[name as EasemobRegion];
  } else {
    hosts = typeof host === "string" ? [host] : Array.isArray(host) ? host : [];
    if (hosts.length === 0 || hosts.length > MAX_HOSTS) {
      throw new ImAuthError(
        "ERR_INVALID_CONFIG",
        `baseUrl must be a host name or a list of 1 to ${MAX_HOSTS}`,
      );
    }
  }
  return Object.freeze(hosts.map((h) => `${hostUrl(h)}${orgName}/${appName}/`));
}
