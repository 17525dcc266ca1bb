import { ImAuthError } from "../errors.js";

// Failures before a connection exists: the request never left, so any call may be repeated. Node (undici)
// puts the system code on the cause chain; Bun uses its own names; Deno and browsers only say it in prose.
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "ConnectionRefused",
  "FailedToOpenSocket",
]);
const NOT_SENT_TEXT = /connection refused|dns error|failed to lookup|name or service not known|ENOTFOUND/i;
const CODE_SHAPE = /^[A-Za-z][A-Za-z0-9_]{1,39}$/;

interface Failure {
  code: string | undefined;
  notSent: boolean;
}

/** Walks a fetch failure's cause chain for a system code, reading messages only to classify, never to copy. */
function inspectFailure(error: unknown): Failure {
  let code: string | undefined;
  let notSent = false;
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === "object" && current !== null; depth++) {
    const { code: c, message } = current as { code?: unknown; message?: unknown };
    if (typeof c === "string" && CODE_SHAPE.test(c)) {
      code ??= c;
      if (NOT_SENT_CODES.has(c)) notSent = true;
    }
    if (typeof message === "string" && NOT_SENT_TEXT.test(message)) notSent = true;
    current = (current as { cause?: unknown }).cause;
  }
  return { code, notSent };
}

/**
 * Turns a transport failure into `ERR_NETWORK` without keeping the original error: fetch and ky errors hold
 * the signed request (its URL carries Tencent's UserSig, its headers NetEase's CheckSum), and some put the
 * URL in their message. The cause kept is a fresh `Error` naming only the system code.
 */
export function networkError(error: unknown, where: string, timedOutAfterMs?: number): ImAuthError {
  if (timedOutAfterMs !== undefined) {
    return new ImAuthError("ERR_NETWORK", `${where} timed out after ${timedOutAfterMs} ms`, {
      delivery: "unknown",
    });
  }
  const { code, notSent } = inspectFailure(error);
  const name = error instanceof Error && CODE_SHAPE.test(error.name) ? error.name : "Error";
  return new ImAuthError("ERR_NETWORK", `${where} failed${code ? ` (${code})` : ""}`, {
    cause: new Error(code ? `${name}: ${code}` : name),
    delivery: notSent ? "not-sent" : "unknown",
  });
}
