/**
 * What vendor adapters share and applications rarely need: validation, config parsing, encodings, zlib,
 * redaction, capped reading and callback reading. Stable for adapter authors (the vendor packages and your
 * own); an application imports `@imauth/core` instead.
 *
 * Error codes follow one rule: bad configuration (a factory's options, keys) is `ERR_INVALID_CONFIG`; bad
 * per-call input is `ERR_INVALID_INPUT`; validators take the code to throw.
 *
 * @example
 * ```ts
 * import { assertOptionsObject, assertUserId } from "@imauth/core/adapter";
 *
 * assertOptionsObject(options, "createMyProvider options", "ERR_INVALID_CONFIG");
 * assertUserId(userId, { maxBytes: 32 });
 * ```
 *
 * @packageDocumentation
 */
export { readClock } from "../clock.js";
export { adler32, type ZlibDecompressOptions, zlibCompress, zlibDecompress } from "../compression.js";
export { parseConfig } from "../config.js";
export { base64Decode, base64Encode, tencentBase64Decode, tencentBase64Encode } from "../encoding/base64.js";
export { constantTimeEqual } from "../encoding/constant-time.js";
export { hexDecode, hexEncode } from "../encoding/hex.js";
export { utf8Decode, utf8Encode } from "../encoding/utf8.js";
export { randomHex, randomUint32 } from "../random.js";
export { readCapped } from "../read-capped.js";
export { redactable } from "../secret.js";
export { normalizeBaseUrl, redactUrl, resolveUnder } from "../url.js";
export {
  assertInteger,
  assertNonEmptyString,
  assertOptionsObject,
  assertUserId,
  assertWellFormed,
  type IntegerRules,
  isWellFormed,
  typeName,
  type UserIdRules,
} from "../validate.js";
export { DEFAULT_MAX_WEBHOOK_BYTES, readWebhook, type WebhookInput } from "../webhook.js";
