import { ImAuthError } from "@imauth/core";
import { isWellFormed, utf8Decode, utf8Encode } from "@imauth/core/adapter";
import { type ByteReader, ByteWriter } from "./pack.js";

/**
 * The AccessToken2 services imauth builds and reads, with their type numbers and privilege IDs, as the
 * official builders (`AccessToken2.js`, `AccessToken2.py`) define them. Other service types (streaming 3,
 * FPA 4, FCDN 6, ConvoAI 9, STT 10) are read by {@link decodeAccessToken} too; RTM2 (8) and APaaS (7) end the
 * decoding of the service list, as in the official parser.
 *
 * @example
 * ```ts
 * import { AGORA_SERVICES } from "@imauth/agora";
 *
 * AGORA_SERVICES.rtc.type; // 1
 * AGORA_SERVICES.rtc.privileges.publishAudioStream; // 2
 * ```
 */
export const AGORA_SERVICES = Object.freeze({
  rtc: Object.freeze({
    type: 1,
    privileges: Object.freeze({
      joinChannel: 1,
      publishAudioStream: 2,
      publishVideoStream: 3,
      publishDataStream: 4,
    }),
  }),
  rtm: Object.freeze({ type: 2, privileges: Object.freeze({ login: 1 }) }),
  streaming: Object.freeze({
    type: 3,
    privileges: Object.freeze({ publishMixStream: 1, publishRawStream: 2 }),
  }),
  fpa: Object.freeze({ type: 4, privileges: Object.freeze({ login: 1 }) }),
  chat: Object.freeze({ type: 5, privileges: Object.freeze({ user: 1, app: 2 }) }),
  fcdn: Object.freeze({ type: 6, privileges: Object.freeze({ publish: 1, play: 2 }) }),
  convoai: Object.freeze({ type: 9, privileges: Object.freeze({}) }),
  stt: Object.freeze({ type: 10, privileges: Object.freeze({}) }),
} as const);

/**
 * The name of an AccessToken2 service, as {@link AGORA_SERVICES} keys it.
 *
 * @example
 * ```ts
 * const name: AgoraServiceName = "chat";
 * ```
 */
export type AgoraServiceName = keyof typeof AGORA_SERVICES;

/**
 * Privilege expiries of one service, by privilege ID, in seconds relative to the token's issue time (the
 * official builders' `expire` values; `0` is what they write when no privilege expiry is given).
 *
 * @example
 * ```ts
 * const privileges: AgoraPrivilegeExpiries = { 1: 3600, 2: 3600 }; // joinChannel, publishAudioStream
 * ```
 */
export type AgoraPrivilegeExpiries = Readonly<Record<number, number>>;

/**
 * One service to put into a token with {@link buildAccessToken}, as the official `AccessToken2.add_service`
 * takes it: type 1 (RTC) names a channel and a uid (a number: 0 is written as `""`, meaning any uid) or a
 * string account (written as given, so `"0"` stays `"0"`); types 2 (RTM) and 5 (Chat) a user ID (`""` for a
 * Chat app token); types 3 and 6 a channel and an account; types 4, 9 and 10 nothing more.
 *
 * @example
 * ```ts
 * const rtc: AgoraServiceInput = { type: 1, channelName: "room-1", uid: 42, privileges: { 1: 600 } };
 * const chat: AgoraServiceInput = { type: 5, userId: "alice", privileges: { 1: 600 } };
 * ```
 */
export type AgoraServiceInput =
  | { type: 1; channelName: string; uid: number | string; privileges: AgoraPrivilegeExpiries }
  | { type: 2 | 5; userId: string; privileges: AgoraPrivilegeExpiries }
  | { type: 3 | 6; channelName: string; account: number | string; privileges: AgoraPrivilegeExpiries }
  | { type: 4 | 9 | 10; privileges: AgoraPrivilegeExpiries };

/**
 * One privilege of a decoded service: its ID, the raw relative expiry and the absolute time it ends
 * (`null` when the raw value is 0, which the official builders write by default and never explain).
 *
 * @example
 * ```ts
 * const join: DecodedAgoraPrivilege = decoded.services[0]!.privileges.joinChannel!;
 * join.expiresAt?.toISOString();
 * ```
 */
export interface DecodedAgoraPrivilege {
  /** The privilege ID (RTC: 1 joinChannel, 2 publishAudioStream...). */
  id: number;
  /** The raw value: seconds after the token's issue time. */
  expireSeconds: number;
  /** `issuedAt + expireSeconds`, or `null` when `expireSeconds` is 0. */
  expiresAt: Date | null;
}

/**
 * One service of a decoded token. `privileges` is keyed by privilege name (`joinChannel`, `login`, `user`,
 * `app`...; an ID without a known name as `privilege<ID>`).
 *
 * @example
 * ```ts
 * const rtc: DecodedAgoraService = decodeAccessToken(token).services[0]!;
 * if (rtc.name === "rtc") console.log(rtc.channelName, rtc.uid);
 * ```
 */
export interface DecodedAgoraService {
  /** The service type number. */
  type: number;
  /** The service name, or `"unknown"`. */
  name: AgoraServiceName | "unknown";
  /** The privileges, by name. */
  privileges: Record<string, DecodedAgoraPrivilege>;
  /** RTC, streaming and FCDN: the channel name. */
  channelName?: string;
  /** RTC: the uid as written (`""` for uid 0, any user), or the string account. */
  uid?: string;
  /** Streaming and FCDN: the account. */
  account?: string;
  /** RTM and Chat: the user ID (`""` in a Chat app token). */
  userId?: string;
}

const NAMES: ReadonlyMap<number, AgoraServiceName> = new Map(
  (Object.keys(AGORA_SERVICES) as AgoraServiceName[]).map((name) => [AGORA_SERVICES[name].type, name]),
);

const MAX_U32 = 0xffff_ffff;

function input(message: string): ImAuthError {
  return new ImAuthError("ERR_INVALID_INPUT", message);
}

/** A string field as UTF-8; a lone surrogate would be written as U+FFFD, a value nobody asked for. */
function text(value: unknown, what: string): Uint8Array {
  if (typeof value !== "string") throw input(`${what} must be a string`);
  if (!isWellFormed(value)) throw input(`${what} must be well-formed UTF-16`);
  return utf8Encode(value);
}

/** The uid or account field: a number is its decimal text, 0 is `""`; a string is used as given. */
function uidText(value: unknown, what: string): Uint8Array {
  if (typeof value === "number") {
    if (!Number.isInteger(value) || value < 0 || value > MAX_U32) {
      throw input(`${what} must be an integer from 0 to ${MAX_U32} or a string`);
    }
    return utf8Encode(value === 0 ? "" : String(value));
  }
  return text(value, what);
}

function writePrivileges(w: ByteWriter, privileges: unknown, what: string): void {
  if (typeof privileges !== "object" || privileges === null || Array.isArray(privileges)) {
    throw input(`${what}.privileges must be an object of privilege ID to seconds`);
  }
  const ids = Object.keys(privileges)
    .map(Number)
    .sort((a, b) => a - b);
  w.u16(ids.length);
  for (const id of ids) {
    const expire = (privileges as Record<number, unknown>)[id];
    if (!Number.isInteger(id) || id < 0 || id > 0xffff) throw input(`${what} has a bad privilege ID`);
    if (typeof expire !== "number" || !Number.isInteger(expire) || expire < 0 || expire > MAX_U32) {
      throw input(`${what}.privileges[${id}] must be an integer from 0 to ${MAX_U32}`);
    }
    w.u16(id).u32(expire);
  }
}

/** @internal Writes one service: type, privileges, then its type's fields. */
export function writeService(w: ByteWriter, service: AgoraServiceInput, what: string): void {
  if (typeof service !== "object" || service === null) throw input(`${what} must be an object`);
  const s = service as AgoraServiceInput & Record<string, unknown>;
  const { type } = s;
  if (typeof type !== "number" || !NAMES.has(type)) {
    throw input(`${what}.type must be one of ${[...NAMES.keys()].join(", ")}`);
  }
  w.u16(type);
  writePrivileges(w, s.privileges, what);
  if (type === 1) w.bytes(text(s.channelName, `${what}.channelName`)).bytes(uidText(s.uid, `${what}.uid`));
  else if (type === 2 || type === 5) w.bytes(text(s.userId, `${what}.userId`));
  else if (type === 3 || type === 6) {
    w.bytes(text(s.channelName, `${what}.channelName`)).bytes(uidText(s.account, `${what}.account`));
  }
}

function readText(r: ByteReader, what: string): string {
  try {
    return utf8Decode(r.bytes(what));
  } catch (error) {
    if (error instanceof ImAuthError) throw error;
    throw new ImAuthError("ERR_MALFORMED_CREDENTIAL", `token ${what} is not UTF-8`);
  }
}

function privilegeName(name: AgoraServiceName | "unknown", id: number): string {
  if (name !== "unknown") {
    const known = AGORA_SERVICES[name].privileges as Record<string, number>;
    for (const key of Object.keys(known)) if (known[key] === id) return key;
  }
  return `privilege${id}`;
}

/**
 * @internal Reads one service after its type, or returns `undefined` for a type whose layout imauth does not know (RTM2,
 * APaaS, anything newer): the rest of the list cannot be delimited then, so decoding stops there, as the
 * official parser does. `issueTs` turns relative expiries into dates.
 */
export function readService(r: ByteReader, type: number, issueTs: number): DecodedAgoraService | undefined {
  const name = NAMES.get(type) ?? "unknown";
  if (name === "unknown") return undefined;
  const privileges: Record<string, DecodedAgoraPrivilege> = {};
  const count = r.u16("privilege count");
  for (let i = 0; i < count; i++) {
    const id = r.u16("privilege ID");
    const expireSeconds = r.u32("privilege expiry");
    privileges[privilegeName(name, id)] = {
      id,
      expireSeconds,
      expiresAt: expireSeconds === 0 ? null : new Date((issueTs + expireSeconds) * 1000),
    };
  }
  const service: DecodedAgoraService = { type, name, privileges };
  if (type === 1) {
    service.channelName = readText(r, "channel name");
    service.uid = readText(r, "uid");
  } else if (type === 2 || type === 5) service.userId = readText(r, "user ID");
  else if (type === 3 || type === 6) {
    service.channelName = readText(r, "channel name");
    service.account = readText(r, "account");
  }
  return service;
}

export { ByteWriter };
