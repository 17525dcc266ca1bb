/**
 * A drop-in for the official `tls-sig-api-v2` npm package: the same `Api` class and methods, byte-identical
 * output for every well-formed string, on every runtime. Migrating is one changed import.
 *
 * @packageDocumentation
 */
import type { Clock } from "@imauth/core";
import { assertWellFormed, base64Encode, readClock, utf8Encode } from "@imauth/core/adapter";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
// pako is a line-by-line port of zlib: at level 6 it writes the same bytes as Node's zlib.deflateSync, which
// the official package uses, so the output matches byte for byte.
import { deflate } from "pako";

/**
 * Options of the {@link Api} constructor's third argument (not in the official package).
 *
 * @example
 * ```ts
 * const api = new Api(1400000000, secretKey, { clock: () => Date.UTC(2024, 0, 1) } satisfies ApiOptions);
 * ```
 */
export interface ApiOptions {
  /** Clock in epoch milliseconds. Default `Date.now`, read at each call as the official package does. */
  clock?: Clock;
}

/**
 * The official `tls-sig-api-v2` `Api` class, reimplemented without Node APIs. Same arguments, same loose
 * typing, same output byte for byte, including its userbuf quirk: user and room IDs are written as the low
 * byte of each UTF-16 unit (right for ASCII; use `genPrivateMapKey` from `@imauth/tencent` for UTF-8). One
 * difference: a string with an unpaired UTF-16 surrogate, which the official package signs as if it held
 * U+FFFD, throws `ImAuthError` `ERR_INVALID_INPUT`.
 *
 * @example
 * ```ts
 * // before: const TLSSigAPIv2 = require("tls-sig-api-v2");
 * import * as TLSSigAPIv2 from "@imauth/tencent/compat";
 *
 * const api = new TLSSigAPIv2.Api(1400000000, secretKey);
 * const userSig = api.genUserSig("xiaojun", 86400 * 180);
 * ```
 */
export class Api {
  /** The SDKAppID as given. */
  sdkappid: number | string;
  /** The secret key as given; not enumerable, so logging an `Api` does not show it. */
  declare key: string;
  readonly #clock: Clock | undefined;

  constructor(sdkappid: number | string, key: string, options: ApiOptions = {}) {
    this.sdkappid = sdkappid;
    Object.defineProperty(this, "key", { value: key, writable: true, enumerable: false, configurable: true });
    this.#clock = options.clock;
  }

  /**
   * Generates a UserSig for `userid`, valid for `expire` seconds.
   *
   * @example
   * ```ts
   * new Api(1400000000, secretKey).genUserSig("xiaojun", 86400);
   * ```
   */
  genUserSig(userid: string, expire: number): string {
    return this.genSig(userid, expire, null);
  }

  /**
   * Generates a PrivateMapKey for a numeric room.
   *
   * @example
   * ```ts
   * new Api(1400000000, secretKey).genPrivateMapKey("xiaojun", 300, 10000, 255);
   * ```
   */
  genPrivateMapKey(userid: string, expire: number, roomid: number, privilegeMap: number): string {
    const userBuf = this._genUserbuf(userid, roomid, expire, privilegeMap, 0, null);
    return this.genSig(userid, expire, userBuf);
  }

  /**
   * Generates a PrivateMapKey for a string room.
   *
   * @example
   * ```ts
   * new Api(1400000000, secretKey).genPrivateMapKeyWithStringRoomID("xiaojun", 300, "room-1", 255);
   * ```
   */
  genPrivateMapKeyWithStringRoomID(
    userid: string,
    expire: number,
    roomstr: string,
    privilegeMap: number,
  ): string {
    // The room ID is signed too (inside the userbuf): refused like an ID, see assertSignable.
    assertWellFormed("" + roomstr, "roomstr");
    const userBuf = this._genUserbuf(userid, 0, expire, privilegeMap, 0, roomstr);
    return this.genSig(userid, expire, userBuf);
  }

  /**
   * Generates a UserSig carrying `userBuf` (bytes, or a string written as UTF-8), or none when it is
   * omitted or `null`: the official README calls `genSig(userid, expire)` with two arguments.
   *
   * @example
   * ```ts
   * new Api(1400000000, secretKey).genSig("xiaojun", 86400 * 180);
   * new Api(1400000000, secretKey).genSig("xiaojun", 86400, new Uint8Array([1, 2, 3]));
   * ```
   */
  genSig(userid: string, expire: number, userBuf?: Uint8Array | string | null): string {
    assertSignable(userid, this.sdkappid, expire, userBuf);
    const currTime = Math.floor(this.#now() / 1000);
    const sigDoc: Record<string, unknown> = {
      "TLS.ver": "2.0",
      "TLS.identifier": "" + userid,
      "TLS.sdkappid": Number(this.sdkappid),
      "TLS.time": Number(currTime),
      "TLS.expire": Number(expire),
    };
    let sig: string;
    if (null != userBuf) {
      const base64UserBuf = base64Encode(typeof userBuf === "string" ? utf8Encode(userBuf) : userBuf);
      sigDoc["TLS.userbuf"] = base64UserBuf;
      sig = this._hmacsha256(userid, currTime, expire, base64UserBuf);
    } else {
      sig = this._hmacsha256(userid, currTime, expire, null);
    }
    sigDoc["TLS.sig"] = sig;
    const compressed = base64Encode(deflate(utf8Encode(JSON.stringify(sigDoc))));
    return compressed.replace(/[+/=]/g, (c) => (c === "+" ? "*" : c === "/" ? "-" : "_"));
  }

  /** @internal As in the official package: standard base64 of the HMAC-SHA256. */
  _hmacsha256(identifier: string, currTime: number, expire: number, base64UserBuf: string | null): string {
    let content = "TLS.identifier:" + identifier + "\n";
    content += "TLS.sdkappid:" + this.sdkappid + "\n";
    content += "TLS.time:" + currTime + "\n";
    content += "TLS.expire:" + expire + "\n";
    if (null != base64UserBuf) content += "TLS.userbuf:" + base64UserBuf + "\n";
    return base64Encode(hmac(sha256, utf8Encode(this.key), utf8Encode(content)));
  }

  /** @internal As in the official package, including its arithmetic on possibly non-integer inputs. */
  _genUserbuf(
    account: string,
    dwAuthID: number,
    dwExpTime: number,
    dwPrivilegeMap: number,
    dwAccountType: number,
    roomstr: string | null,
  ): Uint8Array {
    const accountLength = account.length;
    let length = 1 + 2 + accountLength + 20;
    if (null != roomstr) length += 2 + roomstr.length;
    // Uint8Array stores `value mod 256` like Buffer, so the official shifts and masks carry over unchanged.
    const buf = new Uint8Array(length);
    let offset = 0;
    buf[offset++] = null != roomstr ? 1 : 0;
    buf[offset++] = (accountLength & 0xff00) >> 8;
    buf[offset++] = accountLength & 0x00ff;
    for (; offset < 3 + accountLength; ++offset) buf[offset] = account.charCodeAt(offset - 3);
    offset = put32(buf, offset, this.sdkappid as number);
    offset = put32(buf, offset, dwAuthID);
    offset = put32(buf, offset, this.#now() / 1000 + dwExpTime);
    offset = put32(buf, offset, dwPrivilegeMap);
    offset = put32(buf, offset, dwAccountType);
    if (null != roomstr) {
      buf[offset++] = (roomstr.length & 0xff00) >> 8;
      buf[offset++] = roomstr.length & 0x00ff;
      for (; offset < length; ++offset) buf[offset] = roomstr.charCodeAt(offset - (length - roomstr.length));
    }
    return buf;
  }

  #now(): number {
    return this.#clock ? readClock(this.#clock) : Date.now();
  }
}

// The one departure from the official package, which signs a lone UTF-16 surrogate as U+FFFD (UTF-8 encoding
// replaces it), so "a\uD800" and "a\uFFFD" would get the same signature: every string that reaches the HMAC
// must be well-formed, else `ImAuthError` `ERR_INVALID_INPUT`. Well-formed input is signed byte for byte as
// before. Concatenated with "" as the official code does, so loose types are read the same way.
function assertSignable(userid: unknown, sdkappid: unknown, expire: unknown, userBuf: unknown): void {
  assertWellFormed("" + userid, "userid");
  assertWellFormed("" + sdkappid, "sdkappid");
  assertWellFormed("" + expire, "expire");
  if (typeof userBuf === "string") assertWellFormed(userBuf, "userBuf");
}

function put32(buf: Uint8Array, offset: number, value: number): number {
  buf[offset] = (value & 0xff000000) >> 24;
  buf[offset + 1] = (value & 0x00ff0000) >> 16;
  buf[offset + 2] = (value & 0x0000ff00) >> 8;
  buf[offset + 3] = value & 0x000000ff;
  return offset + 4;
}
