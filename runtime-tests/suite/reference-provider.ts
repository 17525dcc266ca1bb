// A minimal provider (HMAC-SHA256 through Web Crypto) to drive the conformance suite and the HTTP client in
// every runtime. Not a vendor; a test double built only from @imauth/core's public API.
import {
  assertInteger,
  assertNonEmptyString,
  assertUserId,
  type Clock,
  constantTimeEqual,
  hexEncode,
  ImAuthError,
  type ImAuthProvider,
  type RawWebhook,
  randomHex,
  readClock,
  readWebhook,
  redactable,
  utf8Decode,
  utf8Encode,
} from "@imauth/core";

export const REFERENCE_MAX_AGE_MS = 300_000;

export async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    utf8Encode(secret) as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return hexEncode(
    new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8Encode(text) as Uint8Array<ArrayBuffer>)),
  );
}

export function createReferenceProvider(options: { appId: string; secret: string; clock?: Clock }) {
  assertNonEmptyString(options?.appId, "appId");
  assertNonEmptyString(options?.secret, "secret");
  const { appId, secret, clock } = options;
  const provider: ImAuthProvider = {
    vendor: "reference",
    async issueCredential(userId, opts = {}) {
      assertUserId(userId, { maxBytes: 32 });
      const ttlSeconds = opts.ttlSeconds ?? 86_400;
      assertInteger(ttlSeconds, "ttlSeconds", { min: 1, max: 31_536_000 });
      const issuedAt = Math.floor(readClock(clock) / 1000);
      const body = `${appId}:${userId}:${issuedAt}:${ttlSeconds}`;
      return {
        vendor: "reference",
        appId,
        userId,
        token: `${body}:${await hmacHex(secret, body)}`,
        issuedAt: new Date(issuedAt * 1000),
        expiresAt: new Date((issuedAt + ttlSeconds) * 1000),
      };
    },
    async signRequest(request) {
      if (!(request instanceof Request))
        throw new ImAuthError("ERR_INVALID_INPUT", "request must be a Request");
      const nonce = randomHex(16);
      const time = String(Math.floor(readClock(clock) / 1000));
      const signed = new Request(request);
      signed.headers.set("x-nonce", nonce);
      signed.headers.set("x-time", time);
      signed.headers.set("x-signature", await hmacHex(secret, nonce + time));
      return signed;
    },
    async verifyWebhook(input) {
      const { headers, body } = await readWebhook(input);
      const time = headers.get("x-time") ?? "";
      if (!/^\d{1,16}$/.test(time)) throw new ImAuthError("ERR_WEBHOOK_INVALID", "x-time header is missing");
      const expected = await hmacHex(secret, `${time}.${utf8Decode(body, false)}`);
      if (!constantTimeEqual(expected, headers.get("x-signature") ?? "")) {
        throw new ImAuthError("ERR_WEBHOOK_INVALID", "signature mismatch");
      }
      if (Math.abs(readClock(clock) - Number(time)) > REFERENCE_MAX_AGE_MS) {
        throw new ImAuthError("ERR_WEBHOOK_EXPIRED", "callback is too old");
      }
      const rawBody = utf8Decode(body, false);
      let payload: unknown;
      try {
        payload = JSON.parse(rawBody);
      } catch {
        payload = undefined;
      }
      return { vendor: "reference", receivedAt: new Date(Number(time)), payload, rawBody, details: {} };
    },
  };
  return redactable(provider, "ReferenceProvider");
}

export async function verifyReferenceToken(token: string, secret: string, clock: Clock): Promise<void> {
  const parts = token.split(":");
  if (parts.length !== 5) throw new ImAuthError("ERR_MALFORMED_CREDENTIAL", "token has the wrong shape");
  if (!constantTimeEqual(await hmacHex(secret, parts.slice(0, 4).join(":")), parts[4]!)) {
    throw new ImAuthError("ERR_SIGNATURE_INVALID", "token signature mismatch");
  }
  if (clock() / 1000 > Number(parts[2]) + Number(parts[3])) {
    throw new ImAuthError("ERR_CREDENTIAL_EXPIRED", "token expired");
  }
}

export async function verifyReferenceRequest(request: Request, secret: string): Promise<void> {
  const expected = await hmacHex(
    secret,
    (request.headers.get("x-nonce") ?? "") + (request.headers.get("x-time") ?? ""),
  );
  if (!constantTimeEqual(expected, request.headers.get("x-signature") ?? "")) {
    throw new ImAuthError("ERR_SIGNATURE_INVALID", "request signature mismatch");
  }
}

export async function signReferenceWebhook(secret: string, body: string, nowMs: number): Promise<RawWebhook> {
  return {
    url: "https://app.example.com/callback?x=1",
    headers: { "X-Time": String(nowMs), "X-Signature": await hmacHex(secret, `${nowMs}.${body}`) },
    body,
  };
}
