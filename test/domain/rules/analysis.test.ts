import { describe, expect, it } from "vitest";
import { analyzeNewRule, matcherImplies, matchersDisjoint } from "../../../src/domain/rules/analysis.ts";
import type { Matcher } from "../../../src/domain/rules/matcher.ts";
import type { Rule } from "../../../src/domain/rules/rule.ts";
import { writtenOverlapRules } from "../../../src/domain/rules/rule.ts";
import { day, rep, rule, T0, territory } from "./fixtures.ts";

const region = (v: string): Matcher => ({ field: "account.region", op: "eq", value: v });
const regions = (...v: string[]): Matcher => ({ field: "account.region", op: "in", value: v });
const band = (op: "eq" | "gte" | "lte", v: string): Matcher => ({ field: "account.sizeBand", op, value: v });
const crm = (v: string): Matcher => ({ field: "account.crmId", op: "eq", value: v });

describe("matcherImplies", () => {
  const cases: Array<[string, Matcher, Matcher, boolean]> = [
    ["same condition", region("EMEA"), region("EMEA"), true],
    ["value inside a list", region("EMEA"), regions("EMEA", "NA"), true],
    ["list inside a bigger list", regions("EMEA", "NA"), regions("NA", "EMEA", "APAC"), true],
    ["list not inside", regions("EMEA", "LATAM"), regions("EMEA", "NA"), false],
    ["different fields", region("EMEA"), band("eq", "ENT"), false],
    ["conjunction implies its part", { all: [region("EMEA"), band("eq", "ENT")] }, region("EMEA"), true],
    [
      "part does not imply the conjunction",
      region("EMEA"),
      { all: [region("EMEA"), band("eq", "ENT")] },
      false,
    ],
    ["branch implies the disjunction", region("EMEA"), { any: [region("EMEA"), band("eq", "ENT")] }, true],
    ["size band order: ENT implies MM or larger", band("eq", "ENT"), band("gte", "MM"), true],
    ["MM or larger does not imply ENT", band("gte", "MM"), band("eq", "ENT"), false],
    ["conjunction of bounds", { all: [band("gte", "MM"), band("lte", "MM")] }, band("eq", "MM"), true],
    [
      "employee ranges nest",
      { field: "account.employees", op: "gte", value: 1000 },
      { field: "account.employees", op: "gte", value: 500 },
      true,
    ],
    [
      "employee ranges do not nest",
      { field: "account.employees", op: "gte", value: 500 },
      { field: "account.employees", op: "gte", value: 1000 },
      false,
    ],
    [
      "a value implies the field exists",
      region("EMEA"),
      { field: "account.region", op: "exists", value: true },
      true,
    ],
    [
      "exists does not imply a value",
      { field: "account.region", op: "exists", value: true },
      region("EMEA"),
      false,
    ],
    ["EMEA implies not NA", region("EMEA"), { not: region("NA") }, true],
    [
      "not-in-list of a finite field is its complement",
      { not: band("eq", "SMB") },
      { any: [band("gte", "MM"), { field: "account.sizeBand", op: "exists", value: false }] },
      true,
    ],
    [
      "domain is case-insensitive",
      { field: "account.domain", op: "eq", value: "Acme.COM" },
      { field: "account.domain", op: "in", value: ["acme.com"] },
      true,
    ],
    [
      "two domains are not exclusive (an account has several)",
      { field: "account.domain", op: "eq", value: "a.com" },
      { not: { field: "account.domain", op: "eq", value: "b.com" } },
      false,
    ],
    [
      "two opportunity sources are not exclusive",
      { field: "opportunity.source", op: "eq", value: "reseller" },
      { not: { field: "opportunity.source", op: "eq", value: "direct" } },
      false,
    ],
    ["crmId is not implied by region", region("EMEA"), crm("001A"), false],
  ];
  it.each(cases)("%s", (_name, a, b, expected) => {
    expect(matcherImplies(a, b)).toBe(expected);
  });

  it("disjointness", () => {
    expect(matchersDisjoint(region("EMEA"), region("NA"))).toBe(true);
    expect(matchersDisjoint({ all: [region("EMEA"), band("eq", "ENT")] }, { all: [region("NA")] })).toBe(
      true,
    );
    expect(matchersDisjoint(band("lte", "SMB"), band("gte", "MM"))).toBe(true);
    expect(matchersDisjoint(region("EMEA"), band("eq", "ENT"))).toBe(false);
    expect(
      matchersDisjoint(
        { field: "account.domain", op: "eq", value: "a.com" },
        { field: "account.domain", op: "eq", value: "b.com" },
      ),
    ).toBe(false);
  });
});

describe("analyzeNewRule", () => {
  const emea = rule("emea", {
    kind: "territory",
    matcher: region("EMEA"),
    outcome: { type: "territory", territoryId: "tE" },
  });
  const emeaEnt = rule("emea-ent", {
    kind: "territory",
    matcher: { all: [region("EMEA"), band("eq", "ENT")] },
    outcome: { type: "territory", territoryId: "tX" },
  });
  const broadDecision = rule("dec-emea", {
    kind: "decision",
    matcher: regions("EMEA", "NA"),
    outcome: { type: "rep", repId: "r9" },
  });
  const acmeNamed = rule("named-acme", {
    kind: "named",
    matcher: { all: [crm("001A"), region("EMEA")] },
    outcome: { type: "rep", repId: "r2" },
  });
  const ids = (rules: Rule[]) => rules.map((r) => r.id);

  it("a rule hidden by a higher tier that always matches is shadowed", () => {
    const result = analyzeNewRule(acmeNamed, [broadDecision, emea]);
    expect(ids(result.shadowedBy)).toEqual(["dec-emea"]);
    expect(ids(result.shadows)).toEqual([]);
  });

  it("adding the broad rule reports the rules it makes unreachable", () => {
    const result = analyzeNewRule(broadDecision, [acmeNamed, emea, emeaEnt]);
    expect(ids(result.shadows)).toEqual(["named-acme", "emea", "emea-ent"]);
    expect(ids(result.shadowedBy)).toEqual([]);
  });

  it("a more specific rule in the same tier is not shadowed by a broader one", () => {
    const result = analyzeNewRule(emeaEnt, [emea]);
    expect(ids(result.shadowedBy)).toEqual([]);
    expect(ids(result.shadows)).toEqual([]);
  });

  it("within a tier, the older equal rule shadows the newer one when it always matches", () => {
    const older = rule("older", {
      kind: "decision",
      matcher: region("EMEA"),
      outcome: { type: "rep", repId: "r1" },
      createdAt: day(0),
    });
    const newer = rule("newer", {
      kind: "decision",
      matcher: region("EMEA"),
      outcome: { type: "rep", repId: "r2" },
      createdAt: day(1),
    });
    expect(ids(analyzeNewRule(newer, [older]).shadowedBy)).toEqual(["older"]);
    // With a higher priority the new rule wins instead.
    expect(ids(analyzeNewRule({ ...newer, priority: 1 }, [older]).shadows)).toEqual(["older"]);
  });

  it("rules that can be skipped at run time never count as shadowing", () => {
    const keep = rule("keep", {
      kind: "decision",
      matcher: region("EMEA"),
      outcome: { type: "keep_current" },
    });
    const overlaps = writtenOverlapRules({ by: "x", at: T0 });
    const terr = rule("t", {
      kind: "territory",
      matcher: { all: [region("EMEA"), { field: "account.parentCrmId", op: "exists", value: true }] },
      outcome: { type: "territory", territoryId: "tE" },
    });
    expect(analyzeNewRule(terr, [keep, ...overlaps]).shadowedBy).toEqual([]);
  });

  it("with staffing given, a rule whose rep is inactive does not count as shadowing", () => {
    const context = {
      reps: [rep("r9", { active: false }), rep("r1", { territoryIds: ["tE"] })],
      territories: [territory("tE")],
    };
    expect(analyzeNewRule(acmeNamed, [broadDecision], context).shadowedBy).toEqual([]);
    expect(ids(analyzeNewRule(acmeNamed, [broadDecision]).shadowedBy)).toEqual(["dec-emea"]);
  });

  it("conflicts: same tier and specificity, overlapping matchers, different outcome", () => {
    const retail = rule("retail", {
      kind: "territory",
      matcher: { field: "account.industry", op: "eq", value: "Retail" },
      outcome: { type: "territory", territoryId: "tR" },
    });
    const na = rule("na", {
      kind: "territory",
      matcher: region("NA"),
      outcome: { type: "territory", territoryId: "tN" },
    });
    const emeaSame = rule("emea-2", {
      kind: "territory",
      matcher: region("EMEA"),
      outcome: { type: "territory", territoryId: "tE" },
      createdAt: day(3),
      priority: 5,
    });
    const result = analyzeNewRule(emea, [retail, na, emeaSame]);
    // EMEA and Retail can both hold for one account; EMEA and NA cannot; the same outcome is no conflict.
    expect(ids(result.conflicts)).toEqual(["retail"]);
  });

  it("inactive rules are left out of the analysis", () => {
    expect(analyzeNewRule(acmeNamed, [{ ...broadDecision, active: false }]).shadowedBy).toEqual([]);
  });
});
