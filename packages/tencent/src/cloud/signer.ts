import { type Clock, ImAuthError, type Secret } from "@imauth/core";
import { assertOptionsObject, readCapped, redactable } from "@imauth/core/adapter";
import { assertRegion } from "./regions.js";
import { assertSecretId, assertService, revealSecret, tc3Sign } from "./tc3.js";

/**
 * Options of {@link createTencentCloudSigner}.
 *
 * @example
 * ```ts
 * const options: TencentCloudSignerOptions = {
 *   secretId: "AKID...", secretKey: new Secret(process.env.TENCENTCLOUD_SECRET_KEY!),
 *   service: "trtc", region: "ap-guangzhou", version: "2019-07-22",
 * };
 * ```
 */
export interface TencentCloudSignerOptions {
  /** The SecretId of the API key (or of temporary credentials). */
  secretId: string;
  /** The SecretKey. */
  secretKey: string | Secret;
  /** The token of temporary credentials (STS), sent as `X-TC-Token` (not signed, as the official SDK). */
  sessionToken?: string | Secret;
  /** The product's service name, e.g. `trtc`. */
  service: string;
  /** The region, sent as `X-TC-Region` unless the request carries one. */
  region?: string;
  /** The API version, sent as `X-TC-Version` unless the request carries one (TRTC: `2019-07-22`). */
  version?: string;
  /** `X-TC-Language` (`zh-CN` or `en-US`) for error messages. Default: none (Chinese). */
  language?: "zh-CN" | "en-US";
  /** More headers to sign besides `content-type` and `host`, e.g. `["x-tc-action"]`. Default none. */
  signedHeaders?: readonly string[];
  /** Largest body it signs, in bytes. Default 10 MiB (Tencent Cloud API's own limit). */
  maxBodyBytes?: number;
  /** Source of the current time (epoch ms). Default `Date.now`. */
  clock?: Clock;
}

/**
 * A Tencent Cloud API 3.0 signer made by {@link createTencentCloudSigner}.
 *
 * @example
 * ```ts
 * const signed: Request = await signer.signRequest(
 *   new Request("https://trtc.tencentcloudapi.com/", {
 *     method: "POST",
 *     headers: { "X-TC-Action": "DismissRoom", "Content-Type": "application/json" },
 *     body: JSON.stringify({ SdkAppId: 1400000001, RoomId: 1234 }),
 *   }),
 * );
 * ```
 */
export interface TencentCloudSigner {
  /** The SecretId (it is public: it travels in `Authorization`). */
  readonly secretId: string;
  /** The product's service name it signs for, e.g. `trtc`. */
  readonly service: string;
  /** The region it sends as `X-TC-Region`, when configured. */
  readonly region?: string;
  /** The API version it sends as `X-TC-Version`, when configured. */
  readonly version?: string;
  /**
   * Returns a new Request with `Authorization`, `X-TC-Timestamp` and, when configured and absent,
   * `X-TC-Version`, `X-TC-Region`, `X-TC-Token`, `X-TC-Language`; method, URL, body and other headers are
   * preserved. The request must carry `X-TC-Action`. A missing `Content-Type` is set as the official SDK
   * sets it (`application/json` for POST, `application/x-www-form-urlencoded` for GET). Each call signs
   * afresh.
   */
  signRequest(request: Request): Promise<Request>;
}

const ACTION = /^[A-Za-z][A-Za-z0-9]{0,127}$/;
const VERSION = /^\d{4}-\d{2}-\d{2}$/;
const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

interface SignerConfig {
  secretId: string;
  secretKey: string;
  sessionToken: string | undefined;
  service: string;
  region: string | undefined;
  version: string | undefined;
  language: string | undefined;
  signedHeaders: readonly string[];
  maxBodyBytes: number;
  clock: Clock | undefined;
}

function readConfig(options: TencentCloudSignerOptions): SignerConfig {
  assertOptionsObject(options, "createTencentCloudSigner options", "ERR_INVALID_CONFIG");
  const { secretId, service, region, version, language, signedHeaders = [], clock } = options;
  const { maxBodyBytes = DEFAULT_MAX_BODY_BYTES } = options;
  assertSecretId(secretId);
  assertService(service);
  if (region !== undefined) assertRegion(region);
  if (version !== undefined && (typeof version !== "string" || !VERSION.test(version))) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "version must look like 2019-07-22");
  }
  if (language !== undefined && language !== "zh-CN" && language !== "en-US") {
    throw new ImAuthError("ERR_INVALID_CONFIG", "language must be zh-CN or en-US");
  }
  if (!Array.isArray(signedHeaders) || signedHeaders.some((h) => !/^[A-Za-z0-9-]{1,64}$/.test(h))) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "signedHeaders must be a list of header names");
  }
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 0) {
    throw new ImAuthError("ERR_INVALID_CONFIG", "maxBodyBytes must be a non-negative integer");
  }
  if (clock !== undefined && typeof clock !== "function") {
    throw new ImAuthError("ERR_INVALID_CONFIG", "clock must be a function returning epoch milliseconds");
  }
  return {
    secretId,
    secretKey: revealSecret(options.secretKey, "secretKey"),
    sessionToken:
      options.sessionToken === undefined ? undefined : revealSecret(options.sessionToken, "sessionToken"),
    service,
    region,
    version,
    language,
    signedHeaders: signedHeaders.map((h) => h.toLowerCase()),
    maxBodyBytes,
    clock,
  };
}

/** Signs one request with `config`; the body is read once (capped) and passed on as bytes. */
async function sign(config: SignerConfig, request: Request): Promise<Request> {
  if (!(request instanceof Request))
    throw new ImAuthError("ERR_INVALID_INPUT", "signRequest needs a Request");
  if (request.bodyUsed) throw new ImAuthError("ERR_INVALID_INPUT", "the request's body was already read");
  const headers = new Headers(request.headers);
  const action = headers.get("x-tc-action");
  if (action === null || !ACTION.test(action)) {
    throw new ImAuthError("ERR_INVALID_INPUT", "the request needs an X-TC-Action header");
  }
  const method = request.method.toUpperCase();
  if (!headers.has("content-type")) {
    headers.set("content-type", method === "GET" ? "application/x-www-form-urlencoded" : "application/json");
  }
  const url = new URL(request.url);
  const bodyless = method === "GET" || method === "HEAD";
  const max = config.maxBodyBytes;
  const body = await readCapped(
    bodyless ? null : request.body,
    max,
    () => new ImAuthError("ERR_INVALID_INPUT", `the request body is larger than ${max} bytes`),
  );
  const extra: Record<string, string> = {};
  for (const name of config.signedHeaders) {
    const value = headers.get(name);
    if (value === null)
      throw new ImAuthError("ERR_INVALID_INPUT", `the request has no ${name} header to sign`);
    extra[name] = value;
  }
  const signed = tc3Sign({
    secretId: config.secretId,
    secretKey: config.secretKey,
    service: config.service,
    host: url.hostname,
    method,
    path: url.pathname,
    query: url.search.slice(1),
    contentType: headers.get("content-type") ?? "",
    body,
    headers: extra,
    clock: config.clock,
  });
  headers.set("x-tc-timestamp", String(signed.timestampSeconds));
  const defaults = {
    "x-tc-version": config.version,
    "x-tc-region": config.region,
    "x-tc-language": config.language,
  };
  for (const [name, value] of Object.entries(defaults)) {
    if (value !== undefined && !headers.has(name)) headers.set(name, value);
  }
  if (config.sessionToken !== undefined) headers.set("x-tc-token", config.sessionToken);
  headers.set("authorization", signed.authorization);
  return new Request(request.url, {
    method,
    headers,
    ...(bodyless ? {} : { body: body as Uint8Array<ArrayBuffer> }),
    redirect: request.redirect,
    signal: request.signal,
  });
}

/**
 * Creates a Tencent Cloud API 3.0 signer (TC3-HMAC-SHA256) for one product, e.g. TRTC's server API
 * (`service: "trtc"`, `version: "2019-07-22"`): `signRequest` has the shape of smithy's signature-v4
 * signers, so it signs POST JSON and GET query requests built by any HTTP client. It signs
 * `content-type;host` as the official Node SDK does (plus `signedHeaders`). Options are checked at once
 * (`ERR_INVALID_CONFIG`); the signer never shows its keys in `JSON.stringify` or `console.log`.
 *
 * @example
 * ```ts
 * import { createTencentCloudSigner } from "@imauth/tencent/cloud";
 *
 * const signer = createTencentCloudSigner({
 *   secretId: process.env.TENCENTCLOUD_SECRET_ID!, secretKey: process.env.TENCENTCLOUD_SECRET_KEY!,
 *   service: "trtc", region: "ap-guangzhou", version: "2019-07-22",
 * });
 * const response = await fetch(await signer.signRequest(request));
 * ```
 */
export function createTencentCloudSigner(options: TencentCloudSignerOptions): TencentCloudSigner {
  const config = readConfig(options);
  const signer: TencentCloudSigner = {
    secretId: config.secretId,
    service: config.service,
    ...(config.region === undefined ? {} : { region: config.region }),
    ...(config.version === undefined ? {} : { version: config.version }),
    signRequest: (request) => sign(config, request),
  };
  return redactable(signer, "TencentCloudSigner");
}
