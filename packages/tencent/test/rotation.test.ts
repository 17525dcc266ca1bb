import { type RawWebhook, Secret } from "@imauth/core";
import { outcomeOf } from "@imauth/core/testing";
import { describe, expect, it } from "vitest";
import callbackVectors from "../../../vectors/tencent-callback.json" with { type: "json" };
import vectors from "../../../vectors/tencent-usersig-v2.json" with { type: "json" };
import { createTencentProvider, hmacVerifier, verifyTencentCallback, verifyUserSig } from "../src/index.js";
import { signTencentCallback } from "../src/testing/index.js";

// Key rotation: every Tencent verifier takes one key or [current, ...previous]. What is verified comes from
// official sources (tls-sig-api-v2's UserSig, the callback documentation's example); "wrong" is another key.
// (TRTC callback keys: test/trtc-callback.test.ts.)
const WRONG = "wrong-key";

describe("Tencent verifiers accept [wrong, right] and refuse [wrong]", () => {
  it("verifyUserSig (the official UserSig)", async () => {
    const { sdkAppId, secretKey, nowSeconds } = vectors.inputs;
    const official = vectors.generate.find((g) => g.name === "genUserSig")!.expected;
    const check = (key: unknown) =>
      outcomeOf(() =>
        verifyUserSig(official, { sdkAppId, secretKey: key as string, clock: () => nowSeconds * 1000 }),
      );
    expect(await check([WRONG, secretKey])).toBe("accepted");
    expect(await check([new Secret(WRONG), new Secret(secretKey)])).toBe("accepted");
    expect(await check([secretKey, WRONG])).toBe("accepted");
    expect(await check([WRONG])).toBe("ERR_SIGNATURE_INVALID");
    expect(await check([])).toBe("ERR_INVALID_CONFIG");
    expect(await check([secretKey, ""])).toBe("ERR_INVALID_CONFIG");
  });

  it("hmacVerifier (the emulator's UserSig check) on the official UserSig", async () => {
    const { sdkAppId, secretKey, nowSeconds } = vectors.inputs;
    const official = vectors.generate.find((g) => g.name === "genUserSig")!.expected;
    const clock = () => nowSeconds * 1000;
    const check = (key: unknown) =>
      outcomeOf(() => hmacVerifier({ secretKey: key as string }).verify(official, { sdkAppId, clock }));
    expect(await check([WRONG, secretKey])).toBe("accepted");
    expect(await check(secretKey)).toBe("accepted");
    expect(await check([WRONG])).toBe("ERR_SIGNATURE_INVALID");
    expect(await check([])).toBe("ERR_INVALID_CONFIG");
  });

  it("verifyTencentCallback and the provider's callbackToken (the documentation example)", async () => {
    const v = callbackVectors.examples[0]!;
    const sdkAppId = 1400000001;
    const url = new URL("https://app.example.com/im");
    for (const [k, value] of Object.entries({
      SdkAppid: String(sdkAppId),
      CallbackCommand: "State.StateChange",
      RequestTime: v.requestTime,
      Sign: v.sign,
    })) {
      url.searchParams.set(k, value);
    }
    const raw: RawWebhook = { url: url.toString(), headers: {}, body: "{}" };
    const clock = () => Number(v.requestTime) * 1000;
    const check = (callbackToken: unknown) =>
      outcomeOf(() =>
        verifyTencentCallback(raw, { sdkAppId, callbackToken: callbackToken as string, clock }),
      );
    expect(await check([WRONG, v.token])).toBe("accepted");
    expect(await check([WRONG])).toBe("ERR_WEBHOOK_INVALID");
    expect(await check([])).toBe("ERR_INVALID_CONFIG");

    const provider = createTencentProvider({
      sdkAppId,
      secretKey: "k",
      callbackToken: ["new-token", v.token],
      clock,
    });
    expect(await outcomeOf(() => provider.verifyWebhook(raw))).toBe("accepted");
    const signedNew = signTencentCallback({ sdkAppId, callbackToken: "new-token", command: "X", clock });
    expect(await outcomeOf(() => provider.verifyWebhook(signedNew))).toBe("accepted");
    const forged = signTencentCallback({ sdkAppId, callbackToken: WRONG, command: "X", clock });
    expect(await outcomeOf(() => provider.verifyWebhook(forged))).toBe("ERR_WEBHOOK_INVALID");
    expect(() => createTencentProvider({ sdkAppId, secretKey: "k", callbackToken: [] })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
  });

  it("signTencentCallback signs with the first token of a list", async () => {
    const sdkAppId = 1400000001;
    const clock = () => 1_700_000_000_000;
    const signed = signTencentCallback({
      sdkAppId,
      callbackToken: ["current", "previous"],
      command: "X",
      clock,
    });
    expect(
      await outcomeOf(() => verifyTencentCallback(signed, { sdkAppId, callbackToken: "current", clock })),
    ).toBe("accepted");
  });
});
