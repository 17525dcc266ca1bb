import { vi } from "vitest";
import { usersigSuite } from "./suites/usersig.js";

// The Node build is the same sources with platform.ts replaced by platform.node.ts (tsdown.config.ts).
vi.mock("../src/platform.js", () => import("../src/platform.node.js"));

usersigSuite("Node", "node", async () => (await import("../src/platform.js")).PLATFORM);
