import { describe, expect, it } from "vitest";
import { fingerSlips, neighbouringKeys } from "../../../src/domain/matching/slips.ts";

describe("fingerSlips", () => {
  const slips: [string, string, number][] = [
    ["telekom", "telekom", 0],
    ["re", "red", 1], // a letter left out
    ["tlwkom", "telekom", 2], // a letter left out, a neighbouring key
    ["moorgqn", "morgan", 2], // a letter doubled, a neighbouring key
    ["hpldnig", "holding", 2], // a neighbouring key, two letters swapped
    ["uisoftt", "ubisoft", 2], // a letter left out, a letter doubled
  ];
  it.each(slips)("%j for %j is %d slips", (typed, meant, count) => {
    expect(fingerSlips(typed, meant, 2)).toBe(count);
  });

  it("does not take changes that are no slip of the fingers for slips", () => {
    expect(fingerSlips("cypress", "express", 2)).toBeNull();
    expect(fingerSlips("berry", "jerrys", 2)).toBeNull();
  });

  it("stays within its budget and its dropped letters", () => {
    expect(fingerSlips("tlwkom", "telekom", 1)).toBeNull();
    expect(fingerSlips("norok", "norfolk", 2)).toBeNull();
    expect(fingerSlips("norok", "norfolk", 2, 2)).toBe(2);
  });

  it("knows which keys are neighbours", () => {
    expect(neighbouringKeys("e", "w")).toBe(true);
    expect(neighbouringKeys("a", "q")).toBe(true);
    expect(neighbouringKeys("c", "e")).toBe(false);
  });
});
