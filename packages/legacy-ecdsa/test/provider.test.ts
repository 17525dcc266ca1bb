import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock } from "@imauth/core";
import { type ConformanceHarness, registerConformanceTests, withQueryParam } from "@imauth/core/testing";
import { createTencentImClient } from "@imauth/tencent/client";
import { createTencentEmulator } from "@imauth/tencent/testing";
import { afterAll, describe, expect, it } from "vitest";
import vectors from "../../../vectors/tencent-legacy-ecdsa.json" with { type: "json" };
import {
  createLegacyTencentProvider,
  decodeLegacyUserSig,
  ecdsaVerifier,
  verifyLegacyUserSig,
} from "../src/index.js";
import { opensslKey, pemSecrets } from "./helpers.js";

const SDK_APP_ID = 1400000001;
const CALLBACK_TOKEN = "legacy-conformance-callback-token";

const keys = [
  { name: "secp256k1 SEC1 with EC PARAMETERS (official sample)", ...pick(vectors.generatedByOfficial[0]!) },
  { name: "P-256 PKCS#8 (official sample)", ...pick(vectors.generatedByOfficial[2]!) },
  { name: "P-256 SEC1 behind misleading EC PARAMETERS", ...pick(vectors.generatedByOfficial[4]!) },
];
function pick(v: { privateKeyPem: string; publicKeyPem: string }) {
  return { privateKey: v.privateKeyPem, publicKey: v.publicKeyPem };
}

for (const key of keys) {
  const harness: ConformanceHarness = {
    name: `tencent-legacy (${key.name})`,
    createProvider: (clock: Clock) =>
      createLegacyTencentProvider({
        sdkAppId: SDK_APP_ID,
        privateKey: key.privateKey,
        callbackToken: CALLBACK_TOKEN,
        clock,
      }),
    secrets: [...pemSecrets(key.privateKey), CALLBACK_TOKEN],
    async verifyCredential(credential, clock) {
      await verifyLegacyUserSig(credential.token, {
        sdkAppId: Number(credential.appId),
        publicKey: key.publicKey,
        userId: credential.userId,
        clock,
      });
    },
    defaultTtlSeconds: 15_552_000,
    maxUserIdLength: 32,
    // A batch import (Tencent's own conformance test signs a single one): two accounts, one of them non-ASCII.
    sampleRequest: () =>
      new Request("https://console.tim.qq.com/v4/im_open_login_svc/multiaccount_import?trace=abc", {
        method: "POST",
        headers: { "content-type": "application/json", "x-request-id": "req-1" },
        body: JSON.stringify({ Accounts: ["conformance-user", "张三"] }),
      }),
    async verifySignedRequest(request, clock) {
      const emulator = createTencentEmulator({
        sdkAppId: SDK_APP_ID,
        verifier: ecdsaVerifier({ publicKey: key.publicKey }),
        clock,
      });
      const response = await emulator.fetch(request);
      const answer = (await response.json()) as { ErrorCode: number; ErrorInfo: string; FailAccounts: [] };
      if (answer.ErrorCode !== 0 || answer.FailAccounts.length > 0) {
        throw new Error(`emulator refused: ${answer.ErrorCode} ${answer.ErrorInfo}`);
      }
      if (!["conformance-user", "张三"].every((id) => emulator.accounts.has(id))) {
        throw new Error("emulator did not run multiaccount_import");
      }
      // The admin UserSig in the query is a legacy one.
      const userSig = new URL(request.url).searchParams.get("usersig")!;
      if (decodeLegacyUserSig(userSig).userId !== "administrator") throw new Error("not the admin's UserSig");
    },
    // The emulator signs callbacks as Tencent's servers do.
    async signWebhook({ body, nowMs, wrongSecret }) {
      const emulator = createTencentEmulator({
        sdkAppId: SDK_APP_ID,
        verifier: ecdsaVerifier({ publicKey: key.publicKey }),
        callbackToken: wrongSecret ? "not-the-callback-token" : CALLBACK_TOKEN,
        clock: () => nowMs,
      });
      const request = emulator.signCallback({ command: "State.StateChange", body });
      return { url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() };
    },
    // Tencent's Sign covers the token and RequestTime, not the body: each forgery changes one query field
    // that the check covers.
    tamperWebhook: (webhook) => {
      const query = new URL(webhook.url).searchParams;
      const sign = query.get("Sign")!;
      const forged = {
        Sign: (sign[0] === "0" ? "1" : "0") + sign.slice(1),
        RequestTime: String(Number(query.get("RequestTime")) + 1),
        SdkAppid: String(SDK_APP_ID + 1),
      };
      return Object.entries(forged).map(([name, value]) => withQueryParam(webhook, name, value));
    },
    maxWebhookAgeMs: 60_000,
    // PrivateMapKeys are HMAC UserSigs with a userbuf: the ECDSA signer cannot make them, so room scopes are refused.
    rooms: "unsupported",
    invalidConfigs: [
      () => createLegacyTencentProvider({ sdkAppId: SDK_APP_ID } as never),
      () => createLegacyTencentProvider({ sdkAppId: SDK_APP_ID, privateKey: "" }),
      () => createLegacyTencentProvider({ sdkAppId: SDK_APP_ID, privateKey: key.publicKey }),
      () => createLegacyTencentProvider({ sdkAppId: SDK_APP_ID, privateKey: key.privateKey.slice(0, 150) }),
      () => createLegacyTencentProvider({ sdkAppId: 0, privateKey: key.privateKey }),
      () => createLegacyTencentProvider({ sdkAppId: "1" as never, privateKey: key.privateKey }),
      () =>
        createLegacyTencentProvider({
          sdkAppId: SDK_APP_ID,
          privateKey: key.privateKey,
          region: "mars" as never,
        }),
      () =>
        createLegacyTencentProvider({
          sdkAppId: SDK_APP_ID,
          privateKey: key.privateKey,
          secretKey: "x",
        } as never),
      () =>
        createLegacyTencentProvider({
          sdkAppId: SDK_APP_ID,
          privateKey: key.privateKey,
          privatekey: 1,
        } as never),
      () =>
        createLegacyTencentProvider({
          sdkAppId: SDK_APP_ID,
          privateKey: key.privateKey,
          publicKey: opensslKey("P-256").spki,
        }),
      () => createLegacyTencentProvider(null as never),
    ],
  };

  describe(`conformance: ${harness.name}`, () => registerConformanceTests(harness, it));
}

describe("createLegacyTencentProvider", () => {
  const v = vectors.generatedByOfficial[0]!;

  it("refuses a room scope: the ECDSA signer cannot make TRTC PrivateMapKeys", async () => {
    const provider = createLegacyTencentProvider({
      sdkAppId: v.sdkAppId,
      privateKey: v.privateKeyPem,
      clock: () => v.nowSeconds * 1000,
    });
    const refused = provider.issueCredential("xiaojun", { room: { roomId: 1234, privileges: ["join"] } });
    await expect(refused).rejects.toMatchObject({
      code: "ERR_INVALID_INPUT",
      message: expect.stringMatching(/^tencent-legacy cannot scope a credential to a room: .*ecdsa-sha256/),
    });
    await expect(refused).rejects.not.toThrow(v.privateKeyPem.split("\n")[1]!);
    // A malformed scope gets core's message, the same on every provider.
    await expect(provider.issueCredential("xiaojun", { room: { roomId: "" } })).rejects.toMatchObject({
      code: "ERR_INVALID_INPUT",
      message: "room.roomId must not be empty",
    });
  });

  it("is Tencent's provider with the ECDSA signer: vendor tencent-legacy, algorithm ecdsa-sha256", async () => {
    const provider = createLegacyTencentProvider({
      sdkAppId: v.sdkAppId,
      privateKey: v.privateKeyPem,
      publicKey: v.publicKeyPem,
      clock: () => v.nowSeconds * 1000,
    });
    expect(provider).toMatchObject({
      vendor: "tencent-legacy",
      algorithm: "ecdsa-sha256",
      sdkAppId: v.sdkAppId,
    });
    const credential = await provider.issueCredential("xiaojun");
    expect(credential.vendor).toBe("tencent-legacy");
    // The document has the official library's shape and values (only the randomized signature differs).
    const ours = decodeLegacyUserSig(credential.token);
    const official = decodeLegacyUserSig(v.userSig);
    expect(ours.signedText).toBe(official.signedText);
    expect({ ...ours, signature: undefined }).toEqual({ ...official, signature: undefined });
  });

  it("REST client + emulator with the ECDSA verifier, over loopback HTTP", async () => {
    const k = opensslKey("secp256k1");
    let nowMs = 1_700_000_000_000;
    const clock = () => nowMs;
    const emulator = createTencentEmulator({
      sdkAppId: SDK_APP_ID,
      verifier: ecdsaVerifier({ publicKey: k.spki }),
      clock,
    });
    const seenUserSigs: string[] = [];
    const server = createServer(async (req, res) => {
      seenUserSigs.push(new URL(req.url!, "http://127.0.0.1").searchParams.get("usersig")!);
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const response = await emulator.fetch(
        new Request(`http://127.0.0.1${req.url}`, {
          method: req.method,
          headers: req.headers as never,
          body: Buffer.concat(chunks),
        }),
      );
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;
    const provider = createLegacyTencentProvider({
      sdkAppId: SDK_APP_ID,
      privateKey: k.pkcs8,
      baseUrl: `http://127.0.0.1:${port}/`,
      adminUserSigTtlSeconds: 600,
      clock,
    });
    const client = createTencentImClient(provider);
    await client.importAccount({ userId: "alice", nick: "Alice" });
    await client.sendTextMessage({ to: "alice", text: "hello" });
    expect(emulator.accounts.has("alice")).toBe(true);
    expect(emulator.messages).toHaveLength(1);
    // Past the admin UserSig's renewal point a new legacy UserSig is made and accepted.
    nowMs += 590_000;
    await client.checkAccounts(["alice"]);
    expect(emulator.calls.map((c) => c.vendorCode)).toEqual([0, 0, 0]);
    expect(seenUserSigs).toHaveLength(3);
    expect(seenUserSigs[1]).toBe(seenUserSigs[0]);
    expect(seenUserSigs[2]).not.toBe(seenUserSigs[0]);
    expect(decodeLegacyUserSig(seenUserSigs[2]!).issuedAtSeconds).toBe(1_700_000_590);
  });

  it("an emulator with another public key refuses the calls", async () => {
    const [a, b] = [opensslKey("P-256"), opensslKey("P-256")];
    const emulator = createTencentEmulator({
      sdkAppId: SDK_APP_ID,
      verifier: ecdsaVerifier({ publicKey: b.spki }),
    });
    const provider = createLegacyTencentProvider({ sdkAppId: SDK_APP_ID, privateKey: a.sec1 });
    const client = createTencentImClient(provider, { fetch: emulator.fetch as typeof fetch });
    await expect(client.importAccount({ userId: "alice" })).rejects.toMatchObject({
      code: "ERR_VENDOR_API",
      vendorCode: 70009,
    });
  });
});
