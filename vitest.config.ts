import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
    // Any connection to a non-loopback address fails loudly: no test can reach (or hang on) a real platform.
    setupFiles: ["tests/helpers/loopback-guard.ts"],
  },
});
