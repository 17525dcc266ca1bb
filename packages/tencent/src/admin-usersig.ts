import type { Clock } from "@imauth/core";
import { readClock } from "@imauth/core/adapter";

/** Share of the admin UserSig's lifetime after which it is renewed (well before it expires). */
const RENEW_FRACTION = 0.8;

/**
 * Which admin UserSig Tencent refused, as the REST client tells `renewAdminUserSig`.
 *
 * @example
 * ```ts
 * await provider.renewAdminUserSig({ userSig: refused, revoked: vendorCode === 70052 });
 * ```
 */
export interface RefusedAdminUserSig {
  /** The UserSig the refused request carried; when the cache already holds another one, nothing is renewed. */
  userSig?: string;
  /** It was revoked (70052) rather than expired (70001): the renewal must be stamped after the revocation. */
  revoked?: boolean;
}

interface Entry {
  userSig: string;
  issuedMs: number;
  renewAtMs: number;
}

/** The cached admin UserSig that signs REST calls. */
export interface AdminUserSigCache {
  /** The current UserSig, renewed first when it is past 80% of its lifetime. */
  get(): Promise<string>;
  /** Renews once for a refusal, however many callers report the same refused UserSig. */
  renew(refused?: RefusedAdminUserSig): Promise<void>;
}

/**
 * Creates the admin UserSig cache. Renewal is single-flight: callers that find the cache stale while a
 * renewal runs wait for it, and a refusal of a UserSig that was already replaced renews nothing, so a burst
 * of 1,000 calls refused with 70001 costs one new UserSig.
 *
 * @example
 * ```ts
 * const cache = createAdminUserSigCache((nowMs) => sign(adminUserId, ttl, nowMs), 86_400, clock);
 * const userSig = await cache.get();
 * ```
 */
export function createAdminUserSigCache(
  make: (nowMs: number) => Promise<string>,
  ttlSeconds: number,
  clock: Clock | undefined,
): AdminUserSigCache {
  let cached: Entry | undefined;
  let pending: Promise<Entry> | undefined;

  function issue(notBeforeMs = 0): Promise<Entry> {
    pending ??= (async () => {
      const issuedMs = Math.max(Math.floor(readClock(clock) / 1000) * 1000, notBeforeMs);
      const userSig = await make(issuedMs);
      cached = { userSig, issuedMs, renewAtMs: issuedMs + ttlSeconds * 1000 * RENEW_FRACTION };
      return cached;
    })().finally(() => {
      pending = undefined;
    });
    return pending;
  }

  // A revocation applies to UserSigs issued up to its instant; TLS.time has whole seconds, so a UserSig
  // stamped in the revocation's second (the same bytes as the revoked one, when nothing else changed) is
  // still revoked. The replacement is stamped in the next second, and after the refused one.
  function notBefore(refused: RefusedAdminUserSig | undefined): number {
    if (!refused?.revoked) return 0;
    const nextSecondMs = (Math.floor(readClock(clock) / 1000) + 1) * 1000;
    return Math.max(nextSecondMs, (cached?.issuedMs ?? 0) + 1000);
  }

  return {
    async get() {
      const nowMs = readClock(clock);
      // Fresh, and not issued in the future (a clock that went back; a post-revocation stamp is at most 1 s ahead).
      if (cached && nowMs < cached.renewAtMs && nowMs >= cached.issuedMs - 1000) return cached.userSig;
      return (await issue()).userSig;
    },
    async renew(refused) {
      if (pending) return void (await pending);
      if (refused?.userSig !== undefined && cached !== undefined && cached.userSig !== refused.userSig)
        return;
      await issue(notBefore(refused));
    },
  };
}
