import { type Clock, ImAuthError } from "@imauth/core";
import { readCapped, readClock, utf8Decode } from "@imauth/core/adapter";
import { type EasemobEnvelope, parseEasemobEnvelope } from "./client/envelope.js";

/**
 * The unit of `ttl` and `expires_in` at Easemob's token endpoint: seconds on most clusters, milliseconds on
 * the clusters whose documentation says so (VIP 5).
 *
 * @example
 * ```ts
 * const unit: EasemobTtlUnit = process.env.EASEMOB_VIP5 ? "milliseconds" : "seconds";
 * ```
 */
export type EasemobTtlUnit = "seconds" | "milliseconds";

/** Largest token answer read, in bytes: a token answer is a few hundred bytes. */
const MAX_TOKEN_ANSWER_BYTES = 64 * 1024;

/** How the provider reaches the token endpoint. */
export interface TokenEndpoint {
  /** Base URLs `https://{host}/{org}/{app}/`, primary first. */
  baseUrls: readonly string[];
  fetch: typeof fetch;
  /** Deadline of one request, answer included, in milliseconds. */
  timeoutMs: number;
  ttlUnit: EasemobTtlUnit;
}

/** A token the endpoint issued, its lifetime converted to milliseconds. */
export interface IssuedToken {
  accessToken: string;
  expiresInMs: number;
  answer: EasemobEnvelope;
}

/** The body of an app-token request (`client_credentials`), `ttl` in the cluster's unit when given. */
export function appTokenRequestBody(
  clientId: string,
  clientSecret: string,
  ttlSeconds: number | undefined,
  unit: EasemobTtlUnit,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    grant_type: "client_credentials",
    client_id: clientId,
    client_secret: clientSecret,
  };
  if (ttlSeconds !== undefined) body.ttl = toTtl(ttlSeconds, unit);
  return body;
}

/** The body of a user-token request through the `inherit` grant (made with the app token as bearer). */
export function inheritRequestBody(
  username: string,
  ttlSeconds: number,
  autoCreateUser: boolean,
  unit: EasemobTtlUnit,
): Record<string, unknown> {
  return { grant_type: "inherit", username, autoCreateUser, ttl: toTtl(ttlSeconds, unit) };
}

function toTtl(seconds: number, unit: EasemobTtlUnit): number {
  return unit === "milliseconds" ? seconds * 1000 : seconds;
}

/**
 * POSTs `body` to `{base}token`, failing over to the next base URL after a network failure or a 5xx, and
 * returns the token of the answer. Errors are `ERR_NETWORK` or `ERR_VENDOR_API` (Easemob's envelope, with
 * the HTTP status); none carries the body (it holds the client secret) or the bearer.
 */
export async function requestToken(
  endpoint: TokenEndpoint,
  body: Record<string, unknown>,
  bearer?: string,
): Promise<IssuedToken> {
  const text = JSON.stringify(body);
  for (let i = 0; ; i++) {
    try {
      const answer = await postOnce(endpoint, `${endpoint.baseUrls[i]}token`, text, bearer);
      return issuedToken(answer, endpoint.ttlUnit);
    } catch (error) {
      const last = i + 1 >= endpoint.baseUrls.length;
      const failover =
        error instanceof ImAuthError &&
        (error.code === "ERR_NETWORK" || (error.status !== undefined && error.status >= 500));
      if (last || !failover) throw error;
    }
  }
}

function issuedToken(answer: EasemobEnvelope, unit: EasemobTtlUnit): IssuedToken {
  const { access_token: accessToken, expires_in: expiresIn } = answer;
  if (typeof accessToken !== "string" || accessToken.length === 0 || accessToken.length > 4096) {
    throw new ImAuthError("ERR_VENDOR_API", "Easemob's token endpoint answered without an access_token");
  }
  if (typeof expiresIn !== "number" || !Number.isSafeInteger(expiresIn) || expiresIn <= 0) {
    throw new ImAuthError(
      "ERR_VENDOR_API",
      "Easemob's token endpoint answered without a positive expires_in",
    );
  }
  return { accessToken, expiresInMs: unit === "milliseconds" ? expiresIn : expiresIn * 1000, answer };
}

async function postOnce(
  endpoint: TokenEndpoint,
  url: string,
  body: string,
  bearer: string | undefined,
): Promise<EasemobEnvelope> {
  const where = `POST ${url}`;
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, endpoint.timeoutMs);
  try {
    // Never follow a redirect: it would carry the client secret (or the bearer) wherever it points.
    const response = await endpoint.fetch(url, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: controller.signal,
    });
    if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
      response.body?.cancel().catch(() => {});
      throw new ImAuthError("ERR_VENDOR_API", `${where} answered with a redirect`, {
        status: response.status,
      });
    }
    const bytes = await readCapped(
      response.body,
      MAX_TOKEN_ANSWER_BYTES,
      () => new ImAuthError("ERR_VENDOR_API", `${where} answered with a body that is too large`),
    );
    return parseEasemobEnvelope(response.status, parseJson(bytes, where, response.status));
  } catch (error) {
    if (error instanceof ImAuthError) throw error;
    // The original error is dropped: fetch errors can hold the request, and with it the client secret.
    throw new ImAuthError(
      "ERR_NETWORK",
      timedOut ? `${where} timed out after ${endpoint.timeoutMs} ms` : `${where} failed`,
      { delivery: "unknown" },
    );
  } finally {
    clearTimeout(timer);
  }
}

function parseJson(bytes: Uint8Array, where: string, status: number): unknown {
  if (bytes.length === 0) return undefined;
  try {
    return JSON.parse(utf8Decode(bytes));
  } catch {
    throw new ImAuthError("ERR_VENDOR_API", `${where} answered HTTP ${status} with a non-JSON body`, {
      status,
    });
  }
}

/**
 * The provider's app token: fetched on first use, reused until shortly before it expires, fetched once for
 * all concurrent callers (single flight), and dropped when Easemob refuses it (HTTP 401).
 */
export interface AppTokenCache {
  /** A valid app token, fetching a new one when there is none or the current one is due for renewal. */
  get(): Promise<string>;
  /** Drops the cached token when it is `token` (or any token when `token` is omitted). */
  invalidate(token?: string): void;
}

interface Cached {
  token: string;
  renewAtMs: number;
  expiresAtMs: number;
}

/**
 * Creates the app-token cache. A token is renewed `renewBeforeMs` before it expires (or halfway through a
 * lifetime shorter than twice that); when renewing fails while the old token is still valid, the old one is
 * used and the next call tries again.
 */
export function createAppTokenCache(
  fetchToken: () => Promise<IssuedToken>,
  clock: Clock | undefined,
  renewBeforeMs: number,
): AppTokenCache {
  let current: Cached | undefined;
  let pending: Promise<Cached> | undefined;

  function renew(): Promise<Cached> {
    pending ??= (async () => {
      try {
        const startMs = readClock(clock);
        const { accessToken, expiresInMs } = await fetchToken();
        const margin = Math.min(renewBeforeMs, expiresInMs / 2);
        current = {
          token: accessToken,
          renewAtMs: startMs + expiresInMs - margin,
          expiresAtMs: startMs + expiresInMs,
        };
        return current;
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  }

  return {
    async get() {
      const nowMs = readClock(clock);
      const cached = current;
      if (cached !== undefined && nowMs < cached.renewAtMs) return cached.token;
      if (cached === undefined || nowMs >= cached.expiresAtMs) return (await renew()).token;
      try {
        return (await renew()).token;
      } catch {
        // Renewal failed early: the old token is still accepted until it expires.
        return cached.token;
      }
    },
    invalidate(token) {
      if (token === undefined || current?.token === token) current = undefined;
    },
  };
}
