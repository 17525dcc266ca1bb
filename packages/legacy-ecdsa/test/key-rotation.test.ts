import { outcomeOf } from "@imauth/core/testing";
import { describe, expect, it } from "vitest";
import vectors from "../../../vectors/tencent-legacy-ecdsa.json" with { type: "json" };
import { ecdsaVerifier, verifyLegacyUserSig } from "../src/index.js";

// Key rotation: verifyLegacyUserSig takes one public key or [current, ...previous]. The UserSigs are the
// official v1 library's; "wrong" is the public key of another official sample pair.
const official = vectors.generatedByOfficial;

function outcome(publicKey: unknown, v: (typeof official)[number]): Promise<string> {
  const sdkAppId = Number(v.sdkAppId);
  const clock = () => Number(v.nowSeconds) * 1000;
  return outcomeOf(() => verifyLegacyUserSig(v.userSig, { sdkAppId, publicKey: publicKey as string, clock }));
}

/** The same through `ecdsaVerifier` (the emulator's check), which takes the key list once. */
function verifierOutcome(publicKey: unknown, v: (typeof official)[number]): Promise<string> {
  const sdkAppId = Number(v.sdkAppId);
  const clock = () => Number(v.nowSeconds) * 1000;
  return outcomeOf(() =>
    ecdsaVerifier({ publicKey: publicKey as string }).verify(v.userSig, { sdkAppId, clock }),
  );
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

describe("ecdsaVerifier with a key list", () => {
  it("accepts [wrong, right], refuses [wrong] and an empty list; its curve is the first key's", async () => {
    for (const v of official) {
      const wrong = official.find((o) => o.publicKeyPem !== v.publicKeyPem)!.publicKeyPem;
      expect(await verifierOutcome([wrong, v.publicKeyPem], v)).toBe("accepted");
      expect(await verifierOutcome([wrong], v)).toBe("ERR_SIGNATURE_INVALID");
      expect(ecdsaVerifier({ publicKey: [v.publicKeyPem, wrong] }).curve).toBe(
        ecdsaVerifier({ publicKey: v.publicKeyPem }).curve,
      );
    }
    expect(await verifierOutcome([], official[0]!)).toBe("ERR_INVALID_CONFIG");
  });
});
