// `imauth tencent diagnose`: says in one line why Tencent's server would refuse a UserSig, with the 700xx code
// it would answer (the codes come from @imauth/tencent's verifyUserSig, which cites Tencent's error-code page).
import { ImAuthError } from "@imauth/core";
import type { Command, CommandContext } from "../command.js";
import { EXIT } from "../exit.js";
import { optionalString } from "../options.js";
import { printError, printJson, printText } from "../output.js";
import { readSecret, type SecretSource, secretOptions } from "../secrets.js";
import { showTime } from "../time.js";
import { readCredentialArg, sdkAppId, sdkAppIdEnv, sdkAppIdOption } from "./usersig-shared.js";

const KEY: SecretSource = {
  fileFlag: "key-file",
  flag: "key",
  env: "IMAUTH_TENCENT_KEY",
  what: "Tencent secret key",
};

/** One diagnosis: Tencent's code (null when it would accept), our reason code, one line, and a hint. */
interface Diagnosis {
  tencentErrorCode: number | null;
  code: string | null;
  reason: string;
  hint?: string;
  signatureChecked: boolean;
}

const HINTS: Record<number, string> = {
  70001: "issue a new UserSig (Tencent suggests a lifetime of at least 24 hours)",
  70002: "the UserSig is empty: check how it reaches the client",
  70003: "the UserSig was truncated or altered on its way (URL encoding, a cut-off copy)",
  70009:
    "it was made with another key: another SDKAppID's key, or the key before it was reset in the console",
  70013: "a UserSig belongs to one UserID: issue one for the user who logs in",
  70014: "a UserSig belongs to one SDKAppID: issue it with this application's SDKAppID and key",
};

/** A secret given by flag, file or environment; diagnose works without one (the signature is then unchecked). */
function hasKey(ctx: CommandContext): boolean {
  return (
    typeof ctx.values[KEY.fileFlag] === "string" ||
    typeof ctx.values[KEY.flag!] === "string" ||
    Boolean(ctx.io.env[KEY.env]?.trim())
  );
}

/** PEM keys are what legacy (ECDSA) applications were given instead of an HMAC key. */
function looksLikeEcdsaKey(key: string): boolean {
  return /-----BEGIN (?:EC |)(?:PRIVATE|PUBLIC) KEY-----|-----BEGIN EC PARAMETERS-----/.test(key);
}

/** The legacy (pre-2019, ECDSA) document has `TLS.expire_after` and no `TLS.ver` of "2.0". */
export async function isLegacyUserSig(userSig: string): Promise<boolean> {
  const { unpackUserSig } = await import("@imauth/tencent");
  try {
    const doc = unpackUserSig(userSig);
    return doc["TLS.ver"] !== "2.0" && Object.hasOwn(doc, "TLS.expire_after");
  } catch {
    return false;
  }
}

async function diagnose(ctx: CommandContext, userSig: string, app: number): Promise<Diagnosis> {
  const userId = optionalString(ctx, "user");
  const key = hasKey(ctx) ? await readSecret(ctx, KEY) : undefined;
  if (await isLegacyUserSig(userSig)) {
    return {
      tencentErrorCode: null,
      code: "ERR_MALFORMED_CREDENTIAL",
      reason: "this is a legacy ECDSA UserSig (made before 2019 with a private key)",
      hint: "use imauth legacy verify with the application's public key",
      signatureChecked: false,
    };
  }
  if (key !== undefined && looksLikeEcdsaKey(key)) {
    return {
      tencentErrorCode: null,
      code: "ERR_INVALID_CONFIG",
      reason: `the key looks like an ECDSA ${/PUBLIC KEY/.test(key) ? "public" : "private"} key: this app uses legacy signing`,
      hint: "legacy applications sign with ECDSA: use imauth legacy gen/verify, or switch the app to HMAC keys in the console",
      signatureChecked: false,
    };
  }
  const tencent = await import("@imauth/tencent");
  const expected = { sdkAppId: app, ...(userId === undefined ? {} : { userId }), clock: () => ctx.nowMs };
  let decoded: { userId: string; sdkAppId: number; expiresAt: Date } | undefined;
  try {
    decoded = tencent.decodeUserSig(userSig);
  } catch {}
  try {
    if (key === undefined) checkWithoutKey(tencent, userSig, expected);
    else tencent.verifyUserSig(userSig, { ...expected, secretKey: key });
    const until = showTime(decoded!.expiresAt.getTime()).utc;
    return {
      tencentErrorCode: null,
      code: null,
      reason: `valid: Tencent would accept it for user ${JSON.stringify(decoded!.userId)} until ${until}`,
      ...(key === undefined ? { hint: "the signature was not checked: pass the key to check it too" } : {}),
      signatureChecked: key !== undefined,
    };
  } catch (error) {
    const e = error as ImAuthError;
    if (typeof e?.code !== "string" || e.code === "ERR_INVALID_CONFIG" || e.code === "ERR_INVALID_INPUT") {
      throw error;
    }
    const vendorCode = typeof e.vendorCode === "number" ? e.vendorCode : null;
    const hint = vendorCode === null ? undefined : HINTS[vendorCode];
    return {
      tencentErrorCode: vendorCode,
      code: e.code,
      reason: describeRefusal(e, decoded, app, userId),
      ...(hint === undefined ? {} : { hint }),
      signatureChecked: key !== undefined,
    };
  }
}

type Tencent = typeof import("@imauth/tencent");

/**
 * Every check of verifyUserSig but the signature: with a key that cannot match, verifyUserSig stops at the
 * signature after the format and the app, so the user and expiry are checked here, with Tencent's codes.
 */
function checkWithoutKey(
  tencent: Tencent,
  userSig: string,
  expected: { sdkAppId: number; userId?: string; clock: () => number },
): void {
  try {
    tencent.verifyUserSig(userSig, { ...expected, secretKey: "\u0000 no key given" });
  } catch (error) {
    if ((error as ImAuthError).code !== "ERR_SIGNATURE_INVALID") throw error;
  }
  const decoded = tencent.decodeUserSig(userSig);
  const codes = tencent.TENCENT_USERSIG_ERROR_CODES;
  if (expected.userId !== undefined && decoded.userId !== expected.userId) {
    throw new ImAuthError("ERR_USER_MISMATCH", "userSig was issued for another user", {
      vendorCode: codes.ERR_USER_MISMATCH,
    });
  }
  const nowSeconds = Math.floor(expected.clock() / 1000);
  const roomExpiry = decoded.userBuf?.privateMapKey?.expiresAtSeconds ?? Number.POSITIVE_INFINITY;
  if (nowSeconds > decoded.issuedAtSeconds + decoded.expireSeconds || nowSeconds > roomExpiry) {
    throw new ImAuthError("ERR_CREDENTIAL_EXPIRED", `userSig expired at ${decoded.expiresAt.toISOString()}`, {
      vendorCode: codes.ERR_CREDENTIAL_EXPIRED,
    });
  }
}

/** One line for a refusal; user IDs and SDKAppIDs are shown (they are not secrets), never the UserSig or key. */
function describeRefusal(
  e: ImAuthError,
  decoded: { userId: string; sdkAppId: number; expiresAt: Date } | undefined,
  app: number,
  userId: string | undefined,
): string {
  switch (e.code) {
    case "ERR_APP_MISMATCH":
      return `the UserSig is for SDKAppID ${decoded?.sdkAppId}, not ${app}`;
    case "ERR_USER_MISMATCH":
      return `the UserSig is for user ${JSON.stringify(decoded?.userId)}, not ${JSON.stringify(userId)}`;
    case "ERR_SIGNATURE_INVALID":
      return "the signature does not match this key";
    case "ERR_CREDENTIAL_EXPIRED":
      return e.message.replace(/^userSig/, "the UserSig");
    default:
      return `the UserSig cannot be read: ${e.message}`;
  }
}

/** `imauth tencent diagnose` */
export const diagnoseCommand: Command = {
  name: "diagnose",
  summary: "say why Tencent would refuse a UserSig, with its 700xx error code",
  synopsis: "<usersig | -> --sdkappid N [--user ID] [--key-file FILE]",
  options: {
    sdkappid: sdkAppIdOption,
    user: { type: "string", value: "ID", description: "the UserID the client logs in as" },
    ...secretOptions(
      KEY,
      "file holding the secret key (optional: without it the signature is not checked)",
      "the secret key itself",
    ),
  },
  positionals: [{ name: "usersig", description: "the UserSig, or - to read it from stdin" }],
  env: [{ name: KEY.env, description: "the secret key of the SDKAppID (optional)" }, sdkAppIdEnv],
  details:
    "Prints one line: the error code Tencent's server answers for this UserSig (70001 expired, 70003\n" +
    "malformed, 70009 wrong key, 70013 another UserID, 70014 another SDKAppID) and why, with a hint; or that it\n" +
    "would be accepted. Recognises legacy ECDSA UserSigs and ECDSA keys. --json gives tencentErrorCode (null when\n" +
    "accepted). Exit 0 when Tencent would accept the UserSig, 1 when it would refuse it.",
  examples: [
    'imauth tencent diagnose "$USERSIG" --sdkappid 1400000000 --user alice --key-file key.txt',
    'imauth tencent diagnose "$USERSIG" --sdkappid 1400000000 --user alice --json',
  ],
  async run(ctx) {
    const userSig = await readCredentialArg(ctx);
    const app = sdkAppId(ctx);
    const d = await diagnose(ctx, userSig, app);
    const ok = d.code === null;
    if (ctx.json) {
      printJson(ctx, { ok, ...d });
    } else {
      const head = d.tencentErrorCode === null ? (ok ? "ok" : "refused") : String(d.tencentErrorCode);
      printText(ctx, `${head}: ${d.reason}${d.hint ? ` (${d.hint})` : ""}\n`);
      if (!ok && d.tencentErrorCode === null) printError(ctx, `imauth: ${d.code}\n`);
    }
    return ok ? EXIT.OK : EXIT.REJECTED;
  },
};
