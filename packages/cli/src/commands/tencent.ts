import type { DecodedUserSig } from "@imauth/tencent";
import type { Command, CommandGroup } from "../command.js";
import { UsageError } from "../exit.js";
import { optionalString, requireString } from "../options.js";
import { readSecret, type SecretSource, secretOptions } from "../secrets.js";
import { showTime, showValidity } from "../time.js";
import { diagnoseCommand, isLegacyUserSig } from "./tencent-diagnose.js";
import {
  expectedUserOption,
  expireOption,
  expireSeconds,
  identityFields,
  identityRows,
  printDecoded,
  printIssued,
  printVerified,
  REJECTIONS,
  readCredentialArg,
  sdkAppId,
  sdkAppIdEnv,
  sdkAppIdOption,
  type UserSigView,
  userOption,
  userSigPositional,
  verifyInputs,
} from "./usersig-shared.js";

const KEY: SecretSource = {
  fileFlag: "key-file",
  flag: "key",
  env: "IMAUTH_TENCENT_KEY",
  what: "Tencent secret key",
};

const keyOptions = secretOptions(
  KEY,
  "file holding the secret key (console: App Info)",
  "the secret key itself",
);

const keyEnv = [{ name: KEY.env, description: "the secret key of the SDKAppID" }];

// Loaded on first use, so each vendor's commands load only that vendor's package.
const tencent = () => import("@imauth/tencent");

/** Tencent TRTC privilege bits of a PrivateMapKey, in bit order. */
export const TENCENT_PRIVILEGES: ReadonlyArray<readonly [string, number]> = [
  ["create", 1],
  ["enter", 2],
  ["send-audio", 4],
  ["recv-audio", 8],
  ["send-video", 16],
  ["recv-video", 32],
  ["send-sub", 64],
  ["recv-sub", 128],
];

/** Parses `255`, `0xff`, `all` or `enter,send-audio,recv-audio` into a privilege map. */
export function parsePrivileges(
  value: string,
  names: ReadonlyArray<readonly [string, number]>,
  max: number,
): number {
  if (/^\d+$/.test(value) || /^0x[0-9a-f]+$/i.test(value)) {
    const n = Number(value);
    if (n >= 0 && n <= max) return n;
    throw new UsageError(`--privilege must be between 0 and ${max}`);
  }
  if (value === "all") return max;
  let map = 0;
  for (const part of value.split(",")) {
    const bit = names.find(([name]) => name === part.trim());
    if (!bit) {
      throw new UsageError(
        `--privilege: unknown privilege '${part.slice(0, 20)}' (use a number, 'all' or ${names.map(([n]) => n).join(", ")})`,
      );
    }
    map |= bit[1];
  }
  return map;
}

/** Names the bits set in a privilege map. */
export function describePrivileges(map: number, names: ReadonlyArray<readonly [string, number]>): string {
  const set = names.filter(([, bit]) => (map & bit) !== 0).map(([name]) => name);
  return `${map} (${set.length ? set.join(", ") : "none"})`;
}

const gen: Command = {
  name: "gen",
  summary: "generate a UserSig (or a PrivateMapKey with --room)",
  synopsis: "--sdkappid N --user U [--expire S] [--room R --privilege P]",
  options: {
    sdkappid: sdkAppIdOption,
    user: userOption,
    expire: expireOption,
    room: {
      type: "string",
      value: "R",
      description: "TRTC room: a number is a numeric room, else a string room",
    },
    "string-room": { type: "boolean", description: "treat a numeric --room as a string room ID" },
    privilege: {
      type: "string",
      value: "P",
      description: "room privileges: 0-255, 'all' or e.g. enter,send-audio,recv-audio",
    },
    ...keyOptions,
  },
  env: [...keyEnv, sdkAppIdEnv],
  details:
    "Prints the UserSig alone on stdout (pipe-friendly); --json adds its decoded fields. With --room the\n" +
    "UserSig carries a PrivateMapKey (TRTC room permissions); --privilege defaults to all.",
  examples: [
    "imauth tencent gen --sdkappid 1400000000 --user alice --expire 7d",
    "imauth tencent gen --sdkappid 1400000000 --user alice --room 1234 --privilege enter,recv-audio,recv-video --key-file key.txt",
  ],
  async run(ctx) {
    const app = sdkAppId(ctx);
    const userId = requireString(ctx, "user");
    const lifetime = expireSeconds(ctx);
    const room = optionalString(ctx, "room");
    const privilege = optionalString(ctx, "privilege");
    if (room === undefined && (privilege !== undefined || ctx.values["string-room"])) {
      throw new UsageError("--privilege and --string-room need --room");
    }
    const secretKey = await readSecret(ctx, KEY);
    const clock = () => ctx.nowMs;
    const { decodeUserSig, genPrivateMapKey, genUserSig } = await tencent();
    let userSig: string;
    if (room === undefined) {
      userSig = genUserSig({ sdkAppId: app, secretKey, userId, expireSeconds: lifetime, clock });
    } else {
      const numeric = /^\d+$/.test(room) && !ctx.values["string-room"];
      if (numeric && (Number(room) < 1 || Number(room) > 0xffff_ffff)) {
        throw new UsageError(
          "--room: a numeric room ID must be between 1 and 4294967295 (or use --string-room)",
        );
      }
      const privilegeMap = parsePrivileges(privilege ?? "all", TENCENT_PRIVILEGES, 255);
      userSig = genPrivateMapKey({
        sdkAppId: app,
        secretKey,
        userId,
        expireSeconds: lifetime,
        roomId: numeric ? Number(room) : room,
        privilegeMap,
        clock,
      });
    }
    return printIssued(ctx, userSig, decodeUserSig(userSig), view);
  },
};

/** The fields shown by decode and verify, from a decoded UserSig. */
function summarize(decoded: DecodedUserSig, nowMs: number) {
  const out: Record<string, unknown> = { version: decoded.version, ...identityFields(decoded, nowMs) };
  const room = decoded.userBuf?.privateMapKey;
  if (decoded.userBuf) out.userBuf = { base64: decoded.userBuf.base64 };
  if (room) {
    out.privateMapKey = {
      roomId: room.roomId,
      roomIdType: typeof room.roomId === "string" ? "string" : "number",
      privilegeMap: room.privilegeMap,
      privileges: TENCENT_PRIVILEGES.filter(([, bit]) => (room.privilegeMap & bit) !== 0).map(([n]) => n),
      expiresAt: showTime(room.expiresAt.getTime()),
    };
  }
  return out;
}

function rowsOf(decoded: DecodedUserSig, nowMs: number): Array<[string, string]> {
  const rows: Array<[string, string]> = [["version", decoded.version], ...identityRows(decoded, nowMs)];
  const room = decoded.userBuf?.privateMapKey;
  if (decoded.userBuf && !room) rows.push(["userbuf", decoded.userBuf.base64]);
  if (room) {
    const roomExpires = showTime(room.expiresAt.getTime());
    rows.push(
      [
        "room",
        typeof room.roomId === "string" ? `"${room.roomId}" (string room)` : `${room.roomId} (numeric room)`,
      ],
      ["privileges", describePrivileges(room.privilegeMap, TENCENT_PRIVILEGES)],
      ["room expires", `${roomExpires.utc}  (${showValidity(room.expiresAt.getTime(), nowMs)})`],
    );
  }
  return rows;
}

const view: UserSigView<DecodedUserSig> & { title: string } = { title: "UserSig", summarize, rowsOf };

/**
 * Decodes a v2 UserSig. A legacy ECDSA one is refused with a pointer to the `legacy` commands instead of
 * the decoder's `TLS.ver must be "2.0"`, which does not tell a user what to run instead.
 */
async function decodeV2(userSig: string): Promise<DecodedUserSig> {
  const { decodeUserSig } = await tencent();
  try {
    return decodeUserSig(userSig);
  } catch (error) {
    if (!(await isLegacyUserSig(userSig))) throw error;
    const { ImAuthError } = await import("@imauth/core");
    throw new ImAuthError(
      "ERR_MALFORMED_CREDENTIAL",
      "this is a legacy ECDSA UserSig (made before 2019 with a private key): use 'imauth legacy decode' or 'imauth legacy verify'",
    );
  }
}

const decode: Command = {
  name: "decode",
  summary: "show what a UserSig holds, without a key (like the console's UserSig check tool)",
  synopsis: "<usersig | ->",
  options: {},
  positionals: userSigPositional,
  details: "Decoding checks nothing: use 'imauth tencent verify' to check the signature.",
  examples: [
    // Tencent's sample UserSig (the tls-sig-api-v2 README's key and user), so the example runs as printed.
    "imauth tencent decode eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMogMiUZOamKlkZmqOKplYUZBaBxE1NTY3gosWZ6UpWSj5ljuYp*p7l5unBxXnF2WVhVU4uAf7Ozi5JpX7O5SbuHuUhzgZJmQXaTia2SrUAohcx8g__",
    'echo "$USERSIG" | imauth tencent decode - --json',
  ],
  async run(ctx) {
    const userSig = await readCredentialArg(ctx, "usersig");
    return printDecoded(ctx, userSig, await decodeV2(userSig), view);
  },
};

const verify: Command = {
  name: "verify",
  summary: "check a UserSig's signature, app, user and expiry (exit 0 valid, 1 rejected)",
  synopsis: "<usersig | -> --sdkappid N [--user U]",
  options: {
    sdkappid: sdkAppIdOption,
    user: expectedUserOption,
    ...keyOptions,
  },
  positionals: userSigPositional,
  env: [...keyEnv, sdkAppIdEnv],
  details: REJECTIONS,
  examples: [
    'imauth tencent verify "$USERSIG" --sdkappid 1400000000 --user alice',
    'imauth tencent verify "$USERSIG" --sdkappid 1400000000 --now 2024-01-01T00:00:00Z --json',
  ],
  async run(ctx) {
    const { userSig, expected } = await verifyInputs(ctx);
    const secretKey = await readSecret(ctx, KEY);
    await decodeV2(userSig); // a legacy UserSig is pointed to `imauth legacy verify` before any key check
    const { verifyUserSig } = await tencent();
    return printVerified(ctx, verifyUserSig(userSig, { ...expected, secretKey }), view);
  },
};

/** `imauth tencent ...` */
export const tencentCommands: CommandGroup = {
  name: "tencent",
  summary: "Tencent Cloud IM / TRTC UserSig v2 (HMAC-SHA256)",
  commands: [gen, decode, verify, diagnoseCommand],
};
