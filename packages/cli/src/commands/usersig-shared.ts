// What the `tencent` and `legacy` commands share: both read a UserSig argument, take an SDKAppID and show the
// same identity and validity fields of a decoded UserSig (v2 HMAC or legacy ECDSA).
import type { CommandContext, OptionSpec } from "../command.js";
import { intOption, optionalString } from "../options.js";
import { CREDENTIAL_LIMIT, readText } from "../secrets.js";
import { showDuration, showTime, showValidity } from "../time.js";

/** The UserSig fields both generations decode to. */
export interface DecodedIdentity {
  userId: string;
  sdkAppId: number;
  issuedAt: Date;
  expiresAt: Date;
}

/** The first positional: a UserSig, or `-` to read it (capped) from stdin. */
export async function readCredentialArg(ctx: CommandContext, what = "usersig"): Promise<string> {
  const arg = ctx.positionals[0]!;
  const value = arg === "-" ? await readText(ctx, "-", `<${what}>`, CREDENTIAL_LIMIT) : arg;
  return value.trim();
}

export const sdkAppIdOption: OptionSpec = { type: "string", value: "N", description: "the SDKAppID" };
export const sdkAppIdEnv = { name: "IMAUTH_TENCENT_SDKAPPID", description: "default for --sdkappid" };

/** `--sdkappid`, defaulting to `IMAUTH_TENCENT_SDKAPPID`. */
export function sdkAppId(ctx: CommandContext): number {
  if (ctx.values.sdkappid === undefined && ctx.io.env.IMAUTH_TENCENT_SDKAPPID) {
    ctx.values.sdkappid = ctx.io.env.IMAUTH_TENCENT_SDKAPPID;
  }
  return intOption(ctx, "sdkappid", { min: 1, max: 0xffff_ffff });
}

/** The machine-readable identity and validity fields (`--json`). */
export function identityFields(decoded: DecodedIdentity, nowMs: number): Record<string, unknown> {
  const issuedMs = decoded.issuedAt.getTime();
  const expiresMs = decoded.expiresAt.getTime();
  return {
    userId: decoded.userId,
    sdkAppId: decoded.sdkAppId,
    issuedAt: showTime(issuedMs),
    expiresAt: showTime(expiresMs),
    expireSeconds: Math.round((expiresMs - issuedMs) / 1000),
    expired: nowMs > expiresMs,
    secondsLeft: Math.floor((expiresMs - nowMs) / 1000),
  };
}

/** The human rows of the same fields. */
export function identityRows(decoded: DecodedIdentity, nowMs: number): Array<[string, string]> {
  const issuedMs = decoded.issuedAt.getTime();
  const expiresMs = decoded.expiresAt.getTime();
  const issued = showTime(issuedMs);
  const expires = showTime(expiresMs);
  return [
    ["identifier", decoded.userId],
    ["sdkappid", String(decoded.sdkAppId)],
    ["issued", `${issued.utc}  (local ${issued.local})`],
    ["expires", `${expires.utc}  (local ${expires.local})`],
    ["lifetime", showDuration((expiresMs - issuedMs) / 1000)],
    ["status", showValidity(expiresMs, nowMs)],
  ];
}

/** The UserSig's JSON document as written (the decoder has already checked it is well-formed). */
export async function documentOf(userSig: string): Promise<unknown> {
  const { tencentBase64Decode, utf8Decode, zlibDecompress } = await import("@imauth/core/adapter");
  return JSON.parse(utf8Decode(zlibDecompress(tencentBase64Decode(userSig), { maxBytes: 4096 })));
}

/** What `verify` reads before the key: the UserSig, and the SDKAppID, user and clock to check it against. */
export async function verifyInputs(ctx: CommandContext) {
  const userSig = await readCredentialArg(ctx);
  const app = sdkAppId(ctx);
  const userId = optionalString(ctx, "user");
  const expected = { sdkAppId: app, ...(userId === undefined ? {} : { userId }), clock: () => ctx.nowMs };
  return { userSig, expected };
}
