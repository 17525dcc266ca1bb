import { inspect } from "node:util";
import { isImAuthError, Secret } from "@imauth/core";
import { describe, expect, it } from "vitest";
import { createTencentProvider, DEFAULT_ADMIN_USERSIG_TTL_SECONDS } from "../src/provider.js";
import { TENCENT_REGIONS } from "../src/regions.js";
import { hmacSigner, type UserSigSigner, type UserSigSignInput } from "../src/signer.js";
import { decodeUserSig, verifyUserSig } from "../src/verify.js";

const SDK_APP_ID = 1400000001;
const SECRET_KEY = "provider-test-secret-key-0123456789";
const T0 = 1_700_000_000_000;

function manualClock(start = T0) {
  let now = start;
  return {
    clock: () => now,
    set: (ms: number) => {
      now = ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** An HMAC signer that counts its calls and can be slowed down or made to fail. */
function countingSigner(options: { delayMs?: number } = {}) {
  const inner = hmacSigner({ secretKey: SECRET_KEY });
  const calls: UserSigSignInput[] = [];
  let failNext = 0;
  const signer: UserSigSigner = {
    algorithm: "hmac-sha256",
    async sign(input) {
      calls.push(input);
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      if (failNext > 0) {
        failNext--;
        throw new Error("signer unavailable");
      }
      return inner.sign(input);
    },
  };
  return {
    signer,
    calls,
    failOnce: () => {
      failNext = 1;
    },
  };
}

function adminSigOf(request: Request): string {
  return new URL(request.url).searchParams.get("usersig")!;
}

const sample = () =>
  new Request("https://console.tim.qq.com/v4/openim/sendmsg?keep=1&sdkappid=999", {
    method: "POST",
    headers: { "content-type": "application/json", "x-custom": "yes" },
    body: JSON.stringify({ To_Account: "bob", text: "héllo" }),
  });

describe("createTencentProvider", () => {
  it("issues a UserSig that verifyUserSig accepts, with appId the SDKAppID", async () => {
    const mc = manualClock(T0 + 456);
    const provider = createTencentProvider({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY, clock: mc.clock });
    const credential = await provider.issueCredential("alice", { ttlSeconds: 600 });
    expect(credential).toMatchObject({ vendor: "tencent", appId: "1400000001", userId: "alice" });
    expect(credential.issuedAt.getTime()).toBe(T0);
    expect(credential.expiresAt.getTime()).toBe(T0 + 600_000);
    const decoded = verifyUserSig(credential.token, {
      sdkAppId: SDK_APP_ID,
      secretKey: SECRET_KEY,
      userId: "alice",
      clock: mc.clock,
    });
    expect(decoded.expiresAt.getTime()).toBe(credential.expiresAt.getTime());
  });

  it("defaults to 180 days and accepts up to 2^31 - 1 seconds", async () => {
    const provider = createTencentProvider({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY, clock: () => T0 });
    const c = await provider.issueCredential("alice");
    expect(c.expiresAt.getTime() - c.issuedAt.getTime()).toBe(15_552_000_000);
    await provider.issueCredential("alice", { ttlSeconds: 2 ** 31 - 1 });
    await expect(provider.issueCredential("alice", { ttlSeconds: 2 ** 31 })).rejects.toMatchObject({
      code: "ERR_INVALID_INPUT",
    });
    await expect(provider.issueCredential("alice", "60" as never)).rejects.toMatchObject({
      code: "ERR_INVALID_INPUT",
    });
  });

  it("accepts a Secret for secretKey and callbackToken", async () => {
    const provider = createTencentProvider({
      sdkAppId: SDK_APP_ID,
      secretKey: new Secret(SECRET_KEY),
      callbackToken: new Secret("token-1234"),
      clock: () => T0,
    });
    const c = await provider.issueCredential("alice");
    verifyUserSig(c.token, { sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY, userId: "alice", clock: () => T0 });
  });

  it("uses a given signer and vendor name (as @imauth/legacy-ecdsa does)", async () => {
    const seen: UserSigSignInput[] = [];
    const provider = createTencentProvider({
      sdkAppId: SDK_APP_ID,
      vendor: "tencent-legacy",
      signer: {
        algorithm: "ecdsa-sha256",
        sign: (input) => {
          seen.push(input);
          return `sig-for-${input.userId}`;
        },
      },
      clock: () => T0 + 1,
    });
    expect(provider.vendor).toBe("tencent-legacy");
    expect(provider.algorithm).toBe("ecdsa-sha256");
    const c = await provider.issueCredential("bob", { ttlSeconds: 90 });
    expect(c).toMatchObject({ vendor: "tencent-legacy", token: "sig-for-bob" });
    expect(seen).toEqual([{ sdkAppId: SDK_APP_ID, userId: "bob", expireSeconds: 90, nowMs: T0 + 1 }]);
    const signed = await provider.signRequest(sample());
    expect(adminSigOf(signed)).toBe("sig-for-administrator");
  });

  it("refuses a signer that returns no UserSig", async () => {
    const provider = createTencentProvider({
      sdkAppId: SDK_APP_ID,
      signer: { algorithm: "x", sign: () => "" },
    });
    await expect(provider.issueCredential("bob")).rejects.toMatchObject({ code: "ERR_INVALID_CONFIG" });
  });

  it("picks the region's domains, or the given base URLs", () => {
    const base = { sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY };
    expect(createTencentProvider(base).baseUrls).toEqual([
      "https://console.tim.qq.com/",
      "https://adminapi.my-imcloud.com/",
    ]);
    expect(createTencentProvider({ ...base, region: "singapore" }).baseUrls).toEqual([
      "https://adminapisgp.im.qcloud.com/",
      "https://adminapisgp.my-imcloud.com/",
    ]);
    for (const [region, urls] of Object.entries(TENCENT_REGIONS)) {
      expect(createTencentProvider({ ...base, region: region as never }).baseUrls).toEqual(urls);
    }
    expect(TENCENT_REGIONS.japan).toEqual([
      "https://adminapijpn.im.qcloud.com/",
      "https://adminapijpn.my-imcloud.com/",
    ]);
    expect(createTencentProvider({ ...base, baseUrl: "http://127.0.0.1:8080/im" }).baseUrls).toEqual([
      "http://127.0.0.1:8080/im/",
    ]);
    expect(
      createTencentProvider({ ...base, baseUrl: ["https://a.example/", "https://b.example/"] }).baseUrls,
    ).toEqual(["https://a.example/", "https://b.example/"]);
  });

  it.each([
    ["region and baseUrl together", { region: "usa", baseUrl: "https://a.example/" }],
    ["a baseUrl with a query", { baseUrl: "https://a.example/?x=1" }],
    ["a non-http baseUrl", { baseUrl: "ftp://a.example/" }],
    ["an empty baseUrl list", { baseUrl: [] }],
    ["an adminUserId with control characters", { adminUserId: "ad\nmin" }],
    ["an adminUserId over 32 bytes", { adminUserId: "a".repeat(33) }],
    ["a too short admin UserSig lifetime", { adminUserSigTtlSeconds: 10 }],
    ["a zero callback window", { webhookMaxSkewSeconds: 0 }],
    ["a clock that is not a function", { clock: 5 }],
    ["a signer without sign", { signer: { algorithm: "x" } }],
    ["an empty vendor", { vendor: "" }],
  ])("refuses %s with ERR_INVALID_CONFIG", (_name, extra) => {
    expect(() =>
      createTencentProvider({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY, ...extra } as never),
    ).toThrow(expect.objectContaining({ code: "ERR_INVALID_CONFIG" }));
  });

  it("never shows the key or the token", async () => {
    const provider = createTencentProvider({
      sdkAppId: SDK_APP_ID,
      secretKey: SECRET_KEY,
      callbackToken: "callback-token-value",
    });
    for (const text of [JSON.stringify(provider), String(provider), inspect(provider, { depth: 10 })]) {
      expect(text).not.toContain(SECRET_KEY);
      expect(text).not.toContain("callback-token-value");
    }
    expect(JSON.parse(JSON.stringify(provider))).toEqual({
      vendor: "tencent",
      sdkAppId: SDK_APP_ID,
      adminUserId: "administrator",
      algorithm: "hmac-sha256",
    });
    let error: unknown;
    try {
      createTencentProvider({ sdkAppId: -1, secretKey: SECRET_KEY });
    } catch (e) {
      error = e;
    }
    expect(isImAuthError(error, "ERR_INVALID_CONFIG")).toBe(true);
    expect((error as Error).message).not.toContain(SECRET_KEY);
  });

  it("verifyWebhook needs callbackToken (ERR_INVALID_CONFIG when it is missing)", async () => {
    const provider = createTencentProvider({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY });
    await expect(provider.verifyWebhook({ url: "/", headers: {}, body: "" })).rejects.toMatchObject({
      code: "ERR_INVALID_CONFIG",
    });
  });
});

describe("signRequest", () => {
  it("adds sdkappid, identifier, usersig, random and contenttype, keeping method, headers, body and query", async () => {
    const mc = manualClock();
    const provider = createTencentProvider({
      sdkAppId: SDK_APP_ID,
      secretKey: SECRET_KEY,
      adminUserId: "ops_admin",
      clock: mc.clock,
    });
    const signed = await provider.signRequest(sample());
    const q = new URL(signed.url).searchParams;
    expect(q.get("keep")).toBe("1");
    expect(q.getAll("sdkappid")).toEqual([String(SDK_APP_ID)]);
    expect(q.get("identifier")).toBe("ops_admin");
    expect(q.get("contenttype")).toBe("json");
    expect(q.get("random")).toMatch(/^[0-9]{1,10}$/);
    expect(Number(q.get("random"))).toBeLessThanOrEqual(0xffff_ffff);
    expect(signed.method).toBe("POST");
    expect(signed.headers.get("x-custom")).toBe("yes");
    expect(await signed.text()).toBe(JSON.stringify({ To_Account: "bob", text: "héllo" }));
    const decoded = verifyUserSig(q.get("usersig")!, {
      sdkAppId: SDK_APP_ID,
      secretKey: SECRET_KEY,
      userId: "ops_admin",
      clock: mc.clock,
    });
    expect(decoded.expiresAt.getTime() - decoded.issuedAt.getTime()).toBe(
      DEFAULT_ADMIN_USERSIG_TTL_SECONDS * 1000,
    );
  });

  it("keeps GET requests bodiless", async () => {
    const provider = createTencentProvider({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY, clock: () => T0 });
    const signed = await provider.signRequest(
      new Request("https://console.tim.qq.com/v4/x/y", { method: "GET" }),
    );
    expect(signed.method).toBe("GET");
    expect(signed.body).toBeNull();
  });

  it("refuses what is not an unread Request with ERR_INVALID_INPUT", async () => {
    const provider = createTencentProvider({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY });
    for (const bad of ["https://console.tim.qq.com/", null, {}, { url: "https://x/" }]) {
      await expect(provider.signRequest(bad as never)).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
    }
    const used = sample();
    await used.text();
    await expect(provider.signRequest(used)).rejects.toMatchObject({ code: "ERR_INVALID_INPUT" });
  });

  it("caches the admin UserSig: one signing for many requests", async () => {
    const { signer, calls } = countingSigner();
    const mc = manualClock();
    const provider = createTencentProvider({ sdkAppId: SDK_APP_ID, signer, clock: mc.clock });
    const first = adminSigOf(await provider.signRequest(sample()));
    for (let i = 0; i < 20; i++) {
      mc.advance(60_000);
      expect(adminSigOf(await provider.signRequest(sample()))).toBe(first);
    }
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ userId: "administrator", expireSeconds: 86_400, nowMs: T0 });
  });

  it("renews at 80% of the lifetime, never sending a UserSig close to expiry", async () => {
    const { signer, calls } = countingSigner();
    const mc = manualClock();
    const provider = createTencentProvider({
      sdkAppId: SDK_APP_ID,
      signer,
      clock: mc.clock,
      adminUserSigTtlSeconds: 1000,
    });
    const first = adminSigOf(await provider.signRequest(sample()));
    mc.set(T0 + 799_999);
    expect(adminSigOf(await provider.signRequest(sample()))).toBe(first);
    mc.set(T0 + 800_000);
    const second = adminSigOf(await provider.signRequest(sample()));
    expect(second).not.toBe(first);
    expect(decodeUserSig(second).issuedAt.getTime()).toBe(T0 + 800_000);
    expect(calls.map((c) => c.nowMs)).toEqual([T0, T0 + 800_000]);
    // Over a long run every UserSig sent has at least 20% of its life left.
    for (let t = T0 + 800_000; t < T0 + 10_000_000; t += 37_000) {
      mc.set(t);
      const { expiresAt } = decodeUserSig(adminSigOf(await provider.signRequest(sample())));
      expect(expiresAt.getTime() - t).toBeGreaterThanOrEqual(200_000);
    }
  });

  it("renews when the clock goes back before the issue time", async () => {
    const { signer, calls } = countingSigner();
    const mc = manualClock();
    const provider = createTencentProvider({ sdkAppId: SDK_APP_ID, signer, clock: mc.clock });
    await provider.signRequest(sample());
    mc.set(T0 - 5000);
    await provider.signRequest(sample());
    expect(calls.map((c) => c.nowMs)).toEqual([T0, T0 - 5000]);
  });

  it("signs once when 200 requests race for a stale cache", async () => {
    const { signer, calls } = countingSigner({ delayMs: 20 });
    const mc = manualClock();
    const provider = createTencentProvider({ sdkAppId: SDK_APP_ID, signer, clock: mc.clock });
    const batch = await Promise.all(Array.from({ length: 200 }, () => provider.signRequest(sample())));
    expect(calls).toHaveLength(1);
    expect(new Set(batch.map(adminSigOf)).size).toBe(1);
    expect(new Set(batch.map((r) => new URL(r.url).searchParams.get("random"))).size).toBeGreaterThan(190);
    mc.advance(86_400_000);
    const later = await Promise.all(Array.from({ length: 200 }, () => provider.signRequest(sample())));
    expect(calls).toHaveLength(2);
    expect(new Set(later.map(adminSigOf)).size).toBe(1);
  });

  it("renewAdminUserSig forces one renewal however many callers ask", async () => {
    const { signer, calls } = countingSigner({ delayMs: 10 });
    const mc = manualClock();
    const provider = createTencentProvider({ sdkAppId: SDK_APP_ID, signer, clock: mc.clock });
    await provider.signRequest(sample());
    mc.advance(1000);
    await Promise.all(Array.from({ length: 50 }, () => provider.renewAdminUserSig()));
    expect(calls.map((c) => c.nowMs)).toEqual([T0, T0 + 1000]);
    const sig = adminSigOf(await provider.signRequest(sample()));
    expect(decodeUserSig(sig).issuedAt.getTime()).toBe(T0 + 1000);
  });

  it("passes a signer failure to every waiting caller, then tries again", async () => {
    const { signer, calls, failOnce } = countingSigner({ delayMs: 5 });
    const provider = createTencentProvider({ sdkAppId: SDK_APP_ID, signer, clock: () => T0 });
    failOnce();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => provider.signRequest(sample())),
    );
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect(calls).toHaveLength(1);
    await provider.signRequest(sample());
    expect(calls).toHaveLength(2);
  });

  it("puts no secret in the signed request", async () => {
    const provider = createTencentProvider({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY, clock: () => T0 });
    const signed = await provider.signRequest(sample());
    expect(signed.url).not.toContain(SECRET_KEY);
    expect(JSON.stringify([...signed.headers])).not.toContain(SECRET_KEY);
  });
});
