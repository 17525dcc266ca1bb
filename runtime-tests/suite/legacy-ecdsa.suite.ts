// @imauth/legacy-ecdsa: every runtime export, against the built package, with UserSigs made by the official
// v1 library (secp256k1 and P-256, PKCS#8 and SEC1 keys) and two historic signatures.
import { runProviderConformance } from "@imauth/core/testing";
import {
  createLegacyTencentProvider,
  DEFAULT_LEGACY_EXPIRE_SECONDS,
  decodeLegacyUserSig,
  ecdsaSigner,
  ecdsaVerifier,
  genLegacyUserSig,
  importLegacyPrivateKey,
  importLegacyPublicKey,
  LEGACY_VENDOR,
  verifyLegacyUserSig,
} from "@imauth/legacy-ecdsa";
import { createTencentProvider } from "@imauth/tencent";
import { createTencentImClient } from "@imauth/tencent/client";
import { createTencentEmulator, signTencentCallback } from "@imauth/tencent/testing";
import v from "../../vectors/tencent-legacy-ecdsa.json";
import { assert, equal, fixedClock, rejects, suite, throws } from "./harness.js";

const test = suite("@imauth/legacy-ecdsa");
const vectors = v.generatedByOfficial;
const p256 = vectors.find((x) => x.name === "p256_pkcs8/xiaojun")!;
const k1 = vectors.find((x) => x.name === "secp256k1_sec1_params/xiaojun")!;

test("verifyLegacyUserSig and decodeLegacyUserSig accept every official UserSig", async () => {
  for (const x of vectors) {
    const clock = fixedClock(x.nowSeconds * 1000);
    const userBuf = x.userBufUtf8 ?? null;
    const ok = await verifyLegacyUserSig(x.userSig, {
      sdkAppId: x.sdkAppId,
      publicKey: x.publicKeyPem,
      userId: x.userId,
      userBuf,
      clock,
    });
    equal(
      [ok.userId, ok.sdkAppId, ok.issuedAtSeconds, ok.expireSeconds],
      [x.userId, x.sdkAppId, x.nowSeconds, x.expireSeconds],
      x.name,
    );
    const d = decodeLegacyUserSig(x.userSig);
    equal(
      [d.algorithm, d.userId, d.expiresAt.getTime()],
      ["ecdsa-sha256", x.userId, (x.nowSeconds + x.expireSeconds) * 1000],
      `${x.name} decoded`,
    );
  }
  for (const h of v.historic) {
    const d = decodeLegacyUserSig(h.userSig);
    equal(
      [d.signedText, d.expiresAt.getTime()],
      [h.signedContent, h.expiresAtSeconds * 1000],
      `${h.name} decoded`,
    );
    await verifyLegacyUserSig(h.userSig, {
      sdkAppId: h.sdkAppId,
      publicKey: h.publicKeyPem,
      userId: h.userId,
      clock: fixedClock(d.issuedAt.getTime()),
    });
  }
});

test("verifyLegacyUserSig refuses other keys, apps, users, userbufs and expired UserSigs", async () => {
  const base = {
    sdkAppId: p256.sdkAppId,
    publicKey: p256.publicKeyPem,
    clock: fixedClock(p256.nowSeconds * 1000),
  };
  await rejects(
    () => verifyLegacyUserSig(p256.userSig, { ...base, publicKey: k1.publicKeyPem }),
    "ERR_SIGNATURE_INVALID",
    "other key",
  );
  await rejects(
    () => verifyLegacyUserSig(p256.userSig, { ...base, sdkAppId: 1400000001 }),
    "ERR_APP_MISMATCH",
    "other app",
  );
  await rejects(
    () => verifyLegacyUserSig(p256.userSig, { ...base, userId: "bob" }),
    "ERR_USER_MISMATCH",
    "other user",
  );
  await rejects(
    () => verifyLegacyUserSig(p256.userSig, { ...base, userBuf: "abc" }),
    "ERR_USERBUF_MISMATCH",
    "userbuf",
  );
  const late = fixedClock((p256.nowSeconds + p256.expireSeconds + 1) * 1000);
  await rejects(
    () => verifyLegacyUserSig(p256.userSig, { ...base, clock: late }),
    "ERR_CREDENTIAL_EXPIRED",
    "expired",
  );
  throws(
    () => decodeLegacyUserSig("eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLB"),
    "ERR_MALFORMED_CREDENTIAL",
    "truncated",
  );
});

test("importLegacyPrivateKey/importLegacyPublicKey read the curve from the key, not the EC PARAMETERS block", () => {
  const expected: Record<string, [string, string]> = {
    "secp256k1_sec1_params/xiaojun": ["secp256k1", "sec1"],
    "p256_pkcs8/xiaojun": ["P-256", "pkcs8"],
    "p256_sec1_misleading_params/admin": ["P-256", "sec1"],
  };
  for (const [name, [curve, form]] of Object.entries(expected)) {
    const x = vectors.find((y) => y.name === name)!;
    const key = importLegacyPrivateKey(x.privateKeyPem);
    equal([key.curve, key.form, key.publicKeyPem.trim()], [curve, form, x.publicKeyPem.trim()], name);
    equal(importLegacyPublicKey(x.publicKeyPem).curve, curve, `${name} public key`);
    const shown = Object.keys(JSON.parse(JSON.stringify(key)) as object);
    assert(
      shown.every((k) => ["curve", "form", "publicKeyPem", "algorithm"].includes(k)),
      `JSON shows ${shown}`,
    );
    assert(!String(key).includes("PRIVATE"), "String() shows no private key");
  }
  throws(
    () => importLegacyPrivateKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
    "ERR_INVALID_CONFIG",
    "garbage key",
  );
});

test("genLegacyUserSig makes UserSigs the verifier accepts, on both curves, with a userbuf", async () => {
  for (const x of [k1, p256]) {
    const clock = fixedClock(1_700_000_000_000);
    const sig = await genLegacyUserSig({
      sdkAppId: x.sdkAppId,
      privateKey: x.privateKeyPem,
      userId: "alice",
      userBuf: "room:42",
      clock,
    });
    const ok = await verifyLegacyUserSig(sig, {
      sdkAppId: x.sdkAppId,
      publicKey: x.publicKeyPem,
      userId: "alice",
      userBuf: "room:42",
      clock,
    });
    equal(ok.expireSeconds, DEFAULT_LEGACY_EXPIRE_SECONDS, "default lifetime");
  }
  equal(DEFAULT_LEGACY_EXPIRE_SECONDS, 180 * 86_400, "180 days, as the official libraries");
  await rejects(
    () => genLegacyUserSig({ sdkAppId: 1400000000, privateKey: p256.privateKeyPem, userId: "" }),
    "ERR_INVALID_INPUT",
    "empty userId",
  );
});

test("ecdsaSigner/ecdsaVerifier plug into @imauth/tencent's provider, client and emulator", async () => {
  const clock = fixedClock(1_700_000_000_000);
  const sdkAppId = p256.sdkAppId;
  const signer = ecdsaSigner({ privateKey: p256.privateKeyPem });
  equal(signer.algorithm, ecdsaVerifier({ publicKey: p256.publicKeyPem }).algorithm, "one algorithm name");
  const provider = createTencentProvider({ sdkAppId, signer, vendor: LEGACY_VENDOR, clock });
  const emulator = createTencentEmulator({
    sdkAppId,
    verifier: ecdsaVerifier({ publicKey: signer.publicKeyPem }),
    clock,
  });
  const client = createTencentImClient(provider, {
    fetch: emulator.fetch as typeof fetch,
    sleep: async () => {},
  });
  await client.importAccount({ userId: "alice" });
  assert(emulator.accounts.has("alice"), "legacy-signed REST call accepted");
  const other = createTencentEmulator({
    sdkAppId,
    verifier: ecdsaVerifier({ publicKey: k1.publicKeyPem }),
    clock,
  });
  const refused = createTencentImClient(provider, {
    fetch: other.fetch as typeof fetch,
    sleep: async () => {},
    retryLimit: 0,
  });
  await rejects(
    () => refused.importAccount({ userId: "bob" }),
    "ERR_VENDOR_API",
    "another key's emulator refuses",
  );
});

test("createLegacyTencentProvider passes the core conformance suite", async () => {
  const sdkAppId = p256.sdkAppId;
  const callbackToken = "legacy-callback-token";
  const results = await runProviderConformance({
    name: "tencent-legacy",
    createProvider: (clock) =>
      createLegacyTencentProvider({ sdkAppId, privateKey: p256.privateKeyPem, callbackToken, clock }),
    secrets: [p256.privateKeyPem.split("\n")[1]!, callbackToken],
    verifyCredential: async (c, clock) => {
      await verifyLegacyUserSig(c.token, { sdkAppId, publicKey: p256.publicKeyPem, userId: c.userId, clock });
    },
    defaultTtlSeconds: DEFAULT_LEGACY_EXPIRE_SECONDS,
    maxUserIdLength: 32,
    sampleRequest: () =>
      new Request("https://console.tim.qq.com/v4/im_open_login_svc/account_import?trace=1", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ UserID: "conformance-user" }),
      }),
    async verifySignedRequest(request, clock) {
      const emulator = createTencentEmulator({
        sdkAppId,
        verifier: ecdsaVerifier({ publicKey: p256.publicKeyPem }),
        clock,
      });
      const answer = (await (await emulator.fetch(request)).json()) as { ErrorCode: number };
      if (answer.ErrorCode !== 0) throw new Error(`emulator refused: ${answer.ErrorCode}`);
    },
    async signWebhook({ body, nowMs, wrongSecret }) {
      const request = signTencentCallback({
        sdkAppId,
        callbackToken: wrongSecret ? "wrong" : callbackToken,
        command: "State.StateChange",
        body,
        clock: fixedClock(nowMs),
      });
      return { url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() };
    },
    tamperWebhook: (w) => {
      const url = new URL(w.url);
      url.searchParams.set("Sign", "0".repeat(64));
      return [{ ...w, url: url.toString() }];
    },
    maxWebhookAgeMs: 60_000,
    // The ECDSA signer cannot make TRTC PrivateMapKeys: the provider refuses room scopes.
    rooms: "unsupported",
    invalidConfigs: [() => createLegacyTencentProvider({ sdkAppId, privateKey: "not a key" })],
  });
  const failed = results.filter((r) => !r.ok);
  equal(
    failed.map((r) => `${r.name}: ${String(r.error)}`),
    [],
    "failed checks",
  );
  equal(LEGACY_VENDOR, "tencent-legacy", "vendor name");
});
