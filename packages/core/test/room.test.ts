import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ROOM_PRIVILEGES, readRoomScope, refuseRoomScope } from "../src/adapter/index.js";
import { isImAuthError } from "../src/index.js";

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return isImAuthError(error) ? error.code : `untyped: ${String(error)}`;
  }
  return "accepted";
};

describe("readRoomScope", () => {
  it("fills in every privilege by default and orders a given list canonically", () => {
    expect(readRoomScope({ roomId: 1234 })).toEqual({ roomId: 1234, privileges: [...ROOM_PRIVILEGES] });
    expect(readRoomScope({ roomId: "r-1", privileges: ["publishVideo", "join", "join"] })).toEqual({
      roomId: "r-1",
      privileges: ["join", "publishVideo"],
    });
  });

  it("reads rtcUid as a decimal string, keeping 64-bit values whole", () => {
    expect(readRoomScope({ roomId: 1, rtcUid: 42 }).rtcUid).toBe("42");
    expect(readRoomScope({ roomId: 1, rtcUid: "18446744073709551615" }).rtcUid).toBe("18446744073709551615");
    expect(code(() => readRoomScope({ roomId: 1, rtcUid: -1 }))).toBe("ERR_INVALID_INPUT");
    expect(code(() => readRoomScope({ roomId: 1, rtcUid: "007" }))).toBe("ERR_INVALID_INPUT");
  });

  it("accepts the edges of the room ID ranges and refuses one past them", () => {
    expect(readRoomScope({ roomId: 0xffff_ffff }).roomId).toBe(0xffff_ffff);
    expect(readRoomScope({ roomId: "é".repeat(32) }).roomId).toHaveLength(32);
    expect(code(() => readRoomScope({ roomId: 2 ** 32 }))).toBe("ERR_INVALID_INPUT");
    expect(code(() => readRoomScope({ roomId: `${"é".repeat(32)}x` }))).toBe("ERR_INVALID_INPUT");
    expect(code(() => readRoomScope({ roomId: "a\uD800" }))).toBe("ERR_INVALID_INPUT");
  });

  it("answers any input with a scope or ERR_INVALID_INPUT, never another error", () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (roomId, privileges) => {
        const result = code(() => readRoomScope({ roomId, privileges }));
        expect(["accepted", "ERR_INVALID_INPUT"]).toContain(result);
      }),
    );
  });
});

describe("refuseRoomScope", () => {
  it("lets an absent scope through and refuses a valid one naming the vendor", () => {
    expect(() => refuseRoomScope(undefined, "acme", "no rooms")).not.toThrow();
    expect(() => refuseRoomScope({ roomId: 1 }, "acme", "no rooms")).toThrow(/acme cannot scope.*no rooms/);
    expect(code(() => refuseRoomScope({ roomId: 1 }, "acme", "no rooms"))).toBe("ERR_INVALID_INPUT");
  });
});
