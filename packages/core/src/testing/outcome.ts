import { type ImAuthErrorCode, isImAuthError } from "../errors.js";

/**
 * What became of a call that may be refused: `"accepted"` when `run` returns (or its promise resolves), the
 * `ImAuthError`'s code when it is refused. Anything else thrown is rethrown, so a crash never reads as a
 * refusal. Meant for table-style tests of verifiers (one key list after another, one tampered field after
 * another).
 *
 * @example
 * ```ts
 * import { outcomeOf } from "@imauth/core/testing";
 * import { verifyUserSig } from "@imauth/tencent";
 *
 * expect(await outcomeOf(() => verifyUserSig(userSig, { sdkAppId, secretKey: ["new", "old"] }))).toBe("accepted");
 * expect(await outcomeOf(() => verifyUserSig(userSig, { sdkAppId, secretKey: "other" }))).toBe("ERR_SIGNATURE_INVALID");
 * ```
 */
export async function outcomeOf(run: () => unknown): Promise<"accepted" | ImAuthErrorCode> {
  try {
    await run();
    return "accepted";
  } catch (error) {
    if (isImAuthError(error)) return error.code;
    throw error;
  }
}
