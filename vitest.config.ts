import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Data-layer and Slack tests each open their own database; two cores run two files at once.
    pool: "forks",
    maxWorkers: 2,
  },
});
