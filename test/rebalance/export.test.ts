import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { runCli } from "../../src/cli/program.ts";
import { csvCell, formatPreview, MOVE_COLUMNS } from "../../src/services/rebalance/export-preview.ts";
import type { MoveLine, RebalancePreview } from "../../src/services/rebalance/preview-rebalance.ts";
import { loadSampleData } from "../../src/services/sample-data.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";

const NOW = new Date("2026-11-02T09:00:00Z");

function move(over: Partial<MoveLine>): MoveLine {
  return {
    accountId: "a1",
    accountName: "Acme, Inc.",
    crmId: "001ACME",
    fromRepId: "r1",
    fromName: "Alex Brennan",
    toRepId: "r2",
    toName: "Riley Okafor",
    index: 72.5,
    factors: {
      icpFit: { raw: 4, points: 40 },
      sizeBand: { raw: "MM", points: 20 },
      openOpportunities: { raw: 1, band: "warm", points: 10 },
      fromCapacityWeight: 1,
      toCapacityWeight: 0.5,
      reason: "balance",
      locked: false,
      named: false,
    },
    appliedAt: null,
    heldReason: null,
    ...over,
  };
}

const figures = { indexTotal: 100, adjustedTotal: 100, accountCount: 2, openPipeline: 0, coverage: null };
const preview: RebalancePreview = {
  id: "11111111-1111-4111-8111-111111111111",
  quarter: "FY2027-Q1",
  mode: "quarterly",
  status: "draft",
  effectiveFrom: new Date("2027-01-01T00:00:00Z"),
  createdAt: NOW,
  createdBy: "test",
  summary: {
    reps: [
      {
        repId: "r1",
        name: "Alex | Brennan",
        slackUserId: null,
        capacityWeight: 1,
        quota: null,
        before: figures,
        after: { ...figures, indexTotal: 27.5, adjustedTotal: 27.5, accountCount: 1 },
      },
    ],
    spreadBefore: null,
    spreadAfter: 1.02,
    moveCount: 2,
    fromScratchMoveCount: 5,
    withinTolerance: true,
    trigger: {
      rebalance: true,
      measure: "adjusted_total",
      relativeRange: 1.5,
      reason: "Coverage variance 150 % is above the 25 % trigger.",
    },
    excluded: { unowned: 3, ownerOutsideDraft: 0 },
    lockedAccounts: 4,
  },
  moves: [
    move({}),
    move({ accountId: "a2", accountName: '=HYPERLINK("x")', crmId: "002", fromName: null, fromRepId: null }),
  ],
};

describe("csvCell", () => {
  it.each([
    ["plain", "plain"],
    ["Acme, Inc.", '"Acme, Inc."'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["=1+1", "'=1+1"],
    ["-5", "'-5"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["", ""],
  ])("%j → %j", (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });
});

describe("formatPreview", () => {
  it("CSV: one row per move with the four factors, parseable back to the same values", () => {
    const rows = parse(formatPreview(preview, "csv", "UTC"), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual([...MOVE_COLUMNS]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      account_name: "Acme, Inc.",
      from_rep: "Alex Brennan",
      to_rep: "Riley Okafor",
      allocation_index: "72.50",
      icp_fit: "4",
      icp_points: "40.00",
      size_band: "MM",
      open_opportunities: "1",
      opportunity_band: "warm",
      from_capacity_weight: "1",
      to_capacity_weight: "0.5",
    });
    expect(rows[1]).toMatchObject({ account_name: `'=HYPERLINK("x")`, from_rep: "" });
  });

  it("Markdown: summary bullets, a per-rep table and a moves table with pipes escaped", () => {
    const md = formatPreview(preview, "markdown", "UTC");
    expect(md).toMatch(/^# Rebalance FY2027-Q1 \(quarterly, draft\)/);
    expect(md).toContain("- Spread of capacity-adjusted totals (max ÷ min): unbounded → 1.02.");
    expect(md).toContain("| Alex \\| Brennan | 1.0 | 100.0 | 27.5 |");
    expect(md).toContain(
      "| Acme, Inc. | 001ACME | Alex Brennan | Riley Okafor | 72.5 | 4/5 = 40.0 | MM = 20.0 | 1 warm = 10.0 | 1 → 0.5 |",
    );
    expect(md).toContain("(white space)");
  });
});

describe("turf rebalance preview and turf report health", () => {
  let db: TestDatabase;
  const out: string[] = [];
  const err: string[] = [];
  const turf = (args: string[]) =>
    runCli(args, { database: db, env: {}, now: NOW, out: (l) => out.push(l), err: (l) => err.push(l) });
  beforeAll(async () => {
    db = await freshDatabase("embedded");
    await loadSampleData(db.prisma, NOW);
  });
  afterAll(async () => db.drop());

  it("exports the stored preview as CSV to a file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "turf-export-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "preview.csv");
    expect(await turf(["rebalance", "preview", "--format", "csv", "--out", file])).toBe(0);
    const rows = parse(readFileSync(file, "utf8"), { columns: true }) as Record<string, string>[];
    const stored = await db.prisma.rebalance.findFirstOrThrow({
      orderBy: { createdAt: "desc" },
      include: { moves: true },
    });
    expect(rows).toHaveLength(stored.moves.length);
    expect(new Set(rows.map((r) => r.account_crm_id)).size).toBe(rows.length);
    expect(err.at(-1)).toContain(`rebalance ${stored.id} (${stored.moves.length} moves)`);
  });

  it("prints Markdown for a named quarter and refuses one that has started", async () => {
    expect(await turf(["rebalance", "preview", "--quarter", "FY2027-Q2", "--format", "markdown"])).toBe(0);
    expect(out.at(-1)).toMatch(/^# Rebalance FY2027-Q2/);
    expect(await turf(["rebalance", "preview", "--quarter", "FY2026-Q4"])).toBe(1);
    expect(err.at(-1)).toMatch(/already started/);
    expect(await turf(["rebalance", "preview", "--format", "xlsx"])).toBe(2);
  });

  it("prints territory health with the guide's bands and quota per territory", async () => {
    expect(
      await turf(["report", "health", "--team-quota", "24000000", "--type", "EMEA=new_low_density"]),
    ).toBe(0);
    const text = out.at(-1) ?? "";
    expect(text).toContain("Quota per territory");
    expect(text).toMatch(/EMEA\s+new_low_density\s+0\.7/);
    expect(text).toMatch(/below 2\.5x: cannot make the number|3–5x: healthy/);
    expect(await turf(["report", "health", "--coefficient", "EMEA=2"])).toBe(0);
    expect(out.at(-1)).toContain("No team quota set");
  });
});
