import { ImAuthError } from "@imauth/core";
import { typeName } from "@imauth/core/adapter";

// Agora's documented input rules. The official builders check none of them (they sign whatever they are
// given, and Agora's servers then refuse the token or the join); imauth refuses at the source instead.

/**
 * Agora's RTC character set, shared by channel names and user accounts: letters, digits, space and
 * `! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ ,`.
 */
const RTC_CHARSET = /^[A-Za-z0-9 !#$%&()+\-:;<=.>?@[\]^_{}|~,]+$/;
/** Agora Chat user IDs: letters, digits, `_`, `-` and `.` (case-insensitive on Agora's side). */
const CHAT_CHARSET = /^[A-Za-z0-9_.-]+$/;
/** RTM user IDs: visible ASCII and space. */
const RTM_CHARSET = /^[\x20-\x7e]+$/;

/** Longest channel name: "less than 64 bytes" in Agora's documentation. */
export const MAX_CHANNEL_NAME_BYTES = 63;
/** Longest RTC user account, in bytes. */
export const MAX_ACCOUNT_BYTES = 255;
/** Longest RTM or Chat user ID, in bytes. */
export const MAX_USER_ID_BYTES = 64;

function input(message: string): ImAuthError {
  return new ImAuthError("ERR_INVALID_INPUT", message);
}

function checkText(value: unknown, what: string, charset: RegExp, max: number, allowed: string): string {
  if (typeof value !== "string") throw input(`${what} must be a string, got ${typeName(value)}`);
  if (value.length === 0) throw input(`${what} must not be empty`);
  // Every allowed character is ASCII, so the length in characters is the length in bytes.
  if (!charset.test(value)) throw input(`${what} may hold only ${allowed}`);
  if (value.length > max) throw input(`${what} must be at most ${max} bytes`);
  return value;
}

/** @internal An RTC channel name: 1 to 63 bytes of Agora's RTC character set. */
export function assertChannelName(value: unknown, what = "channelName"): string {
  return checkText(
    value,
    what,
    RTC_CHARSET,
    MAX_CHANNEL_NAME_BYTES,
    "letters, digits, space and !#$%&()+-:;<=.>?@[]^_{}|~,",
  );
}

/** @internal An RTC user account: 1 to 255 bytes of Agora's RTC character set. */
export function assertAccount(value: unknown, what = "account"): string {
  return checkText(
    value,
    what,
    RTC_CHARSET,
    MAX_ACCOUNT_BYTES,
    "letters, digits, space and !#$%&()+-:;<=.>?@[]^_{}|~,",
  );
}

/** @internal An RTC uid: an integer from 0 (any user) to 4294967295. */
export function assertUid(value: unknown, what = "uid"): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    throw input(`${what} must be an integer from 0 to 4294967295`);
  }
  return value;
}

/** @internal An Agora Chat user ID: 1 to 64 bytes of letters, digits, `_`, `-`, `.`. */
export function assertChatUserId(value: unknown, what = "userId"): string {
  return checkText(value, what, CHAT_CHARSET, MAX_USER_ID_BYTES, "letters, digits, _, - and .");
}

/** @internal An RTM user ID: 1 to 64 bytes of visible ASCII or space. */
export function assertRtmUserId(value: unknown, what = "userId"): string {
  return checkText(value, what, RTM_CHARSET, MAX_USER_ID_BYTES, "visible ASCII characters and space");
}
