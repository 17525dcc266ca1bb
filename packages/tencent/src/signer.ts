import type { Clock, Secret } from "@imauth/core";
import { assertOptionsObject, type KeyInput, keyList, redactable } from "@imauth/core/adapter";
import { genUserSig, revealSecret } from "./usersig.js";
import { type DecodedUserSig, verifyUserSig } from "./verify.js";

/**
 * What a {@link UserSigSigner} is asked to sign.
 *
 * @example
 * ```ts
 * const input: UserSigSignInput = { sdkAppId: 1400000000, userId: "administrator", expireSeconds: 86400, nowMs: Date.now() };
 * ```
 */
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
 *
 * @example
 * ```ts
 * const signer: UserSigSigner = hmacSigner({ secretKey });
 * const userSig = await signer.sign({ sdkAppId, userId: "alice", expireSeconds: 3600, nowMs: Date.now() });
 * ```
 */
export interface UserSigSigner {
  /** Algorithm name, e.g. `"hmac-sha256"` or `"ecdsa-sha256"`. */
  readonly algorithm: string;
  /** Makes a UserSig. */
  sign(input: UserSigSignInput): string | Promise<string>;
}

/**
 * What a {@link UserSigVerifier} checks a UserSig against.
 *
 * @example
 * ```ts
 * const expected: UserSigVerifyInput = { sdkAppId: 1400000000, userId: "administrator" };
 * ```
 */
export interface UserSigVerifyInput {
  /** The SDKAppID the UserSig must be for. */
  sdkAppId: number;
  /** The user the UserSig must be for, when known. */
  userId?: string;
  /** The clock to judge expiry by. */
  clock?: Clock;
}

/**
 * What a {@link UserSigVerifier} reports about an authentic UserSig.
 *
 * @example
 * ```ts
 * const { userId, expiresAt }: VerifiedUserSig = await verifier.verify(userSig, { sdkAppId });
 * ```
 */
export interface VerifiedUserSig {
  /** `TLS.identifier`. */
  userId: string;
  /** `TLS.sdkappid`. */
  sdkAppId: number;
  /** `TLS.time`. */
  issuedAt: Date;
  /** `TLS.time + TLS.expire`, the last valid moment. */
  expiresAt: Date;
}

/**
 * The counterpart of {@link UserSigSigner}, used by `createTencentEmulator`: throws `ImAuthError`
 * (`ERR_MALFORMED_CREDENTIAL`, `ERR_SIGNATURE_INVALID`, `ERR_CREDENTIAL_EXPIRED`, `ERR_APP_MISMATCH`,
 * `ERR_USER_MISMATCH`) when the UserSig is not accepted.
 *
 * @example
 * ```ts
 * const verifier: UserSigVerifier = hmacVerifier({ secretKey });
 * await verifier.verify(userSig, { sdkAppId, userId: "alice" });
 * ```
 */
export interface UserSigVerifier {
  /** Algorithm name, e.g. `"hmac-sha256"` or `"ecdsa-sha256"`. */
  readonly algorithm: string;
  /** Verifies a UserSig. */
  verify(userSig: string, expected: UserSigVerifyInput): VerifiedUserSig | Promise<VerifiedUserSig>;
}

/**
 * Options of {@link hmacSigner}.
 *
 * @example
 * ```ts
 * const options: HmacUserSigOptions = { secretKey: process.env.TENCENT_SECRET_KEY! };
 * ```
 */
export interface HmacUserSigOptions {
  /** The application's secret key (console: Application management). Kept in a closure, never shown. */
  secretKey: string | Secret;
}

/**
 * Options of {@link hmacVerifier}.
 *
 * @example
 * ```ts
 * // during a key rotation: the new key first, the old one until the UserSigs it signed have expired
 * const options: HmacVerifierOptions = { secretKey: [process.env.TENCENT_SECRET_KEY!, previousKey] };
 * ```
 */
export interface HmacVerifierOptions {
  /** The secret key, or `[current, ...previous]`: every key is tried in constant time, with no early exit. */
  secretKey: KeyInput;
}

/**
 * The default UserSig strategy: HMAC-SHA256 UserSigs (v2) made with {@link genUserSig}.
 *
 * @example
 * ```ts
 * import { hmacSigner } from "@imauth/tencent";
 *
 * const signer = hmacSigner({ secretKey });
 * const userSig = await signer.sign({ sdkAppId: 1400000000, userId: "administrator", expireSeconds: 86400, nowMs: Date.now() });
 * ```
 */
export function hmacSigner(options: HmacUserSigOptions): UserSigSigner {
  const secretKey = readSecretKey(options, "hmacSigner");
  return redactable(
    {
      algorithm: "hmac-sha256",
      sign(input: UserSigSignInput): string {
        const { sdkAppId, userId, expireSeconds, nowMs } = input;
        return genUserSig({ sdkAppId, secretKey, userId, expireSeconds, clock: () => nowMs });
      },
    },
    "UserSigSigner",
  );
}

/**
 * The counterpart of {@link hmacSigner}: checks HMAC-SHA256 UserSigs with {@link verifyUserSig} and returns
 * the decoded UserSig.
 *
 * @example
 * ```ts
 * import { hmacVerifier } from "@imauth/tencent";
 *
 * const verifier = hmacVerifier({ secretKey });
 * const { userId, expiresAt } = await verifier.verify(userSig, { sdkAppId: 1400000000, userId: "alice" });
 * ```
 */
export function hmacVerifier(options: HmacVerifierOptions): UserSigVerifier {
  assertOptionsObject(options, "hmacVerifier options", "ERR_INVALID_CONFIG");
  const secretKey = keyList(options.secretKey, "secretKey");
  return redactable(
    {
      algorithm: "hmac-sha256",
      verify(userSig: string, expected: UserSigVerifyInput): DecodedUserSig {
        const { sdkAppId, userId, clock } = expected;
        return verifyUserSig(userSig, { sdkAppId, secretKey, userId, clock });
      },
    },
    "UserSigVerifier",
  );
}

function readSecretKey(options: HmacUserSigOptions, what: string): string {
  assertOptionsObject(options, `${what} options`, "ERR_INVALID_CONFIG");
  return revealSecret(options.secretKey, "secretKey");
}
