import { describe, expect, it } from "vitest";
import { normalizeCompanyName } from "../../../src/domain/matching/normalize.ts";
import { parseLookupQuery } from "../../../src/domain/matching/query.ts";
import { buildSearchIndex, fuzzyCandidates } from "../../../src/domain/matching/search-index.ts";

const entry = (id: string, name: string, labels: string[] = []) => ({
  id,
  normalizedName: normalizeCompanyName(name),
  labels,
});

// A book where "analytics" is an industry word: in far more names than the index counts as telling.
const book = [
  entry("quolopri", "Quolopri Analytics Ltd", ["quoloprianalytics"]),
  entry("globex", "Globex Corporation", ["globex"]),
  entry("initech", "Initech Systems GmbH", ["initech"]),
  ...Array.from({ length: 80 }, (_, i) =>
    entry(`filler-${i}`, `Brand${String.fromCharCode(97 + (i % 26))}${i} Analytics`),
  ),
];
const index = buildSearchIndex(book);
const ids = (q: string) => fuzzyCandidates(index, parseLookupQuery(q)).ids;

describe("fuzzy candidates from the in-memory index", () => {
  it("proposes the account for one- and two-edit typos of its distinctive word", () => {
    expect(ids("Qoulopri Analytics")).toContain("quolopri");
    expect(ids("Qoulorpi Analytics")).toContain("quolopri");
    expect(ids("Globx")).toContain("globex");
    expect(ids("Intiech Systems")).toContain("initech");
  });

  it("proposes nothing when the only shared word is an industry word (a near-namesake)", () => {
    expect(ids("Quillmark Analytics")).toEqual([]);
    expect(fuzzyCandidates(index, parseLookupQuery("Quillmark Analytics")).commonWords).toEqual([
      "analytics",
    ]);
  });

  it("proposes nothing for an industry word the book has in only a few names", () => {
    // Three "Technologies" in a book are not enough to make it common by count; it is still no
    // reason to ask a rep who typed "Zebra Technologies" about Dell, Uber or Slack.
    const few = buildSearchIndex([
      entry("dell", "Dell Technologies Inc."),
      entry("uber", "Uber Technologies, Inc."),
      entry("slack", "Slack Technologies, LLC"),
      entry("zebrafish", "Zebrafish Labs"),
    ]);
    const find = (q: string) => fuzzyCandidates(few, parseLookupQuery(q));
    expect(find("Zebra Technologies").ids).toEqual([]);
    expect(find("Zebra Tecnologies").ids).toEqual([]);
    // The company's own word still finds it, with the industry word typed or mistyped.
    expect(find("Uber Technolgies").ids).toEqual(["uber"]);
    expect(find("Dell Technologies").ids[0]).toBe("dell");
  });

  it("proposes accounts for a name typed without its spaces, or a one-word name typed with one", () => {
    expect(ids("quoloprianalytic")).toContain("quolopri");
    expect(ids("glo bex")).toContain("globex");
  });

  it("proposes accounts from a mistyped domain's label", () => {
    expect(ids("quoloprianalyitcs.com")).toContain("quolopri");
    expect(ids("glbex.com")).toContain("globex");
  });

  it("ranks first, among names sharing a typed word, the one that also has the query's common word", () => {
    const shared = buildSearchIndex([
      ...Array.from({ length: 45 }, (_, i) => entry(`alderbank-${i}`, `Alderbank Ventures${i}`)),
      ...Array.from({ length: 60 }, (_, i) => entry(`labs-${i}`, `Brand${i}x Labs`)),
      entry("alderbank-labs", "Alderbank Labs"),
    ]);
    const found = fuzzyCandidates(shared, parseLookupQuery("Alderbnak Labs"), 5);
    expect(found.ids[0]).toBe("alderbank-labs");
    expect(found.commonWords).toEqual(["labs"]);
  });

  it("proposes, for a query of common words only, the names that have all of them", () => {
    const common = buildSearchIndex([
      ...Array.from({ length: 60 }, (_, i) => entry(`logistics-${i}`, `Brand${i}x Logistics`)),
      ...Array.from({ length: 60 }, (_, i) => entry(`northern-${i}`, `Northern Brand${i}y`)),
      entry("northern-logistics", "Northern Logistics Ltd"),
    ]);
    expect(fuzzyCandidates(common, parseLookupQuery("Northern Logistics")).ids).toEqual([
      "northern-logistics",
    ]);
    expect(fuzzyCandidates(common, parseLookupQuery("Northren Logistics")).ids).toEqual([
      "northern-logistics",
    ]);
  });

  it("takes a rare word typed exactly for itself, not for the industry word one letter away", () => {
    const data = buildSearchIndex([
      ...Array.from({ length: 60 }, (_, i) => entry(`data-${i}`, `Brand${i}x Data`)),
      entry("tata-motors", "Tata Motors Limited"),
      entry("tata-steel", "Tata Steel Limited"),
    ]);
    const found = fuzzyCandidates(data, parseLookupQuery("Tata"));
    expect(found.ids.sort()).toEqual(["tata-motors", "tata-steel"]);
    expect(found.commonWords).toEqual([]);
    expect(fuzzyCandidates(data, parseLookupQuery("Tata Mottirs")).ids[0]).toBe("tata-motors");
  });
});
