import { randomHex } from "@imauth/core/adapter";
import { EmulatedError } from "./auth.js";

/**
 * An account the emulator holds.
 *
 * @example
 * ```ts
 * const account: NeteaseEmulatorAccount | undefined = emulator.accounts.get("user01");
 * ```
 */
export interface NeteaseEmulatorAccount {
  /** Its static login token. */
  token: string;
  /** Its display name, if set (v1 `name`). */
  name?: string;
  /**
   * Its v2 `configuration`: `enabled` (false: the account is disabled and cannot log in), the
   * `*_chat_banned` flags, `push_enabled_when_desktop_online`, `kick_notify_extension`.
   */
  configuration: NeteaseEmulatorAccountConfiguration;
}

/**
 * The v2 account configuration, as `PATCH im/v2/accounts/{account_id}` sets it.
 *
 * @example
 * ```ts
 * const disabled = emulator.accounts.get("user01")?.configuration.enabled === false;
 * ```
 */
export interface NeteaseEmulatorAccountConfiguration {
  enabled: boolean;
  p2p_chat_banned: boolean;
  team_chat_banned: boolean;
  chatroom_chat_banned: boolean;
  qchat_chat_banned: boolean;
  push_enabled_when_desktop_online: boolean;
  kick_notify_extension?: string;
}

/** The emulated application's data, which the handlers read and change. */
export interface EmulatorState {
  readonly accounts: Map<string, NeteaseEmulatorAccount>;
}

/** One v1 API: the form in, the answer's fields (besides `code: 200`) out. */
type V1Handler = (state: EmulatorState, form: URLSearchParams) => Record<string, unknown>;

/** One v2 API: the path's account ID and the JSON body in, `data` out. */
interface V2Route {
  method: string;
  pattern: RegExp;
  handle(state: EmulatorState, accountId: string, body: Record<string, unknown>): unknown;
}

const ACCID = /^[A-Za-z0-9_@.-]{1,32}$/;
const BOOLEAN_FLAGS = [
  "enabled",
  "p2p_chat_banned",
  "team_chat_banned",
  "chatroom_chat_banned",
  "qchat_chat_banned",
  "push_enabled_when_desktop_online",
] as const;

function newToken(): string {
  return randomHex(16);
}

function accidFrom(value: unknown, field = "accid"): string {
  if (typeof value !== "string" || !ACCID.test(value)) throw new EmulatedError(414, `${field} is illegal`);
  return value;
}

function tokenParam(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string" || value.length > 128) throw new EmulatedError(414, "token is illegal");
  return value;
}

function defaultConfiguration(): NeteaseEmulatorAccountConfiguration {
  return {
    enabled: true,
    p2p_chat_banned: false,
    team_chat_banned: false,
    chatroom_chat_banned: false,
    qchat_chat_banned: false,
    push_enabled_when_desktop_online: false,
  };
}

function existing(state: EmulatorState, accid: string, v2: boolean): NeteaseEmulatorAccount {
  const account = state.accounts.get(accid);
  if (!account)
    throw v2 ? new EmulatedError(404, "account not found") : new EmulatedError(414, "not register");
  return account;
}

function create(state: EmulatorState, accid: string, token: unknown, name: unknown, v2: boolean): string {
  if (state.accounts.has(accid)) {
    throw new EmulatedError(414, v2 ? "account already exists" : "already register");
  }
  const account: NeteaseEmulatorAccount = {
    token: tokenParam(token) ?? newToken(),
    configuration: defaultConfiguration(),
  };
  if (typeof name === "string") account.name = name;
  state.accounts.set(accid, account);
  return account.token;
}

/** The v1 APIs the emulator answers (form bodies, `{ code, info | desc }`). */
export const V1_HANDLERS: ReadonlyMap<string, V1Handler> = new Map<string, V1Handler>([
  [
    "user/create.action",
    (state, form) => {
      const accid = accidFrom(form.get("accid") ?? undefined);
      const name = form.get("name") ?? undefined;
      const token = create(state, accid, form.get("token") ?? undefined, name, false);
      return { info: { token, accid, name: name ?? "" } };
    },
  ],
  [
    "user/refreshToken.action",
    (state, form) => {
      const accid = accidFrom(form.get("accid") ?? undefined);
      const account = existing(state, accid, false);
      account.token = newToken();
      return { info: { token: account.token, accid } };
    },
  ],
  [
    "user/update.action",
    (state, form) => {
      const account = existing(state, accidFrom(form.get("accid") ?? undefined), false);
      const token = tokenParam(form.get("token") ?? undefined);
      if (token !== undefined) account.token = token;
      return {};
    },
  ],
]);

/** Applies a v2 `configuration` object to an account (414 on a field of the wrong type). */
function configure(account: NeteaseEmulatorAccount, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new EmulatedError(414, "configuration must be an object");
  }
  const patch = value as Record<string, unknown>;
  for (const flag of BOOLEAN_FLAGS) {
    if (patch[flag] === undefined) continue;
    if (typeof patch[flag] !== "boolean")
      throw new EmulatedError(414, `configuration.${flag} must be a boolean`);
    account.configuration[flag] = patch[flag];
  }
  const extension = patch.kick_notify_extension;
  if (extension !== undefined) {
    if (typeof extension !== "string" || extension.length > 256) {
      throw new EmulatedError(414, "configuration.kick_notify_extension must be at most 256 characters");
    }
    account.configuration.kick_notify_extension = extension;
  }
}

function accountData(
  accid: string,
  account: NeteaseEmulatorAccount,
  withToken: boolean,
): Record<string, unknown> {
  return {
    account_id: accid,
    ...(withToken ? { token: account.token } : {}),
    ...(account.name === undefined ? {} : { name: account.name }),
    configuration: { ...account.configuration },
  };
}

/** The v2 APIs the emulator answers (JSON, `{ code, msg, data }`). */
export const V2_ROUTES: readonly V2Route[] = [
  {
    method: "POST",
    pattern: /^im\/v2\/accounts$/,
    handle(state, _id, body) {
      const accid = accidFrom(body.account_id, "account_id");
      create(state, accid, body.token, body.name, true);
      const account = state.accounts.get(accid)!;
      configure(account, body.configuration);
      return accountData(accid, account, true);
    },
  },
  {
    method: "PATCH",
    pattern: /^im\/v2\/accounts\/([^/]+)\/actions\/refresh_token$/,
    handle(state, id) {
      const account = existing(state, id, true);
      account.token = newToken();
      return { account_id: id, token: account.token };
    },
  },
  {
    method: "GET",
    pattern: /^im\/v2\/accounts\/([^/]+)$/,
    handle: (state, id) => accountData(id, existing(state, id, true), false),
  },
  {
    // Updates an account: a new static `token` and/or `configuration` flags; answers the account as it is now.
    method: "PATCH",
    pattern: /^im\/v2\/accounts\/([^/]+)$/,
    handle(state, id, body) {
      const account = existing(state, id, true);
      const token = tokenParam(body.token);
      configure(account, body.configuration);
      if (token !== undefined) account.token = token;
      return accountData(id, account, token !== undefined);
    },
  },
];

/** Finds the v2 route of `method path`; the account ID in the path is decoded and checked (414). */
export function findV2Route(method: string, path: string): { route: V2Route; accountId: string } | undefined {
  for (const route of V2_ROUTES) {
    const match = route.method === method ? route.pattern.exec(path) : null;
    if (!match) continue;
    let accountId = "";
    if (match[1] !== undefined) {
      try {
        accountId = accidFrom(decodeURIComponent(match[1]), "account_id");
      } catch {
        throw new EmulatedError(414, "account_id is illegal");
      }
    }
    return { route, accountId };
  }
  return undefined;
}
