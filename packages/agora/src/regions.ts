import { ImAuthError } from "@imauth/core";
import { readBaseUrls } from "@imauth/core/adapter";

/**
 * Agora Chat's REST API hosts per data center. An app's REST host is shown in the Agora console (Chat ›
 * Application information › "RESTful API domain"); each app lives in one data center, so there is no backup
 * host to fail over to: the client retries on the same host. Give `baseUrl` when the console shows another.
 * Every call goes to `<host>/<orgName>/<appName>/...`.
 *
 * @example
 * ```ts
 * AGORA_CHAT_REGIONS.us[0]; // "https://a61.chat.agora.io/"
 * ```
 */
export const AGORA_CHAT_REGIONS = Object.freeze({
  /** Singapore. */
  sg: Object.freeze(["https://a41.chat.agora.io/"]),
  /** Virginia, United States. */
  us: Object.freeze(["https://a61.chat.agora.io/"]),
  /** Frankfurt, Germany. */
  de: Object.freeze(["https://a71.chat.agora.io/"]),
} as const);

/**
 * An Agora Chat data center.
 *
 * @example
 * ```ts
 * const region: AgoraChatRegion = "us";
 * ```
 */
export type AgoraChatRegion = keyof typeof AGORA_CHAT_REGIONS;

/** Org and app names: what Agora's console shows (letters, digits, `-` and `_`). */
const NAME = /^[A-Za-z0-9_-]{1,64}$/;
function config(message: string): ImAuthError {
  return new ImAuthError("ERR_INVALID_CONFIG", message);
}

/**
 * @internal The Chat REST roots of an app, `<host>/<orgName>/<appName>/`, from a region (default `sg`) or
 * `baseUrl` (hosts, primary first), never both. Without `orgName` and `appName` there is no root: `[]`.
 */
export function readChatBaseUrls(
  region: unknown,
  baseUrl: unknown,
  orgName: unknown,
  appName: unknown,
): readonly string[] {
  if (region !== undefined && baseUrl !== undefined) throw config("give either region or baseUrl, not both");
  if (orgName === undefined && appName === undefined) {
    if (baseUrl !== undefined || region !== undefined) readHosts(region, baseUrl);
    return Object.freeze([]);
  }
  if (typeof orgName !== "string" || !NAME.test(orgName)) {
    throw config("orgName must be 1 to 64 letters, digits, - or _ (the part of the Chat app key before #)");
  }
  if (typeof appName !== "string" || !NAME.test(appName)) {
    throw config("appName must be 1 to 64 letters, digits, - or _ (the part of the Chat app key after #)");
  }
  return Object.freeze(readHosts(region, baseUrl).map((host) => `${host}${orgName}/${appName}/`));
}

function readHosts(region: unknown, baseUrl: unknown): readonly string[] {
  return readBaseUrls(region, baseUrl, AGORA_CHAT_REGIONS, "sg");
}
