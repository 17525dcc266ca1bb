import { randomHex } from "@imauth/core/adapter";
import { STATUS_OF_CODE } from "./failures.js";

/** A RongCloud refusal: `code` and `errorMessage` in the body, with the HTTP status RongCloud pairs with it. */
export class EmulatedError extends Error {
  readonly status: number;
  constructor(
    readonly vendorCode: number,
    message: string,
    status?: number,
  ) {
    super(message);
    this.status = status ?? STATUS_OF_CODE.get(vendorCode) ?? 200;
  }
}

/**
 * A user the emulator holds: its profile and the tokens issued to it.
 *
 * @example
 * ```ts
 * const user: RongCloudEmulatorUser | undefined = emulator.users.get("user01");
 * ```
 */
export interface RongCloudEmulatorUser {
  /** Display name, if set. */
  name?: string;
  /** Avatar URL, if set. */
  portraitUri?: string;
  /** Every token issued to the user, with when it was issued (epoch ms). */
  tokens: Map<string, number>;
  /** Tokens issued before this instant (epoch ms) are invalid (`user/token/expire.json`); -1 for none. */
  expiredBeforeMs: number;
}

/**
 * A message the emulator accepted (`message/private/publish.json`).
 *
 * @example
 * ```ts
 * const [first]: readonly RongCloudEmulatedMessage[] = emulator.messages;
 * ```
 */
export interface RongCloudEmulatedMessage {
  fromUserId: string;
  toUserId: string[];
  objectName: string;
  /** The message content as sent (a JSON string). */
  content: string;
}

/** The emulated application's data, which the handlers read and change. */
export interface EmulatorState {
  readonly users: Map<string, RongCloudEmulatorUser>;
  readonly messages: RongCloudEmulatedMessage[];
  /** Tokens revoked by `revokeCredentials`. */
  readonly revoked: Set<string>;
}

/** One API: the form and the current time in, the answer's fields (besides `code: 200`) out. */
type Handler = (state: EmulatorState, form: URLSearchParams, nowMs: number) => Record<string, unknown>;

const USER_ID = /^[A-Za-z0-9+|=_-]{1,64}$/;

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (value === null || value === "") throw new EmulatedError(1002, `${name} is required`);
  return value;
}

function userIdFrom(value: string, field = "userId"): string {
  if (!USER_ID.test(value)) throw new EmulatedError(1002, `${field} is illegal`);
  return value;
}

function optional(form: URLSearchParams, name: string, maxBytes: number): string | undefined {
  const value = form.get(name);
  if (value === null) return undefined;
  if (new TextEncoder().encode(value).length > maxBytes) {
    throw new EmulatedError(1005, `${name} is longer than ${maxBytes} bytes`);
  }
  return value;
}

function newToken(appKeyHint: string): string {
  // Shaped like RongCloud's: base64-ish text, then the navigation servers after an "@".
  return `${btoa(randomHex(24)).replace(/=+$/, "")}@${appKeyHint}.cn.rongnav.com;${appKeyHint}.cn.rongcfg.com`;
}

function profile(user: RongCloudEmulatorUser, form: URLSearchParams): void {
  const name = optional(form, "name", 128);
  const portraitUri = optional(form, "portraitUri", 1024);
  if (name !== undefined) user.name = name;
  if (portraitUri !== undefined) user.portraitUri = portraitUri;
}

/** The APIs the emulator answers (form bodies, `{ code: 200, ... }` or `{ code, errorMessage }`). */
export const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  [
    "user/getToken.json",
    (state, form, nowMs) => {
      const userId = userIdFrom(required(form, "userId"));
      let user = state.users.get(userId);
      if (user === undefined) {
        user = { tokens: new Map(), expiredBeforeMs: -1 };
        state.users.set(userId, user);
      }
      profile(user, form);
      const token = newToken("emu");
      user.tokens.set(token, nowMs);
      return { userId, token };
    },
  ],
  [
    "user/refresh.json",
    (state, form) => {
      const user = state.users.get(userIdFrom(required(form, "userId")));
      if (user === undefined) throw new EmulatedError(1002, "user does not exist");
      profile(user, form);
      return {};
    },
  ],
  [
    "user/token/expire.json",
    (state, form) => {
      const userIds = form.getAll("userId").map((id) => userIdFrom(id));
      if (userIds.length === 0 || userIds.length > 20) throw new EmulatedError(1002, "userId: 1 to 20 users");
      const time = required(form, "time");
      if (!/^\d{1,16}$/.test(time)) throw new EmulatedError(1002, "time must be epoch milliseconds");
      for (const id of userIds) {
        const user = state.users.get(id);
        if (user !== undefined) user.expiredBeforeMs = Math.max(user.expiredBeforeMs, Number(time));
      }
      return {};
    },
  ],
  [
    "message/private/publish.json",
    (state, form) => {
      const fromUserId = userIdFrom(required(form, "fromUserId"), "fromUserId");
      const toUserId = form.getAll("toUserId").map((id) => userIdFrom(id, "toUserId"));
      if (toUserId.length === 0 || toUserId.length > 1000) {
        throw new EmulatedError(1002, "toUserId: 1 to 1000 users");
      }
      const objectName = required(form, "objectName");
      const content = required(form, "content");
      state.messages.push({ fromUserId, toUserId, objectName, content });
      return {};
    },
  ],
]);

/** Finds the API a path names: the path itself, or its end after a base URL's own path. */
export function findHandler(path: string): { name: string; handler: Handler } | undefined {
  for (const [name, handler] of HANDLERS) {
    if (path === name || path.endsWith(`/${name}`)) return { name, handler };
  }
  return undefined;
}
