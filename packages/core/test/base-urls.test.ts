import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readBaseUrls } from "../src/adapter/index.js";
import { isImAuthError } from "../src/index.js";

const REGIONS = {
  cn: ["https://cn.example/api/", "https://cn-backup.example/api/"],
  sg: ["https://sg.example/"],
};

describe("readBaseUrls", () => {
  it("gives the default region, a named region, or the baseUrl list (primary first, normalised)", () => {
    expect(readBaseUrls(undefined, undefined, REGIONS, "cn")).toEqual(REGIONS.cn);
    expect(readBaseUrls("sg", undefined, REGIONS, "cn")).toEqual(REGIONS.sg);
    expect(readBaseUrls(undefined, ["http://127.0.0.1:1/v1", "https://b.example"], REGIONS, "cn")).toEqual([
      "http://127.0.0.1:1/v1/",
      "https://b.example/",
    ]);
  });

  it("refuses both, an unknown region, an empty or overlong list, naming the option", () => {
    for (const [region, baseUrl, message] of [
      ["cn", "https://a.example/", /either region or baseUrl/],
      ["toString", undefined, /region must be one of cn, sg/],
      [undefined, [], /baseUrl must be a URL or a list of 1 to 8 URLs/],
      [undefined, Array(9).fill("https://a.example/"), /1 to 8/],
    ] as const) {
      expect(() => readBaseUrls(region, baseUrl, REGIONS, "cn")).toThrow(message);
    }
  });

  it("answers any configuration with URLs or ERR_INVALID_CONFIG", () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (region, baseUrl) => {
        try {
          expect(readBaseUrls(region, baseUrl, REGIONS, "cn").length).toBeGreaterThan(0);
        } catch (error) {
          expect(isImAuthError(error) && error.code).toBe("ERR_INVALID_CONFIG");
        }
      }),
    );
  });
});
