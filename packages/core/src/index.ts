/**
 * The provider contract of imauth, its error type, and the encodings every adapter shares.
 *
 * @packageDocumentation
 */
export { readClock, systemClock } from "./clock.js";
export { parseConfig } from "./config.js";
export { base64Decode, base64Encode, tencentBase64Decode, tencentBase64Encode } from "./encoding/base64.js";
export { constantTimeEqual } from "./encoding/constant-time.js";
export { hexDecode, hexEncode } from "./encoding/hex.js";
export { utf8Decode, utf8Encode } from "./encoding/utf8.js";
export {
  ImAuthError,
  type ImAuthErrorCode,
  type ImAuthErrorOptions,
  type ImDelivery,
  isImAuthError,
} from "./errors.js";
export { randomHex, randomUint32 } from "./random.js";
export { readCapped } from "./read-capped.js";
export { redactable, Secret } from "./secret.js";
export type {
  Clock,
  ImAuthProvider,
  ImCredential,
  IssueCredentialOptions,
  RawWebhook,
  VerifiedWebhook,
} from "./types.js";
export { normalizeBaseUrl, redactUrl, resolveUnder } from "./url.js";
export {
  assertInteger,
  assertNonEmptyString,
  assertUserId,
  assertWellFormed,
  type IntegerRules,
  isWellFormed,
  typeName,
  type UserIdRules,
} from "./validate.js";
export { DEFAULT_MAX_WEBHOOK_BYTES, readWebhook, type WebhookInput } from "./webhook.js";
export { adler32, type ZlibDecompressOptions, zlibCompress, zlibDecompress } from "./zlib.js";
