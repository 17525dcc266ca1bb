import { defineConfig } from "vitest/config";

// The test runs the demo as users do (node on the built packages), so no source aliases here.
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], testTimeout: 90_000 },
});
