import { defineConfig } from "vitest/config";

// The recipes run as users run them: on the built packages (Deno, Bun and workerd load them from dist/ too),
// so no source aliases here.
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 240_000 },
});
