/**
 * What an application touches: the provider contract every vendor adapter implements, the one error type
 * with its code union, `Secret` and the clock. Adapter internals live in `@imauth/core/adapter`, the signed
 * HTTP client in `@imauth/core/http`, the conformance suite and emulator interface in `@imauth/core/testing`.
 *
 * @packageDocumentation
 */
export { systemClock } from "./clock.js";
export {
  ImAuthError,
  type ImAuthErrorCode,
  type ImAuthErrorOptions,
  type ImDelivery,
  isImAuthError,
} from "./errors.js";
export { Secret } from "./secret.js";
export type {
  Clock,
  ImAuthProvider,
  ImCredential,
  IssueCredentialOptions,
  RawWebhook,
  RoomCredential,
  RoomPrivilege,
  RoomScope,
  VerifiedWebhook,
} from "./types.js";
