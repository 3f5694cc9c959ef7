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
    // Each worker keeps its loaded modules from one file to the next: loading Prisma, PGlite and Bolt
    // again for every file cost about a quarter of the suite (471–502 s isolated, 354 s not, on a
    // slow 2-core machine). Safe while tests share no module state: caches are keyed by database
    // client, and no test mocks modules or changes the environment.
    isolate: false,
  },
});
