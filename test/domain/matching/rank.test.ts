import { describe, expect, it } from "vitest";
import {
  buildMatchIndex,
  matchInMemory,
  retrieveCandidates,
} from "../../../src/domain/matching/memory-index.ts";
import { parseLookupQuery } from "../../../src/domain/matching/query.ts";
import { type MatchCandidate, type MatchResult, rankCandidates } from "../../../src/domain/matching/rank.ts";

const book = [
  {
    id: "a1",
    crmId: "001A00000000001AAA",
    name: "Delta Air Lines, Inc.",
    domains: ["delta.com"],
    parentId: null,
  },
  {
    id: "a2",
    crmId: "001A00000000002AAA",
    name: "American Express Company",
    domains: ["americanexpress.com"],
    parentId: null,
  },
  { id: "a3", crmId: "001A00000000003AAA", name: "Alphabet Inc.", domains: ["abc.xyz"], parentId: null },
  {
    id: "a4",
    crmId: "001A00000000004AAA",
    name: "Google LLC",
    domains: ["google.com", "google.co.uk"],
    parentId: "a3",
  },
  {
    id: "a5",
    crmId: "ACC-5",
    name: "International Business Machines Corporation",
    domains: ["ibm.com"],
    parentId: null,
  },
  { id: "a6", crmId: "ACC-6", name: "Merck KGaA", domains: ["merckgroup.com"], parentId: null },
  { id: "a7", crmId: "ACC-7", name: "Merck & Co., Inc.", domains: ["merck.com"], parentId: null },
  {
    id: "a8",
    crmId: "ACC-8",
    name: "The Goldman Sachs Group, Inc.",
    domains: ["goldmansachs.com"],
    parentId: null,
  },
  { id: "a9", crmId: "ACC-9", name: "Deutsche Bank AG", domains: ["db.com"], parentId: null },
  { id: "a10", crmId: "ACC-10", name: "Heineken N.V.", domains: ["heineken.com"], parentId: null },
  { id: "a11", crmId: "ACC-11", name: "Acme Corp", domains: ["acme.co.uk"], parentId: null },
  { id: "a12", crmId: "ACC-12", name: "Acme Holdings", domains: ["acme.co.uk"], parentId: null },
];
const index = buildMatchIndex(book);
const lookup = (raw: string): MatchResult => matchInMemory(parseLookupQuery(raw), index);
const NO_ANSWER = "no answer (none or ask)";
const answer = (result: MatchResult): string =>
  result.status === "match" ? result.best.crmId : result.status;
const judge = (result: MatchResult, expected: string): string =>
  expected === NO_ANSWER && result.status !== "match" ? NO_ANSWER : answer(result);

describe("matchInMemory", () => {
  const cases: [string, string][] = [
    ["Delta Air Lines", "001A00000000001AAA"],
    ["delta air lines inc", "001A00000000001AAA"],
    ["Detla Air Lines", "001A00000000001AAA"],
    ["https://www.delta.com/us/en", "001A00000000001AAA"],
    ["ops@delta.com", "001A00000000001AAA"],
    ["IBM", "ACC-5"],
    ["International Busines Machines", "ACC-5"],
    ["Goldman Sachs", "ACC-8"],
    ["<https://maps.google.co.uk|maps.google.co.uk>", "001A00000000004AAA"],
    ["google.de", "001A00000000004AAA"],
    ["001A00000000004AAA", "001A00000000004AAA"],
    ["001a00000000004aaa", "001A00000000004AAA"],
    ["acc-5", "ACC-5"],
    // Near-namesakes that are not in the book must not be answered with one that is.
    ["Delta Dental", NO_ANSWER],
    ["American Airlines", NO_ANSWER],
    ["Deutsche Bahn", NO_ANSWER],
    ["Heineken Holding", NO_ANSWER],
    ["deltadental.com", NO_ANSWER],
    // Free-mail is no company signal; unknown ids are not guessed.
    ["jane.doe@gmail.com", "none"],
    ["001A00000000009AAA", "none"],
    // Two accounts with one name, or one shared domain: ask.
    ["Merck", "ambiguous"],
    ["acme.co.uk", "ambiguous"],
    // A prefix is a suggestion, never an answer…
    ["Goldman", "ambiguous"],
    // …unless the company's own domain is that one word.
    ["Delta", "001A00000000001AAA"],
  ];
  it.each(cases)("%j -> %s", (raw, expected) => {
    expect(judge(lookup(raw), expected)).toBe(expected);
  });

  it("names the parent of a subsidiary", () => {
    const result = lookup("google.com");
    expect(result.status === "match" && result.best.parentName).toBe("Alphabet Inc.");
  });

  it("says why nothing was found", () => {
    expect(lookup("jane@gmail.com")).toEqual({ status: "none", reason: "free_mail" });
    expect(lookup("  ")).toEqual({ status: "none", reason: "empty" });
    expect(lookup("Zzyzx Quuxbar")).toEqual({ status: "none", reason: "no_candidate" });
  });

  it("offers both namesakes as choices", () => {
    const result = lookup("Merck");
    expect(result.status === "ambiguous" && result.candidates.map((c) => c.crmId).sort()).toEqual([
      "ACC-6",
      "ACC-7",
    ]);
  });

  it("retrieves by index, not by scanning the book", () => {
    const found = retrieveCandidates(index, parseLookupQuery("Goldman Sachs"));
    expect(found.map((c) => c.crmId)).toContain("ACC-8");
    expect(found.length).toBeLessThan(book.length);
  });
});

describe("rankCandidates", () => {
  const candidate = (accountId: string, name: string, normalizedName: string): MatchCandidate => ({
    accountId,
    name,
    normalizedName,
    domains: [],
    acronym: null,
    crmId: accountId.toUpperCase(),
  });

  it("asks when two close spellings tie", () => {
    const result = rankCandidates(parseLookupQuery("Acme Widgetz"), [
      candidate("x", "Acme Widgets", "acme widgets"),
      candidate("y", "Acme Widgeta", "acme widgeta"),
    ]);
    expect(result.status).toBe("ambiguous");
  });

  it("answers when the best is clearly ahead, listing runners-up", () => {
    const result = rankCandidates(parseLookupQuery("Acme Widgets"), [
      candidate("x", "Acme Widgets", "acme widgets"),
      candidate("y", "Acme Widgeta", "acme widgeta"),
    ]);
    expect(
      result.status === "match" && [result.best.accountId, result.runnersUp.map((c) => c.accountId)],
    ).toEqual(["x", ["y"]]);
  });

  it("respects the thresholds it is given", () => {
    const query = parseLookupQuery("Acme Widgetz");
    const only = [candidate("x", "Acme Widgets", "acme widgets")];
    expect(rankCandidates(query, only).status).toBe("match");
    expect(
      rankCandidates(query, only, { matchThreshold: 0.95, margin: 0.04, askThreshold: 0.6, maxChoices: 5 })
        .status,
    ).toBe("ambiguous");
  });

  it("offers at most maxChoices candidates, best first, and counts an account once", () => {
    const many = Array.from({ length: 8 }, (_, i) => candidate(`c${i}`, `Acme ${i}`, `acme ${i}`));
    const result = rankCandidates(parseLookupQuery("Acme"), [...many, ...many]);
    expect(result.status === "ambiguous" && result.candidates.length).toBe(5);
  });
});

describe("matchInMemory on close spellings", () => {
  const names = [
    "Deutsche Telekom AG",
    "Deutsche Bank AG",
    "Morgan Stanley",
    "Red Hat, Inc.",
    "Delta Air Lines, Inc.",
    "SKF Group",
    "BAE Systems plc",
    "Altria Group, Inc.",
    "American Express Company",
    "Marks and Spencer Group plc",
    "Becton, Dickinson and Company",
    "Publix Super Markets, Inc.",
    "JD.com, Inc.",
    "Booking.com B.V.",
  ];
  const closeBook = names.map((name, i) => ({
    id: `c${i}`,
    crmId: `ACC-${i}`,
    name,
    domains: [],
    parentId: null,
  }));
  const closeIndex = buildMatchIndex(closeBook);
  const crmIdOf = (name: string) => closeBook.find((a) => a.name === name)?.crmId ?? "";
  const cases: [string, string][] = [
    // Two slips of the fingers in a long word, another word of the name typed exactly.
    ["Deutsche Tlwkom", crmIdOf("Deutsche Telekom AG")],
    ["Moorgqn Stanley", crmIdOf("Morgan Stanley")],
    // A letter left out of a short word.
    ["Re Hat", crmIdOf("Red Hat, Inc.")],
    ["Delta ir Lines", crmIdOf("Delta Air Lines, Inc.")],
    // A typo of a filler is a filler.
    ["Marks annd Spencer Group", crmIdOf("Marks and Spencer Group plc")],
    ["Becton, Dickinsoon snd", crmIdOf("Becton, Dickinson and Company")],
    // A web suffix typed without its dot.
    ["JDcom Inc", crmIdOf("JD.com, Inc.")],
    ["Booking.ccom", crmIdOf("Booking.com B.V.")],
    // Two edits in a four-letter word make another word.
    ["Deutsche Bahn", NO_ANSWER],
    // Two changes that are no slip of the fingers make another name.
    ["American Cypress", NO_ANSWER],
    // Two slips in a five-letter word are too much of it.
    ["Publix Sperr Markets", NO_ANSWER],
    // A changed letter in a short word makes another acronym.
    ["BEA Systems", NO_ANSWER],
    // Nothing else in the name vouches for the slip: "Group" is a corporate shape, not a name.
    ["SK Group", NO_ANSWER],
    ["Alttira Group", NO_ANSWER],
  ];
  it.each(cases)("%j -> %s", (raw, expected) => {
    expect(judge(matchInMemory(parseLookupQuery(raw), closeIndex), expected)).toBe(expected);
  });

  it("takes a word the book has for meant, not for two slips of another", () => {
    const account = (id: string, name: string) => ({ id, crmId: id, name, domains: [], parentId: null });
    const applied = account("applied", "Applied Materials, Inc.");
    const withAllied = buildMatchIndex([applied, account("allied", "Allied Telesis Holdings K.K.")]);
    expect(judge(matchInMemory(parseLookupQuery("Allied Materials"), withAllied), NO_ANSWER)).toBe(NO_ANSWER);
    expect(answer(matchInMemory(parseLookupQuery("Aplpied Materials"), withAllied))).toBe("applied");
  });

  it("does not let an industry word vouch for a slip, as a rare word does", () => {
    const account = (id: string, name: string) => ({ id, crmId: id, name, domains: [], parentId: null });
    const vestas = account("vestas", "Vestas Analytics A/S");
    expect(answer(matchInMemory(parseLookupQuery("Vetss Analytics"), buildMatchIndex([vestas])))).toBe(
      "vestas",
    );
    const industry = Array.from({ length: 60 }, (_, i) => account(`a${i}`, `Brand${i}x Analytics`));
    const crowded = buildMatchIndex([vestas, ...industry]);
    expect(judge(matchInMemory(parseLookupQuery("Vetss Analytics"), crowded), NO_ANSWER)).toBe(NO_ANSWER);
  });
});
