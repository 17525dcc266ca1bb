// Loaded on first use, so each vendor's commands load only that vendor's package.
const easemob = () => import("@imauth/easemob");

import type { Command, CommandContext, CommandGroup } from "../command.js";
import { EXIT, UsageError } from "../exit.js";
import { intOption, optionalString, requireString } from "../options.js";
import { printJson, printText } from "../output.js";
import { BODY_LIMIT, readBytes, readSecret, readText, type SecretSource, secretOptions } from "../secrets.js";
import { bodyFileOption, maxSkewOption, maxSkewSeconds, printVerifiedCallback } from "./callback-shared.js";

const SECRET: SecretSource = {
  fileFlag: "secret-file",
  flag: "secret",
  env: "IMAUTH_EASEMOB_CALLBACK_SECRET",
  what: "Easemob callback Secret",
};

const secretOpts = secretOptions(SECRET, "file holding the callback Secret", "the callback Secret itself");

const env = [{ name: SECRET.env, description: "the Secret of the callback rule (console: callback rules)" }];

/** Largest `--max-skew`: a week, for callbacks Easemob re-sends from its exception storage. */
const MAX_SKEW_SECONDS = 604_800;

const verifyCallback: Command = {
  name: "verify-callback",
  summary: "check a callback body's security and timestamp (exit 0 valid, 1 rejected)",
  synopsis: "--body-file F [--max-skew S]",
  options: {
    "body-file": bodyFileOption,
    "max-skew": {
      ...maxSkewOption("timestamp"),
      description: "accepted distance of timestamp from the clock (default 5m, at most 7d)",
    },
    ...secretOpts,
  },
  env,
  details:
    "Rejections exit with code 1 and print the reason: ERR_WEBHOOK_INVALID (bad or missing security,\n" +
    "callId or timestamp; not JSON) or ERR_WEBHOOK_EXPIRED (timestamp outside the window). The security\n" +
    "covers callId and timestamp only, not the rest of the body: receive callbacks over HTTPS.",
  examples: [
    "imauth easemob sign-callback --call-id 'easemob-demo#chatdemoui_1' | imauth easemob verify-callback --body-file -",
    // The signed fields of a callback from the repository's Easemob vectors (Secret cbSecret123).
    'printf \'%s\' \'{"callId":"easemob-demo#test_0990a64f-dp01-6c50-8696-cf3b48b20e7e","timestamp":1600060847294,"security":"b4c23b051e5747b2375179bddfb9112e"}\' \\\n' +
      "    | imauth easemob verify-callback --body-file - --now 1600060847",
  ],
  async run(ctx) {
    const bodyFile = requireString(ctx, "body-file");
    const webhookMaxSkewSeconds = maxSkewSeconds(ctx, MAX_SKEW_SECONDS);
    const body = await readBytes(ctx, bodyFile, "--body-file", BODY_LIMIT);
    const secret = await readSecret(ctx, SECRET);
    const { verifyEasemobCallback } = await easemob();
    const verified = await verifyEasemobCallback(
      { url: "/", headers: {}, body },
      { secret, webhookMaxSkewSeconds, clock: () => ctx.nowMs },
    );
    const d = verified.details;
    const rows: Array<[string, string]> = [
      ["appkey", verified.appId ?? "(not named)"],
      ["call id", d.callId ?? ""],
      ["version", d.securityVersion ?? "(none)"],
    ];
    return printVerifiedCallback(ctx, verified, rows, { appKey: verified.appId ?? null });
  },
};

// Characters a terminal acts on that JSON.stringify leaves raw (DEL, C1 controls, bidi marks, line
// separators): the signed body is written with them as \u escapes, the same JSON, so printing it as human
// text changes nothing in it.
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(
    RAW_IN_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** The template body of `--body-file`: a JSON object (default `{}`). */
async function templateOf(ctx: CommandContext): Promise<Record<string, unknown>> {
  const file = optionalString(ctx, "body-file");
  if (file === undefined) return {};
  let template: unknown;
  try {
    template = JSON.parse(await readText(ctx, file, "--body-file", BODY_LIMIT));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError("--body-file does not hold JSON");
  }
  if (typeof template !== "object" || template === null || Array.isArray(template)) {
    throw new UsageError("--body-file must hold a JSON object");
  }
  return template as Record<string, unknown>;
}

const signCallback: Command = {
  name: "sign-callback",
  summary: "sign a callback body as Easemob does (callId, timestamp, security), to test an endpoint",
  synopsis: "--call-id ID [--timestamp MS] [--body-file F]",
  options: {
    "call-id": {
      type: "string",
      value: "ID",
      description: "the callId, {appkey}_{uuid} (default: the body's)",
    },
    timestamp: { type: "string", value: "MS", description: "epoch milliseconds (default: now, or --now)" },
    "body-file": {
      type: "string",
      value: "F",
      description: "a JSON body to sign, e.g. a message callback (- for stdin; default {})",
    },
    ...secretOpts,
  },
  env,
  details:
    "Prints the body on one line with callId, timestamp, securityVersion and security set (pipe it to\n" +
    "curl -d @- or to 'imauth easemob verify-callback --body-file -'); --json prints the fields and the\n" +
    "body. security = MD5(callId + Secret + timestamp).",
  examples: [
    "imauth easemob sign-callback --call-id 'easemob-demo#chatdemoui_1' --json",
    "imauth easemob sign-callback --call-id 'easemob-demo#chatdemoui_1' --body-file body.json",
  ],
  async run(ctx) {
    const template = await templateOf(ctx);
    const given = optionalString(ctx, "call-id") ?? template.callId;
    if (typeof given !== "string" || given === "") {
      throw new UsageError("--call-id is required (the body's callId: {appkey}_{uuid})");
    }
    const timestamp =
      ctx.values.timestamp === undefined
        ? Math.floor(ctx.nowMs)
        : intOption(ctx, "timestamp", { min: 0, max: Number.MAX_SAFE_INTEGER });
    const secret = await readSecret(ctx, SECRET);
    const { easemobCallbackSecurity } = await easemob();
    const security = easemobCallbackSecurity(given, secret, timestamp);
    const securityVersion = typeof template.securityVersion === "string" ? template.securityVersion : "1.0.0";
    const body = { ...template, callId: given, timestamp, securityVersion, security };
    if (ctx.json) printJson(ctx, { callId: given, timestamp, security, body });
    else printText(ctx, `${jsonLine(body)}\n`);
    return EXIT.OK;
  },
};

/** `imauth easemob ...` */
export const easemobCommands: CommandGroup = {
  name: "easemob",
  summary: "Easemob IM callbacks",
  commands: [verifyCallback, signCallback],
  details:
    "No token command: Easemob's app and user tokens come from its server (client_credentials and inherit\n" +
    "grants), which needs the network. Agora-realm Chat user tokens are made by 'imauth agora gen chat-user'.",
};
