/**
 * What vendor adapters share and applications rarely need: validation, config parsing, encodings, zlib,
 * redaction, capped reading and callback reading. Stable for adapter authors (the vendor packages and your
 * own); an application imports `@imauth/core` instead.
 *
 * Error codes follow one rule, written down at `ImAuthErrorCode` in `@imauth/core`: bad configuration (a factory's
 * options, keys, clocks, endpoints) is `ERR_INVALID_CONFIG`; bad per-call input is `ERR_INVALID_INPUT`;
 * validators take the code to throw.
 *
 * Nothing here imports zod: `parseConfig` reads any schema through the Standard Schema interface.
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
export {
  parseConfig,
  type StandardSchema,
  type StandardSchemaIssue,
  type StandardSchemaResult,
} from "../config.js";
export {
  type Base64Alphabet,
  base64Alphabet,
  base64Decode,
  base64DecodeWith,
  base64Encode,
  base64EncodeWith,
  STANDARD_BASE64,
  TENCENT_BASE64,
  tencentBase64Decode,
  tencentBase64Encode,
} from "../encoding/base64.js";
export { constantTimeEqual } from "../encoding/constant-time.js";
export { hexDecode, hexEncode } from "../encoding/hex.js";
export { sha1Hex } from "../encoding/sha1.js";
export { utf8Decode, utf8Encode } from "../encoding/utf8.js";
export { anyKeyMatches, type KeyInput, type KeyListRules, keyList, MAX_KEYS } from "../keys.js";
export { randomHex, randomUint32 } from "../random.js";
export { readCapped } from "../read-capped.js";
export { type ParsedRoomScope, ROOM_PRIVILEGES, readRoomScope, refuseRoomScope } from "../room.js";
export { redactable } from "../secret.js";
export { normalizeBaseUrl, readBaseUrls, redactUrl, resolveUnder } from "../url.js";
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
export { adler32, type ZlibDecompressOptions, zlibDecompress, zlibStore } from "../zlib.js";
