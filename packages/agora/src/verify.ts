import { type Clock, ImAuthError } from "@imauth/core";
import {
  anyKeyMatches,
  assertOptionsObject,
  base64Decode,
  constantTimeEqual,
  hexEncode,
  type KeyInput,
  readClock,
  utf8Decode,
  zlibDecompress,
} from "@imauth/core/adapter";
import { readAppId, readCertificates, signInfo } from "./accesstoken.js";
import { ByteReader } from "./pack.js";
import { type AgoraServiceName, type DecodedAgoraService, readService } from "./services.js";

/** Longest token accepted, in characters: real ones are 150 to 400; this leaves room for many services. */
const MAX_TOKEN_LENGTH = 8192;
/** Largest inflated content accepted, in bytes (a zlib bomb stops here, unallocated). */
const MAX_CONTENT_BYTES = 16_384;

/**
 * A decoded AccessToken2, read without any key: nothing in it is authenticated until
 * {@link verifyAccessToken} has checked the signature.
 *
 * @example
 * ```ts
 * const decoded: DecodedAccessToken = decodeAccessToken(token);
 * decoded.expiresAt?.toISOString();
 * ```
 */
export interface DecodedAccessToken {
  /** Always `"007"`. */
  version: "007";
  /** The App ID the token names. */
  appId: string;
  /** When the token was issued. */
  issuedAt: Date;
  /** The raw issue time (Unix seconds). */
  issuedAtSeconds: number;
  /** The raw token lifetime: seconds after the issue time. */
  expireSeconds: number;
  /** `issuedAt + expireSeconds`, or `null` when `expireSeconds` is 0. */
  expiresAt: Date | null;
  /** The salt (1 to 99999999 when made by the official builders). */
  salt: number;
  /** The HMAC-SHA256 signature, lowercase hex. */
  signatureHex: string;
  /** The number of services the token declares. */
  serviceCount: number;
  /** The services read, in token order (sorted by type). */
  services: DecodedAgoraService[];
  /**
   * The type of a service whose layout imauth does not know (RTM2, APaaS...): the services after it could
   * not be read. Absent when every service was read.
   */
  unreadServiceType?: number;
}

/** A decoded token with the signed bytes, for the verifier. */
interface Parsed {
  decoded: DecodedAccessToken;
  signature: Uint8Array;
  signingInfo: Uint8Array;
}

function malformed(message: string): ImAuthError {
  return new ImAuthError("ERR_MALFORMED_CREDENTIAL", message);
}

function inflate(token: unknown): Uint8Array {
  if (typeof token !== "string") throw malformed("token must be a string");
  if (token.length > MAX_TOKEN_LENGTH) throw malformed(`token is longer than ${MAX_TOKEN_LENGTH} characters`);
  if (!token.startsWith("007")) throw malformed('token is not an AccessToken2 (no "007" prefix)');
  let compressed: Uint8Array;
  try {
    compressed = base64Decode(token.slice(3), "token");
  } catch {
    throw malformed("token is not valid base64 after its 007 prefix");
  }
  return zlibDecompress(compressed, { maxBytes: MAX_CONTENT_BYTES, what: "token" });
}

function parse(token: unknown): Parsed {
  const r = new ByteReader(inflate(token));
  const signature = r.bytes("signature");
  if (signature.length !== 32) throw malformed("token signature is not 32 bytes (HMAC-SHA256)");
  const signingInfo = r.rest();
  let appId: string;
  try {
    appId = utf8Decode(r.bytes("App ID"));
  } catch (error) {
    throw error instanceof ImAuthError ? error : malformed("token App ID is not UTF-8");
  }
  const issuedAtSeconds = r.u32("issue time");
  const expireSeconds = r.u32("expiry");
  const salt = r.u32("salt");
  const serviceCount = r.u16("service count");
  const decoded: DecodedAccessToken = {
    version: "007",
    appId,
    issuedAt: new Date(issuedAtSeconds * 1000),
    issuedAtSeconds,
    expireSeconds,
    expiresAt: expireSeconds === 0 ? null : new Date((issuedAtSeconds + expireSeconds) * 1000),
    salt,
    signatureHex: hexEncode(signature),
    serviceCount,
    services: [],
  };
  for (let i = 0; i < serviceCount; i++) {
    const type = r.u16("service type");
    const service = readService(r, type, issuedAtSeconds);
    if (service === undefined) {
      decoded.unreadServiceType = type;
      return { decoded, signature, signingInfo };
    }
    decoded.services.push(service);
  }
  if (r.remaining !== 0) throw malformed("token has bytes after its last service");
  return { decoded, signature, signingInfo };
}

/**
 * Decodes an AccessToken2 (`007...`) without a key: App ID, issue time, lifetime, salt, signature and the
 * services with their privileges and absolute expiry times. Nothing is authenticated: use
 * {@link verifyAccessToken} before trusting any field. Every length is checked against the bytes present,
 * the inflated content is capped at 16 KiB and the zlib stream is read strictly; anything malformed throws
 * `ImAuthError` `ERR_MALFORMED_CREDENTIAL`.
 *
 * @example
 * ```ts
 * import { decodeAccessToken, genChatUserToken } from "@imauth/agora";
 *
 * const token = genChatUserToken({
 *   appId: process.env.AGORA_APP_ID!,
 *   appCertificate: process.env.AGORA_APP_CERTIFICATE!,
 *   userId: "alice",
 *   expireSeconds: 600,
 * });
 * const { services, expiresAt } = decodeAccessToken(token);
 * console.log(services[0]?.name, services[0]?.userId, expiresAt); // "chat" "alice" ...
 * ```
 */
export function decodeAccessToken(token: string): DecodedAccessToken {
  return parse(token).decoded;
}

/**
 * Options of {@link verifyAccessToken}: the app's keys, the clock, and optionally what the token must grant.
 *
 * @example
 * ```ts
 * const options: VerifyAccessTokenOptions = {
 *   appId, appCertificate: [current, previous], service: "rtc", channelName: "room-1", uid: 42,
 *   privileges: ["joinChannel", "publishAudioStream"],
 * };
 * ```
 */
export interface VerifyAccessTokenOptions {
  /** The App ID the token must name (32 hex characters). */
  appId: string;
  /** The App Certificate, or `[current, ...previous]` during a rotation: a token signed with any is accepted. */
  appCertificate: KeyInput;
  /** Source of the current time (epoch milliseconds). Default `Date.now`. */
  clock?: Clock;
  /** The service the token must carry (`"rtc"`, `"rtm"`, `"chat"`...). */
  service?: AgoraServiceName;
  /** RTC: the channel the token must be for. */
  channelName?: string;
  /** RTC: the uid (a number; 0 is written as `""`) or account (a string) the token must be for. */
  uid?: number | string;
  /** RTM and Chat: the user ID the token must be for (`""` for a Chat app token). */
  userId?: string;
  /** Privileges (by name, e.g. `"joinChannel"`, `"login"`, `"user"`, `"app"`) the service must grant, unexpired. */
  privileges?: readonly string[];
}

/**
 * Verifies an AccessToken2: the App ID, the HMAC-SHA256 signature against every given certificate (constant
 * time, every key tried), the token's expiry and, when asked, a service with its channel, uid or user ID and
 * unexpired privileges. The official `verifySignature` checks only the signature; an expired token is
 * authentic but no longer valid, so this also refuses it. A lifetime of 0 (which the builders never write for
 * a token) is refused as expired. Returns the decoded token; throws `ImAuthError`: `ERR_MALFORMED_CREDENTIAL`,
 * `ERR_APP_MISMATCH`, `ERR_SIGNATURE_INVALID`, `ERR_CREDENTIAL_EXPIRED` (the token or a requested privilege),
 * `ERR_USER_MISMATCH` (uid, account or user ID), `ERR_USERBUF_MISMATCH` (service, channel or privilege
 * missing); `ERR_INVALID_CONFIG` for bad keys or App ID.
 *
 * @example
 * ```ts
 * import { genRtcToken, verifyAccessToken } from "@imauth/agora";
 *
 * const appId = process.env.AGORA_APP_ID!;
 * const appCertificate = process.env.AGORA_APP_CERTIFICATE!;
 * const token = genRtcToken({ appId, appCertificate, channelName: "room-1", uid: 42, role: "subscriber", tokenExpireSeconds: 600 });
 * const decoded = verifyAccessToken(token, { appId, appCertificate, service: "rtc", channelName: "room-1", uid: 42 });
 * console.log(decoded.expiresAt);
 * ```
 */
export function verifyAccessToken(token: string, options: VerifyAccessTokenOptions): DecodedAccessToken {
  assertOptionsObject(options, "verifyAccessToken options", "ERR_INVALID_CONFIG");
  const appId = readAppId(options.appId);
  const certificates = readCertificates(options.appCertificate);
  if (options.clock !== undefined && typeof options.clock !== "function") {
    throw new ImAuthError("ERR_INVALID_CONFIG", "clock must be a function");
  }
  checkExpectations(options);
  const nowSeconds = Math.floor(readClock(options.clock) / 1000);
  const { decoded, signature, signingInfo } = parse(token);
  if (decoded.appId !== appId)
    throw new ImAuthError("ERR_APP_MISMATCH", "token was issued for another App ID");
  const matches = (cert: string) =>
    constantTimeEqual(signInfo(cert, decoded.issuedAtSeconds, decoded.salt, signingInfo), signature);
  if (!anyKeyMatches(certificates, matches)) {
    throw new ImAuthError("ERR_SIGNATURE_INVALID", "token signature does not match (wrong App Certificate?)");
  }
  if (decoded.expiresAt === null || nowSeconds > decoded.issuedAtSeconds + decoded.expireSeconds) {
    throw new ImAuthError("ERR_CREDENTIAL_EXPIRED", "token has expired");
  }
  if (options.service !== undefined) checkService(decoded, options, nowSeconds);
  return decoded;
}

/** The expectations are per-call input: checked before they are compared with anything. */
function checkExpectations(o: VerifyAccessTokenOptions): void {
  const bad = (what: string) =>
    new ImAuthError("ERR_INVALID_INPUT", `${what} of verifyAccessToken options is invalid`);
  if (o.service !== undefined && typeof o.service !== "string") throw bad("service");
  if (o.channelName !== undefined && typeof o.channelName !== "string") throw bad("channelName");
  if (o.userId !== undefined && typeof o.userId !== "string") throw bad("userId");
  if (o.uid !== undefined && typeof o.uid !== "string" && !(Number.isInteger(o.uid) && o.uid >= 0))
    throw bad("uid");
  if (
    o.privileges !== undefined &&
    (!Array.isArray(o.privileges) || !o.privileges.every((p) => typeof p === "string"))
  ) {
    throw bad("privileges");
  }
}

function mismatch(message: string): ImAuthError {
  return new ImAuthError("ERR_USERBUF_MISMATCH", message);
}

function checkService(decoded: DecodedAccessToken, o: VerifyAccessTokenOptions, nowSeconds: number): void {
  const service = decoded.services.find((s) => s.name === o.service);
  if (service === undefined) throw mismatch(`token carries no ${String(o.service)} service`);
  if (o.channelName !== undefined && service.channelName !== o.channelName) {
    throw mismatch("token is for another channel");
  }
  if (o.uid !== undefined) {
    const expected = typeof o.uid === "number" ? (o.uid === 0 ? "" : String(o.uid)) : o.uid;
    // A token for uid 0 ("") lets any uid join.
    if (service.uid !== expected && service.uid !== "") {
      throw new ImAuthError("ERR_USER_MISMATCH", "token is for another uid or account");
    }
  }
  if (o.userId !== undefined && service.userId !== o.userId) {
    throw new ImAuthError("ERR_USER_MISMATCH", "token is for another user");
  }
  for (const name of o.privileges ?? []) {
    const privilege = service.privileges[name];
    if (privilege === undefined) throw mismatch(`token does not grant ${String(name).slice(0, 40)}`);
    if (privilege.expiresAt !== null && nowSeconds > decoded.issuedAtSeconds + privilege.expireSeconds) {
      throw new ImAuthError("ERR_CREDENTIAL_EXPIRED", `token privilege ${name} has expired`);
    }
  }
}
