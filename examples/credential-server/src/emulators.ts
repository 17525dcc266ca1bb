// The vendors' side of the demo: their emulators, and what the demo asks of them (play a rate limit, send a
// callback, forge one, tell what admin credential a call carried). This is test scaffolding, not app code.
import { decodeAccessToken } from "@imauth/agora";
import { createAgoraEmulator } from "@imauth/agora/testing";
import type { Clock } from "@imauth/core";
import { createEasemobEmulator, signEasemobCallback } from "@imauth/easemob/testing";
import { decodeLegacyUserSig, ecdsaVerifier } from "@imauth/legacy-ecdsa";
import { decodeDynamicToken } from "@imauth/netease";
import { createNeteaseEmulator } from "@imauth/netease/testing";
import { createRongCloudEmulator, signRongCloudCallback } from "@imauth/rongcloud/testing";
import { decodeUserSig } from "@imauth/tencent";
import { createTencentEmulator, signTencentCallback } from "@imauth/tencent/testing";
import {
  AGORA_DEMO,
  EASEMOB_DEMO,
  NETEASE_DEMO,
  RONGCLOUD_DEMO,
  TENCENT_DEMO,
  TENCENT_LEGACY_DEMO,
} from "./demo-keys.ts";
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
  /** What step 4 says of the admin credential when the clock jumps a day ahead. */
  expiry: string;
  /** What step 4 expects of the next call after the clock jump. */
  renewal: string;
  /** For vendors without an admin credential: replays the last signed request, with the vendor's answer. */
  replayLastRequest?(emulatorUrl: string): Promise<Replay>;
}

/** A signed request sent again after the clock jump, and what the vendor answered. */
export interface Replay {
  /** The vendor's answer, to print. */
  answer: string;
  /** Whether the vendor refused the stale signature. */
  refused: boolean;
  /** What the refusal shows, as the check's wording. */
  expected: string;
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
    expiry: "the admin UserSig cached in step 3 lives 24 h, so it has expired by now",
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
    expiry:
      "NetEase has no admin credential: every request carries a fresh CheckSum (AppSecret + Nonce + CurTime).",
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
      return `a CheckSum made with CurTime ${iso(new Date(Number(c.curTime) * 1000))}, Nonce ${c.nonce?.slice(0, 8)}...`;
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
      const expected = "a stale CheckSum is refused";
      if (!c) return { answer: "nothing to replay", refused: false, expected };
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
      return { answer: `code ${reply.code}: ${reply.desc}`, refused: reply.code === 414, expected };
    },
  };
}

/** The bearer token of a request, if any. */
function bearerOf(request: Request): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "");
  return match?.[1];
}

function agoraHarness(clock: Clock): VendorHarness {
  const { appId, appCertificate, ncsSecret, orgName, appName } = AGORA_DEMO;
  const emulator = createAgoraEmulator({ appId, appCertificate, ncsSecret, orgName, appName, clock });
  let lastBearer: string | undefined;
  return {
    label: "Agora Chat (AccessToken2 user token, app token as REST bearer, NCS callbacks)",
    handler: async (request) => {
      lastBearer = bearerOf(request) ?? lastBearer;
      return emulator.fetch(request);
    },
    expiry: "the Chat app token cached in step 3 (the REST bearer) lives 24 h, so it has expired by now",
    renewal: "the provider made a new app token before sending",
    apiBaseUrl: (url) => url,
    decode(token) {
      const d = decodeAccessToken(token);
      const rows: Array<[string, string]> = [
        ["version", `${d.version} (AccessToken2: HMAC-SHA256 with the App Certificate)`],
        ["appId", d.appId],
      ];
      for (const service of d.services) {
        const privileges = Object.entries(service.privileges)
          .map(([name, p]) => `${name} until ${p.expiresAt ? iso(p.expiresAt) : "(no expiry)"}`)
          .join(", ");
        rows.push(["service", `${service.name} for "${service.userId ?? ""}": ${privileges}`]);
      }
      rows.push(["issued", iso(d.issuedAt)]);
      rows.push(["expires", `${d.expiresAt ? iso(d.expiresAt) : "never"} (lifetime ${d.expireSeconds} s)`]);
      return rows;
    },
    lastCallAuth() {
      if (!lastBearer) return "no bearer";
      const d = decodeAccessToken(lastBearer);
      const expires = d.expiresAt ? iso(d.expiresAt) : "never";
      return `bearer Chat app token issued ${iso(d.issuedAt)}, expires ${expires}`;
    },
    lastCall() {
      const c = emulator.calls.at(-1);
      return c ? `${c.method} ${c.path} -> HTTP ${c.status}${c.error ? ` ${c.error}` : ""}` : "no call";
    },
    rateLimitNext() {
      emulator.rateLimitNext(1);
      return "HTTP 429 reach_limit (rate limited)";
    },
    async sendCallback(url) {
      // An RTC channel event of the Notification Center: a broadcaster joined.
      const result = await emulator.sendCallback(url, {
        productId: 1,
        eventType: 103,
        payload: { channelName: "room-1", uid: 42, platform: 7, ts: Math.floor(clock() / 1000) },
      });
      const body = typeof result.reply === "string" ? result.reply : JSON.stringify(result.reply);
      return { status: result.status, body };
    },
    async sendForgedCallback(url) {
      const signed = emulator.signCallback({ url, productId: 1, eventType: 103, payload: { uid: 42 } });
      const tampered = (await signed.text()).replace('"uid":42', '"uid":666');
      const response = await fetch(signed.url, { method: "POST", headers: signed.headers, body: tampered });
      return { status: response.status, body: await response.text(), how: "body changed after signing" };
    },
  };
}

function rongCloudHarness(clock: Clock): VendorHarness {
  const emulator = createRongCloudEmulator({ ...RONGCLOUD_DEMO, clock });
  return {
    label: "RongCloud (Signature request signing, server-issued user token)",
    handler: (request) => emulator.fetch(request),
    expiry:
      "RongCloud has no admin credential: every request carries a fresh Signature (AppSecret + Nonce + Timestamp).",
    renewal: "the next call carried a fresh Nonce, Timestamp and Signature",
    apiBaseUrl: (url) => url,
    decode(token) {
      const [, navigation] = token.split("@");
      return [
        ["token", "opaque: issued by RongCloud's server (user/getToken.json), nothing in it to decode"],
        ["navigation", navigation ? `${navigation} (what follows the "@")` : "(none)"],
        ["expires", "never, unless the console sets a lifetime: the expiresAt the app returns is a hint"],
      ];
    },
    lastCallAuth() {
      const c = emulator.calls.at(-1);
      if (!c?.timestamp) return "no Signature";
      return `a Signature made with Timestamp ${iso(new Date(Number(c.timestamp)))}, Nonce ${c.nonce}`;
    },
    lastCall() {
      const c = emulator.calls.at(-1);
      return c ? `${c.method} ${c.path} -> code ${c.vendorCode}` : "no call";
    },
    rateLimitNext() {
      emulator.rateLimitNext(1);
      return "code 1008 (HTTP 429, rate limited)";
    },
    async sendCallback(url) {
      // A user status callback: alice came online.
      const result = await emulator.sendCallback(url, {
        body: { userid: "alice", status: "0", os: "Web", time: String(clock()) },
      });
      const body = typeof result.reply === "string" ? result.reply : JSON.stringify(result.reply);
      return { status: result.status, body };
    },
    async sendForgedCallback(url) {
      // RongCloud signs the query, not the body: a forger has to guess the App Secret.
      const forged = signRongCloudCallback({
        appSecret: "a-guessed-secret",
        body: { userid: "alice", status: "1", os: "Web", time: String(clock()) },
        url,
        clock,
      });
      const response = await fetch(forged);
      return {
        status: response.status,
        body: await response.text(),
        how: "signature made with a guessed App Secret",
      };
    },
    async replayLastRequest(emulatorUrl) {
      const c = [...emulator.calls].reverse().find((r) => r.vendorCode === 200);
      const expected = "a stale Signature is refused";
      if (!c) return { answer: "nothing to replay", refused: false, expected };
      const response = await fetch(new URL(c.path, emulatorUrl), {
        method: "POST",
        headers: {
          "App-Key": RONGCLOUD_DEMO.appKey,
          Nonce: c.nonce ?? "",
          Timestamp: c.timestamp ?? "",
          Signature: c.signature ?? "",
          "content-type": "application/x-www-form-urlencoded;charset=utf-8",
        },
        body: "userId=replayed",
      });
      const reply = (await response.json()) as { code?: number; errorMessage?: string };
      return {
        answer: `code ${reply.code}: ${reply.errorMessage}`,
        refused: reply.code === 1004,
        expected,
      };
    },
  };
}

function easemobHarness(clock: Clock): VendorHarness {
  const { orgName, appName, clientId, clientSecret, callbackSecret } = EASEMOB_DEMO;
  const emulator = createEasemobEmulator({ orgName, appName, clientId, clientSecret, callbackSecret, clock });
  // Easemob's tokens are opaque: what the token endpoint answered tells when each one expires.
  const issued = new Map<string, { issuedAt: Date; expiresAt: Date }>();
  let lastBearer: string | undefined;
  return {
    label: "Easemob (OAuth app token as REST bearer, user token from the inherit grant)",
    async handler(request) {
      lastBearer = bearerOf(request) ?? lastBearer;
      const response = await emulator.fetch(request);
      if (response.ok && new URL(request.url).pathname.endsWith("/token")) {
        const answer = (await response.clone().json()) as { access_token?: string; expires_in?: number };
        if (answer.access_token && typeof answer.expires_in === "number") {
          const now = clock();
          issued.set(answer.access_token, {
            issuedAt: new Date(now),
            expiresAt: new Date(now + answer.expires_in * 1000),
          });
        }
      }
      return response;
    },
    expiry: "the app token cached since step 1 (the REST bearer) lives 24 h, so it has expired by now",
    renewal: "the provider fetched a new app token before sending",
    apiBaseUrl: (url) => url,
    decode(token) {
      const life = issued.get(token);
      return [
        ["token", `opaque: issued by Easemob's token endpoint (grant_type "inherit"), ${token.length} chars`],
        ["issued", life ? iso(life.issuedAt) : "?"],
        ["expires", life ? `${iso(life.expiresAt)} (expires_in from Easemob's answer)` : "?"],
      ];
    },
    lastCallAuth() {
      if (!lastBearer) return "no bearer";
      const life = issued.get(lastBearer);
      const when = life
        ? `issued ${iso(life.issuedAt)}, expires ${iso(life.expiresAt)}`
        : "unknown to the demo";
      return `bearer app token ${when}`;
    },
    lastCall() {
      const c = emulator.calls.at(-1);
      if (!c) return "no call";
      const note =
        c.error === "duplicate_unique_property_exists"
          ? " (the user exists already: the inherit grant of step 1 created it)"
          : "";
      return `${c.method} ${c.path} -> HTTP ${c.status}${c.error ? ` ${c.error}` : ""}${note}`;
    },
    rateLimitNext() {
      emulator.failNext(1, { status: 429 });
      return "HTTP 429 reach_limit (rate limited)";
    },
    async sendCallback(url) {
      // A post-send callback: alice sent bob a text message.
      const result = await emulator.sendCallback(url, {
        kind: "post-send",
        body: {
          chat_type: "chat",
          from: "alice",
          to: "bob",
          msg_id: "1234567890",
          payload: { bodies: [{ msg: "hello", type: "txt" }], ext: {} },
        },
      });
      const body = typeof result.reply === "string" ? result.reply : JSON.stringify(result.reply);
      return { status: result.status, body };
    },
    async sendForgedCallback(url) {
      // Easemob's security covers callId, Secret and timestamp, not the body: a forger has to guess the Secret.
      const forged = signEasemobCallback({
        appKey: `${orgName}#${appName}`,
        secret: "a-guessed-secret",
        body: {
          chat_type: "chat",
          from: "mallory",
          to: "bob",
          payload: { bodies: [{ msg: "hi", type: "txt" }] },
        },
        url,
        clock,
      });
      const response = await fetch(forged);
      return {
        status: response.status,
        body: await response.text(),
        how: "security made with a guessed Secret",
      };
    },
  };
}

/** Builds the demo's emulator for `vendor`, on the demo's clock. */
export function createHarness(vendor: VendorName, clock: Clock): VendorHarness {
  switch (vendor) {
    case "tencent":
    case "tencent-legacy":
      return tencentHarness(vendor, clock);
    case "netease":
      return neteaseHarness(clock);
    case "agora":
      return agoraHarness(clock);
    case "rongcloud":
      return rongCloudHarness(clock);
    case "easemob":
      return easemobHarness(clock);
  }
}

export { short };
