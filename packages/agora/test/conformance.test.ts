import { registerConformanceTests } from "@imauth/core/testing";
import { describe, it } from "vitest";
import { harnessFor } from "./harness.js";

// The conformance suite runs on the "chat" and "rtm" products. An "rtc" provider issues nothing but room
// tokens (an RTC token is always for a channel), so the suite's room-less checks would fail it by design; its
// behaviour is tested in provider.test.ts, including the suite's room checks.

describe("chat", () => registerConformanceTests(harnessFor("chat"), it));
describe("rtm", () => registerConformanceTests(harnessFor("rtm"), it));
