import { ImAuthError } from "./errors.js";
import { readCapped } from "./read-capped.js";
import type { RawWebhook } from "./types.js";

/**
 * A callback normalised by {@link readWebhook}.
 *
 * @example
 * ```ts
 * const { url, headers, body }: WebhookInput = await readWebhook(request);
 * ```
 */
export interface WebhookInput {
  /** The request URL, resolved against `http://localhost` when only a path was given. */
  url: URL;
  /** The headers, looked up case-insensitively. */
  headers: Headers;
  /** The raw body bytes. */
  body: Uint8Array;
}

/** Default cap on a callback body (4 MiB): vendors send at most a few hundred KB. */
export const DEFAULT_MAX_WEBHOOK_BYTES = 4 * 1024 * 1024;

/**
 * Normalises a Fetch `Request` or a {@link RawWebhook} into URL, headers and raw body bytes, so adapters verify
 * both the same way. Bodies larger than `maxBytes` are refused. Throws `ImAuthError` `ERR_WEBHOOK_INVALID`
 * on anything that is not a callback.
 *
 * @example
 * ```ts
 * const { url, headers, body } = await readWebhook(request);
 * ```
 */
export async function readWebhook(
  input: Request | RawWebhook,
  maxBytes = DEFAULT_MAX_WEBHOOK_BYTES,
): Promise<WebhookInput> {
  if (typeof input !== "object" || input === null) {
    throw new ImAuthError("ERR_WEBHOOK_INVALID", "webhook input must be a Request or { url, headers, body }");
  }
  if (typeof Request !== "undefined" && input instanceof Request) {
    return { url: parseUrl(input.url), headers: input.headers, body: await readRequestBody(input, maxBytes) };
  }
  const raw = input as Partial<RawWebhook>;
  if (typeof raw.url !== "string")
    throw new ImAuthError("ERR_WEBHOOK_INVALID", "webhook url must be a string");
  let body: Uint8Array;
  if (typeof raw.body === "string") body = new TextEncoder().encode(raw.body);
  else if (raw.body instanceof Uint8Array) body = raw.body;
  else {
    throw new ImAuthError(
      "ERR_WEBHOOK_INVALID",
      "webhook body must be the raw body as a string or Uint8Array (not parsed JSON: signatures cover the bytes)",
    );
  }
  if (body.length > maxBytes) throw tooLarge(maxBytes);
  return { url: parseUrl(raw.url), headers: toHeaders(raw.headers), body };
}

/**
 * Reads a callback's body incrementally, before anything is authenticated: a declared length over the cap
 * is refused at once, and a stream that runs past the cap (whatever `Content-Length` claimed) is cancelled
 * there, so a hostile sender costs at most `maxBytes` of memory.
 */
async function readRequestBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (request.bodyUsed) throw new ImAuthError("ERR_WEBHOOK_INVALID", "the request's body was already read");
  if (Number(request.headers.get("content-length")) > maxBytes) {
    request.body?.cancel().catch(() => {});
    throw tooLarge(maxBytes);
  }
  return readCapped(request.body, maxBytes, () => tooLarge(maxBytes));
}

function parseUrl(url: string): URL {
  try {
    return new URL(url, "http://localhost");
  } catch (cause) {
    throw new ImAuthError("ERR_WEBHOOK_INVALID", "webhook url is not a valid URL", { cause });
  }
}

function toHeaders(input: RawWebhook["headers"] | undefined): Headers {
  if (typeof Headers !== "undefined" && input instanceof Headers) return input;
  if (typeof input !== "object" || input === null) {
    throw new ImAuthError("ERR_WEBHOOK_INVALID", "webhook headers must be a Headers or a plain object");
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    try {
      if (Array.isArray(value)) for (const v of value) headers.append(name, String(v));
      else headers.append(name, String(value));
    } catch (cause) {
      throw new ImAuthError("ERR_WEBHOOK_INVALID", "webhook headers contain an invalid name or value", {
        cause,
      });
    }
  }
  return headers;
}

function tooLarge(maxBytes: number): ImAuthError {
  return new ImAuthError("ERR_WEBHOOK_INVALID", `webhook body is larger than ${maxBytes} bytes`);
}
