// Loaded on first use, so each vendor's commands load only that vendor's package.
const netease = () => import("@imauth/netease");

import type { Command, CommandContext, CommandGroup, OptionSpec } from "../command.js";
import { EXIT, UsageError } from "../exit.js";
import { durationOption, intOption, optionalString, requireString } from "../options.js";
import { printJson, printRows, printText } from "../output.js";
import { BODY_LIMIT, readBytes, readSecret, type SecretSource, secretOptions } from "../secrets.js";
import { showTime } from "../time.js";
import { headersOf } from "./callback-shared.js";
import { describePrivileges, parsePrivileges } from "./tencent.js";

const SECRET: SecretSource = {
  fileFlag: "secret-file",
  flag: "secret",
  env: "IMAUTH_NETEASE_SECRET",
  what: "NetEase AppSecret",
};

const PERM_SECRET: SecretSource = {
  fileFlag: "perm-secret-file",
  flag: "perm-secret",
  env: "IMAUTH_NERTC_PERM_SECRET",
  what: "NERTC permission secret",
};

const appKeyOption: Record<string, OptionSpec> = {
  appkey: { type: "string", value: "KEY", description: "the AppKey (default: IMAUTH_NETEASE_APPKEY)" },
};

const appSecretOptions = secretOptions(SECRET, "file holding the AppSecret", "the AppSecret itself");

const env = [
  { name: "IMAUTH_NETEASE_APPKEY", description: "the AppKey" },
  { name: SECRET.env, description: "the AppSecret" },
];

/** NERTC permission-key privilege bits. */
const NERTC_PRIVILEGES: ReadonlyArray<readonly [string, number]> = [
  ["send-audio", 1],
  ["send-video", 2],
  ["recv-audio", 4],
  ["recv-video", 8],
  ["create", 16],
  ["join", 32],
];

function appKey(ctx: CommandContext, required = true): string | undefined {
  const value = optionalString(ctx, "appkey") ?? ctx.io.env.IMAUTH_NETEASE_APPKEY;
  if (!value && required)
    throw new UsageError("the AppKey is missing: set IMAUTH_NETEASE_APPKEY or pass --appkey");
  return value || undefined;
}

const headers: Command = {
  name: "headers",
  summary: "print the AppKey, Nonce, CurTime and CheckSum headers of one server-API call",
  synopsis: "[--appkey KEY] [--nonce N]",
  options: {
    ...appKeyOption,
    nonce: { type: "string", value: "N", description: "use this nonce (default: a random one)" },
    curl: { type: "boolean", description: "print as curl -H arguments" },
    ...appSecretOptions,
  },
  env,
  details: "Headers are valid for 5 minutes and must be fresh for every request.",
  examples: [
    'curl $(imauth netease headers --curl) -d "accid=alice" https://api.netease.im/nimserver/user/create.action',
    "imauth netease headers --json",
  ],
  async run(ctx) {
    const key = appKey(ctx)!;
    const nonce = optionalString(ctx, "nonce");
    const appSecret = await readSecret(ctx, SECRET);
    const { createCheckSumHeaders } = await netease();
    const h = createCheckSumHeaders({
      appKey: key,
      appSecret,
      clock: () => ctx.nowMs,
      ...(nonce === undefined ? {} : { nonce }),
    });
    if (ctx.json) printJson(ctx, h);
    else if (ctx.values.curl) {
      printText(
        ctx,
        `${Object.entries(h)
          .map(([k, v]) => `-H ${k}:${v}`)
          .join(" ")}\n`,
      );
    } else
      printText(
        ctx,
        `${Object.entries(h)
          .map(([k, v]) => `${k}: ${v}`)
          .join("\n")}\n`,
      );
    return EXIT.OK;
  },
};

/** What the generators print: the credential alone (pipe-friendly), or `fields` and its validity under `--json`. */
function printIssued(ctx: CommandContext, credential: string, ttlSeconds: number, fields: object): number {
  const validity = { issuedAt: showTime(ctx.nowMs), expiresAt: showTime(ctx.nowMs + ttlSeconds * 1000) };
  if (ctx.json) printJson(ctx, { ...fields, ...validity });
  else printText(ctx, `${credential}\n`);
  return EXIT.OK;
}

const uidOption: OptionSpec = { type: "string", value: "N", description: "the NERTC uid (a number)" };
const channelOption: OptionSpec = { type: "string", value: "C", description: "the channel name" };

/** `--uid` and `--channel` of the NERTC commands. */
function nertcTarget(ctx: CommandContext): { uid: number; channelName: string } {
  const uid = intOption(ctx, "uid", { min: 0, max: Number.MAX_SAFE_INTEGER });
  return { uid, channelName: requireString(ctx, "channel") };
}

const token: Command = {
  name: "token",
  summary: "generate a dynamic login token for an account",
  synopsis: "--accid A --ttl S [--appkey KEY]",
  options: {
    accid: { type: "string", value: "A", description: "the account ID" },
    ttl: { type: "string", value: "S", description: "lifetime: seconds or 30m, 12h, 1d" },
    ...appKeyOption,
    ...appSecretOptions,
  },
  env,
  examples: ["imauth netease token --accid alice --ttl 1h"],
  async run(ctx) {
    const accid = requireString(ctx, "accid");
    const ttlSeconds = durationOption(ctx, "ttl", { min: 1, max: 0x7fff_ffff });
    const key = appKey(ctx)!;
    const appSecret = await readSecret(ctx, SECRET);
    const { genDynamicToken } = await netease();
    const t = genDynamicToken({ appKey: key, appSecret, accid, ttlSeconds, clock: () => ctx.nowMs });
    return printIssued(ctx, t, ttlSeconds, { token: t, accid });
  },
};

const nertcToken: Command = {
  name: "nertc-token",
  summary: "generate a NERTC (audio/video) token for a uid and channel",
  synopsis: "--uid N --channel C --ttl S [--appkey KEY]",
  options: {
    uid: uidOption,
    channel: channelOption,
    ttl: { type: "string", value: "S", description: "lifetime below one day: seconds or 30m, 12h" },
    ...appKeyOption,
    ...appSecretOptions,
  },
  env,
  examples: ["imauth netease nertc-token --uid 10000 --channel room1 --ttl 30m"],
  async run(ctx) {
    const { uid, channelName } = nertcTarget(ctx);
    const ttlSeconds = durationOption(ctx, "ttl", { min: 1, max: 86_399 });
    const key = appKey(ctx)!;
    const appSecret = await readSecret(ctx, SECRET);
    const { genNertcToken } = await netease();
    const t = genNertcToken({ appKey: key, appSecret, uid, channelName, ttlSeconds, clock: () => ctx.nowMs });
    return printIssued(ctx, t, ttlSeconds, { token: t, uid, channelName });
  },
};

const nertcPermissionKey: Command = {
  name: "nertc-permission-key",
  summary: "generate a NERTC permission key (room privileges) for a uid and channel",
  synopsis: "--uid N --channel C --privilege P --ttl S [--appkey KEY]",
  options: {
    uid: uidOption,
    channel: channelOption,
    privilege: {
      type: "string",
      value: "P",
      description: `0-63, 'all' or e.g. join,recv-audio (${NERTC_PRIVILEGES.map(([n]) => n).join(", ")})`,
    },
    ttl: { type: "string", value: "S", description: "lifetime: seconds or 30m, 12h" },
    ...appKeyOption,
    ...secretOptions(PERM_SECRET, "file holding the permission secret", "the permission secret itself"),
  },
  env: [
    { name: "IMAUTH_NETEASE_APPKEY", description: "the AppKey" },
    { name: PERM_SECRET.env, description: "the NERTC permission secret" },
  ],
  examples: [
    "imauth netease nertc-permission-key --uid 10000 --channel room1 --privilege join,recv-audio --ttl 1h",
  ],
  async run(ctx) {
    const { uid, channelName } = nertcTarget(ctx);
    const privilege = parsePrivileges(requireString(ctx, "privilege"), NERTC_PRIVILEGES, 63);
    const ttlSeconds = durationOption(ctx, "ttl", { min: 1, max: 0x7fff_ffff });
    const key = appKey(ctx)!;
    const permSecret = await readSecret(ctx, PERM_SECRET);
    const { genNertcPermissionKey } = await netease();
    const k = genNertcPermissionKey({
      appKey: key,
      permSecret,
      uid,
      channelName,
      privilege,
      ttlSeconds,
      clock: () => ctx.nowMs,
    });
    const privileges = describePrivileges(privilege, NERTC_PRIVILEGES);
    return printIssued(ctx, k, ttlSeconds, { permissionKey: k, uid, channelName, privilege: privileges });
  },
};

const verifyCallback: Command = {
  name: "verify-callback",
  summary: "check a callback's MD5, CheckSum and CurTime (exit 0 valid, 1 rejected)",
  synopsis: "--body-file F --header K:V ... [--appkey KEY] [--max-skew S]",
  options: {
    "body-file": {
      type: "string",
      value: "F",
      description: "the raw body exactly as received (- for stdin)",
    },
    header: {
      type: "string",
      multiple: true,
      value: "K:V",
      description: "a received header: AppKey, CurTime, MD5, CheckSum",
    },
    "max-skew": { type: "string", value: "S", description: "accepted age of CurTime (default 5m)" },
    ...appKeyOption,
    ...appSecretOptions,
  },
  env: [
    { name: "IMAUTH_NETEASE_APPKEY", description: "the AppKey the callback must name (optional)" },
    { name: SECRET.env, description: "the AppSecret" },
  ],
  details:
    "Rejections exit with code 1 and print the reason: ERR_WEBHOOK_INVALID (bad MD5 or CheckSum,\n" +
    "missing header, other AppKey) or ERR_WEBHOOK_EXPIRED (CurTime outside the window).",
  examples: [
    // The repository's NetEase callback vector (AppSecret c00000000000, body {}); --now replays its time.
    'imauth netease verify-callback --body-file body.json --header "AppKey:$IMAUTH_NETEASE_APPKEY" \\\n' +
      "    --header CurTime:1700000000123 --header MD5:99914b932bd37a50b983c5e7c90ae93b \\\n" +
      "    --header CheckSum:14c49a15e28eca7b6ce7d918fbcc996510ce2710 --now 1700000000",
  ],
  async run(ctx) {
    const bodyFile = requireString(ctx, "body-file");
    if (!(ctx.values.header as string[] | undefined)?.length)
      throw new UsageError("--header is required (repeat it for CurTime, MD5 and CheckSum)");
    const headerMap = headersOf(ctx);
    const maxSkewSeconds = durationOption(ctx, "max-skew", { min: 1, max: 86_400, fallback: 300 });
    const key = appKey(ctx, false);
    const body = await readBytes(ctx, bodyFile, "--body-file", BODY_LIMIT);
    const appSecret = await readSecret(ctx, SECRET);
    const { verifyNeteaseCallback } = await netease();
    const verified = await verifyNeteaseCallback(
      { url: "/", headers: headerMap, body },
      {
        appSecret,
        ...(key === undefined ? {} : { appKey: key }),
        clock: () => ctx.nowMs,
        webhookMaxSkewSeconds: maxSkewSeconds,
      },
    );
    const signedAt = showTime(verified.receivedAt.getTime());
    if (ctx.json) {
      printJson(ctx, {
        ok: true,
        valid: true,
        appId: verified.appId,
        event: verified.event,
        signedAt,
        payload: verified.payload,
      });
    } else {
      printRows(ctx, "valid callback", [
        ["appkey", verified.appId ?? "(not named)"],
        ["event", verified.event ?? "(unknown)"],
        ["signed", `${signedAt.utc}  (local ${signedAt.local})`],
        ["body", verified.rawBody.length > 200 ? `${verified.rawBody.slice(0, 200)}...` : verified.rawBody],
      ]);
    }
    return EXIT.OK;
  },
};

/** `imauth netease ...` */
export const neteaseCommands: CommandGroup = {
  name: "netease",
  summary: "NetEase YunXin (CommsEase) IM and NERTC",
  commands: [headers, token, nertcToken, nertcPermissionKey, verifyCallback],
};
