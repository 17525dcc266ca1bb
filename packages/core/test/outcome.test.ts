import { describe, expect, it } from "vitest";
import { ImAuthError } from "../src/index.js";
import { outcomeOf } from "../src/testing/index.js";

describe("outcomeOf", () => {
  it("reads a return or a resolved promise as accepted", async () => {
    expect(await outcomeOf(() => 1)).toBe("accepted");
    expect(await outcomeOf(async () => undefined)).toBe("accepted");
  });

  it("reads a thrown or rejected ImAuthError as its code", async () => {
    expect(
      await outcomeOf(() => {
        throw new ImAuthError("ERR_SIGNATURE_INVALID", "no");
      }),
    ).toBe("ERR_SIGNATURE_INVALID");
    expect(await outcomeOf(() => Promise.reject(new ImAuthError("ERR_CREDENTIAL_EXPIRED", "old")))).toBe(
      "ERR_CREDENTIAL_EXPIRED",
    );
  });

  it("rethrows anything else, so a crash is never counted as a refusal", async () => {
    const crash = new TypeError("x is undefined");
    await expect(
      outcomeOf(() => {
        throw crash;
      }),
    ).rejects.toBe(crash);
    await expect(outcomeOf(() => Promise.reject("text"))).rejects.toBe("text");
  });
});
