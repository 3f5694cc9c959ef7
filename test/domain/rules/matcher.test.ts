import { describe, expect, it } from "vitest";
import type { Matcher } from "../../../src/domain/rules/matcher.ts";
import { matches, parseMatcher, specificity } from "../../../src/domain/rules/matcher.ts";
import { facts, opp } from "./fixtures.ts";

describe("parseMatcher names the bad path in plain words", () => {
  const cases: Array<{ name: string; input: unknown; error: string | RegExp }> = [
    {
      name: "misspelt field inside all",
      input: {
        all: [
          { field: "account.region", op: "eq", value: "EMEA" },
          { field: "acount.region", op: "eq", value: "NA" },
        ],
      },
      error:
        /^matcher\.all\[1\]\.field: "acount\.region" is not a known field \(expected one of account\.crmId, .*opportunity\.reseller\)$/,
    },
    {
      name: "operator the field does not take",
      input: { field: "account.region", op: "gte", value: "EMEA" },
      error: 'matcher.op: "gte" is not an operator for account.region (expected one of eq, in, exists)',
    },
    {
      name: "size band outside the list",
      input: { any: [{ field: "account.sizeBand", op: "eq", value: "XL" }] },
      error: 'matcher.any[0].value: expected a size band (SMB, MM, ENT) for account.sizeBand eq, got "XL"',
    },
    {
      name: "bad element of an in-list",
      input: { field: "account.icpFit", op: "in", value: [3, 7] },
      error: "matcher.value[1]: expected a whole number from 1 to 5 for account.icpFit, got 7",
    },
    {
      name: "empty in-list",
      input: { field: "account.country", op: "in", value: [] },
      error: /^matcher\.value: expected a non-empty list/,
    },
    {
      name: "exists needs a boolean",
      input: { not: { field: "account.domain", op: "exists", value: "yes" } },
      error: 'matcher.not.value: expected true or false for account.domain exists, got "yes"',
    },
    {
      name: "empty any",
      input: { any: [] },
      error: "matcher.any: expected a non-empty list of conditions",
    },
    {
      name: "two shapes in one node",
      input: { all: [{ field: "account.named", op: "eq", value: true }], field: "account.region" },
      error: /^matcher: a condition needs exactly one of .* not all and field$/,
    },
    {
      name: "unexpected key",
      input: { field: "account.named", op: "eq", value: true, note: "x" },
      error: 'matcher.note: unexpected key "note"',
    },
    { name: "not an object", input: "EMEA", error: 'matcher: expected a condition object, got "EMEA"' },
    {
      name: "opportunity source outside the list",
      input: { field: "opportunity.source", op: "eq", value: "partner" },
      error: 'matcher.value: expected one of direct, reseller for opportunity.source eq, got "partner"',
    },
  ];
  it.each(cases)("$name", ({ input, error }) => {
    const result = parseMatcher(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    if (typeof error === "string") expect(result.errors[0]).toBe(error);
    else expect(result.errors[0]).toMatch(error);
  });

  it("reports every bad leaf, not just the first", () => {
    const result = parseMatcher({
      all: [{ field: "account.region", op: "eq", value: 1 }, { any: [{ field: "x", op: "eq", value: 1 }] }],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((e) => e.split(":")[0])).toEqual([
        "matcher.all[0].value",
        "matcher.all[1].any[0].field",
      ]);
    }
  });

  it("accepts a well-formed tree and returns it unchanged", () => {
    const m = {
      all: [
        { field: "account.region", op: "in", value: ["EMEA", "NA"] },
        { not: { field: "account.sizeBand", op: "lte", value: "SMB" } },
        {
          any: [
            { field: "opportunity.reseller", op: "exists", value: true },
            { field: "account.named", op: "eq", value: true },
          ],
        },
      ],
    };
    expect(parseMatcher(m)).toEqual({ ok: true, value: m });
  });
});

describe("matches", () => {
  const resellerDeal = opp({ source: "reseller", reseller: "ChannelCo" });
  const cases: Array<{ name: string; matcher: Matcher; f: ReturnType<typeof facts>; expected: boolean }> = [
    {
      name: "crmId eq",
      matcher: { field: "account.crmId", op: "eq", value: "001A" },
      f: facts(),
      expected: true,
    },
    {
      name: "crmId eq other",
      matcher: { field: "account.crmId", op: "eq", value: "001B" },
      f: facts(),
      expected: false,
    },
    {
      name: "domain is case-insensitive and matches any domain",
      matcher: { field: "account.domain", op: "eq", value: "ACME.de" },
      f: facts({ domains: ["acme.com", "Acme.DE"] }),
      expected: true,
    },
    {
      name: "domain in",
      matcher: { field: "account.domain", op: "in", value: ["x.com", "acme.com"] },
      f: facts(),
      expected: true,
    },
    {
      name: "domain exists false",
      matcher: { field: "account.domain", op: "exists", value: false },
      f: facts({ domains: [] }),
      expected: true,
    },
    {
      name: "parent eq",
      matcher: { field: "account.parentCrmId", op: "eq", value: "P1" },
      f: facts({}, [], "P1"),
      expected: true,
    },
    {
      name: "parent exists on a top account",
      matcher: { field: "account.parentCrmId", op: "exists", value: true },
      f: facts(),
      expected: false,
    },
    {
      name: "region in",
      matcher: { field: "account.region", op: "in", value: ["NA", "EMEA"] },
      f: facts(),
      expected: true,
    },
    {
      name: "region is exact-case",
      matcher: { field: "account.region", op: "eq", value: "emea" },
      f: facts(),
      expected: false,
    },
    {
      name: "null region never equals",
      matcher: { field: "account.region", op: "eq", value: "EMEA" },
      f: facts({ region: null }),
      expected: false,
    },
    {
      name: "null region exists false",
      matcher: { field: "account.region", op: "exists", value: false },
      f: facts({ region: null }),
      expected: true,
    },
    {
      name: "country eq",
      matcher: { field: "account.country", op: "eq", value: "DE" },
      f: facts(),
      expected: true,
    },
    {
      name: "industry eq",
      matcher: { field: "account.industry", op: "eq", value: "Retail" },
      f: facts(),
      expected: false,
    },
    {
      name: "size band gte orders SMB<MM<ENT",
      matcher: { field: "account.sizeBand", op: "gte", value: "MM" },
      f: facts({ sizeBand: "ENT" }),
      expected: true,
    },
    {
      name: "size band lte",
      matcher: { field: "account.sizeBand", op: "lte", value: "SMB" },
      f: facts({ sizeBand: "MM" }),
      expected: false,
    },
    {
      name: "null size band fails gte",
      matcher: { field: "account.sizeBand", op: "gte", value: "SMB" },
      f: facts({ sizeBand: null }),
      expected: false,
    },
    {
      name: "employees gte boundary",
      matcher: { field: "account.employees", op: "gte", value: 500 },
      f: facts(),
      expected: true,
    },
    {
      name: "employees lte",
      matcher: { field: "account.employees", op: "lte", value: 499 },
      f: facts(),
      expected: false,
    },
    {
      name: "icpFit in",
      matcher: { field: "account.icpFit", op: "in", value: [4, 5] },
      f: facts(),
      expected: true,
    },
    {
      name: "named eq true",
      matcher: { field: "account.named", op: "eq", value: true },
      f: facts({ named: true }),
      expected: true,
    },
    {
      name: "opportunity source: any open opportunity",
      matcher: { field: "opportunity.source", op: "eq", value: "reseller" },
      f: facts({}, [opp(), resellerDeal]),
      expected: true,
    },
    {
      name: "opportunity source with no opportunities",
      matcher: { field: "opportunity.source", op: "eq", value: "direct" },
      f: facts(),
      expected: false,
    },
    {
      name: "opportunity reseller eq",
      matcher: { field: "opportunity.reseller", op: "eq", value: "ChannelCo" },
      f: facts({}, [resellerDeal]),
      expected: true,
    },
    {
      name: "opportunity reseller exists false",
      matcher: { field: "opportunity.reseller", op: "exists", value: false },
      f: facts({}, [opp()]),
      expected: true,
    },
    {
      name: "all needs every branch",
      matcher: {
        all: [
          { field: "account.region", op: "eq", value: "EMEA" },
          { field: "account.sizeBand", op: "eq", value: "ENT" },
        ],
      },
      f: facts(),
      expected: false,
    },
    {
      name: "any needs one branch",
      matcher: {
        any: [
          { field: "account.region", op: "eq", value: "NA" },
          { field: "account.sizeBand", op: "eq", value: "MM" },
        ],
      },
      f: facts(),
      expected: true,
    },
    {
      name: "not",
      matcher: { not: { field: "account.region", op: "eq", value: "NA" } },
      f: facts(),
      expected: true,
    },
  ];
  it.each(cases)("$name", ({ matcher, f, expected }) => {
    expect(matches(matcher, f)).toBe(expected);
  });
});

describe("specificity", () => {
  const crm: Matcher = { field: "account.crmId", op: "eq", value: "001A" };
  const domain: Matcher = { field: "account.domain", op: "eq", value: "acme.com" };
  const region: Matcher = { field: "account.region", op: "eq", value: "EMEA" };
  const regionBand: Matcher = { all: [region, { field: "account.sizeBand", op: "eq", value: "ENT" }] };
  const everything: Matcher = {
    all: [
      { field: "account.region", op: "eq", value: "EMEA" },
      { field: "account.country", op: "eq", value: "DE" },
      { field: "account.industry", op: "eq", value: "Software" },
      { field: "account.sizeBand", op: "eq", value: "ENT" },
      { field: "account.employees", op: "gte", value: 10 },
      { field: "account.icpFit", op: "gte", value: 3 },
      { field: "account.named", op: "eq", value: true },
      { field: "opportunity.source", op: "eq", value: "reseller" },
      { field: "opportunity.reseller", op: "eq", value: "X" },
      { field: "account.parentCrmId", op: "eq", value: "P" },
      { field: "account.domain", op: "in", value: ["a.com", "b.com"] },
    ],
  };
  const ordered: Array<[string, Matcher]> = [
    ["crmId eq", crm],
    ["domain eq", domain],
    ["every other field at once, domain as a list", everything],
    ["region and size band", regionBand],
    ["region", region],
    ["region in two", { field: "account.region", op: "in", value: ["EMEA", "NA"] }],
    ["not region", { not: region }],
  ];
  it("ranks more constrained matchers higher, crmId eq highest", () => {
    const scores = ordered.map(([, m]) => specificity(m));
    for (let i = 1; i < scores.length; i++) expect(scores[i - 1]).toBeGreaterThan(scores[i] as number);
  });
  it("a disjunction is only as specific as its loosest branch", () => {
    expect(specificity({ any: [crm, region] })).toBe(specificity(region));
  });
});
