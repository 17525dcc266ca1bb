import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anyKeyMatches, keyList, MAX_KEYS } from "../src/adapter/index.js";
import { ImAuthError, Secret } from "../src/index.js";

describe("keyList", () => {
  it("reads one key, a Secret and a list, first key first", () => {
    expect(keyList("k1", "secretKey")).toEqual(["k1"]);
    expect(keyList(new Secret("k2"), "secretKey")).toEqual(["k2"]);
    expect(keyList(["new", new Secret("old")], "secretKey")).toEqual(["new", "old"]);
  });

  it("refuses an empty list, empty keys, non-strings and too many keys with ERR_INVALID_CONFIG", () => {
    for (const bad of [[], "", [""], ["ok", 5], [null], 42, undefined, {}, Array(MAX_KEYS + 1).fill("k")]) {
      expect(() => keyList(bad, "secretKey")).toThrow(ImAuthError);
      try {
        keyList(bad, "secretKey");
      } catch (error) {
        expect((error as ImAuthError).code).toBe("ERR_INVALID_CONFIG");
        expect((error as ImAuthError).message).toContain("secretKey");
      }
    }
  });

  it("takes the code to throw and names the position, never the value", () => {
    try {
      keyList(["s3cr3t-value", ""], "callbackToken", { code: "ERR_INVALID_INPUT" });
      expect.unreachable();
    } catch (error) {
      expect((error as ImAuthError).code).toBe("ERR_INVALID_INPUT");
      expect((error as ImAuthError).message).toContain("callbackToken[1]");
      expect((error as ImAuthError).message).not.toContain("s3cr3t");
    }
    expect(() => keyList("x".repeat(65), "key", { maxLength: 64 })).toThrow(/at most 64/);
  });

  it("never throws anything but ImAuthError on arbitrary input", () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        try {
          const keys = keyList(value, "key");
          expect(keys.length).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(ImAuthError);
        }
      }),
    );
  });
});

describe("anyKeyMatches", () => {
  it("tries every key, even after a match", () => {
    const tried: string[] = [];
    const ok = anyKeyMatches(["a", "b", "c"], (key) => {
      tried.push(key);
      return key === "a";
    });
    expect(ok).toBe(true);
    expect(tried).toEqual(["a", "b", "c"]);
    expect(anyKeyMatches(["a", "b"], () => false)).toBe(false);
  });
});
