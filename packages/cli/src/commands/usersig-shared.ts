// What the `tencent` and `legacy` commands share: both read a UserSig argument, take an SDKAppID and show the
// same identity and validity fields of a decoded UserSig (v2 HMAC or legacy ECDSA).
import type { CommandContext, OptionSpec } from "../command.js";
import { EXIT, type ExitCode } from "../exit.js";
import { durationOption, intOption, optionalString } from "../options.js";
import { printJson, printRows, printText } from "../output.js";
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

export const userSigPositional = [
  { name: "usersig", description: "the UserSig, or - to read it from stdin" },
];
export const userOption: OptionSpec = { type: "string", value: "U", description: "the user ID (identifier)" };
export const expectedUserOption: OptionSpec = {
  type: "string",
  value: "U",
  description: "the user the UserSig must be for",
};
export const expireOption: OptionSpec = {
  type: "string",
  value: "S",
  description: "lifetime: seconds or 30m, 12h, 180d (default 180d)",
};
export const REJECTIONS =
  "Rejections exit with code 1 and print the reason: ERR_CREDENTIAL_EXPIRED, ERR_APP_MISMATCH,\n" +
  "ERR_USER_MISMATCH, ERR_SIGNATURE_INVALID or ERR_MALFORMED_CREDENTIAL.";

/** `--expire` in seconds; 180 days (the official libraries' default) when absent. */
export function expireSeconds(ctx: CommandContext): number {
  return durationOption(ctx, "expire", { min: 1, max: 0x7fff_ffff, fallback: 15_552_000 });
}

/** How one generation of UserSig is shown: `--json` fields and human rows of a decoded UserSig. */
export interface UserSigView<D> {
  summarize(decoded: D, nowMs: number): Record<string, unknown>;
  rowsOf(decoded: D, nowMs: number): Array<[string, string]>;
}

/** What `gen` prints: the UserSig alone (pipe-friendly), or with its decoded fields under `--json`. */
export function printIssued<D>(
  ctx: CommandContext,
  userSig: string,
  decoded: D,
  view: UserSigView<D>,
): ExitCode {
  if (ctx.json) printJson(ctx, { userSig, ...view.summarize(decoded, ctx.nowMs) });
  else printText(ctx, `${userSig}\n`);
  return EXIT.OK;
}

/** What `decode` prints: the decoded fields and the JSON document, marked as not verified. */
export async function printDecoded<D>(
  ctx: CommandContext,
  userSig: string,
  decoded: D,
  view: UserSigView<D> & { title: string },
): Promise<ExitCode> {
  const document = await documentOf(userSig);
  if (ctx.json) printJson(ctx, { ...view.summarize(decoded, ctx.nowMs), document });
  else {
    printRows(ctx, `${view.title} (not verified: decoding needs no key)`, view.rowsOf(decoded, ctx.nowMs));
    printText(ctx, `JSON:\n${JSON.stringify(document, null, 2)}\n`);
  }
  return EXIT.OK;
}

/** What `verify` prints for an accepted UserSig. */
export function printVerified<D>(
  ctx: CommandContext,
  decoded: D,
  view: UserSigView<D> & { title: string },
): ExitCode {
  if (ctx.json) printJson(ctx, { ok: true, valid: true, ...view.summarize(decoded, ctx.nowMs) });
  else printRows(ctx, `valid ${view.title}`, view.rowsOf(decoded, ctx.nowMs));
  return EXIT.OK;
}
