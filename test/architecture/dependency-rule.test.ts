// The dependency rule (.dependency-cruiser.cjs) must be able to fail: run it on a tiny tree with one
// deliberate violation per rule and check each is reported, and on a tree that follows the rule and
// check it passes. `npm test` runs the same config over src/ (npm run depcheck).
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";

const run = promisify(execFile);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const depcruise = join(repo, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");
const config = join(repo, ".dependency-cruiser.cjs");

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    module: "NodeNext",
    moduleResolution: "NodeNext",
    allowImportingTsExtensions: true,
    noEmit: true,
    types: [],
  },
});

/** A tree that follows the rule: each layer imports only inward. */
const LAWFUL: Record<string, string> = {
  "src/config/clock.ts": "export const now = () => 0;\n",
  "src/domain/model.ts": "export type Rep = { id: string };\n",
  "src/domain/rules.ts": 'import type { Rep } from "./model.ts";\nexport const first = (r: Rep[]) => r[0];\n',
  "src/db/reps.ts": 'import type { Rep } from "../domain/model.ts";\nexport const reps: Rep[] = [];\n',
  "src/services/reps.ts":
    'import { reps } from "../db/reps.ts";\nimport { first } from "../domain/rules.ts";\nexport const pick = () => first(reps);\n',
  "src/slack/listeners/pick.ts":
    'import { pick } from "../../services/reps.ts";\nexport const on = () => pick();\n',
  "src/jobs/tick.ts": 'import { pick } from "../services/reps.ts";\nexport const tick = () => pick();\n',
};

/** One deliberate violation per rule, each in its own file so the report names it. */
const VIOLATIONS: Record<string, { file: string; source: string }> = {
  "domain-is-pure": {
    file: "src/domain/bad-db.ts",
    source: 'import { reps } from "../db/reps.ts";\nexport const x = reps;\n',
  },
  "domain-no-io": {
    file: "src/domain/bad-io.ts",
    source: 'import { readFileSync } from "node:fs";\nexport const x = readFileSync;\n',
  },
  "db-below-use-cases": {
    file: "src/db/bad.ts",
    source: 'import { pick } from "../services/reps.ts";\nexport const x = pick;\n',
  },
  "services-below-adapters": {
    file: "src/services/bad.ts",
    source: 'import { on } from "../slack/listeners/pick.ts";\nexport const x = on;\n',
  },
  "jobs-not-listeners": {
    file: "src/jobs/bad.ts",
    source: 'import { on } from "../slack/listeners/pick.ts";\nexport const x = on;\n',
  },
  "slack-through-services": {
    file: "src/slack/bad.ts",
    source: 'import { reps } from "../db/reps.ts";\nexport const x = reps;\n',
  },
  "config-stands-alone": {
    file: "src/config/bad.ts",
    source: 'import type { Rep } from "../domain/model.ts";\nexport type X = Rep;\n',
  },
  "no-cycles": {
    file: "src/domain/cycle-a.ts",
    source: 'import { b } from "./cycle-b.ts";\nexport const a = () => b;\n',
  },
};
const CYCLE_PARTNER = {
  file: "src/domain/cycle-b.ts",
  source: 'import { a } from "./cycle-a.ts";\nexport const b = () => a;\n',
};

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function tree(files: Record<string, string>): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), "turf-depcruise-"));
  await writeFile(join(dir, "tsconfig.json"), TSCONFIG);
  for (const [path, source] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), source);
  }
  return dir;
}

async function check(cwd: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(
      process.execPath,
      [depcruise, "src", "--config", config, "--output-type", "err"],
      {
        cwd,
      },
    );
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

describe("the dependency rule", () => {
  it("passes a tree whose layers import only inward", async () => {
    const result = await check(await tree(LAWFUL));
    expect(result.output).toContain("no dependency violations found");
    expect(result.code).toBe(0);
  });

  it("fails on a deliberate violation of every rule, naming the rule and the file", async () => {
    const files = { ...LAWFUL, [CYCLE_PARTNER.file]: CYCLE_PARTNER.source };
    for (const violation of Object.values(VIOLATIONS)) files[violation.file] = violation.source;
    const result = await check(await tree(files));
    expect(result.code).not.toBe(0);
    for (const [rule, violation] of Object.entries(VIOLATIONS)) {
      expect(result.output).toMatch(new RegExp(`error ${rule}: ${violation.file.replaceAll(".", "\\.")}`));
    }
  });
});
