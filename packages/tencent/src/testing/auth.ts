import type { Clock } from "@imauth/core";
import { isImAuthError } from "@imauth/core";
import type { UserSigVerifier } from "../signer.js";
import { EmulatedError } from "./handlers.js";

/** What the emulator checks a REST call's query against. */
export interface AuthContext {
  sdkAppId: number;
  adminUserId: string;
  verifier: UserSigVerifier;
  clock: Clock | undefined;
  /** UserSigs issued at or before this second are revoked (70052); -1: none. */
  revokedUpToSeconds: number;
}

/**
 * Checks a REST call's query as Tencent does: `sdkappid` (70020), `identifier` (the admin, 60010), `usersig`
 * decoded and verified (70001, 70003, 70009, 70013, 70014; 70052 when revoked), `random` a u32 and
 * `contenttype=json` (60002). Throws {@link EmulatedError}.
 */
export async function authenticate(url: URL, auth: AuthContext): Promise<void> {
  const q = url.searchParams;
  const appId = q.get("sdkappid");
  if (!appId) throw new EmulatedError(60012, "the request has no sdkappid");
  if (!/^[0-9]{1,10}$/.test(appId) || Number(appId) !== auth.sdkAppId) {
    throw new EmulatedError(70020, "SDKAppID not found");
  }
  const identifier = q.get("identifier");
  if (!identifier) throw new EmulatedError(60002, "the request has no identifier");
  const userSig = q.get("usersig");
  if (!userSig) throw new EmulatedError(70003, "the request has no usersig");
  let issuedAtSeconds: number;
  try {
    const { sdkAppId, clock } = auth;
    const verified = await auth.verifier.verify(userSig, { sdkAppId, userId: identifier, clock });
    issuedAtSeconds = Math.floor(verified.issuedAt.getTime() / 1000);
  } catch (error) {
    throw userSigError(error);
  }
  if (issuedAtSeconds <= auth.revokedUpToSeconds)
    throw new EmulatedError(70052, "the UserSig was invalidated");
  if (identifier !== auth.adminUserId)
    throw new EmulatedError(60010, "the request needs App admin permission");
  const random = q.get("random");
  if (!random || !/^[0-9]{1,10}$/.test(random) || Number(random) > 0xffff_ffff) {
    throw new EmulatedError(60002, "random must be an unsigned 32-bit integer");
  }
  if (q.get("contenttype") !== "json") throw new EmulatedError(60002, "contenttype must be json");
}

function userSigError(error: unknown): EmulatedError {
  if (isImAuthError(error)) {
    switch (error.code) {
      case "ERR_CREDENTIAL_EXPIRED":
        return new EmulatedError(70001, "the UserSig has expired");
      case "ERR_SIGNATURE_INVALID":
        return new EmulatedError(70009, "the UserSig signature does not verify");
      case "ERR_USER_MISMATCH":
        return new EmulatedError(70013, "the UserSig was issued for another identifier");
      case "ERR_APP_MISMATCH":
        return new EmulatedError(70014, "the UserSig was issued for another SDKAppID");
      default:
        break;
    }
  }
  return new EmulatedError(70003, "the UserSig is invalid");
}
