#!/usr/bin/env node
// `npx turf …`: runs the compiled CLI (dist/, from `npm run build`) when it is there, as in a
// production image; otherwise the TypeScript sources through tsx, so development needs no build step.
// After changing sources, rebuild or delete dist/ so this does not run the previous build.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = join(root, "dist/cli/index.js");
const args = existsSync(built)
  ? [built, ...process.argv.slice(2)]
  : ["--import", "tsx", join(root, "src/cli/index.ts"), ...process.argv.slice(2)];
const result = spawnSync(process.execPath, args, { stdio: "inherit" });
process.exit(result.status ?? 1);
