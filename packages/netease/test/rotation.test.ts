import { Secret } from "@imauth/core";
import { outcomeOf } from "@imauth/core/testing";
import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/netease.json" with { type: "json" };
import {
  createNeteaseProvider,
  verifyDynamicToken,
  verifyNertcPermissionKey,
  verifyNertcToken,
  verifyNeteaseCallback,
} from "../src/index.js";
import { createNeteaseEmulator, signNeteaseCallback } from "../src/testing/index.js";

// Key rotation: every verifier takes one secret or [current, ...previous]. The accepted credentials are the
// official vectors (signed with the vector's secret); "wrong" is any other secret.
const WRONG = "wrong-secret-0";

describe("NetEase verifiers accept [wrong, right] and refuse [wrong]", () => {
  it("verifyDynamicToken", async () => {
    const v = vectors.imDynamicToken[0]!;
    const check = (appSecret: unknown) =>
      outcomeOf(() =>
        verifyDynamicToken({
          token: v.token,
          appKey: v.appKey,
          appSecret: appSecret as string,
          accid: v.accid,
          clock: () => v.curTimeMs + 1000,
        }),
      );
    expect(await check([WRONG, v.appSecret])).toBe("accepted");
    expect(await check([new Secret(WRONG), new Secret(v.appSecret)])).toBe("accepted");
    expect(await check([WRONG])).toBe("ERR_SIGNATURE_INVALID");
    expect(await check([])).toBe("ERR_INVALID_CONFIG");
    expect(await check([v.appSecret, 5])).toBe("ERR_INVALID_CONFIG");
  });

  it("verifyNertcToken", async () => {
    const v = vectors.nertcToken[0]!;
    const check = (appSecret: unknown) =>
      outcomeOf(() =>
        verifyNertcToken({
          token: v.expected,
          appKey: v.appKey,
          appSecret: appSecret as string,
          uid: v.uid,
          channelName: v.channelName,
          clock: () => v.curTimeMs,
        }),
      );
    expect(await check([WRONG, v.appSecret])).toBe("accepted");
    expect(await check([WRONG])).toBe("ERR_SIGNATURE_INVALID");
    expect(await check([])).toBe("ERR_INVALID_CONFIG");
  });

  it("verifyNertcPermissionKey", async () => {
    const v = vectors.nertcPermissionKey[0]!;
    const check = (permSecret: unknown) =>
      outcomeOf(() =>
        verifyNertcPermissionKey({
          key: v.expected,
          appKey: v.appKey,
          permSecret: permSecret as string,
          clock: () => v.curTimeSec * 1000,
        }),
      );
    expect(await check([WRONG, v.permSecret])).toBe("accepted");
    expect(await check([WRONG])).toBe("ERR_SIGNATURE_INVALID");
    expect(await check([])).toBe("ERR_INVALID_CONFIG");
  });

  it("verifyNeteaseCallback", async () => {
    const v = vectors.callback[0]!;
    const check = (appSecret: unknown) =>
      outcomeOf(() =>
        verifyNeteaseCallback(
          { url: "/cb", headers: { md5: v.md5, curtime: v.curTimeMs, checksum: v.checkSum }, body: v.body },
          { appSecret: appSecret as string, clock: () => Number(v.curTimeMs) },
        ),
      );
    expect(await check([WRONG, v.appSecret])).toBe("accepted");
    expect(await check([WRONG])).toBe("ERR_WEBHOOK_INVALID");
    expect(await check([])).toBe("ERR_INVALID_CONFIG");
  });

  it("the provider signs with the first secret and verifies callbacks with every one", async () => {
    const v = vectors.callback[0]!;
    const appKey = "app";
    const clock = () => Number(v.curTimeMs);
    const provider = createNeteaseProvider({ appKey, appSecret: ["new-secret", v.appSecret], clock });
    const raw = {
      url: "/cb",
      headers: { md5: v.md5, curtime: v.curTimeMs, checksum: v.checkSum, appkey: appKey },
      body: v.body,
    };
    expect(await outcomeOf(() => provider.verifyWebhook(raw))).toBe("accepted");
    const signedNew = signNeteaseCallback({ appKey, appSecret: "new-secret", body: "{}", clock });
    expect(await outcomeOf(() => provider.verifyWebhook(signedNew))).toBe("accepted");
    const signedOther = signNeteaseCallback({ appKey, appSecret: WRONG, body: "{}", clock });
    expect(await outcomeOf(() => provider.verifyWebhook(signedOther))).toBe("ERR_WEBHOOK_INVALID");
    // REST calls and tokens use the current secret: an emulator that knows only it accepts them.
    const emulator = createNeteaseEmulator({ appKey, appSecret: "new-secret", clock });
    const signed = await provider.signRequest(
      new Request("https://api.netease.im/nimserver/user/create.action", { method: "POST" }),
    );
    const response = await emulator.fetch(signed);
    expect(response.status).toBe(200);
    const { token } = await provider.issueCredential("user01");
    expect(
      await outcomeOf(() =>
        verifyDynamicToken({ token, appKey, appSecret: "new-secret", accid: "user01", clock }),
      ),
    ).toBe("accepted");
    expect(
      await outcomeOf(() =>
        verifyDynamicToken({ token, appKey, appSecret: v.appSecret, accid: "user01", clock }),
      ),
    ).toBe("ERR_SIGNATURE_INVALID");
    expect(() => createNeteaseProvider({ appKey, appSecret: [] as never })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
    );
  });
});
