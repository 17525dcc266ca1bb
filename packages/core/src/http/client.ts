import { utf8Decode } from "../encoding/utf8.js";
import { ImAuthError } from "../errors.js";
import type { ImAuthProvider } from "../types.js";
import { normalizeBaseUrl, resolveUnder } from "../url.js";
import {
  type AttemptContext,
  defaultRetryDecision,
  isIdempotentMethod,
  mayRepeat,
  type RetryDecision,
} from "./retry.js";
import { type RawAnswer, sendSigned } from "./transport.js";

/**
 * Details passed to {@link ImClientOptions.onRetry}. The error never carries the credential.
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
  /**
   * A form body (sent as `application/x-www-form-urlencoded;charset=utf-8`); a list repeats its field
   * (`{ to: ["a", "b"] }` is `to=a&to=b`, how RongCloud takes lists).
   */
  form?: Record<string, string | number | boolean | readonly (string | number | boolean)[]>;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** Extra query parameters. */
  searchParams?: Record<string, string | number>;
  /**
   * Whether repeating the call cannot duplicate an effect. Default: by method (`GET`, `HEAD`, `OPTIONS`,
   * `PUT`, `DELETE` yes; `POST`, `PATCH` no). A call that is not idempotent is retried only when the failed
   * attempt never reached the vendor or the vendor's answer proves it had no effect.
   */
  idempotent?: boolean;
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

/** Default cap on an answer's body: 16 MiB, far above any IM server API answer. */
const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

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
  /** Deadline of one attempt in milliseconds, from sending to the end of the answer's body. Default 10000. */
  timeoutMs?: number;
  /** Largest accepted answer body in bytes; larger answers fail with `ERR_VENDOR_API`. Default 16 MiB. */
  maxResponseBytes?: number;
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
  classify?: (error: ImAuthError, attempt: number, context: AttemptContext) => RetryDecision;
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
 * The settings of {@link ImClientOptions} a vendor's client passes through unchanged, so that every vendor
 * client declares them once as `interface MyClientOptions extends ImClientTuning { ... }` and documents them
 * in one place.
 *
 * @example
 * ```ts
 * import type { ImClientTuning } from "@imauth/core/http";
 *
 * interface MyClientOptions extends ImClientTuning {
 *   baseUrl?: string | readonly string[];
 * }
 * ```
 */
export type ImClientTuning = Pick<
  ImClientOptions,
  | "timeoutMs"
  | "maxResponseBytes"
  | "retryLimit"
  | "backoffMs"
  | "maxBackoffMs"
  | "onRetry"
  | "fetch"
  | "sleep"
  | "random"
>;

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

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Builds the unsigned request of one attempt; the path must resolve under the base URL. */
function buildRequest(base: string, path: string, init: ImRequestInit): Request {
  const url = resolveUnder(base, path);
  for (const [k, v] of Object.entries(init.searchParams ?? {})) url.searchParams.set(k, String(v));
  const headers = new Headers(init.headers);
  let body: string | undefined;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  } else if (init.form !== undefined) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(init.form)) {
      for (const item of Array.isArray(v) ? v : [v]) form.append(k, String(item));
    }
    body = form.toString();
    if (!headers.has("content-type"))
      headers.set("content-type", "application/x-www-form-urlencoded;charset=utf-8");
  }
  return new Request(url, { method: (init.method ?? "POST").toUpperCase(), headers, body });
}

/** Parses an answer's body as JSON (`undefined` when empty). */
function answerJson(answer: RawAnswer, host: string): unknown {
  const text = utf8Decode(answer.body);
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ImAuthError("ERR_VENDOR_API", `${host} answered HTTP ${answer.status} with a non-JSON body`, {
      status: answer.status,
    });
  }
}

function baseUrlList(baseUrl: unknown): string[] {
  const list = typeof baseUrl === "string" ? [baseUrl] : Array.isArray(baseUrl) ? baseUrl : [];
  if (list.length === 0) throw new ImAuthError("ERR_INVALID_CONFIG", "baseUrl must name at least one URL");
  return list.map((base) => normalizeBaseUrl(base));
}

function errorName(error: unknown): string {
  return error instanceof Error && /^[A-Za-z]{1,40}$/.test(error.name) ? error.name : typeof error;
}

function defaultParse(response: ImResponse): unknown {
  if (response.status >= 200 && response.status < 300) return response.json;
  throw new ImAuthError("ERR_VENDOR_API", `the API answered HTTP ${response.status}`, {
    status: response.status,
    vendorCode: response.status,
  });
}

/**
 * Creates an HTTP client, built on ky, whose every attempt (first and retries) is signed afresh by
 * `provider.signRequest`. Signed requests never follow redirects, never leave the base URL, and one deadline
 * covers each whole attempt, body included. Failures surface as `ImAuthError` (`ERR_NETWORK` for transport
 * errors and timeouts, `ERR_VENDOR_API` for error answers) that never carry the credential. Calls that are
 * not idempotent are retried only when the failed attempt provably had no effect. Vendor adapters wrap it
 * with their envelopes and codes (`createTencentImClient`, `createNeteaseImClient`).
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
  const baseUrls = baseUrlList(options?.baseUrl);
  const {
    timeoutMs = 10_000,
    maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES,
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
  const transport = { timeoutMs, maxResponseBytes, fetch: fetchImpl as typeof fetch };
  let current = 0;

  async function attempt(path: string, init: ImRequestInit, context: AttemptContext): Promise<T> {
    const signed = await provider.signRequest(buildRequest(baseUrls[current]!, path, init));
    context.request = signed;
    const answer = await sendSigned(signed, transport);
    const json = answerJson(answer, new URL(signed.url).host);
    return parse({ status: answer.status, headers: answer.headers, json });
  }

  function delayFor(n: number, decision: RetryDecision): number {
    const backoff = Math.min(maxBackoffMs, backoffMs * 2 ** (n - 1)) * (0.5 + random() / 2);
    return Math.max(decision.delayMs ?? 0, Math.round(backoff));
  }

  return {
    get baseUrl() {
      return baseUrls[current]!;
    },
    async request(path, init = {}) {
      const idempotent = init.idempotent ?? isIdempotentMethod(init.method ?? "POST");
      const context: AttemptContext = { idempotent };
      for (let n = 1; ; n++) {
        context.request = undefined;
        try {
          return await attempt(path, init, context);
        } catch (cause) {
          const error =
            cause instanceof ImAuthError
              ? cause
              : // The original is dropped: it may hold the signed request.
                new ImAuthError(
                  "ERR_VENDOR_API",
                  `the vendor's answer could not be processed (${errorName(cause)})`,
                );
          const decision = classify(error, n, context);
          if (!decision.retry || n > retryLimit || !mayRepeat(error, decision, idempotent)) throw error;
          const delayMs = delayFor(n, decision);
          if (decision.failover && baseUrls.length > 1) current = (current + 1) % baseUrls.length;
          onRetry?.({ attempt: n, error, delayMs, baseUrl: baseUrls[current]! });
          await sleep(delayMs);
          await decision.beforeRetry?.();
        }
      }
    },
  };
}
