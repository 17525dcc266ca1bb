// A minimal provider used to exercise the conformance suite: HMAC-SHA256 (Web Crypto) tokens, a nonce header
// for requests and a signed header for callbacks. Not a vendor; only a test double.
import {
  assertInteger,
  assertNonEmptyString,
  assertUserId,
  type Clock,
  constantTimeEqual,
  hexEncode,
  ImAuthError,
  type ImAuthProvider,
  randomHex,
  readClock,
  readWebhook,
  redactable,
  utf8Decode,
  utf8Encode,
} from "../src/index.js";

export const REFERENCE_MAX_AGE_MS = 300_000;

export async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    utf8Encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return hexEncode(new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8Encode(text))));
}

export interface ReferenceOptions {
  appId: string;
  secret: string;
  clock?: Clock;
}

export function createReferenceProvider(options: ReferenceOptions): ImAuthProvider {
  assertNonEmptyString(options?.appId, "appId");
  assertNonEmptyString(options?.secret, "secret");
  const { appId, secret, clock } = options;
  return redactable(
    {
      vendor: "reference",
      async issueCredential(userId: string, opts: { ttlSeconds?: number } = {}) {
        assertUserId(userId, { maxBytes: 32 });
        const ttlSeconds = opts.ttlSeconds ?? 86_400;
        assertInteger(ttlSeconds, "ttlSeconds", { min: 1, max: 31_536_000 });
        const nowMs = readClock(clock);
        const issuedAt = Math.floor(nowMs / 1000);
        const body = `${appId}:${userId}:${issuedAt}:${ttlSeconds}`;
        const token = `${body}:${await hmacHex(secret, body)}`;
        return {
          vendor: "reference",
          appId,
          userId,
          token,
          issuedAt: new Date(issuedAt * 1000),
          expiresAt: new Date((issuedAt + ttlSeconds) * 1000),
        };
      },
      async signRequest(request: Request) {
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
      async verifyWebhook(input: Request | { url: string; headers: any; body: string | Uint8Array }) {
        const { headers, body } = await readWebhook(input);
        const time = headers.get("x-time") ?? "";
        const sig = headers.get("x-signature") ?? "";
        if (!/^\d{1,16}$/.test(time))
          throw new ImAuthError("ERR_WEBHOOK_INVALID", "x-time header is missing");
        const expected = await hmacHex(secret, `${time}.${utf8Decode(body, false)}`);
        if (!constantTimeEqual(expected, sig))
          throw new ImAuthError("ERR_WEBHOOK_INVALID", "signature mismatch");
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
    },
    "ReferenceProvider",
  );
}

export async function verifyReferenceToken(token: string, secret: string, clock: Clock): Promise<void> {
  const parts = token.split(":");
  if (parts.length !== 5) throw new ImAuthError("ERR_MALFORMED_CREDENTIAL", "token has the wrong shape");
  const body = parts.slice(0, 4).join(":");
  if (!constantTimeEqual(await hmacHex(secret, body), parts[4]!)) {
    throw new ImAuthError("ERR_SIGNATURE_INVALID", "token signature mismatch");
  }
  if (clock() / 1000 > Number(parts[2]) + Number(parts[3])) {
    throw new ImAuthError("ERR_CREDENTIAL_EXPIRED", "token expired");
  }
}

export async function verifyReferenceRequest(request: Request, secret: string): Promise<void> {
  const nonce = request.headers.get("x-nonce") ?? "";
  const time = request.headers.get("x-time") ?? "";
  const expected = await hmacHex(secret, nonce + time);
  if (!constantTimeEqual(expected, request.headers.get("x-signature") ?? "")) {
    throw new ImAuthError("ERR_SIGNATURE_INVALID", "request signature mismatch");
  }
}

export async function signReferenceWebhook(secret: string, body: string, nowMs: number) {
  return {
    url: "https://app.example.com/callback?x=1",
    headers: { "X-Time": String(nowMs), "X-Signature": await hmacHex(secret, `${nowMs}.${body}`) },
    body,
  };
}
