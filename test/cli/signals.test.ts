// `turf signal add | import | queue` as an admin runs them, on the sample company.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Company, sampleCompany, turf } from "./support.ts";

describe("turf signal on the sample company", () => {
  let company: Company;
  const dir = mkdtempSync(join(tmpdir(), "turf-cli-signals-"));
  beforeAll(async () => {
    company = await sampleCompany();
  });
  afterAll(async () => {
    await company.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it("adds one signal, routes it to the rep of record, and refuses a bad one with the option named", {
    timeout: 120_000,
  }, async () => {
    const added = await turf(
      ["signal", "add", "--account", "globex.com", "--type", "funding", "--strength", "5", "--id", "cli-1"],
      { company },
    );
    expect(added.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^routed\t.+\tDana Whitfield is the rep of record/);
    const bad = await turf(
      ["signal", "add", "--account", "globex.com", "--type", "funding", "--strength", "9"],
      {
        company,
      },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--strength must be a whole number from 1/);
    const typo = await turf(["signal", "add", "--acount", "x"], { company });
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toMatch(/--account/);
  });

  it("imports a file only when every row is valid and every account known, naming each problem's line", {
    timeout: 120_000,
  }, async () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(
      bad,
      [
        "id,account,type,strength,occurred_at,source",
        "f-1,globex.com,funding,4,2026-11-01T10:00:00Z,Crunchbase",
        "f-2,zzqx-no-such-company-widgets,funding,4,2026-11-01T10:00:00Z,Crunchbase",
        "f-3,globex.de,vibes,4,2026-11-01T10:00:00Z,Crunchbase",
      ].join("\n"),
    );
    const refused = await turf(["signal", "import", bad], { company });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('line 3: no account matches "zzqx-no-such-company-widgets"');
    expect(refused.stderr).toMatch(/line 4: type must be one of/);

    const good = join(dir, "good.csv");
    writeFileSync(
      good,
      [
        "id,account,type,strength,occurred_at,source,product_line",
        "g-1,globex.com,meeting_accepted,4,2026-11-01T10:00:00Z,Calendar,",
        "g-2,brightpathhealth.com,third_party_intent,3,2026-11-01T11:00:00Z,Bombora,",
      ].join("\n"),
    );
    const dry = await turf(["signal", "import", good, "--dry-run"], { company });
    expect(dry.stdout).toContain("2 signals would be imported");
    // The same file through `turf import signals`, as the other CSV kinds are imported.
    const dryImport = await turf(["import", "signals", good, "--dry-run"], { company });
    expect(dryImport.code).toBe(0);
    expect(dryImport.stdout).toContain("2 signals would be imported");
    const imported = await turf(["signal", "import", good], { company });
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/Imported 2 signals: 2 routed/);
    const again = await turf(["signal", "import", good], { company });
    expect(again.stdout).toMatch(/2 already received/);
  });

  it("lists the RevOps queue as CSV on stdout", { timeout: 60_000 }, async () => {
    const queue = await turf(["signal", "queue"], { company });
    expect(queue.code).toBe(0);
    expect(queue.stdout.split("\n")[0]).toBe("received_at,id,account,type,source,reason");
  });
});
