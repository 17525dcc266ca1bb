// Runs the official agora-token builders with the issue time and salt fixed, the way the vectors were made:
// Date.now/new Date() at issueTs seconds, Math.random giving the salt (salt = floor(random * 99999999) + 1).
import { createRequire } from "node:module";
import { vi } from "vitest";

const require = createRequire(import.meta.url);

/** The official package's builders (CommonJS). */
export const official = require("agora-token") as typeof import("agora-token");

/** Runs `build` with the official builders' clock at `issueTs` seconds and their salt at `salt`. */
export function withFixedClockAndSalt<T>(issueTs: number, salt: number, build: () => T): T {
  vi.useFakeTimers({ toFake: ["Date"], now: issueTs * 1000 });
  const random = vi.spyOn(Math, "random").mockReturnValue((salt - 0.5) / 99_999_999);
  try {
    return build();
  } finally {
    random.mockRestore();
    vi.useRealTimers();
  }
}

/** The official AccessToken2 class (parser and signature check). */
export const OfficialAccessToken2 = (
  require("agora-token/src/AccessToken2.js") as {
    AccessToken2: new () => {
      from_string(token: string): boolean;
      verifySignature(certificate: string): boolean;
    };
  }
).AccessToken2;
