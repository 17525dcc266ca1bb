import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { z } from "zod/mini";
import {
  assertInteger,
  assertNonEmptyString,
  assertUserId,
  parseConfig,
  readClock,
  redactable,
} from "../src/adapter/index.js";
import { ImAuthError, isImAuthError, Secret } from "../src/index.js";

describe("ImAuthError", () => {
  it("carries name, code, cause and vendor details", () => {
    const cause = new Error("socket hang up");
    const e = new ImAuthError("ERR_VENDOR_API", "the API said no", {
      cause,
      vendorCode: 70001,
      vendorMessage: "usersig expired",
      status: 200,
    });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("ImAuthError");
    expect(e.code).toBe("ERR_VENDOR_API");
    expect(e.cause).toBe(cause);
    expect(e.vendorCode).toBe(70001);
    expect(e.vendorMessage).toBe("usersig expired");
    expect(e.status).toBe(200);
    expect(isImAuthError(e, "ERR_VENDOR_API")).toBe(true);
    expect(isImAuthError(e, "ERR_NETWORK")).toBe(false);
    expect(isImAuthError(new Error("x"))).toBe(false);
    expect(isImAuthError({ name: "ImAuthError", code: "ERR_NETWORK" })).toBe(true);
  });
});

describe("validators", () => {
  it("checks user IDs by UTF-8 length and content", () => {
    expect(() => assertUserId("alice")).not.toThrow();
    expect(() => assertUserId("好".repeat(10), { maxBytes: 30 })).not.toThrow();
    expect(() => assertUserId("好".repeat(11), { maxBytes: 32 })).toThrowError(/at most 32 bytes, got 33/);
    expect(() => assertUserId("")).toThrowError(/must not be empty/);
    expect(() => assertUserId(7)).toThrowError(/must be a string, got number/);
    expect(() => assertUserId("a\nb")).toThrowError(/control characters/);
  });

  it("checks integers and ranges", () => {
    expect(() => assertInteger(5, "ttl", { min: 1, max: 10 })).not.toThrow();
    expect(() => assertInteger(0, "ttl")).toThrowError(/between 1 and/);
    expect(() => assertInteger(1.5, "ttl")).toThrowError(/got a non-integer number/);
    expect(() => assertInteger(Number.NaN, "ttl")).toThrowError(/got NaN/);
    expect(() => assertInteger("5", "ttl")).toThrowError(/got string/);
  });

  it("never echoes a secret that fails validation", () => {
    const secret = "x".repeat(5000);
    try {
      assertNonEmptyString(secret, "secretKey");
      expect.unreachable();
    } catch (e) {
      expect((e as ImAuthError).code).toBe("ERR_INVALID_CONFIG");
      expect((e as Error).message).not.toContain("xxxx");
    }
  });

  it("parseConfig reports fields and expectations, never values", () => {
    const schema = z.object({ appKey: z.string().check(z.minLength(3)), port: z.number() });
    expect(parseConfig(schema, { appKey: "abcd", port: 1 }, "options")).toEqual({ appKey: "abcd", port: 1 });
    try {
      parseConfig(schema, { appKey: "s3", port: "sekrit-port" }, "test options");
      expect.unreachable();
    } catch (e) {
      expect((e as ImAuthError).code).toBe("ERR_INVALID_CONFIG");
      expect((e as Error).message).toMatch(/invalid test options: appKey: too small.*port: expected number/);
      expect((e as Error).message).not.toContain("sekrit");
    }
  });

  it("readClock refuses clocks that do not return epoch milliseconds", () => {
    expect(readClock(() => 5)).toBe(5);
    for (const bad of [Number.NaN, -1, "1" as unknown as number, Number.POSITIVE_INFINITY]) {
      expect(() => readClock(() => bad)).toThrowError(
        expect.objectContaining({ code: "ERR_INVALID_CONFIG" }),
      );
    }
  });
});

describe("secrets", () => {
  it("Secret never shows its value", () => {
    const s = new Secret("top-secret-value");
    expect(JSON.stringify({ s })).toBe('{"s":"[redacted]"}');
    expect(String(s)).toBe("[redacted]");
    expect(`${s}`).toBe("[redacted]");
    expect(inspect(s)).not.toContain("top-secret");
    expect(inspect({ nested: { s } }, { depth: 5 })).not.toContain("top-secret");
    expect(s.reveal()).toBe("top-secret-value");
  });

  it("redactable shows only primitive fields", () => {
    const key = "hidden-key-material";
    const p = redactable({ vendor: "x", appId: "1", sign: () => key });
    expect(JSON.parse(JSON.stringify(p))).toEqual({ vendor: "x", appId: "1" });
    expect(String(p)).toBe("[ImAuth]");
    expect(inspect(p)).toBe('ImAuth {"vendor":"x","appId":"1"}');
    expect(inspect(p)).not.toContain(key);
  });
});
