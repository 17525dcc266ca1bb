import { ImAuthError } from "@imauth/core";
import {
  anyKeyMatches,
  constantTimeEqual,
  hexEncode,
  isWellFormed,
  type KeyInput,
  keyList,
  utf8Encode,
} from "@imauth/core/adapter";
import { md5 } from "@noble/hashes/legacy.js";

/**
 * The `security` field Easemob puts in every callback body: lowercase hex MD5 of the UTF-8 bytes of
 * `callId + secret + timestamp`, where `timestamp` is the body's `timestamp` (epoch milliseconds) as decimal
 * text and `secret` the callback rule's Secret from the console. The body itself is not hashed.
 *
 * @example
 * ```ts
 * easemobCallbackSecurity("easemob-demo#test_0990a64f-dp01-6c50-8696-cf3b48b20e7e", "cbSecret123", "1600060847294");
 * // "b4c23b051e5747b2375179bddfb9112e"
 * ```
 */
export function easemobCallbackSecurity(callId: string, secret: string, timestamp: string | number): string {
  const time = timestampText(timestamp);
  if (typeof callId !== "string" || typeof secret !== "string") {
    throw new ImAuthError("ERR_INVALID_INPUT", "callId and secret must be strings");
  }
  // A lone surrogate would hash as U+FFFD: that is no text Easemob signed.
  if (!isWellFormed(callId) || !isWellFormed(secret)) {
    throw new ImAuthError("ERR_INVALID_INPUT", "callId and secret must be well-formed UTF-16");
  }
  return hexEncode(md5(utf8Encode(callId + secret + time)));
}

/** The decimal text of a timestamp: a safe non-negative integer, or a string of 1 to 16 digits. */
function timestampText(timestamp: unknown): string {
  if (typeof timestamp === "number" && Number.isSafeInteger(timestamp) && timestamp >= 0) {
    return String(timestamp);
  }
  if (typeof timestamp === "string" && /^[0-9]{1,16}$/.test(timestamp)) return timestamp;
  throw new ImAuthError(
    "ERR_INVALID_INPUT",
    "timestamp must be epoch milliseconds: a non-negative integer or its decimal text",
  );
}

/**
 * The fields of a callback that its `security` covers, as {@link verifyEasemobSecurity} takes them.
 *
 * @example
 * ```ts
 * const fields: EasemobSecurityFields = { callId, timestamp: "1600060847294", security };
 * ```
 */
export interface EasemobSecurityFields {
  /** The body's `callId` (`{appkey}_{uuid}`). */
  callId: string;
  /** The body's `timestamp`, as its decimal text (or a safe integer). */
  timestamp: string | number;
  /** The body's `security` (32 hex characters). */
  security: string;
}

/**
 * Reads the callback Secret(s): one, or `[current, ...previous]` while a callback rule's Secret is being
 * replaced. Throws `ERR_INVALID_CONFIG` naming the position, never the value.
 */
export function readCallbackSecrets(value: unknown, what = "secret"): readonly string[] {
  const secrets = keyList(value, what);
  for (const [i, s] of secrets.entries()) {
    if (!isWellFormed(s)) {
      throw new ImAuthError("ERR_INVALID_CONFIG", `${what}[${i}] must be well-formed UTF-16`);
    }
  }
  return secrets;
}

/**
 * Whether `security` is the MD5 of `callId + secret + timestamp` for one of the secrets
 * (`[current, ...previous]`), compared in constant time and trying every secret. Returns false for a
 * malformed `security`; throws `ERR_INVALID_CONFIG` for bad secrets and `ERR_INVALID_INPUT` for a `callId` or
 * `timestamp` that cannot have been signed. The check at the heart of {@link verifyEasemobCallback}, for
 * callbacks that reach the app already parsed (a queue, a log).
 *
 * @example
 * ```ts
 * import { verifyEasemobSecurity } from "@imauth/easemob";
 *
 * const { callId, timestamp, security } = JSON.parse(rawBody);
 * if (!verifyEasemobSecurity({ callId, timestamp, security }, [newSecret, oldSecret])) throw new Error("forged");
 * ```
 */
export function verifyEasemobSecurity(fields: EasemobSecurityFields, secret: KeyInput): boolean {
  const secrets = readCallbackSecrets(secret);
  if (typeof fields !== "object" || fields === null) {
    throw new ImAuthError("ERR_INVALID_INPUT", "fields must be { callId, timestamp, security }");
  }
  const { callId, timestamp, security } = fields;
  if (typeof security !== "string" || !/^[0-9a-fA-F]{32}$/.test(security)) return false;
  const received = security.toLowerCase();
  return anyKeyMatches(secrets, (s) =>
    constantTimeEqual(easemobCallbackSecurity(callId, s, timestamp), received),
  );
}
