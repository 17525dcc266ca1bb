import type { Clock } from "@imauth/core";
import { readClock } from "@imauth/core/adapter";
import { CHECKSUM_VALIDITY_MS, checkSum, MAX_NONCE_LENGTH } from "../checksum.js";

/** A NetEase refusal: `code` in the envelope (`desc` in v1, `msg` in v2), with HTTP `status` (200 as a rule). */
export class EmulatedError extends Error {
  constructor(
    readonly vendorCode: number,
    message: string,
    readonly status = 200,
  ) {
    super(message);
  }
}

/** What request authentication needs. */
export interface AuthContext {
  appKey: string;
  appSecret: string;
  clock: Clock | undefined;
  rejectReplayedNonce: boolean;
  seenNonces: Set<string>;
}

/**
 * Checks a call's headers as NetEase does: `AppKey`, `Nonce`, `CurTime` and `CheckSum` present (414), the
 * AppKey known (403), a Nonce of at most 128 characters, `CurTime` in seconds within 5 minutes of the clock
 * and a matching CheckSum (414); with `rejectReplayedNonce`, a Nonce seen before (414). Throws
 * {@link EmulatedError}.
 */
export function authenticate(headers: Headers, auth: AuthContext): void {
  const values: Record<string, string> = {};
  for (const name of ["AppKey", "Nonce", "CurTime", "CheckSum"]) {
    const value = headers.get(name);
    if (!value) throw new EmulatedError(414, `bad http header: missing ${name}`);
    values[name] = value;
  }
  const { AppKey: key, Nonce: nonce, CurTime: curTime, CheckSum: sum } = values as Record<string, string>;
  if (key !== auth.appKey) throw new EmulatedError(403, "illegal AppKey");
  if (nonce!.length > MAX_NONCE_LENGTH) throw new EmulatedError(414, "Nonce is longer than 128 characters");
  if (!/^\d{1,12}$/.test(curTime!)) throw new EmulatedError(414, "CurTime is illegal");
  if (Math.abs(readClock(auth.clock) - Number(curTime) * 1000) > CHECKSUM_VALIDITY_MS) {
    throw new EmulatedError(414, "CurTime is illegal (more than 5 minutes away)");
  }
  if (checkSum(auth.appSecret, nonce!, curTime!) !== sum!.toLowerCase()) {
    throw new EmulatedError(414, "checksum error");
  }
  if (auth.rejectReplayedNonce && auth.seenNonces.has(nonce!)) throw new EmulatedError(414, "Nonce replayed");
  auth.seenNonces.add(nonce!);
}
