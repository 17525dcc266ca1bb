import type { DecodedAccessToken, DecodedAgoraService } from "@imauth/agora";

// Loaded on first use, so each vendor's commands load only that vendor's package.
const agora = () => import("@imauth/agora");

import type { Command, CommandContext, CommandGroup, OptionSpec } from "../command.js";
import { EXIT, UsageError } from "../exit.js";
import { durationOption, intOption, optionalString } from "../options.js";
import { printJson, printRows, printText } from "../output.js";
import { BODY_LIMIT, readBytes, readSecret, type SecretSource, secretOptions } from "../secrets.js";
import { showDuration, showTime, showValidity } from "../time.js";
import {
  bodyFileOption,
  headersOf,
  maxSkewOption,
  maxSkewSeconds,
  printVerifiedCallback,
  setHeader,
} from "./callback-shared.js";
import { readCredentialArg } from "./usersig-shared.js";

const CERTIFICATE: SecretSource = {
  fileFlag: "certificate-file",
  flag: "certificate",
  env: "IMAUTH_AGORA_CERTIFICATE",
  what: "Agora App Certificate",
};

const NCS_SECRET: SecretSource = {
  fileFlag: "ncs-secret-file",
  flag: "ncs-secret",
  env: "IMAUTH_AGORA_NCS_SECRET",
  what: "Agora Notification Center (NCS) secret",
};

const appIdOption: Record<string, OptionSpec> = {
  "app-id": { type: "string", value: "ID", description: "the App ID (default: IMAUTH_AGORA_APP_ID)" },
};

const certificateOptions = secretOptions(
  CERTIFICATE,
  "file holding the App Certificate",
  "the App Certificate itself",
);

const keyEnv = [
  { name: "IMAUTH_AGORA_APP_ID", description: "the App ID (32 hex characters)" },
  { name: CERTIFICATE.env, description: "the App Certificate (32 hex characters)" },
];

function appId(ctx: CommandContext): string {
  const value = optionalString(ctx, "app-id") ?? ctx.io.env.IMAUTH_AGORA_APP_ID;
  if (!value) throw new UsageError("the App ID is missing: set IMAUTH_AGORA_APP_ID or pass --app-id");
  return value;
}

const tokenPositional = [{ name: "token", description: "the token (007...), or - to read it from stdin" }];

// ---------------------------------------------------------------------------------------------------------
// How a decoded token is shown (decode, verify, gen --json)

/** A privilege's absolute expiry, or `null` when the token holds 0 (the builders' unexplained default). */
function privilegeFields(service: DecodedAgoraService) {
  const out: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(service.privileges)) {
    out[name] = {
      id: p.id,
      expireSeconds: p.expireSeconds,
      expiresAt: p.expiresAt ? showTime(p.expiresAt.getTime()) : null,
    };
  }
  return out;
}

/** The `--json` fields of a decoded token. */
function summarize(decoded: DecodedAccessToken, nowMs: number): Record<string, unknown> {
  const expiresMs = decoded.expiresAt?.getTime();
  const out: Record<string, unknown> = {
    version: decoded.version,
    appId: decoded.appId,
    issuedAt: showTime(decoded.issuedAt.getTime()),
    expiresAt: expiresMs === undefined ? null : showTime(expiresMs),
    expireSeconds: decoded.expireSeconds,
    expired: expiresMs === undefined || nowMs > expiresMs,
    secondsLeft: expiresMs === undefined ? null : Math.floor((expiresMs - nowMs) / 1000),
    salt: decoded.salt,
    serviceCount: decoded.serviceCount,
    services: decoded.services.map((s) => {
      const { privileges: _, ...fields } = s;
      return { ...fields, privileges: privilegeFields(s) };
    }),
  };
  if (decoded.unreadServiceType !== undefined) out.unreadServiceType = decoded.unreadServiceType;
  return out;
}

/** Who a service is for, in words. */
function serviceTarget(s: DecodedAgoraService): string {
  const quote = (text: string) => JSON.stringify(text);
  if (s.name === "rtc") {
    const who =
      s.uid === ""
        ? "uid 0 (any user)"
        : /^\d+$/.test(s.uid ?? "")
          ? `uid ${s.uid}`
          : `account ${quote(s.uid ?? "")}`;
    return `channel ${quote(s.channelName ?? "")}, ${who}`;
  }
  if (s.name === "chat" && s.userId === "") return "the app (app token)";
  if (s.userId !== undefined) return `user ${quote(s.userId)}`;
  if (s.channelName !== undefined)
    return `channel ${quote(s.channelName)}, account ${quote(s.account ?? "")}`;
  return "";
}

/** The human rows of a decoded token: times, then each service and its privileges. */
function rowsOf(decoded: DecodedAccessToken, nowMs: number): Array<[string, string]> {
  const issued = showTime(decoded.issuedAt.getTime());
  const rows: Array<[string, string]> = [
    ["version", decoded.version],
    ["app id", decoded.appId],
    ["issued", `${issued.utc}  (local ${issued.local})`],
  ];
  if (decoded.expiresAt) {
    const expires = showTime(decoded.expiresAt.getTime());
    rows.push(
      ["expires", `${expires.utc}  (local ${expires.local})`],
      ["lifetime", showDuration(decoded.expireSeconds)],
      ["status", showValidity(decoded.expiresAt.getTime(), nowMs)],
    );
  } else rows.push(["expires", "never written (lifetime 0: refused as expired)"]);
  rows.push(["salt", String(decoded.salt)]);
  for (const s of decoded.services) {
    const target = serviceTarget(s);
    rows.push(["service", `${s.name} (type ${s.type})${target ? `: ${target}` : ""}`]);
    for (const [name, p] of Object.entries(s.privileges)) {
      const when = p.expiresAt
        ? `until ${showTime(p.expiresAt.getTime()).utc}  (${showValidity(p.expiresAt.getTime(), nowMs)})`
        : "0 (no expiry of its own)";
      rows.push([`  ${name}`, when]);
    }
  }
  if (decoded.unreadServiceType !== undefined) {
    rows.push(["unread", `service type ${decoded.unreadServiceType} and any after it (layout not known)`]);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------
// gen

const KINDS = ["rtc", "rtm", "chat-user", "chat-app"] as const;
type Kind = (typeof KINDS)[number];

/** The options that belong to some kinds only: given for another kind, they are a usage error. */
const KIND_OPTIONS: Record<string, readonly Kind[]> = {
  channel: ["rtc"],
  uid: ["rtc"],
  account: ["rtc"],
  role: ["rtc"],
  "privilege-ttl": ["rtc"],
  user: ["rtm", "chat-user"],
};

function kindOf(ctx: CommandContext): Kind {
  const kind = ctx.positionals[0]!;
  if (!(KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`<kind> must be one of ${KINDS.join(", ")} (got '${kind.slice(0, 20)}')`);
  }
  for (const [option, kinds] of Object.entries(KIND_OPTIONS)) {
    if (ctx.values[option] !== undefined && !kinds.includes(kind as Kind)) {
      throw new UsageError(`--${option} applies to ${kinds.join(" and ")} tokens only`);
    }
  }
  return kind as Kind;
}

function requireUser(ctx: CommandContext, kind: Kind): string {
  const user = optionalString(ctx, "user");
  if (!user) throw new UsageError(`--user is required for ${kind} tokens`);
  return user;
}

/** The RTC-only options: channel, uid or account, role and the privileges' lifetime. */
function rtcOptions(ctx: CommandContext) {
  const channelName = optionalString(ctx, "channel");
  if (!channelName) throw new UsageError("--channel is required for rtc tokens");
  const account = optionalString(ctx, "account");
  if ((ctx.values.uid === undefined) === (account === undefined)) {
    throw new UsageError("rtc tokens need --uid N (0 for any user) or --account A, not both");
  }
  const role = optionalString(ctx, "role") ?? "publisher";
  if (role !== "publisher" && role !== "subscriber") {
    throw new UsageError("--role must be publisher or subscriber");
  }
  return {
    channelName,
    ...(account === undefined ? { uid: intOption(ctx, "uid", { min: 0, max: 0xffff_ffff }) } : { account }),
    role: role as "publisher" | "subscriber",
    ...(ctx.values["privilege-ttl"] === undefined
      ? {}
      : { privilegeExpireSeconds: durationOption(ctx, "privilege-ttl", { min: 0, max: 0xffff_ffff }) }),
  };
}

const gen: Command = {
  name: "gen",
  summary: "generate an AccessToken2: rtc, rtm, chat-user or chat-app",
  synopsis: "<kind> [--channel C --uid N | --account A] [--role R] [--user U] [--ttl S]",
  positionals: [{ name: "kind", description: `the token's product: ${KINDS.join(", ")}` }],
  options: {
    channel: { type: "string", value: "C", description: "rtc: the channel name" },
    uid: { type: "string", value: "N", description: "rtc: the numeric uid, 0 to 4294967295 (0: any user)" },
    account: { type: "string", value: "A", description: "rtc: a string user account instead of --uid" },
    role: { type: "string", value: "R", description: "rtc: publisher (default) or subscriber (join only)" },
    "privilege-ttl": {
      type: "string",
      value: "S",
      description: "rtc: lifetime of the privileges (default: --ttl)",
    },
    user: { type: "string", value: "U", description: "rtm, chat-user: the user ID" },
    ttl: { type: "string", value: "S", description: "lifetime: seconds or 30m, 12h, 1d (default 1d)" },
    salt: { type: "string", value: "N", description: "use this salt, 1 to 99999999 (default: random)" },
    ...appIdOption,
    ...certificateOptions,
  },
  env: keyEnv,
  details:
    "Prints the token alone on stdout (pipe-friendly); --json adds its decoded fields. A publisher may join\n" +
    "and publish audio, video and data, a subscriber only join. A chat-app token authenticates the Chat REST\n" +
    "API: keep it on the server. Agora accepts lifetimes up to 24 hours.",
  examples: [
    "imauth agora gen rtc --channel room-1 --uid 42 --ttl 1h",
    "imauth agora gen rtc --channel room-1 --account alice --role subscriber --json",
    "imauth agora gen chat-user --user alice --ttl 12h",
  ],
  async run(ctx) {
    const kind = kindOf(ctx);
    const ttlSeconds = durationOption(ctx, "ttl", { min: 1, max: 0xffff_ffff, fallback: 86_400 });
    const salt =
      ctx.values.salt === undefined ? {} : { salt: intOption(ctx, "salt", { min: 1, max: 99_999_999 }) };
    const rtc = kind === "rtc" ? rtcOptions(ctx) : undefined;
    const user = kind === "rtm" || kind === "chat-user" ? requireUser(ctx, kind) : "";
    const base = {
      appId: appId(ctx),
      appCertificate: await readSecret(ctx, CERTIFICATE),
      clock: () => ctx.nowMs,
    };
    const lib = await agora();
    const common = { ...base, ...salt };
    const token =
      kind === "rtc"
        ? lib.genRtcToken({ ...common, ...rtc!, tokenExpireSeconds: ttlSeconds })
        : kind === "rtm"
          ? lib.genRtmToken({ ...common, userId: user, expireSeconds: ttlSeconds })
          : kind === "chat-user"
            ? lib.genChatUserToken({ ...common, userId: user, expireSeconds: ttlSeconds })
            : lib.genChatAppToken({ ...common, expireSeconds: ttlSeconds });
    if (ctx.json) printJson(ctx, { token, kind, ...summarize(lib.decodeAccessToken(token), ctx.nowMs) });
    else printText(ctx, `${token}\n`);
    return EXIT.OK;
  },
};

// ---------------------------------------------------------------------------------------------------------
// decode and verify

const decode: Command = {
  name: "decode",
  summary: "show what an AccessToken2 holds (services, privileges, absolute expiry), without a key",
  synopsis: "<token | ->",
  options: {},
  positionals: tokenPositional,
  details: "Decoding checks nothing: use 'imauth agora verify' to check the signature and expiry.",
  examples: [
    // The RTM token of the repository's Agora vectors (the official builder's output), so it runs as printed.
    "imauth agora decode 007eJxTYBB6svD1Mkm7mlPnX8u2WAS+5f8lyRR+oLinw/IA42KNqyEKDJbmBs6OxqYpqWYGySYmZiamSUmJqRaJRoamBmaGScbGDB+DUwX4GBiOd61kYGRgYmBkYGQA8bkZikpy40uLU4viDQwBqYUf5g== --now 1700000000",
    "imauth agora gen rtm --user alice | imauth agora decode - --json",
  ],
  async run(ctx) {
    const token = await readCredentialArg(ctx, "token");
    const { decodeAccessToken } = await agora();
    const decoded = decodeAccessToken(token);
    if (ctx.json) printJson(ctx, summarize(decoded, ctx.nowMs));
    else printRows(ctx, "AccessToken2 (not verified: decoding needs no key)", rowsOf(decoded, ctx.nowMs));
    return EXIT.OK;
  },
};

/** What the token must grant, from `--service`, `--channel`, `--uid`, `--account`, `--user`, `--privilege`. */
async function expectations(ctx: CommandContext) {
  const channelName = optionalString(ctx, "channel");
  const account = optionalString(ctx, "account");
  const userId = optionalString(ctx, "user");
  const privilege = optionalString(ctx, "privilege");
  let service = optionalString(ctx, "service");
  const { AGORA_SERVICES } = await agora();
  if (service !== undefined && !Object.hasOwn(AGORA_SERVICES, service)) {
    throw new UsageError(`--service must be one of ${Object.keys(AGORA_SERVICES).join(", ")}`);
  }
  if (ctx.values.uid !== undefined && account !== undefined)
    throw new UsageError("give --uid or --account, not both");
  if (channelName !== undefined || ctx.values.uid !== undefined || account !== undefined) {
    if (service !== undefined && service !== "rtc") {
      throw new UsageError("--channel, --uid and --account apply to --service rtc");
    }
    service = "rtc";
  }
  if (userId !== undefined && service === "rtc")
    throw new UsageError("rtc tokens name --uid or --account, not --user");
  if ((userId !== undefined || privilege !== undefined) && service === undefined) {
    throw new UsageError("--user and --privilege need --service (e.g. rtm or chat)");
  }
  return {
    ...(service === undefined ? {} : { service: service as keyof typeof AGORA_SERVICES }),
    ...(channelName === undefined ? {} : { channelName }),
    ...(ctx.values.uid === undefined ? {} : { uid: intOption(ctx, "uid", { min: 0, max: 0xffff_ffff }) }),
    ...(account === undefined ? {} : { uid: account }),
    ...(userId === undefined ? {} : { userId }),
    ...(privilege === undefined ? {} : { privileges: privilege.split(",").map((p) => p.trim()) }),
  };
}

const verify: Command = {
  name: "verify",
  summary: "check an AccessToken2's App ID, signature, expiry and grants (exit 0 valid, 1 rejected)",
  synopsis: "<token | -> [--service S] [--channel C] [--uid N | --account A] [--user U] [--privilege P]",
  options: {
    service: { type: "string", value: "S", description: "the service it must carry: rtc, rtm, chat..." },
    channel: { type: "string", value: "C", description: "rtc: the channel it must be for" },
    uid: { type: "string", value: "N", description: "rtc: the uid it must be for (a uid 0 token fits any)" },
    account: { type: "string", value: "A", description: "rtc: the string account it must be for" },
    user: { type: "string", value: "U", description: "rtm, chat: the user ID it must be for" },
    privilege: {
      type: "string",
      value: "P",
      description: "privileges it must grant unexpired, e.g. joinChannel,publishAudioStream",
    },
    ...appIdOption,
    ...certificateOptions,
  },
  positionals: tokenPositional,
  env: keyEnv,
  details:
    "Rejections exit with code 1 and print the reason: ERR_CREDENTIAL_EXPIRED (the token or a privilege),\n" +
    "ERR_APP_MISMATCH, ERR_SIGNATURE_INVALID, ERR_USER_MISMATCH (uid, account or user),\n" +
    "ERR_USERBUF_MISMATCH (service, channel or privilege missing) or ERR_MALFORMED_CREDENTIAL.\n" +
    "Privilege names: rtc joinChannel, publishAudioStream, publishVideoStream, publishDataStream;\n" +
    "rtm login; chat user, app.",
  examples: [
    "imauth agora gen rtc --channel room-1 --uid 42 | imauth agora verify - --channel room-1 --uid 42",
    "imauth agora gen chat-user --user alice | imauth agora verify - --service chat --user alice --privilege user --json",
  ],
  async run(ctx) {
    const token = await readCredentialArg(ctx, "token");
    const expected = await expectations(ctx);
    const options = {
      appId: appId(ctx),
      appCertificate: await readSecret(ctx, CERTIFICATE),
      clock: () => ctx.nowMs,
    };
    const { verifyAccessToken } = await agora();
    const decoded = verifyAccessToken(token, { ...options, ...expected });
    if (ctx.json) printJson(ctx, { ok: true, valid: true, ...summarize(decoded, ctx.nowMs) });
    else printRows(ctx, "valid AccessToken2", rowsOf(decoded, ctx.nowMs));
    return EXIT.OK;
  },
};

// ---------------------------------------------------------------------------------------------------------
// verify-callback

const verifyCallback: Command = {
  name: "verify-callback",
  summary: "check a Notification Center callback's signature and notifyMs (exit 0 valid, 1 rejected)",
  synopsis: "--body-file F --signature HEX [--signature-v1 HEX] [--header K:V ...] [--max-skew S]",
  options: {
    "body-file": bodyFileOption,
    signature: { type: "string", value: "HEX", description: "the Agora-Signature-V2 header (HMAC-SHA256)" },
    "signature-v1": {
      type: "string",
      value: "HEX",
      description: "the Agora-Signature header (HMAC-SHA1), checked only without V2",
    },
    header: {
      type: "string",
      multiple: true,
      value: "K:V",
      description: "a received header: Agora-Signature-V2, Agora-Signature, Date",
    },
    "max-skew": maxSkewOption("notifyMs"),
    ...secretOptions(NCS_SECRET, "file holding the NCS secret", "the NCS secret itself"),
  },
  env: [{ name: NCS_SECRET.env, description: "the Notification Center (NCS) secret of the project" }],
  details:
    "Rejections exit with code 1 and print the reason: ERR_WEBHOOK_INVALID (bad or missing signature,\n" +
    "malformed notifyMs) or ERR_WEBHOOK_EXPIRED (notifyMs outside the window). A body without notifyMs is\n" +
    "dated by its Date header. The older SHA-1 signature is checked only when no V2 signature is given.",
  examples: [
    // The signed example of Agora's NCS documentation (NCS secret "secret"); --now replays its time.
    'printf \'%s\' \'{"eventType":10,"noticeId":"4eb720f0-8da7-11e9-a43e-53f411c2761f","notifyMs":1560408533119,"payload":{"a":"1","b":2},"productId":1}\' \\\n' +
      "    | imauth agora verify-callback --body-file - --now 1560408533 \\\n" +
      "    --signature de96da5acf03b0021ac3b4fa2225e7ae6f3533a30d50bb02c08ea4fa748bda24",
  ],
  async run(ctx) {
    const bodyFile = optionalString(ctx, "body-file");
    if (bodyFile === undefined) throw new UsageError("--body-file is required (- for stdin)");
    const headers = headersOf(ctx);
    setHeader(headers, "Agora-Signature-V2", optionalString(ctx, "signature"), "signature");
    setHeader(headers, "Agora-Signature", optionalString(ctx, "signature-v1"), "signature-v1");
    if (!headers.has("Agora-Signature-V2") && !headers.has("Agora-Signature")) {
      throw new UsageError("--signature is required (the Agora-Signature-V2 header of the callback)");
    }
    const webhookMaxSkewSeconds = maxSkewSeconds(ctx);
    const body = await readBytes(ctx, bodyFile, "--body-file", BODY_LIMIT);
    const secret = await readSecret(ctx, NCS_SECRET);
    const { verifyAgoraCallback } = await agora();
    const verified = await verifyAgoraCallback(
      { url: "/", headers, body },
      { secret, webhookMaxSkewSeconds, acceptSha1Signature: true, clock: () => ctx.nowMs },
    );
    const d = verified.details;
    const rows: Array<[string, string]> = [
      ["notice id", d.noticeId ?? "(none)"],
      ["product id", d.productId ?? "(none)"],
      [
        "signature",
        d.signature === "v1"
          ? "Agora-Signature (HMAC-SHA1, the older header)"
          : "Agora-Signature-V2 (HMAC-SHA256)",
      ],
    ];
    return printVerifiedCallback(ctx, verified, rows);
  },
};

/** `imauth agora ...` */
export const agoraCommands: CommandGroup = {
  name: "agora",
  summary: "Agora AccessToken2 (RTC, RTM, Chat) and Notification Center callbacks",
  commands: [gen, decode, verify, verifyCallback],
};
