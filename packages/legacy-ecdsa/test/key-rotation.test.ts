import { ImAuthError } from "@imauth/core";
import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/tencent-legacy-ecdsa.json" with { type: "json" };
import { verifyLegacyUserSig } from "../src/index.js";

// Key rotation: verifyLegacyUserSig takes one public key or [current, ...previous]. The UserSigs are the
// official v1 library's; "wrong" is the public key of another official sample pair.
const official = vectors.generatedByOfficial;

async function outcome(publicKey: unknown, v: (typeof official)[number]): Promise<string> {
  try {
    await verifyLegacyUserSig(v.userSig, {
      sdkAppId: Number(v.sdkAppId),
      publicKey: publicKey as string,
      clock: () => Number(v.nowSeconds) * 1000,
    });
    return "accepted";
  } catch (error) {
    expect(error).toBeInstanceOf(ImAuthError);
    return (error as ImAuthError).code;
  }
}

describe("verifyLegacyUserSig with a key list", () => {
  it("accepts [wrong, right], refuses [wrong], refuses an empty list as configuration", async () => {
    for (const v of official) {
      const wrong = official.find((o) => o.publicKeyPem !== v.publicKeyPem)!.publicKeyPem;
      expect(await outcome([wrong, v.publicKeyPem], v)).toBe("accepted");
      expect(await outcome([v.publicKeyPem, wrong], v)).toBe("accepted");
      expect(await outcome([wrong], v)).toBe("ERR_SIGNATURE_INVALID");
      expect(await outcome(v.publicKeyPem, v)).toBe("accepted");
    }
    expect(await outcome([], official[0]!)).toBe("ERR_INVALID_CONFIG");
    expect(await outcome([official[0]!.publicKeyPem, 7], official[0]!)).toBe("ERR_INVALID_CONFIG");
  });
});
