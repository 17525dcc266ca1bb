import ky from "ky";
import { ImAuthError } from "../errors.js";
import type { ImAuthProvider } from "../types.js";

/**
 * What to do after a failed attempt.
 *
 * @example
 * ```ts
 * classify: (error) =>
 *   error.vendorCode === 60007 ? { retry: true, delayMs: 2000 } : { retry: false }
 * ```
 */
export interface RetryDecision {
  /** Whether to try again (within the retry limit). */
  retry: boolean;
  /** Minimum wait before the next attempt, in milliseconds (rate limits ask for longer waits). */
  delayMs?: number;
  /** Whether the next attempt goes to the next base URL (backup domain). */
  failover?: boolean;
  /** Work to do before the next attempt, e.g. renewing a cached admin credential. */
  beforeRetry?: () => void | Promise<void>;
}

/**
 * Details passed to {@link ImClientOptions.onRetry}.
 *
 * @example
 * ```ts
 * onRetry: ({ attempt, error, delayMs }) => console.warn(`attempt ${attempt} failed (${error.code}), retrying in ${delayMs} ms`)
 * ```
 */
export interface RetryInfo {
  /** Number of the attempt that failed, from 1. */
  attempt: number;
  /** Why it failed. */
  error: ImAuthError;
  /** How long the client waits before the next attempt, in milliseconds. */
  delayMs: number;
  /** The base URL the next attempt uses. */
  baseUrl: string;
}

/**
 * A server-API call made through {@link ImClient.request}.
 *
 * @example
 * ```ts
 * await client.request("user/create.action", { form: { accid: "alice" } });
 * await client.request("im/v2/accounts", { method: "POST", json: { account_id: "alice" } });
 * ```
 */
export interface ImRequestInit {
  /** HTTP method; default `POST`. */
  method?: string;
  /** A JSON body (sent as `application/json`). */
  json?: unknown;
  /** A form body (sent as `application/x-www-form-urlencoded;charset=utf-8`). */
  form?: Record<string, string | number | boolean>;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** Extra query parameters. */
  searchParams?: Record<string, string | number>;
}

/**
 * The parsed answer of a call, handed to {@link ImClientOptions.parse}.
 *
 * @example
 * ```ts
 * parse: ({ status, json }) => {
 *   if (status !== 200) throw new ImAuthError("ERR_VENDOR_API", `HTTP ${status}`, { status });
 *   return json;
 * }
 * ```
 */
export interface ImResponse {
  /** HTTP status. */
  status: number;
  /** Response headers. */
  headers: Headers;
  /** The body parsed as JSON (`undefined` when empty). */
  json: unknown;
}

/**
 * Options of {@link createImClient}.
 *
 * @example
 * ```ts
 * const options: ImClientOptions = {
 *   baseUrl: ["https://api.example.com/", "https://backup.example.com/"],
 *   timeoutMs: 5000,
 *   retryLimit: 2,
 * };
 * ```
 */
export interface ImClientOptions<T = unknown> {
  /** The API's base URL, or the primary followed by backups used for failover. */
  baseUrl: string | readonly string[];
  /** Per-attempt timeout in milliseconds. Default 10000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  retryLimit?: number;
  /** First backoff delay in milliseconds; doubled on each retry, with jitter. Default 200. */
  backoffMs?: number;
  /** Longest backoff delay in milliseconds (a vendor's `delayMs` may exceed it). Default 5000. */
  maxBackoffMs?: number;
  /**
   * Turns a parsed answer into the result, or throws `ImAuthError` `ERR_VENDOR_API` with the vendor's code.
   * Default: any 2xx JSON answer is the result.
   */
  parse?: (response: ImResponse) => T;
  /**
   * Decides whether a failure is retried. Adapters pass their vendor's codes and fall back to
   * {@link defaultRetryDecision}.
   */
  classify?: (error: ImAuthError, attempt: number) => RetryDecision;
  /** Called before each retry, e.g. for logging. */
  onRetry?: (info: RetryInfo) => void;
  /** The fetch to use (a test server, a proxy). Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Waits; replaced in tests. Default `setTimeout`. */
  sleep?: (ms: number) => Promise<void>;
  /** Source of jitter in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/**
 * A signed HTTP client for one vendor API.
 *
 * @example
 * ```ts
 * const client: ImClient = createImClient(provider, { baseUrl: "https://api.example.com/" });
 * const answer = await client.request("v1/ping");
 * ```
 */
export interface ImClient<T = unknown> {
  /** Signs, sends, retries and parses one call to `path` (relative to the base URL). */
  request(path: string, init?: ImRequestInit): Promise<T>;
  /** The base URL the next call starts with (changes after a failover). */
  readonly baseUrl: string;
}

/**
 * The default retry policy: network errors and HTTP 5xx are retried and fail over to the next base URL;
 * HTTP 429 is retried after a longer delay; everything else fails at once.
 *
 * @example
 * ```ts
 * classify: (error, attempt) => vendorRule(error) ?? defaultRetryDecision(error, attempt)
 * ```
 */
export function defaultRetryDecision(error: ImAuthError, _attempt: number): RetryDecision {
  if (error.code === "ERR_NETWORK") return { retry: true, failover: true };
  if (error.code === "ERR_VENDOR_API" && error.status !== undefined) {
    if (error.status >= 500) return { retry: true, failover: true };
    if (error.status === 429) return { retry: true, delayMs: 1000 };
  }
  return { retry: false };
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Creates an HTTP client, built on ky, whose every attempt (first and retries) is signed afresh by
 * `provider.signRequest`. Failures surface as `ImAuthError`: `ERR_NETWORK` for transport errors and
 * timeouts, `ERR_VENDOR_API` for error answers. Vendor adapters wrap it with their envelopes and codes
 * (`createTencentImClient`, `createNeteaseImClient`).
 *
 * @example
 * ```ts
 * import { createImClient } from "@imauth/core/http";
 *
 * const client = createImClient(provider, { baseUrl: "https://api.example.com/" });
 * const result = await client.request("v1/users", { json: { id: "alice" } });
 * ```
 */
export function createImClient<T = unknown>(
  provider: ImAuthProvider,
  options: ImClientOptions<T>,
): ImClient<T> {
  const baseUrls = (typeof options.baseUrl === "string" ? [options.baseUrl] : [...options.baseUrl]).map(
    normalizeBase,
  );
  if (baseUrls.length === 0)
    throw new ImAuthError("ERR_INVALID_CONFIG", "baseUrl must name at least one URL");
  const {
    timeoutMs = 10_000,
    retryLimit = 3,
    backoffMs = 200,
    maxBackoffMs = 5000,
    parse = defaultParse as (r: ImResponse) => T,
    classify = defaultRetryDecision,
    onRetry,
    sleep = defaultSleep,
    random = Math.random,
  } = options;
  const fetchImpl =
    options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  let current = 0;

  async function attempt(path: string, init: ImRequestInit): Promise<T> {
    const url = new URL(path.replace(/^\/+/, ""), baseUrls[current]);
    for (const [k, v] of Object.entries(init.searchParams ?? {})) url.searchParams.set(k, String(v));
    const headers = new Headers(init.headers);
    let body: string | undefined;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    } else if (init.form !== undefined) {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(init.form)) form.set(k, String(v));
      body = form.toString();
      if (!headers.has("content-type"))
        headers.set("content-type", "application/x-www-form-urlencoded;charset=utf-8");
    }
    const method = (init.method ?? "POST").toUpperCase();
    const signed = await provider.signRequest(new Request(url, { method, headers, body }));
    let response: Response;
    try {
      response = await ky(signed, { retry: 0, timeout: timeoutMs, throwHttpErrors: false, fetch: fetchImpl });
    } catch (cause) {
      const timedOut = cause instanceof Error && cause.name === "TimeoutError";
      throw new ImAuthError(
        "ERR_NETWORK",
        timedOut ? `request to ${url.host} timed out after ${timeoutMs} ms` : `request to ${url.host} failed`,
        { cause },
      );
    }
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      throw new ImAuthError("ERR_NETWORK", `reading the answer of ${url.host} failed`, { cause });
    }
    let json: unknown;
    if (text.length > 0) {
      try {
        json = JSON.parse(text);
      } catch (cause) {
        throw new ImAuthError(
          "ERR_VENDOR_API",
          `${url.host} answered HTTP ${response.status} with a non-JSON body`,
          {
            cause,
            status: response.status,
          },
        );
      }
    }
    return parse({ status: response.status, headers: response.headers, json });
  }

  return {
    get baseUrl() {
      return baseUrls[current]!;
    },
    async request(path, init = {}) {
      for (let n = 1; ; n++) {
        try {
          return await attempt(path, init);
        } catch (cause) {
          const error =
            cause instanceof ImAuthError
              ? cause
              : new ImAuthError("ERR_VENDOR_API", "the vendor's answer could not be processed", { cause });
          const decision = classify(error, n);
          if (!decision.retry || n > retryLimit) throw error;
          const backoff = Math.min(maxBackoffMs, backoffMs * 2 ** (n - 1)) * (0.5 + random() / 2);
          const delayMs = Math.max(decision.delayMs ?? 0, Math.round(backoff));
          if (decision.failover && baseUrls.length > 1) current = (current + 1) % baseUrls.length;
          onRetry?.({ attempt: n, error, delayMs, baseUrl: baseUrls[current]! });
          await sleep(delayMs);
          await decision.beforeRetry?.();
        }
      }
    },
  };
}

function defaultParse(response: ImResponse): unknown {
  if (response.status >= 200 && response.status < 300) return response.json;
  throw new ImAuthError("ERR_VENDOR_API", `the API answered HTTP ${response.status}`, {
    status: response.status,
    vendorCode: response.status,
  });
}

function normalizeBase(base: string): string {
  try {
    const url = new URL(base);
    if (!url.pathname.endsWith("/")) url.pathname += "/";
    return url.toString();
  } catch (cause) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "baseUrl must be an absolute URL", { cause });
  }
}
