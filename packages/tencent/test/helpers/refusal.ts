import { ImAuthError } from "@imauth/core";

/** The ImAuthError `promise` is refused with; anything else thrown is rethrown, and success fails the test. */
export async function refusalOf(promise: Promise<unknown>): Promise<ImAuthError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ImAuthError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}
