import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ImAuthError, utf8Decode, utf8Encode, zlibCompress, zlibDecompress } from "../src/index.js";

describe("zlib", () => {
  it("round-trips at every level and reads node:zlib output", () => {
    const text = utf8Encode(JSON.stringify({ "TLS.ver": "2.0", id: "好".repeat(50) }));
    for (const level of [0, 1, 6, 9] as const) {
      expect(utf8Decode(zlibDecompress(zlibCompress(text, level), { maxBytes: 4096 }))).toBe(
        utf8Decode(text),
      );
      expect(zlibDecompress(new Uint8Array(deflateSync(text, { level })), { maxBytes: 4096 })).toEqual(text);
    }
  });

  it("refuses a zlib bomb without inflating it", () => {
    const bomb = new Uint8Array(deflateSync(new Uint8Array(50 * 1024 * 1024)));
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => zlibDecompress(bomb, { maxBytes: 16_384 })).toThrowError(/more than 16384 bytes/);
  });

  it("checks the header and the Adler-32 trailer", () => {
    const good = new Uint8Array(deflateSync(utf8Encode("hello world")));
    const badSum = good.slice();
    badSum[badSum.length - 1]! ^= 1;
    expect(() => zlibDecompress(badSum, { maxBytes: 100 })).toThrowError(/checksum/);
    const badHeader = good.slice();
    badHeader[0] = 0x79;
    expect(() => zlibDecompress(badHeader, { maxBytes: 100 })).toThrowError(ImAuthError);
    expect(() => zlibDecompress(good.subarray(0, 8), { maxBytes: 100 })).toThrowError(ImAuthError);
    expect(() => zlibDecompress(new Uint8Array([1, 2, 3]), { maxBytes: 100 })).toThrowError(
      expect.objectContaining({ code: "ERR_MALFORMED_CREDENTIAL" }),
    );
  });
});
