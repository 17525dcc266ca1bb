// Loaded on first use, so each vendor's commands load only that vendor's package.
const rongcloud = () => import("@imauth/rongcloud");

import type { Command, CommandContext, CommandGroup, OptionSpec } from "../command.js";
import { EXIT, UsageError } from "../exit.js";
import { optionalString, requireString } from "../options.js";
import { printJson, printRows, printText } from "../output.js";
import { BODY_LIMIT, readBytes, readSecret, type SecretSource, secretOptions } from "../secrets.js";
import { showTime } from "../time.js";
import {
  bodyFileOption,
  headersOf,
  maxSkewOption,
  maxSkewSeconds,
  printVerifiedCallback,
  setHeader,
} from "./callback-shared.js";

const SECRET: SecretSource = {
  fileFlag: "secret-file",
  flag: "secret",
  env: "IMAUTH_RONGCLOUD_SECRET",
  what: "RongCloud App Secret",
};

const appKeyOption: Record<string, OptionSpec> = {
  appkey: { type: "string", value: "KEY", description: "the App Key (default: IMAUTH_RONGCLOUD_APPKEY)" },
};

const appSecretOptions = secretOptions(SECRET, "file holding the App Secret", "the App Secret itself");

const env = [
  { name: "IMAUTH_RONGCLOUD_APPKEY", description: "the App Key" },
  { name: SECRET.env, description: "the App Secret" },
];

function appKey(ctx: CommandContext): string | undefined {
  return optionalString(ctx, "appkey") ?? (ctx.io.env.IMAUTH_RONGCLOUD_APPKEY || undefined);
}

const headers: Command = {
  name: "headers",
  summary: "print the App-Key, Nonce, Timestamp and Signature headers of one server-API call",
  synopsis: "[--appkey KEY] [--nonce N] [--seconds] [--curl]",
  options: {
    ...appKeyOption,
    nonce: {
      type: "string",
      value: "N",
      description: "use this nonce, 1 to 18 characters (default: random)",
    },
    seconds: {
      type: "boolean",
      description: "Timestamp in seconds, as the official Node SDK sends it (default: milliseconds)",
    },
    curl: { type: "boolean", description: "print as curl -H arguments" },
    ...appSecretOptions,
  },
  env,
  details:
    "Make fresh headers for every request: the server checks the Timestamp against its clock. With --curl:\n" +
    "  curl $(imauth rongcloud headers --curl) -d userId=alice https://api-cn.ronghub.com/user/getToken.json",
  examples: [
    "imauth rongcloud headers --json",
    // RongCloud's documented example (Nonce 14314 at 1408710653000 ms) in the official SDK's seconds.
    "imauth rongcloud headers --nonce 14314 --seconds --now 1408710653",
  ],
  async run(ctx) {
    const key = appKey(ctx);
    if (!key) throw new UsageError("the App Key is missing: set IMAUTH_RONGCLOUD_APPKEY or pass --appkey");
    const nonce = optionalString(ctx, "nonce");
    const appSecret = await readSecret(ctx, SECRET);
    const { createRongCloudHeaders } = await rongcloud();
    const h = createRongCloudHeaders({
      appKey: key,
      appSecret,
      clock: () => ctx.nowMs,
      timestampUnit: ctx.values.seconds ? "seconds" : "ms",
      ...(nonce === undefined ? {} : { nonce }),
    });
    const entries = Object.entries(h);
    if (ctx.json) printJson(ctx, h);
    else if (ctx.values.curl) printText(ctx, `${entries.map(([k, v]) => `-H ${k}:${v}`).join(" ")}\n`);
    else printText(ctx, `${entries.map(([k, v]) => `${k}: ${v}`).join("\n")}\n`);
    return EXIT.OK;
  },
};

/** The received headers: `--header K:V` and the `--nonce`, `--timestamp`, `--signature` shortcuts. */
function receivedHeaders(ctx: CommandContext, expectedAppKey: string | undefined): Headers {
  const h = headersOf(ctx);
  setHeader(h, "Nonce", optionalString(ctx, "nonce"), "nonce");
  setHeader(h, "Timestamp", optionalString(ctx, "timestamp"), "timestamp");
  setHeader(h, "Signature", optionalString(ctx, "signature"), "signature");
  // The request names its App Key; when it was not given, it is the one expected.
  const prefix = !h.has("Signature") && h.has("RC-Signature") ? "RC-" : "";
  if (!h.has(`${prefix}App-Key`)) {
    if (expectedAppKey === undefined) {
      throw new UsageError(
        "the App Key is missing: pass --header App-Key:KEY, set IMAUTH_RONGCLOUD_APPKEY or pass --appkey",
      );
    }
    h.set(`${prefix}App-Key`, expectedAppKey);
  }
  if (!h.has(`${prefix}Signature`)) throw new UsageError("--signature is required (the Signature header)");
  return h;
}

const verify: Command = {
  name: "verify",
  summary: "check a server-API request's Signature, App-Key and Timestamp (exit 0 valid, 1 rejected)",
  synopsis: "--nonce N --timestamp T --signature S [--header K:V ...] [--appkey KEY] [--max-skew S]",
  options: {
    nonce: { type: "string", value: "N", description: "the received Nonce header" },
    timestamp: { type: "string", value: "T", description: "the received Timestamp header (ms or seconds)" },
    signature: { type: "string", value: "S", description: "the received Signature header" },
    header: {
      type: "string",
      multiple: true,
      value: "K:V",
      description: "a received header: App-Key, Nonce, Timestamp, Signature (or RC-...)",
    },
    "max-skew": maxSkewOption("Timestamp"),
    ...appKeyOption,
    ...appSecretOptions,
  },
  env: [
    { name: "IMAUTH_RONGCLOUD_APPKEY", description: "the App Key the request must name (optional)" },
    { name: SECRET.env, description: "the App Secret" },
  ],
  details:
    "Rejections exit with code 1 and print the reason: ERR_SIGNATURE_INVALID, ERR_APP_MISMATCH,\n" +
    "ERR_CREDENTIAL_EXPIRED (Timestamp outside the window) or ERR_MALFORMED_CREDENTIAL (missing or\n" +
    "malformed header). A Timestamp of 12 digits or more is milliseconds, a shorter one seconds.",
  examples: [
    // The headers the official Node SDK sends for RongCloud's documented inputs; --now replays their time.
    "imauth rongcloud verify --nonce 14314 --timestamp 1408710653 \\\n" +
      "    --signature 3f7088873939e033bac1c1787eff5f3ba3a1c2d8 --now 1408710653",
    // RongCloud's documented example, Timestamp in milliseconds, headers given as received.
    'imauth rongcloud verify --header "App-Key:$IMAUTH_RONGCLOUD_APPKEY" --header Nonce:14314 \\\n' +
      "    --header Timestamp:1408710653000 --header Signature:30be0bbca9c9b2e27578701e9fda2358a814c88f \\\n" +
      "    --now 1408710653",
  ],
  async run(ctx) {
    const expectedAppKey = appKey(ctx);
    const h = receivedHeaders(ctx, expectedAppKey);
    const requestMaxSkewSeconds = maxSkewSeconds(ctx);
    const appSecret = await readSecret(ctx, SECRET);
    const { verifyRongCloudHeaders } = await rongcloud();
    const v = verifyRongCloudHeaders(h, {
      appSecret,
      requestMaxSkewSeconds,
      clock: () => ctx.nowMs,
      ...(expectedAppKey === undefined ? {} : { appKey: expectedAppKey }),
    });
    const signedAt = showTime(v.signedAt.getTime());
    if (ctx.json) printJson(ctx, { ok: true, valid: true, ...v, signedAt });
    else {
      printRows(ctx, "valid signature headers", [
        ["app key", v.appKey],
        ["nonce", v.nonce],
        ["timestamp", `${v.timestamp} (${v.timestampUnit === "ms" ? "milliseconds" : "seconds"})`],
        ["signed", `${signedAt.utc}  (local ${signedAt.local})`],
        ["header names", v.prefixed ? "RC-App-Key, RC-Nonce, RC-Timestamp, RC-Signature" : "plain"],
      ]);
    }
    return EXIT.OK;
  },
};

const verifyCallback: Command = {
  name: "verify-callback",
  summary: "check a callback URL's nonce, signTimestamp and signature (exit 0 valid, 1 rejected)",
  synopsis: "--url URL [--body-file F] [--max-skew S]",
  options: {
    url: {
      type: "string",
      value: "URL",
      description: "the callback URL as requested, with its query (or just ?nonce=...&...)",
    },
    "body-file": { ...bodyFileOption, description: `${bodyFileOption.description}; not signed, shown` },
    "max-skew": maxSkewOption("signTimestamp"),
    ...appSecretOptions,
  },
  env: [{ name: SECRET.env, description: "the App Secret" }],
  details:
    "Rejections exit with code 1 and print the reason: ERR_WEBHOOK_INVALID (bad or missing signature) or\n" +
    "ERR_WEBHOOK_EXPIRED (signTimestamp outside the window). The signature covers the query only, not the\n" +
    "body: receive callbacks over HTTPS. The older rc-nonce, rc-timestamp, rc-signature names are accepted.",
  examples: [
    // A callback signed with RongCloud's documented example secret and values; --now replays its time.
    "imauth rongcloud verify-callback --now 1408710653 \\\n" +
      "    --url 'https://app.example.com/rongcloud/callback?nonce=14314&signTimestamp=1408710653000&signature=30be0bbca9c9b2e27578701e9fda2358a814c88f'",
  ],
  async run(ctx) {
    const url = requireString(ctx, "url");
    try {
      new URL(url, "http://localhost");
    } catch {
      throw new UsageError("--url is not a URL");
    }
    const webhookMaxSkewSeconds = maxSkewSeconds(ctx);
    const bodyFile = optionalString(ctx, "body-file");
    const body =
      bodyFile === undefined ? new Uint8Array() : await readBytes(ctx, bodyFile, "--body-file", BODY_LIMIT);
    const appSecret = await readSecret(ctx, SECRET);
    const { verifyRongCloudCallback } = await rongcloud();
    const verified = await verifyRongCloudCallback(
      { url, headers: {}, body },
      { appSecret, webhookMaxSkewSeconds, clock: () => ctx.nowMs },
    );
    const rows: Array<[string, string]> = [
      ["app key", verified.appId ?? "(not named)"],
      ["nonce", verified.details.nonce ?? ""],
      ["timestamp", verified.details.signTimestamp ?? ""],
    ];
    return printVerifiedCallback(ctx, verified, rows, { appKey: verified.appId ?? null });
  },
};

/** `imauth rongcloud ...` */
export const rongcloudCommands: CommandGroup = {
  name: "rongcloud",
  summary: "RongCloud IM server-API signatures and callbacks",
  commands: [headers, verify, verifyCallback],
  details:
    "No gen or decode: RongCloud user tokens come from RongCloud's server (user/getToken.json) and are\n" +
    "opaque, so there is nothing to make or read locally. Get one with the server API and these headers.",
};
