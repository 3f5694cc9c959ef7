import damerauLevenshtein from "damerau-levenshtein";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildTermTries, termId, termsWithin } from "../../../src/domain/matching/term-trie.ts";

// Optimal-string-alignment distance, written out plainly: the reference the trie walk must agree with.
function osa(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      let v = Math.min(
        (up[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (up[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = v;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

const word = fc.stringMatching(/^[abcde]{1,10}$/);

describe("term trie", () => {
  it("finds exactly the terms within one or two edits, as a full comparison would", () => {
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 60 }),
        word,
        fc.constantFrom(1, 2),
        (terms, query, k) => {
          const { trie, backward, terms: names } = buildTermTries(terms);
          const got = termsWithin(trie, query, k, backward)
            .map((h) => `${names[h.term]}:${h.edits}`)
            .sort();
          const want = [...new Set(terms)]
            .map((t) => ({ t, d: osa(t, query) }))
            .filter((x) => x.d <= k)
            .map((x) => `${x.t}:${x.d}`)
            .sort();
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 300, seed: 15 },
    );
  });

  it("agrees with the ranker's distance library on transpositions", () => {
    const { trie, backward, terms } = buildTermTries(["quolopri", "analytics", "quillmark"]);
    const hits = termsWithin(trie, "qoulorpi", 2, backward);
    expect(hits.map((h) => terms[h.term])).toEqual(["quolopri"]);
    expect(hits[0]?.edits).toBe(damerauLevenshtein("qoulorpi", "quolopri").steps);
  });

  it("looks a term up exactly, and answers -1 for a prefix that is not a term", () => {
    const { trie, terms } = buildTermTries(["acme", "acmes", "globex", "acme"]);
    expect(terms[termId(trie, "acmes")]).toBe("acmes");
    expect(termId(trie, "acm")).toBe(-1);
    expect(termsWithin(trie, "acme", 0).map((h) => terms[h.term])).toEqual(["acme"]);
    expect(trie.termCount).toBe(3);
  });
});
