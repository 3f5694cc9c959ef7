import { describe, expect, it } from "vitest";
import { coverageVariance, shouldRebalance } from "../../../src/domain/rebalance/trigger.ts";

describe("coverageVariance", () => {
  it.each([
    [[3, 3, 3], 0],
    [[2, 4], 2 / 3],
    [[1.8, 4.1, 3.0], 2.3 / 2.9666666666666663],
    [[], 0],
    [[0, 0], 0],
  ])("relative range of %j is %d", (values, expected) => {
    expect(coverageVariance(values).relativeRange).toBeCloseTo(expected, 10);
  });

  it("reports the coefficient of variation too", () => {
    expect(coverageVariance([2, 4]).coefficientOfVariation).toBeCloseTo(1 / 3, 10);
  });
});

describe("shouldRebalance", () => {
  const reps = (...values: number[]) => values.map((value, i) => ({ repId: `r${i}`, value }));
  it.each([
    ["the guide's after state, 3.4x–3.9x (14 %)", reps(3.4, 3.9), false],
    ["3.0x–3.8x (24 %)", reps(3.0, 3.8), false],
    ["the guide's before state, 1.8x–4.1x (74 %)", reps(1.8, 4.1, 3.0, 3.5), true],
    ["a single rep", reps(4), false],
  ])("%s → %s", (_name, measures, expected) => {
    expect(shouldRebalance(measures).rebalance).toBe(expected);
  });

  it("triggers exactly above the threshold", () => {
    expect(shouldRebalance(reps(0.875, 1.125)).rebalance).toBe(false); // 25 % exactly
    expect(shouldRebalance(reps(0.87, 1.13)).rebalance).toBe(true);
    expect(shouldRebalance(reps(0.9, 1.1), { threshold: 0.1 }).rebalance).toBe(true);
  });

  it("names the lowest and highest rep in its reason", () => {
    const s = shouldRebalance([
      { repId: "ana", value: 1.8 },
      { repId: "bo", value: 4.1 },
      { repId: "cy", value: 3.0 },
    ]);
    expect(s.lowest?.repId).toBe("ana");
    expect(s.highest?.repId).toBe("bo");
    expect(s.reason).toContain("ana");
    expect(s.reason).toContain("above the 25 % trigger");
  });
});

describe("the trigger names what it measured", () => {
  const reps = (...values: number[]) => values.map((value, i) => ({ repId: `r${i}`, value }));
  it("pipeline coverage by default, in x", () => {
    const s = shouldRebalance(reps(1.8, 4.1, 3.0, 3.5));
    expect(s.measure).toBe("coverage");
    expect(s.reason).toMatch(
      /^Pipeline coverage varies 74 % across reps .*from 1\.80x for r0 to 4\.10x for r1/,
    );
  });
  it("capacity-adjusted index totals when there is no quota, and says it is not coverage", () => {
    const s = shouldRebalance(reps(100, 160), { measure: "adjusted_total" });
    expect(s.reason).toMatch(
      /^Capacity-adjusted index total \(no quota set, so not pipeline coverage\) varies 46 %/,
    );
    expect(s.reason).not.toMatch(/^Coverage variance/);
  });
});
