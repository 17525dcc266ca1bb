import type { DecodedLegacyUserSig } from "@imauth/legacy-ecdsa";

// Loaded on first use, so each vendor's commands load only that vendor's package.
const legacy = () => import("@imauth/legacy-ecdsa");

import type { Command, CommandContext, CommandGroup } from "../command.js";
import { EXIT } from "../exit.js";
import { durationOption, intOption, optionalString, requireString } from "../options.js";
import { printJson, printRows, printText } from "../output.js";
import { CREDENTIAL_LIMIT, readSecret, readText, type SecretSource } from "../secrets.js";
import { showDuration, showTime, showValidity } from "../time.js";

const PRIVATE_KEY: SecretSource = {
  fileFlag: "private-key-file",
  env: "IMAUTH_LEGACY_PRIVATE_KEY",
  what: "ECDSA private key (PEM)",
  raw: true,
};

const PUBLIC_KEY: SecretSource = {
  fileFlag: "public-key-file",
  env: "IMAUTH_LEGACY_PUBLIC_KEY",
  what: "ECDSA public key (PEM)",
  raw: true,
};

function sdkAppId(ctx: CommandContext): number {
  if (ctx.values.sdkappid === undefined && ctx.io.env.IMAUTH_TENCENT_SDKAPPID) {
    ctx.values.sdkappid = ctx.io.env.IMAUTH_TENCENT_SDKAPPID;
  }
  return intOption(ctx, "sdkappid", { min: 1, max: 0xffff_ffff });
}

async function readCredentialArg(ctx: CommandContext): Promise<string> {
  const arg = ctx.positionals[0]!;
  return (arg === "-" ? await readText(ctx, "-", "<usersig>", CREDENTIAL_LIMIT) : arg).trim();
}

type Decoded = DecodedLegacyUserSig;

/** The UserSig's JSON document as written (decodeLegacyUserSig has already checked it is well-formed). */
async function documentOf(userSig: string): Promise<unknown> {
  const { tencentBase64Decode, utf8Decode, zlibDecompress } = await import("@imauth/core");
  return JSON.parse(utf8Decode(zlibDecompress(tencentBase64Decode(userSig), { maxBytes: 4096 })));
}

function summarize(decoded: Decoded, nowMs: number) {
  const expiresAtMs = decoded.expiresAt.getTime();
  return {
    algorithm: decoded.algorithm,
    userId: decoded.userId,
    sdkAppId: decoded.sdkAppId,
    issuedAt: showTime(decoded.issuedAt.getTime()),
    expiresAt: showTime(expiresAtMs),
    expireSeconds: Math.round((expiresAtMs - decoded.issuedAt.getTime()) / 1000),
    expired: nowMs > expiresAtMs,
    secondsLeft: Math.floor((expiresAtMs - nowMs) / 1000),
    accountType: decoded.accountType,
    ...(decoded.appIdAt3rd === undefined ? {} : { appIdAt3rd: decoded.appIdAt3rd }),
    ...(decoded.version === undefined ? {} : { version: decoded.version }),
    ...(decoded.userBuf ? { userBuf: { base64: Buffer.from(decoded.userBuf).toString("base64") } } : {}),
  };
}

function rowsOf(decoded: Decoded, nowMs: number): Array<[string, string]> {
  const issuedMs = decoded.issuedAt.getTime();
  const expiresMs = decoded.expiresAt.getTime();
  const issued = showTime(issuedMs);
  const expires = showTime(expiresMs);
  const rows: Array<[string, string]> = [
    ["algorithm", "ECDSA-SHA256 (legacy)"],
    ["identifier", decoded.userId],
    ["sdkappid", String(decoded.sdkAppId)],
    ["issued", `${issued.utc}  (local ${issued.local})`],
    ["expires", `${expires.utc}  (local ${expires.local})`],
    ["lifetime", showDuration((expiresMs - issuedMs) / 1000)],
    ["status", showValidity(expiresMs, nowMs)],
    ["account type", decoded.accountType],
    ["appid_at_3rd", decoded.appIdAt3rd ?? "(absent: old format)"],
  ];
  if (decoded.version !== undefined) rows.push(["version", decoded.version]);
  if (decoded.userBuf) {
    const text = new TextDecoder("utf-8", { fatal: false }).decode(decoded.userBuf);
    rows.push([
      "userbuf",
      `${Buffer.from(decoded.userBuf).toString("base64")} (base64; as text: ${JSON.stringify(text)})`,
    ]);
  }
  return rows;
}

const gen: Command = {
  name: "gen",
  summary: "generate a legacy ECDSA UserSig (SDKAppIDs created before 19 July 2019)",
  synopsis: "--sdkappid N --user U --private-key-file FILE [--expire S] [--userbuf TEXT]",
  options: {
    sdkappid: { type: "string", value: "N", description: "the SDKAppID" },
    user: { type: "string", value: "U", description: "the user ID (identifier)" },
    expire: { type: "string", value: "S", description: "lifetime: seconds or 30m, 12h, 180d (default 180d)" },
    userbuf: { type: "string", value: "TEXT", description: "user data to sign in (UTF-8)" },
    "private-key-file": {
      type: "string",
      value: "FILE",
      description: "PEM private key (PKCS#8 or SEC1; secp256k1 or P-256)",
    },
  },
  env: [
    { name: PRIVATE_KEY.env, description: "the PEM private key itself (instead of the file)" },
    { name: "IMAUTH_TENCENT_SDKAPPID", description: "default for --sdkappid" },
  ],
  examples: ["imauth legacy gen --sdkappid 1400000000 --user alice --private-key-file private_key.pem"],
  async run(ctx) {
    const app = sdkAppId(ctx);
    const userId = requireString(ctx, "user");
    const expireSeconds = durationOption(ctx, "expire", { min: 1, max: 0x7fff_ffff, fallback: 15_552_000 });
    const userBufText = optionalString(ctx, "userbuf");
    const privateKey = await readSecret(ctx, PRIVATE_KEY);
    const { decodeLegacyUserSig, genLegacyUserSig } = await legacy();
    const userSig = await genLegacyUserSig({
      sdkAppId: app,
      privateKey,
      userId,
      expireSeconds,
      ...(userBufText === undefined ? {} : { userBuf: userBufText }),
      clock: () => ctx.nowMs,
    });
    if (ctx.json) printJson(ctx, { userSig, ...summarize(decodeLegacyUserSig(userSig), ctx.nowMs) });
    else printText(ctx, `${userSig}\n`);
    return EXIT.OK;
  },
};

const decode: Command = {
  name: "decode",
  summary: "show what a legacy UserSig holds, without a key",
  synopsis: "<usersig | ->",
  options: {},
  positionals: [{ name: "usersig", description: "the UserSig, or - to read it from stdin" }],
  details: "Decoding checks nothing: use 'imauth legacy verify' to check the signature.",
  examples: ["imauth legacy decode eJxdjl1rgzAYhf-Le7vRJVa7..."],
  async run(ctx) {
    const userSig = await readCredentialArg(ctx);
    const { decodeLegacyUserSig } = await legacy();
    const decoded = decodeLegacyUserSig(userSig);
    if (ctx.json) printJson(ctx, { ...summarize(decoded, ctx.nowMs), document: await documentOf(userSig) });
    else {
      printRows(ctx, "legacy UserSig (not verified: decoding needs no key)", rowsOf(decoded, ctx.nowMs));
      printText(ctx, `JSON:\n${JSON.stringify(await documentOf(userSig), null, 2)}\n`);
    }
    return EXIT.OK;
  },
};

const verify: Command = {
  name: "verify",
  summary: "check a legacy UserSig with the public key (exit 0 valid, 1 rejected)",
  synopsis: "<usersig | -> --sdkappid N --public-key-file FILE [--user U]",
  options: {
    sdkappid: { type: "string", value: "N", description: "the SDKAppID" },
    user: { type: "string", value: "U", description: "the user the UserSig must be for" },
    "public-key-file": { type: "string", value: "FILE", description: "PEM public key (SPKI)" },
  },
  positionals: [{ name: "usersig", description: "the UserSig, or - to read it from stdin" }],
  env: [
    { name: PUBLIC_KEY.env, description: "the PEM public key itself (instead of the file)" },
    { name: "IMAUTH_TENCENT_SDKAPPID", description: "default for --sdkappid" },
  ],
  details:
    "Rejections exit with code 1 and print the reason: ERR_CREDENTIAL_EXPIRED, ERR_APP_MISMATCH,\n" +
    "ERR_USER_MISMATCH, ERR_SIGNATURE_INVALID or ERR_MALFORMED_CREDENTIAL.",
  examples: ['imauth legacy verify "$USERSIG" --sdkappid 1400000000 --public-key-file public_key.pem'],
  async run(ctx) {
    const userSig = await readCredentialArg(ctx);
    const app = sdkAppId(ctx);
    const userId = optionalString(ctx, "user");
    const publicKey = await readSecret(ctx, PUBLIC_KEY);
    const { verifyLegacyUserSig } = await legacy();
    const decoded = await verifyLegacyUserSig(userSig, {
      sdkAppId: app,
      publicKey,
      ...(userId === undefined ? {} : { userId }),
      clock: () => ctx.nowMs,
    });
    if (ctx.json) printJson(ctx, { ok: true, valid: true, ...summarize(decoded, ctx.nowMs) });
    else printRows(ctx, "valid legacy UserSig", rowsOf(decoded, ctx.nowMs));
    return EXIT.OK;
  },
};

/** `imauth legacy ...` */
export const legacyCommands: CommandGroup = {
  name: "legacy",
  summary: "Tencent legacy UserSig (ECDSA-SHA256, SDKAppIDs created before 19 July 2019)",
  commands: [gen, decode, verify],
};
