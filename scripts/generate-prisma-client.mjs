// Generates the Prisma client into src/generated/prisma on `npm install`.
//
// Why this script exists: the Prisma CLI checks for its native schema engine at start-up and tries to
// download it, which fails on machines without internet access. `prisma generate` never uses that
// engine, so pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing executable lets generation run
// offline. Queries run through driver adapters (PGlite or pg), so no native engine is needed at run time.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = existsSync("/bin/true") ? "/bin/true" : process.execPath;
}
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
env.CHECKPOINT_DISABLE = "1";

const result = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "generate"], {
  env,
  stdio: "inherit",
});
if (result.status !== 0) {
  console.error("Turf: generating the Prisma client failed (see above).");
  process.exit(result.status ?? 1);
}
