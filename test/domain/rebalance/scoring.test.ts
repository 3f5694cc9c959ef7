import { describe, expect, it } from "vitest";
import {
  DEFAULT_SCORING_WEIGHTS,
  opportunityBand,
  scoreAccount,
  ZScoringWeights,
} from "../../../src/domain/rebalance/scoring.ts";

describe("opportunityBand", () => {
  it.each([
    [0, "cold"],
    [1, "warm"],
    [2, "active"],
    [3, "hot"],
    [9, "hot"],
  ] as const)("%i open opportunities is %s", (count, band) => {
    expect(opportunityBand(count)).toBe(band);
  });
});

describe("scoreAccount", () => {
  it.each([
    // icpFit, sizeBand, opps, icp points, size points, opp points, index
    [5, "ENT", 3, 50, 30, 20, 100],
    [1, "SMB", 0, 10, 10, 0, 20],
    [3, "MM", 1, 30, 20, 10, 60],
    [4, "MM", 2, 40, 20, 15, 75],
    [null, null, 0, 0, 10, 0, 10],
  ] as const)("fit %s, %s, %i opps → %i + %i + %i = %i", (icpFit, sizeBand, opps, icp, size, opp, index) => {
    const score = scoreAccount({ icpFit, sizeBand }, opps);
    expect(score.factors.icpFit).toEqual({ raw: icpFit, points: icp });
    expect(score.factors.sizeBand).toEqual({ raw: sizeBand, points: size });
    expect(score.factors.openOpportunities.points).toBe(opp);
    expect(score.index).toBe(index);
  });

  it("makes the index exactly the sum of the points a rep can see", () => {
    const weights = ZScoringWeights.parse({ icpFit: 33.333, sizeBand: 21.7, openOpportunities: 7 });
    for (const fit of [1, 2, 3, 4, 5]) {
      for (const band of ["SMB", "MM", "ENT"] as const) {
        for (const opps of [0, 1, 2, 3]) {
          const s = scoreAccount({ icpFit: fit, sizeBand: band }, opps, weights);
          const sum =
            s.factors.icpFit.points + s.factors.sizeBand.points + s.factors.openOpportunities.points;
          expect(s.index).toBeCloseTo(sum, 10);
        }
      }
    }
  });

  it("ranks a better fit above a worse one, all else equal", () => {
    const better = scoreAccount({ icpFit: 4, sizeBand: "MM" }, 1);
    const worse = scoreAccount({ icpFit: 2, sizeBand: "MM" }, 1);
    expect(better.index).toBeGreaterThan(worse.index);
  });

  it("documents its defaults as the parse of an empty object", () => {
    expect(
      DEFAULT_SCORING_WEIGHTS.icpFit +
        DEFAULT_SCORING_WEIGHTS.sizeBand +
        DEFAULT_SCORING_WEIGHTS.openOpportunities,
    ).toBe(100);
    expect(ZScoringWeights.safeParse({ icpFit: -1 }).success).toBe(false);
  });
});
