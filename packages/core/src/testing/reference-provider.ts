// The reference provider: a test double, not a vendor. HMAC-SHA256 (Web Crypto) tokens, a nonce header for
// requests and a signed header for callbacks, built only from core's public pieces. It drives core's own
// tests (the conformance suite, the HTTP client) in every runtime, and shows an adapter author the smallest
// provider that passes the conformance suite.
import { readClock } from "../clock.js";
import { constantTimeEqual } from "../encoding/constant-time.js";
import { hexEncode } from "../encoding/hex.js";
import { utf8Decode, utf8Encode } from "../encoding/utf8.js";
import { ImAuthError } from "../errors.js";
import { randomHex } from "../random.js";
import { refuseRoomScope } from "../room.js";
import { redactable } from "../secret.js";
import type { Clock, ImAuthProvider, ImCredential, RawWebhook } from "../types.js";
import { assertInteger, assertNonEmptyString, assertOptionsObject, assertUserId } from "../validate.js";
import { readWebhook } from "../webhook.js";
import type { ConformanceHarness } from "./conformance.js";

/** Age after which the reference provider refuses a callback, in milliseconds. */
const REFERENCE_MAX_AGE_MS = 300_000;

/**
 * Options of {@link createReferenceProvider}.
 *
 * @example
 * ```ts
 * const options: ReferenceProviderOptions = { appId: "app-1", secret: "reference-secret", clock: () => 0 };
 * ```
 */
export interface ReferenceProviderOptions {
  /** The application ID put in every credential. */
  appId: string;
  /** The HMAC key of tokens, requests and callbacks. */
  secret: string;
  /** Epoch milliseconds; default `Date.now`. */
  clock?: Clock;
}

async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    utf8Encode(secret) as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, utf8Encode(text) as Uint8Array<ArrayBuffer>);
  return hexEncode(new Uint8Array(mac));
}

/**
 * A test double: the smallest `ImAuthProvider` that passes the conformance suite, with no vendor behind it.
 * Tokens are `appId:userId:issuedAtSeconds:ttlSeconds:hmac`; signed requests carry `x-nonce`, `x-time` and
 * `x-signature` headers; callbacks carry `X-Time` (ms) and `X-Signature` = HMAC of `time.body`. Use it to
 * test code written against `ImAuthProvider` (an HTTP client, a credential endpoint) without a vendor, and
 * with {@link verifyReferenceRequest} and {@link referenceConformanceHarness}. Never use it in production.
 *
 * @example
 * ```ts
 * import { createReferenceProvider } from "@imauth/core/testing";
 *
 * const provider = createReferenceProvider({ appId: "app-1", secret: "test-secret", clock: () => 1_700_000_000_000 });
 * const credential = await provider.issueCredential("alice", { ttlSeconds: 60 });
 * ```
 */
export function createReferenceProvider(options: ReferenceProviderOptions): ImAuthProvider {
  assertOptionsObject(options, "createReferenceProvider options", "ERR_INVALID_CONFIG");
  assertNonEmptyString(options.appId, "appId");
  assertNonEmptyString(options.secret, "secret");
  const { appId, secret, clock } = options;
  const provider: ImAuthProvider = {
    vendor: "reference",
    issueCredential: async (userId, opts = {}) => {
      refuseRoomScope(opts.room, "reference", "the reference vendor has no audio/video rooms");
      return issueReferenceToken(appId, secret, clock, userId, opts.ttlSeconds);
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
    verifyWebhook: (input) => verifyReferenceWebhook(input, secret, clock),
  };
  return redactable(provider, "ReferenceProvider");
}

async function issueReferenceToken(
  appId: string,
  secret: string,
  clock: Clock | undefined,
  userId: string,
  ttl: number | undefined,
): Promise<ImCredential> {
  assertUserId(userId, { maxBytes: 32 });
  const ttlSeconds = ttl ?? 86_400;
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
}

async function verifyReferenceWebhook(input: Request | RawWebhook, secret: string, clock: Clock | undefined) {
  const { headers, body } = await readWebhook(input);
  const time = headers.get("x-time") ?? "";
  if (!/^\d{1,16}$/.test(time)) throw new ImAuthError("ERR_WEBHOOK_INVALID", "x-time header is missing");
  const rawBody = utf8Decode(body, false);
  const expected = await hmacHex(secret, `${time}.${rawBody}`);
  if (!constantTimeEqual(expected, headers.get("x-signature") ?? "")) {
    throw new ImAuthError("ERR_WEBHOOK_INVALID", "signature mismatch");
  }
  if (Math.abs(readClock(clock) - Number(time)) > REFERENCE_MAX_AGE_MS) {
    throw new ImAuthError("ERR_WEBHOOK_EXPIRED", "callback is too old");
  }
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    payload = undefined;
  }
  return { vendor: "reference", receivedAt: new Date(Number(time)), payload, rawBody, details: {} };
}

async function verifyReferenceToken(token: string, secret: string, clock: Clock): Promise<void> {
  const parts = token.split(":");
  if (parts.length !== 5) throw new ImAuthError("ERR_MALFORMED_CREDENTIAL", "token has the wrong shape");
  if (!constantTimeEqual(await hmacHex(secret, parts.slice(0, 4).join(":")), parts[4]!)) {
    throw new ImAuthError("ERR_SIGNATURE_INVALID", "token signature mismatch");
  }
  if (clock() / 1000 > Number(parts[2]) + Number(parts[3])) {
    throw new ImAuthError("ERR_CREDENTIAL_EXPIRED", "token expired");
  }
}

/**
 * Checks a request signed by a {@link createReferenceProvider} provider with `secret`; throws `ImAuthError`
 * `ERR_SIGNATURE_INVALID` when the signature headers are missing or wrong. The reference provider's side of
 * a server, for tests.
 *
 * @example
 * ```ts
 * await verifyReferenceRequest(await provider.signRequest(new Request("https://api.example/x")), "test-secret");
 * ```
 */
export async function verifyReferenceRequest(request: Request, secret: string): Promise<void> {
  const nonce = request.headers.get("x-nonce") ?? "";
  const time = request.headers.get("x-time") ?? "";
  if (!constantTimeEqual(await hmacHex(secret, nonce + time), request.headers.get("x-signature") ?? "")) {
    throw new ImAuthError("ERR_SIGNATURE_INVALID", "request signature mismatch");
  }
}

async function signReferenceWebhook(secret: string, body: string, nowMs: number): Promise<RawWebhook> {
  return {
    url: "https://app.example.com/callback?x=1",
    headers: { "X-Time": String(nowMs), "X-Signature": await hmacHex(secret, `${nowMs}.${body}`) },
    body,
  };
}

/**
 * The conformance harness of the reference provider (a test double), which passes every check: the suite's
 * own baseline. `wrap` turns the provider into a deliberately broken one, to show that a check fails it.
 *
 * @example
 * ```ts
 * const results = await runProviderConformance(referenceConformanceHarness({ secret: "reference-secret-value" }));
 * ```
 */
export function referenceConformanceHarness(
  options: { secret?: string; wrap?: (provider: ImAuthProvider) => ImAuthProvider } = {},
): ConformanceHarness {
  const { secret = "reference-secret-value-0123456789", wrap = (p) => p } = options;
  return {
    name: "reference",
    createProvider: (clock) => wrap(createReferenceProvider({ appId: "app-1", secret, clock })),
    secrets: [secret],
    verifyCredential: (c, clock) => verifyReferenceToken(c.token, secret, clock),
    defaultTtlSeconds: 86_400,
    maxUserIdLength: 32,
    sampleRequest: () =>
      new Request("https://api.example.com/v1/users?page=2&tag=a&tag=b", {
        method: "PUT",
        headers: { "content-type": "application/json", "x-app": "demo" },
        body: JSON.stringify({ id: "alice", name: "Ålice 世界" }),
      }),
    verifySignedRequest: (request) => verifyReferenceRequest(request, secret),
    signWebhook: ({ body, nowMs, wrongSecret }) =>
      signReferenceWebhook(wrongSecret ? `${secret}-wrong` : secret, body, nowMs),
    maxWebhookAgeMs: REFERENCE_MAX_AGE_MS,
    invalidConfigs: [
      () => createReferenceProvider({ appId: "", secret }),
      () => createReferenceProvider({ appId: "a", secret: 42 as unknown as string }),
      () => createReferenceProvider(undefined as never),
    ],
    rooms: "unsupported",
  };
}
