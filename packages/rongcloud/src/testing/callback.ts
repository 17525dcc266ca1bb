import { type Clock, ImAuthError, type Secret } from "@imauth/core";
import { assertOptionsObject, isWellFormed, randomUint32, readClock } from "@imauth/core/adapter";
import { readNonce, revealSecret, rongCloudSignature } from "../signature.js";

/** Where a callback is sent when it names no URL. */
export const DEFAULT_CALLBACK_URL = "https://example.com/rongcloud/callback";

/**
 * A callback as RongCloud sends it (user status, message routing, message callback service): the body and
 * where it goes. What `emulator.signCallback` and `emulator.sendCallback` take.
 *
 * @example
 * ```ts
 * const callback: RongCloudCallback = { body: { fromUserId: "user01", objectName: "RC:TxtMsg" } };
 * ```
 */
export interface RongCloudCallback {
  /** The body: a string or bytes are sent as they are; an object as a form (default) or JSON. Default `{}`. */
  body?: string | Uint8Array | Record<string, unknown>;
  /** How the body is typed: `"form"` (default for an object body) or `"json"` (default otherwise). */
  contentType?: "form" | "json";
  /** The app's callback URL (absolute; its own query is kept). Default `https://example.com/rongcloud/callback`. */
  url?: string;
  /** The `nonce` to sign with (1 to 18 visible ASCII characters). Default: a random decimal number. */
  nonce?: string;
  /** Sign with the older names `rc-nonce`, `rc-timestamp` (SECONDS) and `rc-signature`. Default false. */
  legacyNames?: boolean;
}

/**
 * Options of {@link signRongCloudCallback}: a {@link RongCloudCallback} and who signs it.
 *
 * @example
 * ```ts
 * const options: SignRongCloudCallbackOptions = { appSecret, body: { userid: "user01", status: "0" } };
 * ```
 */
export interface SignRongCloudCallbackOptions extends RongCloudCallback {
  /** The App Secret the signature is made with. */
  appSecret: string | Secret;
  /** When the callback is signed (epoch ms, the `signTimestamp`). Default `Date.now`. */
  clock?: Clock;
}

/**
 * Builds a callback the way RongCloud sends it: a POST `Request` to the callback URL with `nonce`,
 * `signTimestamp` (epoch milliseconds) and `signature` = SHA-1(AppSecret + nonce + signTimestamp) added to
 * its query, and the body. For tests of callback handlers; the emulator's `signCallback` uses it.
 *
 * @example
 * ```ts
 * import { signRongCloudCallback } from "@imauth/rongcloud/testing";
 *
 * const request = signRongCloudCallback({ appSecret, body: { fromUserId: "user01", objectName: "RC:TxtMsg" } });
 * const response = await app.fetch(request);
 * ```
 */
export function signRongCloudCallback(options: SignRongCloudCallbackOptions): Request {
  assertOptionsObject(options, "signRongCloudCallback options", "ERR_INVALID_INPUT");
  const appSecret = revealSecret(options.appSecret, "appSecret");
  const nonce = options.nonce === undefined ? String(randomUint32()) : readNonce(options.nonce);
  const nowMs = Math.floor(readClock(options.clock));
  const url = callbackUrl(options.url);
  const legacy = options.legacyNames === true;
  const timestamp = String(legacy ? Math.floor(nowMs / 1000) : nowMs);
  const signature = rongCloudSignature(appSecret, nonce, timestamp);
  url.searchParams.set(legacy ? "rc-nonce" : "nonce", nonce);
  url.searchParams.set(legacy ? "rc-timestamp" : "signTimestamp", timestamp);
  url.searchParams.set(legacy ? "rc-signature" : "signature", signature);
  const { body, type } = callbackBody(options);
  return new Request(url, { method: "POST", headers: { "content-type": type }, body: body as BodyInit });
}

function callbackUrl(url: unknown): URL {
  try {
    return new URL(url === undefined ? DEFAULT_CALLBACK_URL : String(url));
  } catch (cause) {
    throw new ImAuthError("ERR_INVALID_INPUT", "url must be an absolute URL", { cause });
  }
}

const FORM = "application/x-www-form-urlencoded;charset=utf-8";
const JSON_TYPE = "application/json;charset=utf-8";

function callbackBody(callback: RongCloudCallback): { body: string | Uint8Array; type: string } {
  const { body = {}, contentType } = callback;
  if (contentType !== undefined && contentType !== "form" && contentType !== "json") {
    throw new ImAuthError("ERR_INVALID_INPUT", 'contentType must be "form" or "json"');
  }
  if (typeof body === "string") {
    if (!isWellFormed(body)) throw new ImAuthError("ERR_INVALID_INPUT", "body must be well-formed UTF-16");
    return { body, type: contentType === "form" ? FORM : JSON_TYPE };
  }
  if (body instanceof Uint8Array) return { body, type: contentType === "form" ? FORM : JSON_TYPE };
  assertOptionsObject(body, "body");
  if (contentType === "json") return { body: JSON.stringify(body), type: JSON_TYPE };
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(body)) {
    form.set(name, typeof value === "string" ? value : JSON.stringify(value));
  }
  return { body: form.toString(), type: FORM };
}
