import { ImAuthError, isImAuthError } from "@imauth/core";
import { readCapped, resolveUnder, utf8Decode } from "@imauth/core/adapter";
import { parseRongCloudEnvelope, RONGCLOUD_RETRY_CODES } from "./client/envelope.js";

// The one call the provider makes itself. RongCloud tokens only come from RongCloud's server, so
// `issueCredential` needs I/O; a plain fetch with a deadline, a size cap and failover across the domains keeps
// `createRongCloudProvider(options)` enough for the common case without loading ky (the browser/Worker
// bundle budget). The full client (`@imauth/rongcloud/client`: backoff, rate-limit waits, other APIs) is on
// core's ky-based client instead.

/** Longest user ID RongCloud accepts, in bytes (letters, digits and `+ | = - _` are one byte each). */
export const MAX_USER_ID_LENGTH = 64;

/** Longest token accepted from RongCloud, in characters (real ones are about 100 to 200). */
export const MAX_TOKEN_LENGTH = 1024;

/** Largest answer read from `user/getToken.json`, in bytes. */
const MAX_ANSWER_BYTES = 64 * 1024;

const USER_ID = /^[A-Za-z0-9+|=_-]+$/;

/**
 * @internal Checks a RongCloud user ID: 1 to 64 characters among letters, digits and `+ | = - _`, as
 * RongCloud documents for `user/getToken.json`. Throws `ImAuthError` `ERR_INVALID_INPUT`, never echoing it.
 */
export function assertUserId(value: unknown, what = "userId"): asserts value is string {
  if (typeof value !== "string") {
    throw new ImAuthError("ERR_INVALID_INPUT", `${what} must be a string, got ${typeof value}`);
  }
  if (value.length === 0 || value.length > MAX_USER_ID_LENGTH) {
    throw new ImAuthError("ERR_INVALID_INPUT", `${what} must be 1 to ${MAX_USER_ID_LENGTH} characters`);
  }
  if (!USER_ID.test(value)) {
    throw new ImAuthError("ERR_INVALID_INPUT", `${what} may hold only letters, digits and + | = - _`);
  }
}

/**
 * The name and portrait RongCloud keeps for a user (shown in push notifications). `user/getToken.json`
 * overwrites them with what it is given.
 *
 * @example
 * ```ts
 * const profile: RongCloudUserProfile = { name: "Alice", portraitUri: "https://example.com/alice.png" };
 * ```
 */
export interface RongCloudUserProfile {
  /** Display name (RongCloud documents at most 64 characters). */
  name?: string;
  /** Avatar URL (at most 1024 bytes). */
  portraitUri?: string;
}

/** @internal What one token request needs: the signer, the domains, the transport and its deadline. */
export interface TokenRequestContext {
  baseUrls: readonly string[];
  sign(request: Request): Promise<Request>;
  fetch: typeof fetch;
  timeoutMs: number;
}

/** @internal The form of `user/getToken.json`: `userId`, then `name` and `portraitUri` when given. */
export function tokenForm(userId: string, profile: RongCloudUserProfile): URLSearchParams {
  const form = new URLSearchParams({ userId });
  if (profile.name !== undefined) form.set("name", profile.name);
  if (profile.portraitUri !== undefined) form.set("portraitUri", profile.portraitUri);
  return form;
}

/** Whether the next domain may be tried: the call never got an answer, or RongCloud failed inside. */
function worthFailover(error: ImAuthError): boolean {
  if (error.code === "ERR_NETWORK") return true;
  return RONGCLOUD_RETRY_CODES.has(error.vendorCode as number) || (error.status ?? 0) >= 500;
}

/**
 * @internal Asks RongCloud for a user's token (`POST user/getToken.json`), trying each domain in order while
 * the failure is a transport error, a timeout, HTTP 5xx or code 1000/1050 (a repeated getToken only yields
 * another valid token). Each attempt is signed afresh and has its own deadline (body included). Throws
 * `ImAuthError` `ERR_VENDOR_API` (with RongCloud's code) or `ERR_NETWORK`.
 */
export async function requestUserToken(
  context: TokenRequestContext,
  userId: string,
  profile: RongCloudUserProfile,
): Promise<string> {
  let last: ImAuthError | undefined;
  for (const base of context.baseUrls) {
    try {
      return await attemptToken(context, base, tokenForm(userId, profile));
    } catch (error) {
      if (!isImAuthError(error) || !worthFailover(error)) throw error;
      last = error;
    }
  }
  throw last!;
}

async function attemptToken(
  context: TokenRequestContext,
  base: string,
  form: URLSearchParams,
): Promise<string> {
  const url = resolveUnder(base, "user/getToken.json");
  const unsigned = new Request(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8" },
    body: form.toString(),
  });
  const request = await context.sign(unsigned);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), context.timeoutMs);
  try {
    const response = await send(context.fetch, request, controller.signal, url.host);
    const tooLarge = () =>
      new ImAuthError("ERR_VENDOR_API", `${url.host} answered more than ${MAX_ANSWER_BYTES} bytes`);
    const body = await readCapped(response.body, MAX_ANSWER_BYTES, tooLarge).catch((cause: unknown) => {
      throw isImAuthError(cause) ? cause : network(url.host, "the answer was cut off or timed out");
    });
    return tokenFrom(parseRongCloudEnvelope(response.status, parseJson(body, response.status, url.host)));
  } finally {
    clearTimeout(timer);
  }
}

async function send(fetchImpl: typeof fetch, request: Request, signal: AbortSignal, host: string) {
  try {
    return await fetchImpl(request, { signal });
  } catch {
    // The original error is dropped: it may describe the signed request.
    throw network(host, signal.aborted ? "timed out" : "could not be reached");
  }
}

function network(host: string, what: string): ImAuthError {
  return new ImAuthError("ERR_NETWORK", `RongCloud ${host} ${what}`, { delivery: "unknown" });
}

function parseJson(body: Uint8Array, status: number, host: string): unknown {
  const text = utf8Decode(body, false);
  try {
    return text.length === 0 ? undefined : JSON.parse(text);
  } catch {
    throw new ImAuthError("ERR_VENDOR_API", `${host} answered HTTP ${status} with a non-JSON body`, {
      status,
      vendorCode: status,
    });
  }
}

/** @internal The `token` of a getToken answer: a string of 1 to 1024 characters (`ERR_VENDOR_API`). */
export function tokenFrom(reply: Record<string, unknown>): string {
  const { token } = reply;
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    throw new ImAuthError("ERR_VENDOR_API", "RongCloud user/getToken.json answered without a token");
  }
  return token;
}
