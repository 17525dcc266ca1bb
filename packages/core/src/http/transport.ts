import ky from "ky";
import { ImAuthError } from "../errors.js";
import { readCapped } from "../read-capped.js";
import { redactUrl } from "../url.js";
import { networkError } from "./network-error.js";

/** Limits of one attempt. */
export interface TransportOptions {
  /** One deadline for the whole attempt: connection, headers and body. */
  timeoutMs: number;
  /** Largest accepted answer body, in bytes. */
  maxResponseBytes: number;
  fetch: typeof fetch;
}

/** An answer read whole within the limits. */
export interface RawAnswer {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

/**
 * Sends one signed request and reads its answer under one deadline and a size cap. Redirects are never
 * followed: a signed request re-sent to the `Location` would hand the credential (and the body) to whoever
 * the redirect names. ky adds nothing here but the fetch call; its own timeout covers only the headers, so
 * an `AbortController` carries the deadline through the body.
 */
export async function sendSigned(signed: Request, options: TransportOptions): Promise<RawAnswer> {
  // Built only for an error: redacting the URL is work a successful call does not need.
  const where = () => `${signed.method} ${redactUrl(signed.url)}`;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  try {
    const response = await ky(signed, {
      retry: 0,
      timeout: false,
      throwHttpErrors: false,
      redirect: "manual",
      signal: controller.signal,
      fetch: options.fetch,
    });
    refuseRedirect(response, where);
    // A declared length over the cap is refused before reading; a lying one is caught by readCapped.
    if (Number(response.headers.get("content-length")) > options.maxResponseBytes) {
      response.body?.cancel().catch(() => {});
      throw tooLarge(where, response.status, options.maxResponseBytes);
    }
    const body = await readCapped(response.body, options.maxResponseBytes, () =>
      tooLarge(where, response.status, options.maxResponseBytes),
    );
    return { status: response.status, headers: response.headers, body };
  } catch (error) {
    if (error instanceof ImAuthError) throw error;
    throw networkError(error, where(), timedOut ? options.timeoutMs : undefined);
  } finally {
    clearTimeout(timer);
  }
}

function refuseRedirect(response: Response, where: () => string): void {
  // Browsers hide manual redirects as an opaque answer with status 0.
  const redirected = response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400);
  if (!redirected) return;
  response.body?.cancel().catch(() => {});
  throw new ImAuthError(
    "ERR_VENDOR_API",
    `${where()} answered with a redirect (HTTP ${response.status}); signed requests never follow redirects`,
    { status: response.status },
  );
}

function tooLarge(where: () => string, status: number, maxBytes: number): ImAuthError {
  return new ImAuthError("ERR_VENDOR_API", `${where()} answered with a body larger than ${maxBytes} bytes`, {
    status,
  });
}
