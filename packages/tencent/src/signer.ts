import type { Clock } from "@imauth/core";

/** What a {@link UserSigSigner} is asked to sign. */
export interface UserSigSignInput {
  /** The SDKAppID. */
  sdkAppId: number;
  /** The user (or admin identifier) the UserSig is for. */
  userId: string;
  /** Lifetime in seconds. */
  expireSeconds: number;
  /** The current time in epoch milliseconds (from the provider's clock). */
  nowMs: number;
}

/**
 * The UserSig strategy of a Tencent provider: HMAC-SHA256 ({@link hmacSigner}) by default; @imauth/legacy-ecdsa
 * supplies an ECDSA one. REST signing and callbacks are written once on top of it.
 */
export interface UserSigSigner {
  /** Algorithm name, e.g. `"hmac-sha256"` or `"ecdsa-sha256"`. */
  readonly algorithm: string;
  /** Makes a UserSig. */
  sign(input: UserSigSignInput): string | Promise<string>;
}

/** What a {@link UserSigVerifier} checks a UserSig against. */
export interface UserSigVerifyInput {
  /** The SDKAppID the UserSig must be for. */
  sdkAppId: number;
  /** The user the UserSig must be for, when known. */
  userId?: string;
  /** The clock to judge expiry by. */
  clock?: Clock;
}

/** What a {@link UserSigVerifier} reports about an authentic UserSig. */
export interface VerifiedUserSig {
  userId: string;
  sdkAppId: number;
  issuedAt: Date;
  expiresAt: Date;
}

/**
 * The counterpart of {@link UserSigSigner}, used by `createTencentEmulator`: throws `ImAuthError`
 * (`ERR_MALFORMED_CREDENTIAL`, `ERR_SIGNATURE_INVALID`, `ERR_CREDENTIAL_EXPIRED`, `ERR_APP_MISMATCH`,
 * `ERR_USER_MISMATCH`) when the UserSig is not accepted.
 */
export interface UserSigVerifier {
  /** Algorithm name, e.g. `"hmac-sha256"` or `"ecdsa-sha256"`. */
  readonly algorithm: string;
  /** Verifies a UserSig. */
  verify(userSig: string, expected: UserSigVerifyInput): VerifiedUserSig | Promise<VerifiedUserSig>;
}
