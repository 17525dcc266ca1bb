import { ImAuthError, type ImAuthProvider } from "@imauth/core";
import { assertOptionsObject, assertWellFormed, normalizeBaseUrl, typeName } from "@imauth/core/adapter";
import {
  type AttemptContext,
  createImClient,
  type ImClientTuning,
  type RetryDecision,
} from "@imauth/core/http";
import { parseTencentCloudEnvelope, type TencentCloudResult } from "./envelope.js";
import { tencentCloudEndpoints } from "./regions.js";
import { classifyTencentCloudError, isIdempotentAction } from "./retry.js";
import type { TencentCloudSigner } from "./signer.js";

/**
 * Options of {@link createTencentCloudClient}.
 *
 * @example
 * ```ts
 * const options: TencentCloudClientOptions = { signer, endpoint: "nearest", timeoutMs: 5000 };
 * ```
 */
export interface TencentCloudClientOptions extends ImClientTuning {
  /** The signer, from `createTencentCloudSigner`. */
  signer: TencentCloudSigner;
  /**
   * Which domains: `global` (default: `https://<service>.tencentcloudapi.com/`) or `nearest` (the
   * signer's region's domain, then the global one as backup; needs the signer's `region`).
   */
  endpoint?: "global" | "nearest";
  /** Base URLs instead (primary first, then backups), e.g. an emulator's; not with `endpoint`. */
  baseUrl?: string | readonly string[];
  /** `POST` with a JSON body (default) or `GET` with the parameters in the query, as the official SDK. */
  method?: "POST" | "GET";
  /** First delay after `RequestLimitExceeded`, in ms, doubled per retry. Default 1000. */
  rateLimitDelayMs?: number;
}

/**
 * A Tencent Cloud API 3.0 client made by {@link createTencentCloudClient}.
 *
 * @example
 * ```ts
 * const client: TencentCloudClient = createTencentCloudClient({ signer });
 * await client.call("DismissRoom", { SdkAppId: 1400000001, RoomId: 1234 });
 * ```
 */
export interface TencentCloudClient {
  /**
   * Calls `action` with `params` and returns the answer's `Response` (with `RequestId`); an answer with
   * `Error` throws `ImAuthError` `ERR_VENDOR_API` with `vendorCode` = `Error.Code`. `idempotent` says
   * whether the call may be repeated after a timeout, a reset, a 5xx or `InternalError`; default: whether
   * the action is a `Describe*` action or in `TENCENT_CLOUD_IDEMPOTENT_ACTIONS`.
   */
  call<T extends object = Record<string, unknown>>(
    action: string,
    params?: object,
    options?: { idempotent?: boolean },
  ): Promise<TencentCloudResult<T>>;
  /** The base URL the next call starts with (it moves to the backup after a failover). */
  readonly baseUrl: string;
}

const ACTION = /^[A-Za-z][A-Za-z0-9]{0,127}$/;

// The official SDK serialises with json-bigint, which escapes these characters as \uXXXX where
// JSON.stringify writes them raw. Same JSON value; escaping them too keeps the bytes (and so the
// signature) identical to the SDK's. Outside strings JSON.stringify writes only ASCII, so replacing
// them anywhere in its output is safe.
const SDK_ESCAPED =
  /[\u007f-\u009f\u00ad\u0600-\u0604\u070f\u17b4\u17b5\u200c-\u200f\u2028-\u202f\u2060-\u206f\ufeff\ufff0-\uffff]/g;

/** Drops `null` members of objects at any depth, as the official SDK does before sending. */
function dropNulls(value: unknown, depth = 0): unknown {
  if (depth > 64) throw new ImAuthError("ERR_INVALID_INPUT", "params are nested more than 64 levels deep");
  if (typeof value === "string") assertWellFormed(value, "params");
  if (typeof value === "bigint") throw new ImAuthError("ERR_INVALID_INPUT", "params must not hold a BigInt");
  if (Array.isArray(value)) return value.map((v) => dropNulls(v, depth + 1));
  if (typeof value !== "object" || value === null) return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    assertWellFormed(k, "params");
    if (v !== null) out[k] = dropNulls(v, depth + 1);
  }
  return out;
}

/** Escapes what json-bigint escapes in a JSON.stringify output. */
const sdkEscape = (json: string): string =>
  json.replace(SDK_ESCAPED, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/**
 * The query string the official SDK sends for `params` with GET: nested members flattened to
 * `Name.0.Field=value` in insertion order, `null` members dropped, each part percent-encoded as
 * `encodeURIComponent` does.
 */
function tencentCloudQuery(params: object): string {
  const parts: string[] = [];
  const walk = (value: unknown, prefix: string, depth: number) => {
    if (depth > 64) throw new ImAuthError("ERR_INVALID_INPUT", "params are nested more than 64 levels deep");
    for (const [k, v] of Object.entries(value as object)) {
      if (v === null || v === undefined) continue;
      if (typeof v === "object") walk(v, `${prefix}${k}.`, depth + 1);
      else {
        const text = typeof v === "number" && !Number.isFinite(v) ? "" : String(v);
        assertWellFormed(`${k}${text}`, "params");
        parts.push(`${encodeURIComponent(prefix + k)}=${encodeURIComponent(text)}`);
      }
    }
  };
  walk(params, "", 0);
  return parts.join("&");
}

function baseUrlsOf(options: TencentCloudClientOptions): string[] {
  const { baseUrl, endpoint, signer } = options;
  if (baseUrl !== undefined && endpoint !== undefined) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "give baseUrl or endpoint, not both");
  }
  if (baseUrl !== undefined) {
    const list = typeof baseUrl === "string" ? [baseUrl] : Array.isArray(baseUrl) ? baseUrl : [];
    if (list.length === 0) throw new ImAuthError("ERR_INVALID_CONFIG", "baseUrl must name at least one URL");
    return list.map((url) => normalizeBaseUrl(url));
  }
  if (endpoint === undefined || endpoint === "global") return tencentCloudEndpoints(signer.service);
  if (endpoint !== "nearest")
    throw new ImAuthError("ERR_INVALID_CONFIG", "endpoint must be global or nearest");
  if (signer.region === undefined) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "endpoint nearest needs a signer with a region");
  }
  return tencentCloudEndpoints(signer.service, signer.region);
}

/**
 * Creates a Tencent Cloud API 3.0 client (TRTC's server API and any other product) on
 * `@imauth/core/http` (install `ky`): every attempt is signed afresh by `signer`, bodies and queries are
 * serialised byte for byte as the official Node SDK does, and the `{"Response": ...}` envelope decides
 * success. Transport errors and HTTP 5xx fail over to the backup domain; `RequestLimitExceeded*` is
 * retried after a longer delay; `InternalError*` with backoff for idempotent actions only; `AuthFailure.*`,
 * `InvalidParameter*` and every other code never. Errors never carry the signature or the keys, and
 * redirects are never followed.
 *
 * @example
 * ```ts
 * import { createTencentCloudClient, createTencentCloudSigner } from "@imauth/tencent/cloud";
 *
 * const signer = createTencentCloudSigner({ secretId, secretKey, service: "trtc", region: "ap-guangzhou", version: "2019-07-22" });
 * const trtc = createTencentCloudClient({ signer });
 * await trtc.call("RemoveUser", { SdkAppId: 1400000001, RoomId: 1234, UserIds: ["alice"] });
 * ```
 */
export function createTencentCloudClient(options: TencentCloudClientOptions): TencentCloudClient {
  assertOptionsObject(options, "createTencentCloudClient options", "ERR_INVALID_CONFIG");
  const { signer, method = "POST", rateLimitDelayMs, baseUrl: _b, endpoint: _e, ...rest } = options;
  if (typeof signer !== "object" || signer === null || typeof signer.signRequest !== "function") {
    throw new ImAuthError(
      "ERR_INVALID_CONFIG",
      "createTencentCloudClient needs a signer from createTencentCloudSigner",
    );
  }
  if (method !== "POST" && method !== "GET")
    throw new ImAuthError("ERR_INVALID_CONFIG", "method must be POST or GET");
  // createImClient only ever calls signRequest; the rest of the provider contract does not apply here.
  // Core serialises `json` with JSON.stringify; the body is re-escaped as the SDK writes it, then signed.
  const provider = {
    async signRequest(request: Request) {
      if (request.method !== "POST") return signer.signRequest(request);
      const text = await request.text();
      const init = {
        method: "POST",
        headers: request.headers,
        body: sdkEscape(text),
        signal: request.signal,
      };
      return signer.signRequest(new Request(request.url, init));
    },
  } as ImAuthProvider;
  const delays = { rateLimitDelayMs };
  const http = createImClient<TencentCloudResult>(provider, {
    ...rest,
    baseUrl: baseUrlsOf(options),
    parse: (response) => parseTencentCloudEnvelope(response.status, response.json),
    classify: (error: ImAuthError, attempt: number, _context: AttemptContext): RetryDecision =>
      classifyTencentCloudError(error, attempt, delays),
  });

  return {
    get baseUrl() {
      return http.baseUrl;
    },
    async call<T extends object>(
      action: string,
      params: object = {},
      callOptions: { idempotent?: boolean } = {},
    ) {
      if (typeof action !== "string" || !ACTION.test(action)) {
        throw new ImAuthError("ERR_INVALID_INPUT", "action must be an API name such as DismissRoom");
      }
      if (typeof params !== "object" || params === null || Array.isArray(params)) {
        throw new ImAuthError("ERR_INVALID_INPUT", `params must be an object, got ${typeName(params)}`);
      }
      const idempotent = callOptions?.idempotent ?? isIdempotentAction(action);
      const headers = { "X-TC-Action": action };
      if (method === "GET") {
        const query = tencentCloudQuery(params);
        return (await http.request(query ? `?${query}` : "", {
          method,
          headers,
          idempotent,
        })) as TencentCloudResult<T>;
      }
      const json = dropNulls(params);
      try {
        JSON.stringify(json);
      } catch {
        throw new ImAuthError("ERR_INVALID_INPUT", "params must be serialisable as JSON (no cycles)");
      }
      return (await http.request("", { method, headers, json, idempotent })) as TencentCloudResult<T>;
    },
  };
}
