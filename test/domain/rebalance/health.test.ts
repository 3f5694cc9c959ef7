import { describe, expect, it } from "vitest";
import {
  coverageBand,
  quotaByTerritory,
  sumFigures,
  territoryHealth,
} from "../../../src/domain/rebalance/health.ts";

describe("coverageBand", () => {
  it.each([
    [null, "no_quota"],
    [1.8, "cannot_make_number"],
    [2.49, "cannot_make_number"],
    [2.5, "thin"],
    [2.99, "thin"],
    [3, "healthy"],
    [5, "healthy"],
    [5.5, "heavy"],
    [6, "heavy"],
    [6.01, "stale"],
  ] as const)("%s → %s", (coverage, band) => {
    expect(coverageBand(coverage)).toBe(band);
  });
});

describe("territoryHealth", () => {
  const figures = { openPipeline: 800_000, quota: 200_000, wonAmount: 150_000, wonCount: 3, lostCount: 9 };

  it("computes the guide's four metrics", () => {
    const h = territoryHealth(figures);
    expect(h.coverage).toBe(4);
    expect(h.band).toBe("healthy");
    expect(h.winRate).toBe(0.25);
    expect(h.averageDealSize).toBe(50_000);
    expect(h.attainment).toBe(0.75);
  });

  it("scores by the documented formula", () => {
    // coverage 1, win rate 0.25/0.25 = 1, attainment 0.8/1, deal size neutral 0.5 → 89
    expect(territoryHealth({ ...figures, wonAmount: 160_000 }).score).toBe(89);
    // Halfway through the period, 75 % attained is ahead of pace.
    expect(territoryHealth(figures, { periodElapsed: 0.5, teamAverageDealSize: 40_000 }).score).toBe(100);
  });

  it.each([
    [1.8, 0.4],
    [4, 1],
    [6.5, 0.75],
    [12, 0.5],
  ])("coverage %d gives the coverage component %d", (coverage, component) => {
    const h = territoryHealth({
      openPipeline: coverage * 100,
      quota: 100,
      wonAmount: 0,
      wonCount: 0,
      lostCount: 0,
    });
    expect(h.components.coverage).toBeCloseTo(component, 10);
  });

  it("ranks a starved territory below a healthy one", () => {
    const starved = territoryHealth({ ...figures, openPipeline: 360_000 });
    expect(starved.band).toBe("cannot_make_number");
    expect(starved.score).toBeLessThan(territoryHealth(figures).score);
  });

  it("survives a period with no quota and no closed deals", () => {
    const h = territoryHealth({ openPipeline: 10, quota: 0, wonAmount: 0, wonCount: 0, lostCount: 0 });
    expect([h.coverage, h.winRate, h.averageDealSize, h.attainment, h.band]).toEqual([
      null,
      null,
      null,
      null,
      "no_quota",
    ]);
  });

  it("sums reps into a territory", () => {
    expect(sumFigures([figures, figures])).toEqual({
      openPipeline: 1_600_000,
      quota: 400_000,
      wonAmount: 300_000,
      wonCount: 6,
      lostCount: 18,
    });
  });
});

describe("quotaByTerritory", () => {
  it("reproduces the guide's example: 12 reps, $24M, 0.7 and 1.2 coefficients", () => {
    const res = quotaByTerritory(24_000_000, [
      { territoryId: "new", type: "new_low_density", repCount: 1 },
      { territoryId: "mature", type: "mature_high_conversion", repCount: 1 },
      { territoryId: "rest", type: "mature_average", repCount: 10 },
    ]);
    if (!res.ok) throw new Error(res.error.message);
    expect(res.value.baseQuotaPerRep).toBe(2_000_000);
    const [n, m, r] = res.value.territories;
    expect(n?.perRepQuota).toBeCloseTo(1_400_000, 6);
    expect(m?.perRepQuota).toBeCloseTo(2_400_000, 6);
    expect(r?.territoryQuota).toBe(20_000_000);
    expect(n?.rationale).toContain("ramp dip plus thin TAM coverage");
    expect(n?.rationale).toContain("2,000,000 per rep × 0.7 = 1,400,000");
    // 1.4 + 2.4 + 20 = 23.8M: reconciled back to the 24M target.
    expect(res.value.sumBeforeReconcile).toBeCloseTo(23_800_000, 6);
    expect(res.value.territories.reduce((s, t) => s + t.reconciledQuota, 0)).toBeCloseTo(24_000_000, 4);
    expect(n?.rationale).toContain("Scaled");
  });

  it.each([
    ["new_low_density", 0.9],
    ["mature_high_conversion", 1.0],
    ["mature_average", 1.1],
  ] as const)("refuses a %s territory at %d", (type, coefficient) => {
    const res = quotaByTerritory(1_000, [{ territoryId: "t", type, repCount: 1, coefficient }]);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe("coefficient_out_of_range");
  });

  it("keeps an override inside the range and the manager's note", () => {
    const res = quotaByTerritory(1_000_000, [
      {
        territoryId: "t",
        type: "mature_high_conversion",
        repCount: 2,
        coefficient: 1.3,
        note: "Two enterprise renewals land in Q3.",
      },
    ]);
    expect(res.ok && res.value.territories[0]?.coefficient).toBe(1.3);
    expect(res.ok && res.value.territories[0]?.rationale).toContain("Two enterprise renewals");
  });
});
