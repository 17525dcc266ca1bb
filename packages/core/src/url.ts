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
