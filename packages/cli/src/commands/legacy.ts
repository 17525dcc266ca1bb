import type { DecodedLegacyUserSig } from "@imauth/legacy-ecdsa";

// Loaded on first use, so each vendor's commands load only that vendor's package.
const legacy = () => import("@imauth/legacy-ecdsa");

import type { Command, CommandGroup } from "../command.js";
import { optionalString, requireString } from "../options.js";
import { readSecret, type SecretSource } from "../secrets.js";
// The parts of a UserSig command both generations share (option specs, printing, input readers).
import * as shared from "./usersig-shared.js";

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

type Decoded = DecodedLegacyUserSig;

function summarize(decoded: Decoded, nowMs: number) {
  return {
    algorithm: decoded.algorithm,
    ...shared.identityFields(decoded, nowMs),
    accountType: decoded.accountType,
    ...(decoded.appIdAt3rd === undefined ? {} : { appIdAt3rd: decoded.appIdAt3rd }),
    ...(decoded.version === undefined ? {} : { version: decoded.version }),
    ...(decoded.userBuf ? { userBuf: { base64: Buffer.from(decoded.userBuf).toString("base64") } } : {}),
  };
}

function rowsOf(decoded: Decoded, nowMs: number): Array<[string, string]> {
  const rows: Array<[string, string]> = [
    ["algorithm", "ECDSA-SHA256 (legacy)"],
    ...shared.identityRows(decoded, nowMs),
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

const view: shared.UserSigView<Decoded> & { title: string } = { title: "legacy UserSig", summarize, rowsOf };

const gen: Command = {
  name: "gen",
  summary: "generate a legacy ECDSA UserSig (SDKAppIDs created before 19 July 2019)",
  synopsis: "--sdkappid N --user U --private-key-file FILE [--expire S] [--userbuf TEXT]",
  options: {
    sdkappid: shared.sdkAppIdOption,
    user: shared.userOption,
    expire: shared.expireOption,
    userbuf: { type: "string", value: "TEXT", description: "user data to sign in (UTF-8)" },
    "private-key-file": {
      type: "string",
      value: "FILE",
      description: "PEM private key (PKCS#8 or SEC1; secp256k1 or P-256)",
    },
  },
  env: [
    { name: PRIVATE_KEY.env, description: "the PEM private key itself (instead of the file)" },
    shared.sdkAppIdEnv,
  ],
  examples: ["imauth legacy gen --sdkappid 1400000000 --user alice --private-key-file private_key.pem"],
  async run(ctx) {
    const app = shared.sdkAppId(ctx);
    const userId = requireString(ctx, "user");
    const lifetime = shared.expireSeconds(ctx);
    const userBufText = optionalString(ctx, "userbuf");
    const privateKey = await readSecret(ctx, PRIVATE_KEY);
    const { decodeLegacyUserSig, genLegacyUserSig } = await legacy();
    const userSig = await genLegacyUserSig({
      sdkAppId: app,
      privateKey,
      userId,
      expireSeconds: lifetime,
      ...(userBufText === undefined ? {} : { userBuf: userBufText }),
      clock: () => ctx.nowMs,
    });
    return shared.printIssued(ctx, userSig, decodeLegacyUserSig(userSig), view);
  },
};

const decode: Command = {
  name: "decode",
  summary: "show what a legacy UserSig holds, without a key",
  synopsis: "<usersig | ->",
  options: {},
  positionals: shared.userSigPositional,
  details: "Decoding checks nothing: use 'imauth legacy verify' to check the signature.",
  examples: ['imauth legacy decode "$LEGACY_USERSIG"'],
  async run(ctx) {
    const userSig = await shared.readCredentialArg(ctx);
    const { decodeLegacyUserSig } = await legacy();
    return shared.printDecoded(ctx, userSig, decodeLegacyUserSig(userSig), view);
  },
};

const verify: Command = {
  name: "verify",
  summary: "check a legacy UserSig with the public key (exit 0 valid, 1 rejected)",
  synopsis: "<usersig | -> --sdkappid N --public-key-file FILE [--user U]",
  options: {
    sdkappid: shared.sdkAppIdOption,
    user: shared.expectedUserOption,
    "public-key-file": { type: "string", value: "FILE", description: "PEM public key (SPKI)" },
  },
  positionals: shared.userSigPositional,
  env: [
    { name: PUBLIC_KEY.env, description: "the PEM public key itself (instead of the file)" },
    shared.sdkAppIdEnv,
  ],
  details: shared.REJECTIONS,
  examples: ['imauth legacy verify "$LEGACY_USERSIG" --sdkappid 1400000000 --public-key-file public_key.pem'],
  async run(ctx) {
    const { userSig, expected } = await shared.verifyInputs(ctx);
    const publicKey = await readSecret(ctx, PUBLIC_KEY);
    const { verifyLegacyUserSig } = await legacy();
    return shared.printVerified(ctx, await verifyLegacyUserSig(userSig, { ...expected, publicKey }), view);
  },
};

/** `imauth legacy ...` */
export const legacyCommands: CommandGroup = {
  name: "legacy",
  summary: "Tencent legacy UserSig (ECDSA-SHA256, SDKAppIDs created before 19 July 2019)",
  commands: [gen, decode, verify],
};
