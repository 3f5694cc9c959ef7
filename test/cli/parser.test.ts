// The command line itself: help, version, strict parsing, stdout for data only.
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { turf } from "./support.ts";

describe("turf's command line", () => {
  it("prints help at every level, exit 0, without opening the database", { timeout: 120_000 }, async () => {
    const dataDir = join(tmpdir(), `turf-cli-never-${process.pid}`);
    const company = { env: { TURF_DATA_DIR: dataDir }, remove: async () => {} };
    const runs = await Promise.all([
      turf(["--help"], { company }),
      turf(["rules", "--help"], { company }),
      turf(["rebalance", "preview", "--help"], { company }),
      turf(["help", "import"], { company }),
    ]);
    for (const run of runs) {
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: turf/);
    }
    expect(runs[0]?.stdout).toContain("rules");
    expect(runs[2]?.stdout).toContain("--quarter <quarter>");
    expect(existsSync(dataDir)).toBe(false);
  });

  it("rejects unknown flags, commands and extra arguments with a suggestion, exit 2", {
    timeout: 120_000,
  }, async () => {
    const [flag, command, sub, extra, version] = await Promise.all([
      turf(["rules", "reevaluate", "--dry-rn"]),
      turf(["rulez"]),
      turf(["rules", "lst"]),
      turf(["migrate", "now"]),
      turf(["--version"]),
    ]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("unknown option '--dry-rn'");
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("Did you mean rules?");
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain("Did you mean list?");
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain("too many arguments");
    for (const run of [flag, command, sub, extra]) expect(run.stdout).toBe("");
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
