// `turf rules …` and `turf sample-data` as an admin runs them, on the sample company.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Company, ROOT, sampleCompany, turf } from "./support.ts";

describe("turf rules on the sample company", () => {
  let company: Company;
  const dir = mkdtempSync(join(tmpdir(), "turf-cli-rules-"));
  beforeAll(async () => {
    company = await sampleCompany();
  });
  afterAll(async () => {
    await company.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it("round-trips `rules export > rules.yaml` through `rules add` with every rule kind", {
    timeout: 240_000,
  }, async () => {
    const added = await turf(["rules", "add", join(ROOT, "test/cli/every-kind-rules.yaml")], { company });
    expect(added.code).toBe(0);
    expect(added.stdout).toContain("added decision-northwind");
    const exported = await turf(["rules", "export"], { company });
    expect(exported.code).toBe(0);
    // LOG_LEVEL=info is on: the log line goes to stderr, the file stays pure YAML.
    expect(exported.stderr).toContain("database ready");
    const doc = parse(exported.stdout) as { rules: { id: string; kind: string }[] };
    expect(new Set(doc.rules.map((r) => r.kind))).toEqual(
      new Set(["decision", "manual", "named", "overlap", "territory"]),
    );
    const file = join(dir, "rules.yaml");
    writeFileSync(file, exported.stdout);
    const again = await turf(["rules", "add", file], { company });
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain("added");
    expect(again.stdout).toContain(`unchanged: ${doc.rules.map((r) => r.id).join(", ")}`);
    const reexported = await turf(["rules", "export"], { company });
    expect(reexported.stdout).toBe(readFileSync(file, "utf8"));
  });

  it("explains the README's example account and refuses sample-data on a non-empty database", {
    timeout: 120_000,
  }, async () => {
    // One at a time: an embedded database folder belongs to one process.
    const explain = await turf(["rules", "explain", "Globex Deutschland GmbH"], { company });
    const sample = await turf(["sample-data"], { company });
    expect(explain.code).toBe(0);
    expect(explain.stdout).toMatch(/^Globex Deutschland GmbH \(001000000000GLOBDE\): owned by /);
    expect(explain.stdout).toContain("rules today:");
    expect(sample.code).toBe(1);
    expect(sample.stderr).toContain("loads only into an empty database. Nothing was changed.");
    expect(sample.stderr).not.toMatch(/rule|\n\s+at /i);
  });
});
