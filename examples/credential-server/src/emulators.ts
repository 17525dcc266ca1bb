// The vendors' side of the demo: their emulators, and what the demo asks of them (play a rate limit, send a
// callback, forge one, tell what admin credential a call carried). This is test scaffolding, not app code.
import type { Clock } from "@imauth/core";
import { decodeLegacyUserSig, ecdsaVerifier } from "@imauth/legacy-ecdsa";
import { decodeDynamicToken } from "@imauth/netease";
import { createNeteaseEmulator } from "@imauth/netease/testing";
import { decodeUserSig } from "@imauth/tencent";
import { createTencentEmulator, signTencentCallback } from "@imauth/tencent/testing";
import { NETEASE_DEMO, TENCENT_DEMO, TENCENT_LEGACY_DEMO } from "./demo-keys.ts";
import type { Handler } from "./serve.ts";
import type { VendorName } from "./vendors.ts";

/** What one delivered callback got back from the app. */
export interface CallbackOutcome {
  status: number;
  body: string;
}

/** A vendor's emulator as the demo drives it. */
export interface VendorHarness {
  /** What the vendor and its credential are. */
  label: string;
  /** The emulator's fetch-style handler, to serve on loopback. */
  handler: Handler;
  /** The REST base URL for the app, given where the emulator is served. */
  apiBaseUrl(emulatorUrl: string): string;
  /** The decoded login credential, as rows to print. */
  decode(token: string): Array<[string, string]>;
  /** How the last REST call the emulator received was authenticated. */
  lastCallAuth(): string;
  /** A vendor error code of its rate limit, played on the next call. */
  rateLimitNext(): string;
  /** The admin REST path the emulator saw last, with its answer code. */
  lastCall(): string;
  /** Sends a correctly signed callback to the app. */
  sendCallback(url: string): Promise<CallbackOutcome>;
  /** Sends a forged callback to the app; says how it was forged. */
  sendForgedCallback(url: string): Promise<CallbackOutcome & { how: string }>;
  /** What step 4 expects of the next call after the clock jump. */
  renewal: string;
  /** For vendors without an admin credential: replays the last signed request, returning the vendor's answer. */
  replayLastRequest?(emulatorUrl: string): Promise<string>;
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
const short = (s: string) => (s.length > 28 ? `${s.slice(0, 24)}... (${s.length} chars)` : s);

function tencentHarness(vendor: "tencent" | "tencent-legacy", clock: Clock): VendorHarness {
  const legacy = vendor === "tencent-legacy";
  const keys = legacy ? TENCENT_LEGACY_DEMO : TENCENT_DEMO;
  const emulator = createTencentEmulator({
    sdkAppId: keys.sdkAppId,
    clock,
    callbackToken: keys.callbackToken,
    ...(legacy
      ? { verifier: ecdsaVerifier({ publicKey: TENCENT_LEGACY_DEMO.publicKey }) }
      : { secretKey: TENCENT_DEMO.secretKey }),
  });
  const decode = (userSig: string) => (legacy ? decodeLegacyUserSig(userSig) : decodeUserSig(userSig));
  let lastUserSig: string | undefined;
  return {
    label: legacy
      ? "Tencent Cloud IM, legacy UserSig (ECDSA-SHA256, P-256 key)"
      : "Tencent Cloud IM, UserSig v2 (HMAC-SHA256)",
    handler: async (request) => {
      lastUserSig = new URL(request.url).searchParams.get("usersig") ?? undefined;
      return emulator.fetch(request);
    },
    renewal: "the provider renewed the admin UserSig before sending",
    apiBaseUrl: (url) => url,
    decode(token) {
      const d = decode(token);
      return [
        ["identifier", d.userId],
        ["sdkappid", String(d.sdkAppId)],
        ["algorithm", legacy ? "ecdsa-sha256 (TLS.sig is a DER ECDSA signature)" : "hmac-sha256"],
        ["issued", iso(d.issuedAt)],
        ["expires", `${iso(d.expiresAt)} (lifetime ${d.expireSeconds} s)`],
      ];
    },
    lastCallAuth() {
      if (!lastUserSig) return "no UserSig";
      const d = decode(lastUserSig);
      return `admin UserSig for "${d.userId}" issued ${iso(d.issuedAt)}, expires ${iso(d.expiresAt)}`;
    },
    lastCall() {
      const c = emulator.calls.at(-1);
      return c ? `${c.path} as ${c.identifier} -> ErrorCode ${c.vendorCode}` : "no call";
    },
    rateLimitNext() {
      emulator.rateLimitNext(1, 60007);
      return "ErrorCode 60007 (rate limited)";
    },
    async sendCallback(url) {
      const result = await emulator.sendCallback(url, {
        command: "State.StateChange",
        body: { Info: { Action: "Login", To_Account: "alice", Reason: "Register" }, EventTime: clock() },
      });
      const body = typeof result.reply === "string" ? result.reply : JSON.stringify(result.reply);
      return { status: result.status, body };
    },
    async sendForgedCallback(url) {
      const forged = signTencentCallback({
        sdkAppId: keys.sdkAppId,
        callbackToken: "a-guessed-token",
        command: "State.StateChange",
        body: { Info: { Action: "Logout", To_Account: "alice", Reason: "Unregister" } },
        url,
        clock,
      });
      const response = await fetch(forged);
      return {
        status: response.status,
        body: await response.text(),
        how: "Sign made with a guessed callback token",
      };
    },
  };
}

function neteaseHarness(clock: Clock): VendorHarness {
  const emulator = createNeteaseEmulator({ ...NETEASE_DEMO, clock });
  return {
    label: "NetEase YunXin (CheckSum request signing, dynamic login token)",
    handler: (request) => emulator.fetch(request),
    renewal: "the next call carried a fresh CheckSum",
    apiBaseUrl: (url) => `${url}nimserver/`,
    decode(token) {
      const d = decodeDynamicToken(token);
      return [
        ["signature", `${d.signature} (SHA-1 of appKey, accid, curTime, ttl, appSecret)`],
        ["issued", iso(d.issuedAt)],
        ["expires", `${iso(d.expiresAt)} (ttl ${d.ttlSeconds} s)`],
      ];
    },
    lastCallAuth() {
      const c = emulator.calls.at(-1);
      if (!c?.curTime) return "no CheckSum";
      return `CheckSum ${c.checkSum?.slice(0, 12)}... with CurTime ${iso(new Date(Number(c.curTime) * 1000))}, Nonce ${c.nonce?.slice(0, 8)}...`;
    },
    lastCall() {
      const c = emulator.calls.at(-1);
      return c ? `${c.method} ${c.path} -> code ${c.vendorCode}` : "no call";
    },
    rateLimitNext() {
      emulator.rateLimitNext(1);
      return "code 416 (rate limited)";
    },
    async sendCallback(url) {
      const result = await emulator.sendCallback(url, {
        eventType: "2",
        body: { accid: "alice", clientType: "WEB", timestamp: clock() },
      });
      const body = typeof result.reply === "string" ? result.reply : JSON.stringify(result.reply);
      return { status: result.status, body };
    },
    async sendForgedCallback(url) {
      const body = JSON.stringify({ eventType: "2", accid: "alice", clientType: "WEB", timestamp: clock() });
      const signed = emulator.signCallback({ body, url });
      const tampered = body.replace('"alice"', '"mallory"');
      const response = await fetch(signed.url, { method: "POST", headers: signed.headers, body: tampered });
      return { status: response.status, body: await response.text(), how: "body changed after signing" };
    },
    async replayLastRequest(emulatorUrl) {
      const c = [...emulator.calls].reverse().find((r) => r.vendorCode === 200);
      if (!c) return "nothing to replay";
      const response = await fetch(`${emulatorUrl}nimserver/${c.path}`, {
        method: "POST",
        headers: {
          AppKey: NETEASE_DEMO.appKey,
          Nonce: c.nonce ?? "",
          CurTime: c.curTime ?? "",
          CheckSum: c.checkSum ?? "",
          "content-type": "application/x-www-form-urlencoded;charset=utf-8",
        },
        body: "accid=replayed",
      });
      const reply = (await response.json()) as { code?: number; desc?: string };
      return `code ${reply.code}: ${reply.desc}`;
    },
  };
}

/** Builds the demo's emulator for `vendor`, on the demo's clock. */
export function createHarness(vendor: VendorName, clock: Clock): VendorHarness {
  return vendor === "netease" ? neteaseHarness(clock) : tencentHarness(vendor, clock);
}

export { short };
