import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  base64Decode,
  base64Encode,
  constantTimeEqual,
  hexDecode,
  hexEncode,
  tencentBase64Decode,
  tencentBase64Encode,
  utf8Decode,
  utf8Encode,
} from "../src/adapter/index.js";
import { ImAuthError } from "../src/index.js";

const tencentOf = (b: Uint8Array) =>
  Buffer.from(b).toString("base64").replaceAll("+", "*").replaceAll("/", "-").replaceAll("=", "_");

describe("base64", () => {
  it("matches Node's Buffer on random bytes, both ways", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const b64 = Buffer.from(bytes).toString("base64");
        expect(base64Encode(bytes)).toBe(b64);
        expect(base64Decode(b64)).toEqual(bytes);
        expect(tencentBase64Encode(bytes)).toBe(tencentOf(bytes));
        expect(tencentBase64Decode(tencentOf(bytes))).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it("follows RFC 4648 test vectors", () => {
    const vectors: Array<[string, string]> = [
      ["", ""],
      ["f", "Zg=="],
      ["fo", "Zm8="],
      ["foo", "Zm9v"],
      ["foob", "Zm9vYg=="],
      ["fooba", "Zm9vYmE="],
      ["foobar", "Zm9vYmFy"],
    ];
    for (const [plain, encoded] of vectors) {
      expect(base64Encode(utf8Encode(plain))).toBe(encoded);
      expect(utf8Decode(base64Decode(encoded))).toBe(plain);
    }
  });

  it("maps + / = to * - _ in the Tencent variant and keeps padding", () => {
    expect(tencentBase64Encode(new Uint8Array([0xfb, 0xff]))).toBe("*-8_");
    expect(tencentBase64Decode("*-8_")).toEqual(new Uint8Array([0xfb, 0xff]));
  });

  it("rejects malformed input with ERR_INVALID_INPUT", () => {
    for (const bad of ["Zg=", "Z", "Zm9v!", "Zh==", "Zg==Zg==", "Zm9v\n", "é"]) {
      expect(() => base64Decode(bad), bad).toThrowError(
        expect.objectContaining({ code: "ERR_INVALID_INPUT" }),
      );
    }
    expect(() => tencentBase64Decode("Zm+v")).toThrowError(ImAuthError);
    expect(() => tencentBase64Decode("Zg==")).toThrowError(ImAuthError);
  });

  it("never throws anything but ImAuthError on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 64 }), (text) => {
        for (const decode of [base64Decode, tencentBase64Decode]) {
          try {
            decode(text);
          } catch (e) {
            expect(e).toBeInstanceOf(ImAuthError);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("hex", () => {
  it("matches Node's Buffer", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const hex = Buffer.from(bytes).toString("hex");
        expect(hexEncode(bytes)).toBe(hex);
        expect(hexDecode(hex)).toEqual(bytes);
        expect(hexDecode(hex.toUpperCase())).toEqual(bytes);
      }),
    );
  });

  it("rejects odd lengths and non-hex characters", () => {
    for (const bad of ["a", "zz", "0x12", "12 3"]) {
      expect(() => hexDecode(bad)).toThrowError(expect.objectContaining({ code: "ERR_INVALID_INPUT" }));
    }
  });
});

describe("utf8", () => {
  it("round-trips any string of well-formed code points", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        expect(utf8Decode(utf8Encode(text))).toBe(text);
        expect(utf8Encode(text)).toEqual(new Uint8Array(Buffer.from(text, "utf8")));
      }),
    );
  });

  it("is strict by default and lenient on request", () => {
    const invalid = new Uint8Array([0xff, 0x61]);
    expect(() => utf8Decode(invalid)).toThrowError(TypeError);
    expect(utf8Decode(invalid, false)).toBe("\ufffda");
  });
});

describe("constantTimeEqual", () => {
  it("agrees with plain equality", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(Buffer.from(a).equals(Buffer.from(b)));
        expect(constantTimeEqual(a, a.slice())).toBe(true);
      }),
    );
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "ab")).toBe(false);
  });
});
