import { ImAuthError, type ImAuthErrorCode } from "./errors.js";

/**
 * Checks a base URL (absolute http(s), no query, fragment or user info) and returns it with a trailing `/`,
 * so relative API paths resolve under it. Throws `ImAuthError` (`ERR_INVALID_CONFIG` by default).
 *
 * @example
 * ```ts
 * normalizeBaseUrl("https://api.example.com/nimserver"); // "https://api.example.com/nimserver/"
 * ```
 */
export function normalizeBaseUrl(base: unknown, code: ImAuthErrorCode = "ERR_INVALID_CONFIG"): string {
  let url: URL;
  try {
    url = new URL(String(base));
  } catch {
    throw new ImAuthError(code, "baseUrl must be an absolute http(s) URL");
  }
  if (typeof base !== "string" || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new ImAuthError(code, "baseUrl must be an absolute http(s) URL");
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ImAuthError(code, "baseUrl must not carry a query, fragment or credentials");
  }
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url.toString();
}

/**
 * Resolves an API path against a normalised base URL and requires the result to stay on the base's origin
 * and under its path. The check runs on the resolved URL, so whatever the URL parser strips or reinterprets
 * (leading whitespace or control characters, backslashes, `//host`, `..`) cannot send a signed request
 * elsewhere. Throws `ImAuthError` `ERR_INVALID_INPUT`.
 *
 * @example
 * ```ts
 * resolveUnder("https://api.example.com/nimserver/", "user/create.action").href;
 * // "https://api.example.com/nimserver/user/create.action"
 * resolveUnder("https://api.example.com/nimserver/", "\t//evil.example/x"); // throws ERR_INVALID_INPUT
 * ```
 */
export function resolveUnder(base: string, path: unknown): URL {
  if (typeof path !== "string") throw new ImAuthError("ERR_INVALID_INPUT", "path must be a string");
  const root = new URL(base);
  let url: URL;
  try {
    url = new URL(path.replace(/^\/+/, ""), root);
  } catch {
    throw new ImAuthError("ERR_INVALID_INPUT", "path is not a valid URL path");
  }
  if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname) || url.username || url.password) {
    throw new ImAuthError("ERR_INVALID_INPUT", "path must stay under the API's base URL");
  }
  return url;
}

/**
 * A URL safe to show in an error or a log: origin and path, every query value replaced by `[redacted]`
 * (query strings of signed requests carry credentials, e.g. Tencent's `usersig`).
 *
 * @example
 * ```ts
 * redactUrl("https://console.tim.qq.com/v4/openim/sendmsg?usersig=eJw&random=1");
 * // "https://console.tim.qq.com/v4/openim/sendmsg?usersig=[redacted]&random=[redacted]"
 * ```
 */
export function redactUrl(input: string | URL): string {
  const url = new URL(String(input));
  const names = [...url.searchParams.keys()];
  const query = names.map((name) => `${encodeURIComponent(name)}=[redacted]`).join("&");
  return `${url.origin}${url.pathname}${query ? `?${query}` : ""}`;
}

/** Most base URLs accepted in one list (primary and backups). */
const MAX_BASE_URLS = 8;

/**
 * The API base URLs of a vendor provider, read from its `region` and `baseUrl` options (untrusted
 * configuration): the region's URLs from `regions` (`defaultRegion` when neither is given), or `baseUrl` (one
 * URL, or the primary followed by up to 7 backups), never both. Throws `ERR_INVALID_CONFIG`. The one reading of
 * the mold's endpoint vocabulary, shared by every vendor package.
 *
 * @example
 * ```ts
 * const baseUrls = readBaseUrls(options.region, options.baseUrl, NETEASE_REGIONS, "cn");
 * ```
 */
export function readBaseUrls(
  region: unknown,
  baseUrl: unknown,
  regions: Readonly<Record<string, readonly string[]>>,
  defaultRegion: string,
): readonly string[] {
  if (region !== undefined && baseUrl !== undefined) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "give either region or baseUrl, not both");
  }
  if (baseUrl === undefined) {
    const name = region ?? defaultRegion;
    if (typeof name !== "string" || !Object.hasOwn(regions, name)) {
      throw new ImAuthError("ERR_INVALID_CONFIG", `region must be one of ${Object.keys(regions).join(", ")}`);
    }
    return regions[name]!;
  }
  const list = typeof baseUrl === "string" ? [baseUrl] : baseUrl;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_BASE_URLS) {
    throw new ImAuthError(
      "ERR_INVALID_CONFIG",
      `baseUrl must be a URL or a list of 1 to ${MAX_BASE_URLS} URLs`,
    );
  }
  return Object.freeze(list.map((url) => normalizeBaseUrl(url)));
}
