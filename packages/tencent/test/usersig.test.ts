import { usersigSuite } from "./suites/usersig.js";

usersigSuite("portable", "portable", async () => (await import("../src/platform.js")).PLATFORM);
