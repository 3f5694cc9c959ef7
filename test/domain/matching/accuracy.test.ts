import { describe, expect, it } from "vitest";
import { buildBookIndex, evaluate, loadQueries } from "../../fixtures/matching/evaluate.ts";

describe("accuracy on the labelled lookup set", () => {
  const queries = loadQueries();
  const result = evaluate(buildBookIndex(), queries);

  it("has at least 500 labelled queries, positives and negatives", () => {
    expect(queries.length).toBeGreaterThanOrEqual(500);
    expect(queries.filter((q) => q.expect === "ambiguous-ok").length).toBeGreaterThanOrEqual(100);
    expect(queries.filter((q) => q.expect === "none").length).toBeGreaterThanOrEqual(20);
  });

  it("finds the right account first at least 98 % of the time", () => {
    const misses = result.misses.map((m) => `${m.query} -> ${m.answer}`).join("\n");
    expect(result.top1Accuracy, misses).toBeGreaterThanOrEqual(0.98);
  });

  it("answers with a wrong account at most 0.5 % of the time", () => {
    const wrongs = result.wrongs.map((w) => `${w.query} -> ${w.answer}`).join("\n");
    expect(result.wrongRate, wrongs).toBeLessThanOrEqual(0.005);
  });

  it("never answers a near-namesake or a free-mail address with an account", () => {
    const unsafe = result.judged.filter(
      (j) => (j.kind === "near_namesake" || j.kind === "free_mail") && j.outcome !== "correct",
    );
    expect(unsafe.map((j) => `${j.query} -> ${j.answer}`)).toEqual([]);
  });
});
