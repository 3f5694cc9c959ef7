import { describe, expect, it } from "vitest";
import { describeMatcher, describeRule, describeRuleChange } from "../../../src/domain/rules/describe.ts";
import type { Matcher } from "../../../src/domain/rules/matcher.ts";
import { writtenOverlapRules } from "../../../src/domain/rules/rule.ts";
import { rule, T0 } from "./fixtures.ts";

const names = {
  rep: (id: string) => ({ r1: "Jane Doe" })[id],
  territory: (id: string) => ({ tE: "EMEA Enterprise" })[id],
};

describe("describeMatcher", () => {
  const cases: Array<[Matcher, string]> = [
    [
      {
        all: [
          { field: "account.region", op: "eq", value: "EMEA" },
          { field: "account.sizeBand", op: "eq", value: "ENT" },
        ],
      },
      "region EMEA and size band ENT",
    ],
    [{ field: "account.region", op: "in", value: ["EMEA", "NA", "APAC"] }, "region EMEA, NA or APAC"],
    [{ field: "account.sizeBand", op: "gte", value: "MM" }, "size band MM or larger"],
    [{ field: "account.employees", op: "lte", value: 200 }, "employees of at most 200"],
    [{ field: "account.crmId", op: "eq", value: "001A" }, "CRM id 001A"],
    [{ field: "account.named", op: "eq", value: true }, "named-account status"],
    [
      { field: "opportunity.source", op: "eq", value: "reseller" },
      "an open opportunity with opportunity source reseller",
    ],
    [{ field: "opportunity.reseller", op: "exists", value: false }, "no open opportunity with a reseller"],
    [{ field: "account.parentCrmId", op: "exists", value: true }, "a known parent CRM id"],
    [
      {
        all: [
          { field: "account.region", op: "eq", value: "EMEA" },
          {
            any: [
              { field: "account.industry", op: "eq", value: "Retail" },
              { field: "account.icpFit", op: "gte", value: 4 },
            ],
          },
        ],
      },
      "region EMEA and (industry Retail or ICP fit of at least 4)",
    ],
    [{ not: { field: "account.country", op: "eq", value: "DE" } }, "not country DE"],
  ];
  it.each(cases)("%j", (m, text) => {
    expect(describeMatcher(m)).toBe(text);
  });
});

describe("describeRule", () => {
  it("reads like the Slack example", () => {
    const r = rule("t1", {
      kind: "territory",
      matcher: {
        all: [
          { field: "account.region", op: "eq", value: "EMEA" },
          { field: "account.sizeBand", op: "eq", value: "ENT" },
        ],
      },
      outcome: { type: "rep", repId: "r1" },
      priority: 10,
    });
    expect(describeRule(r, names)).toBe(
      "Accounts with region EMEA and size band ENT → Jane Doe (territory rule, priority 10)",
    );
  });
  it("names territories, dispute provenance and disabled rules, and falls back to ids", () => {
    const r = rule("d1", {
      kind: "decision",
      matcher: { field: "account.crmId", op: "eq", value: "001A" },
      outcome: { type: "territory", territoryId: "tE" },
      provenance: { by: "arb", at: T0, disputeId: "D-4" },
      active: false,
    });
    expect(describeRule(r, names)).toBe(
      "Accounts with CRM id 001A → territory EMEA Enterprise (decision, priority 0, from dispute D-4, disabled)",
    );
    expect(describeRule({ ...r, outcome: { type: "rep", repId: "r7" } }, names)).toMatch(/→ rep r7 \(/);
  });
  it("describes the overlap rules by what they do", () => {
    const [reseller, , parent] = writtenOverlapRules({ by: "x", at: T0 });
    if (reseller === undefined || parent === undefined) throw new Error("missing");
    expect(describeRule(reseller, names)).toBe(
      "Accounts with an open opportunity with opportunity source reseller → the direct rep stays rep of record (channel exceptions need manager sign-off) (overlap rule, priority 30)",
    );
    expect(describeRule(parent, names)).toBe(
      "Accounts with a known parent CRM id → the parent account's owner (overlap rule, priority 10)",
    );
  });
});

describe("describeRuleChange", () => {
  const before = rule("t1", {
    matcher: { field: "account.region", op: "eq", value: "EMEA" },
    outcome: { type: "rep", repId: "r1" },
  });
  const cases: Array<
    [string, Parameters<typeof describeRuleChange>[0], Parameters<typeof describeRuleChange>[1], string[]]
  > = [
    ["nothing changed", before, { ...before }, []],
    ["disabled", before, { ...before, active: false }, ["disabled"]],
    ["priority", before, { ...before, priority: 10 }, ["priority 0 → 10"]],
    [
      "matcher and outcome",
      before,
      {
        ...before,
        matcher: { field: "account.region", op: "in", value: ["EMEA", "NA"] },
        outcome: { type: "territory", territoryId: "tE" },
      },
      [
        "accounts with region EMEA → accounts with region EMEA or NA",
        "outcome Jane Doe → territory EMEA Enterprise",
      ],
    ],
    ["added", null, before, ["added: Accounts with region EMEA → Jane Doe (territory rule, priority 0)"]],
    ["removed", before, null, ["removed: Accounts with region EMEA → Jane Doe (territory rule, priority 0)"]],
  ];
  it.each(cases)("%s", (_name, a, b, expected) => {
    expect(describeRuleChange(a, b, names)).toEqual(expected);
  });
});
