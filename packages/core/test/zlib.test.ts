import { deflateSync, inflateSync } from "node:zlib";

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { utf8Decode, utf8Encode } from "../src/adapter/index.js";
import { zlibCompress } from "../src/deflate.js";
import { ImAuthError, isImAuthError } from "../src/index.js";
import { zlibDecompress, zlibStore } from "../src/zlib.js";

const inflate = (b: Uint8Array, max = 1 << 20) => zlibDecompress(b, { maxBytes: max, what: "input" });
const rejects = (b: Uint8Array, max = 1 << 20) => {
  try {
    inflate(b, max);
  } catch (error) {
    expect(isImAuthError(error, "ERR_MALFORMED_CREDENTIAL")).toBe(true);
    return;
  }
  throw new Error("accepted");
};

describe("strict zlib reader", () => {
  it("inflates what node:zlib writes at every level and strategy", () => {
    const text = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }),
      fc.string({ maxLength: 2000 }).map((s) => new TextEncoder().encode(s.repeat(3))),
    );
    fc.assert(
      fc.property(
        text,
        fc.integer({ min: 0, max: 9 }),
        fc.constantFrom(0, 1, 2, 3, 4),
        (data, level, strategy) => {
          const packed = deflateSync(data, { level, strategy });
          expect(Buffer.from(inflate(packed))).toEqual(Buffer.from(data));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("writes stored blocks node:zlib reads, including several blocks", () => {
    for (const n of [0, 1, 65535, 65536, 200_000]) {
      const data = new Uint8Array(n).map((_, i) => (i * 7) & 255);
      const packed = zlibStore(data);
      expect(Buffer.from(inflateSync(packed))).toEqual(Buffer.from(data));
      expect(Buffer.from(inflate(packed))).toEqual(Buffer.from(data));
    }
  });

  it("rejects what zlib would tolerate: padding bits, trailing data, preset dictionaries", () => {
    const packed = zlibStore(new TextEncoder().encode("hello"));
    const padded = Uint8Array.from(packed);
    padded[2] = 0x09; // a stored-block header with a padding bit set: zlib ignores it
    expect(inflateSync(padded).toString()).toBe("hello");
    rejects(padded);
    rejects(Uint8Array.from([...packed, 0]));
    const huffman = deflateSync(Buffer.from("hello hello hello"), { level: 9 });
    const tail = huffman.length - 5; // the last deflate byte, before the checksum
    const bits = huffman[tail]!;
    const dirty = Uint8Array.from(huffman);
    expect(bits & 0x80).toBe(0);
    dirty[tail] = bits | 0x80; // a padding bit after the final block: zlib ignores it too
    expect(inflateSync(dirty).toString()).toBe("hello hello hello");
    rejects(dirty);
    const withDictionary = deflateSync(Buffer.from("hello"), { dictionary: Buffer.from("hello") });
    rejects(withDictionary);
  });

  it("rejects bad checksums, truncation and bad headers", () => {
    const packed = deflateSync(Buffer.from("hello hello hello"));
    const badSum = Uint8Array.from(packed);
    badSum[badSum.length - 1]! ^= 1;
    rejects(badSum);
    for (let n = 0; n < packed.length; n++) rejects(packed.subarray(0, n));
    rejects(Uint8Array.from([0x78, 0x9d, ...packed.subarray(2)]));
    rejects(Uint8Array.from([0x79, ...packed.subarray(1)]));
  });

  it("caps the output", () => {
    const data = new Uint8Array(10_000);
    for (const level of [0, 6]) {
      const packed = deflateSync(data, { level });
      expect(inflate(packed, 10_000).length).toBe(10_000);
      rejects(packed, 9_999);
    }
  });

  it("never throws anything but ImAuthError on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, header) => {
        const input = header ? Uint8Array.from([0x78, 0x9c, ...bytes]) : bytes;
        try {
          inflate(input, 4096);
        } catch (error) {
          if (!isImAuthError(error)) throw error;
        }
      }),
      { numRuns: 5000 },
    );
  });
});

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
