import { ImAuthError } from "../errors.js";
import type { ImCallbackResult, ImCallbackTarget } from "./emulator.js";

/**
 * Delivers a signed callback for an emulator's `sendCallback`: POSTs it to a URL (with the global `fetch`)
 * or hands it to a handler, and reads the reply (JSON when it parses). `accepted` says whether the vendor
 * would count the parsed reply as a success; `ok` also needs a 2xx status.
 *
 * @example
 * ```ts
 * const result = await deliverCallback(target, request, (reply) => (reply as { code?: number })?.code === 200);
 * ```
 */
export async function deliverCallback(
  target: ImCallbackTarget,
  request: Request,
  accepted: (reply: unknown) => boolean,
): Promise<ImCallbackResult> {
  let response: Response;
  if (typeof target === "function") response = await target(request);
  else if (typeof target === "string") response = await globalThis.fetch(request);
  else throw new ImAuthError("ERR_INVALID_INPUT", "sendCallback target must be a URL or a handler");
  const text = await response.text();
  let reply: unknown = text;
  try {
    reply = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {}
  return { ok: response.ok && accepted(reply), status: response.status, reply };
}
