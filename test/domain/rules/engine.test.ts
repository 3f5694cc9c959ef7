import { describe, expect, it } from "vitest";
import type { Rep, Territory } from "../../../src/domain/model.ts";
import type { OwnershipVerdict } from "../../../src/domain/rules/engine.ts";
import { compileRuleSet, evaluateOwnership } from "../../../src/domain/rules/engine.ts";
import type { AccountFacts } from "../../../src/domain/rules/matcher.ts";
import type { ChannelException, Rule } from "../../../src/domain/rules/rule.ts";
import { territoryRuleFromTerritory, writtenOverlapRules } from "../../../src/domain/rules/rule.ts";
import { day, facts, opp, rep, rule, T0, territory } from "./fixtures.ts";

const territories: Territory[] = [
  territory("tE", { name: "EMEA Commercial", regions: ["EMEA"], sizeBands: ["SMB", "MM"], model: "hybrid" }),
  territory("tN", { name: "North America", regions: ["NA"] }),
  territory("tApacEnt", { name: "APAC Enterprise", regions: ["APAC"], sizeBands: ["ENT"], model: "hybrid" }),
  territory("tApacMm", { name: "APAC Mid-Market", regions: ["APAC"], sizeBands: ["MM"], model: "hybrid" }),
  territory("tEmpty", { name: "Empty", regions: ["LATAM"] }),
];
const reps: Rep[] = [
  rep("r1", { territoryIds: ["tE"] }),
  rep("r2", { territoryIds: ["tE"] }),
  rep("r3", { territoryIds: ["tN"] }),
  rep("r4", { territoryIds: ["tApacEnt"] }),
  rep("r5", { territoryIds: ["tApacMm"] }),
  rep("r6"),
  rep("rGone", { active: false, territoryIds: ["tE", "tEmpty"] }),
  rep("m1", { roles: ["rep", "manager"] }),
];

function territoryRules(): Rule[] {
  return territories
    .filter((t) => t.id !== "tApacMm")
    .map((t) => {
      const r = territoryRuleFromTerritory(t, { id: `terr-${t.id}`, by: "admin", at: T0 });
      if (!r.ok) throw new Error(r.error);
      return r.value;
    });
}

function evaluate(
  rules: Rule[],
  f: AccountFacts,
  current: string | null = null,
  parent: string | null = null,
) {
  const verdict = evaluateOwnership(f, {
    rules,
    territories,
    reps,
    currentOwnerRepId: current,
    parentOwnerRepId: parent,
  });
  // The bulk path must always agree with the explained path.
  const fast = compileRuleSet(rules, territories, reps).evaluate(f, current, parent);
  expect(fast).toEqual({
    owner: verdict.owner,
    territoryId: verdict.territoryId,
    rule: verdict.rule,
    effectiveAt: verdict.effectiveAt,
    deferral: verdict.deferral,
  });
  return verdict;
}

function summary(v: OwnershipVerdict) {
  return { owner: v.owner?.repId ?? null, rule: v.rule?.id ?? null, territory: v.territoryId };
}

type Row = {
  name: string;
  rules: Rule[];
  f: AccountFacts;
  current?: string | null;
  parent?: string | null;
  owner: string | null;
  rule: string | null;
  territory?: string | null;
};

function runRows(rows: Row[]) {
  it.each(rows)("$name", (row) => {
    const v = evaluate(row.rules, row.f, row.current ?? null, row.parent ?? null);
    const got = summary(v);
    expect({ owner: got.owner, rule: got.rule }).toEqual({ owner: row.owner, rule: row.rule });
    if (row.territory !== undefined) expect(got.territory).toBe(row.territory);
    // Exactly one fired entry, and it is the verdict's rule.
    const fired = v.trail.filter((t) => t.outcome === "fired");
    expect(fired.map((t) => t.rule.id)).toEqual(row.rule === null ? [] : [row.rule]);
  });
}

const crm001A = { field: "account.crmId", op: "eq", value: "001A" } as const;

describe("each rule kind", () => {
  runRows([
    {
      name: "territory rule: white-space account goes to the rep with the most room (equal room: by name)",
      rules: territoryRules(),
      f: facts(),
      owner: "r1",
      rule: "terr-tE",
      territory: "tE",
    },
    {
      name: "territory rule: the current owner in that territory keeps it",
      rules: territoryRules(),
      f: facts(),
      current: "r2",
      owner: "r2",
      rule: "terr-tE",
      territory: "tE",
    },
    {
      name: "territory rule: an owner from another territory is replaced",
      rules: territoryRules(),
      f: facts(),
      current: "r3",
      owner: "r1",
      rule: "terr-tE",
    },
    {
      name: "territory rule: an inactive current owner is replaced",
      rules: territoryRules(),
      f: facts(),
      current: "rGone",
      owner: "r1",
      rule: "terr-tE",
    },
    {
      name: "decision rule beats the territory rule",
      rules: [
        ...territoryRules(),
        rule("dec", { kind: "decision", matcher: crm001A, outcome: { type: "rep", repId: "r3" } }),
      ],
      f: facts(),
      owner: "r3",
      rule: "dec",
      territory: "tN",
    },
    {
      name: "manual override by domain",
      rules: [
        ...territoryRules(),
        rule("man", {
          kind: "manual",
          matcher: { field: "account.domain", op: "eq", value: "ACME.com" },
          outcome: { type: "rep", repId: "r6" },
        }),
      ],
      f: facts(),
      owner: "r6",
      rule: "man",
      territory: null,
    },
    {
      name: "named-account list beats territory",
      rules: [
        ...territoryRules(),
        rule("named", {
          kind: "named",
          matcher: { field: "account.named", op: "eq", value: true },
          outcome: { type: "rep", repId: "r6" },
        }),
      ],
      f: facts({ named: true }),
      owner: "r6",
      rule: "named",
    },
    {
      name: "keep_current rule with an owner keeps them",
      rules: [
        ...territoryRules(),
        rule("keep", { kind: "decision", matcher: crm001A, outcome: { type: "keep_current" } }),
      ],
      f: facts(),
      current: "r3",
      owner: "r3",
      rule: "keep",
    },
    {
      name: "keep_current with no current owner is skipped",
      rules: [
        ...territoryRules(),
        rule("keep", { kind: "decision", matcher: crm001A, outcome: { type: "keep_current" } }),
      ],
      f: facts(),
      owner: "r1",
      rule: "terr-tE",
    },
    {
      name: "a rule naming an inactive rep is skipped",
      rules: [
        ...territoryRules(),
        rule("dec", { kind: "decision", matcher: crm001A, outcome: { type: "rep", repId: "rGone" } }),
      ],
      f: facts(),
      owner: "r1",
      rule: "terr-tE",
    },
    {
      name: "a rule naming an unknown rep is skipped",
      rules: [
        ...territoryRules(),
        rule("dec", { kind: "decision", matcher: crm001A, outcome: { type: "rep", repId: "nobody" } }),
      ],
      f: facts(),
      owner: "r1",
      rule: "terr-tE",
    },
    {
      name: "a territory with no active rep leaves white space",
      rules: territoryRules(),
      f: facts({ region: "LATAM" }),
      owner: null,
      rule: null,
      territory: null,
    },
    {
      name: "white space: nothing matches",
      rules: territoryRules(),
      f: facts({ region: "Antarctica" }),
      current: "r1",
      owner: null,
      rule: null,
    },
    { name: "white space: no rules at all", rules: [], f: facts(), owner: null, rule: null },
    {
      name: "inactive rules are ignored",
      rules: [
        ...territoryRules(),
        rule("off", {
          kind: "decision",
          matcher: crm001A,
          outcome: { type: "rep", repId: "r3" },
          active: false,
        }),
      ],
      f: facts(),
      owner: "r1",
      rule: "terr-tE",
    },
  ]);

  it("white space says so in plain words, including skipped rules", () => {
    const v = evaluate(territoryRules(), facts({ region: "LATAM" }));
    expect(v.reason).toBe(
      "No rule assigns Acme, so it is unassigned white space (1 matching rule was skipped because their outcome could not be applied).",
    );
    expect(v.trail.find((t) => t.outcome === "skipped")?.note).toBe(
      "territory Empty has no active rep carrying a book",
    );
  });

  it("a fired verdict explains who, which rule and why", () => {
    const rules = [
      ...territoryRules(),
      rule("dec", {
        kind: "decision",
        matcher: crm001A,
        outcome: { type: "rep", repId: "r3" },
        text: "Acme is R3's",
        provenance: { by: "arb", at: T0, disputeId: "D-9" },
      }),
    ];
    const v = evaluate(rules, facts());
    expect(v.reason).toBe(
      'R3 owns Acme by the decision rule "Acme is R3\'s" from dispute D-9: R3 is named by the rule.',
    );
    expect(v.trail[0]).toMatchObject({ outcome: "fired" });
  });
});

describe("precedence across tiers", () => {
  const regionDecision = rule("dec-region", {
    kind: "decision",
    matcher: { field: "account.region", op: "eq", value: "EMEA" },
    outcome: { type: "rep", repId: "r6" },
  });
  const namedById = rule("named-id", {
    kind: "named",
    matcher: crm001A,
    outcome: { type: "rep", repId: "r3" },
    priority: 1000,
  });
  const manualById = rule("manual-id", {
    kind: "manual",
    matcher: crm001A,
    outcome: { type: "rep", repId: "r2" },
  });
  const overlaps = writtenOverlapRules({ by: "revops", at: T0 });
  runRows([
    {
      name: "a broad decision rule still beats a specific named rule (tier before specificity)",
      rules: [namedById, regionDecision],
      f: facts(),
      owner: "r6",
      rule: "dec-region",
    },
    {
      name: "within the top tier the more specific manual override wins",
      rules: [regionDecision, manualById],
      f: facts(),
      owner: "r2",
      rule: "manual-id",
    },
    {
      name: "named beats overlap: parent rule does not apply",
      rules: [...overlaps, namedById],
      f: facts({}, [], "P1"),
      parent: "r1",
      owner: "r3",
      rule: "named-id",
    },
    {
      name: "overlap beats territory: a subsidiary in its parent rep's region follows the parent",
      rules: [...territoryRules(), ...overlaps],
      f: facts({ region: "EMEA" }, [], "P1"),
      parent: "r1",
      owner: "r1",
      rule: "overlap-parent-subsidiary",
    },
    {
      name: "overlap beats territory: a subsidiary in a new region is an international expansion",
      rules: [...territoryRules(), ...overlaps],
      f: facts({ region: "NA" }, [], "P1"),
      parent: "r1",
      owner: "r1",
      rule: "overlap-international-expansion",
    },
  ]);

  it("the trail lists the rules considered in order, up to the one that fired", () => {
    const v = evaluate([...territoryRules(), namedById, regionDecision], facts({ crmId: "001B" }));
    expect(v.trail.map((t) => [t.rule.id, t.outcome])).toEqual([["dec-region", "fired"]]);
    const w = evaluate([...territoryRules(), namedById], facts({ crmId: "001B" }));
    expect(w.trail.map((t) => [t.rule.id, t.outcome])).toEqual([
      ["named-id", "not_matched"],
      ["terr-tApacEnt", "not_matched"],
      ["terr-tE", "fired"],
    ]);
  });
});

describe("ties within a tier", () => {
  const region = { field: "account.region", op: "eq", value: "EMEA" } as const;
  const country = { field: "account.country", op: "eq", value: "DE" } as const;
  const a = (over: Partial<Rule>) =>
    rule("a", { kind: "decision", matcher: region, outcome: { type: "rep", repId: "r1" }, ...over });
  const b = (over: Partial<Rule>) =>
    rule("b", { kind: "decision", matcher: region, outcome: { type: "rep", repId: "r3" }, ...over });
  runRows([
    {
      name: "specificity first: country outranks region regardless of priority",
      rules: [a({ priority: 99 }), b({ matcher: country })],
      f: facts(),
      owner: "r3",
      rule: "b",
    },
    {
      name: "then explicit priority: higher wins",
      rules: [a({ priority: 1 }), b({ priority: 2 })],
      f: facts(),
      owner: "r3",
      rule: "b",
    },
    {
      name: "then age: older wins",
      rules: [a({ createdAt: day(2) }), b({ createdAt: day(1) })],
      f: facts(),
      owner: "r3",
      rule: "b",
    },
    { name: "then id, so nothing ever ties", rules: [b({}), a({})], f: facts(), owner: "r1", rule: "a" },
    {
      name: "priority beats age",
      rules: [a({ createdAt: day(1) }), b({ createdAt: day(2), priority: 1 })],
      f: facts(),
      owner: "r3",
      rule: "b",
    },
  ]);

  it("the verdict does not depend on the order rules arrive in", () => {
    const rules = [
      a({ createdAt: day(2) }),
      b({ createdAt: day(1) }),
      ...territoryRules(),
      ...writtenOverlapRules({ by: "x", at: T0 }),
    ];
    const base = summary(evaluate(rules, facts()));
    expect(summary(evaluate([...rules].reverse(), facts()))).toEqual(base);
  });
});

describe("overlap rule one (guide): reseller channel", () => {
  const [reseller] = writtenOverlapRules({ by: "revops", at: T0 });
  if (reseller === undefined) throw new Error("missing rule");
  const withExceptions = (exceptions: ChannelException[]): Rule => ({
    ...reseller,
    overlap: { type: "reseller_channel", signOffHours: 48, exceptions },
  });
  const deal = opp({ source: "reseller", reseller: "ChannelCo" });
  const exception = (over: Partial<ChannelException>): ChannelException => ({
    accountCrmId: "001A",
    repId: "r6",
    signedOffBy: "m1",
    registeredAt: T0,
    signedOffAt: new Date(T0.getTime() + 47 * 3_600_000),
    ...over,
  });
  // Account in EMEA sits in r3's book (an inherited account); the territory rule alone would give it to r1.
  runRows([
    {
      name: "the direct rep stays rep of record",
      rules: [...territoryRules(), reseller],
      f: facts({}, [deal]),
      current: "r3",
      owner: "r3",
      rule: "overlap-reseller-channel",
      territory: "tN",
    },
    {
      name: "no direct rep yet: the reseller deal does not decide",
      rules: [...territoryRules(), reseller],
      f: facts({}, [deal]),
      owner: "r1",
      rule: "terr-tE",
    },
    {
      name: "direct deals only: the rule does not match",
      rules: [...territoryRules(), reseller],
      f: facts({}, [opp()]),
      current: "r3",
      owner: "r1",
      rule: "terr-tE",
    },
    {
      name: "channel exception signed off by a manager within 48 h moves it",
      rules: [...territoryRules(), withExceptions([exception({})])],
      f: facts({}, [deal]),
      current: "r3",
      owner: "r6",
      rule: "overlap-reseller-channel",
    },
    {
      name: "a late sign-off does not count",
      rules: [
        ...territoryRules(),
        withExceptions([exception({ signedOffAt: new Date(T0.getTime() + 49 * 3_600_000) })]),
      ],
      f: facts({}, [deal]),
      current: "r3",
      owner: "r3",
      rule: "overlap-reseller-channel",
    },
    {
      name: "a sign-off by a non-manager does not count",
      rules: [...territoryRules(), withExceptions([exception({ signedOffBy: "r1" })])],
      f: facts({}, [deal]),
      current: "r3",
      owner: "r3",
      rule: "overlap-reseller-channel",
    },
    {
      name: "an exception for another account does not count",
      rules: [...territoryRules(), withExceptions([exception({ accountCrmId: "001Z" })])],
      f: facts({}, [deal]),
      current: "r3",
      owner: "r3",
      rule: "overlap-reseller-channel",
    },
  ]);

  it("says why a late exception was ignored", () => {
    const v = evaluate(
      [withExceptions([exception({ signedOffAt: new Date(T0.getTime() + 49 * 3_600_000) })])],
      facts({}, [deal]),
      "r3",
    );
    expect(v.trail[0]?.note).toMatch(
      /^channel exception to R6 ignored: signed off outside 48 h of the registration; R3 stays rep of record/,
    );
  });
});

describe("overlap rule two (guide): international expansion", () => {
  const [, intl] = writtenOverlapRules({ by: "revops", at: T0 });
  if (intl === undefined) throw new Error("missing rule");
  const rules = [...territoryRules(), intl];
  runRows([
    {
      name: "an enterprise expansion into APAC goes to the separate APAC enterprise team",
      rules,
      f: facts({ region: "APAC", sizeBand: "ENT" }),
      current: "r1",
      owner: "r4",
      rule: "overlap-international-expansion",
      territory: "tApacEnt",
    },
    {
      name: "a mid-market expansion stays: the APAC mid-market team shares the original rep's size band",
      rules,
      f: facts({ region: "APAC", sizeBand: "MM" }),
      current: "r1",
      owner: "r1",
      rule: "overlap-international-expansion",
    },
    {
      name: "no international team owns the region: the original rep keeps it",
      rules,
      f: facts({ region: "MENA", sizeBand: "ENT" }),
      current: "r1",
      owner: "r1",
      rule: "overlap-international-expansion",
      territory: "tE",
    },
    {
      name: "not a new region: the territory rule decides",
      rules,
      f: facts({ region: "EMEA" }),
      current: "r2",
      owner: "r2",
      rule: "terr-tE",
    },
    {
      name: "no original rep: nothing to keep, territory rule decides",
      rules,
      f: facts({ region: "APAC", sizeBand: "ENT" }),
      owner: "r4",
      rule: "terr-tApacEnt",
    },
    {
      name: "the rule can be limited to listed international territories",
      rules: [
        ...territoryRules(),
        { ...intl, overlap: { type: "international_expansion", internationalTerritoryIds: ["tN"] } },
      ],
      f: facts({ region: "APAC", sizeBand: "ENT" }),
      current: "r1",
      owner: "r1",
      rule: "overlap-international-expansion",
    },
  ]);

  it("an international team with no active rep does not take the account", () => {
    const staffless = reps.map((r) => (r.id === "r4" ? { ...r, active: false } : r));
    const v = evaluateOwnership(facts({ region: "APAC", sizeBand: "ENT" }), {
      rules,
      territories,
      reps: staffless,
      currentOwnerRepId: "r1",
      parentOwnerRepId: null,
    });
    expect(summary(v)).toEqual({ owner: "r1", rule: "overlap-international-expansion", territory: "tE" });
  });
});

describe("overlap rule three: parent and subsidiary", () => {
  const [, , parentRule] = writtenOverlapRules({ by: "revops", at: T0 });
  if (parentRule === undefined) throw new Error("missing rule");
  const rules = [...territoryRules(), parentRule];
  const sub = facts({ crmId: "001S", region: "NA", name: "Acme Inc" }, [], "001P");
  runRows([
    {
      name: "a subsidiary follows its parent's owner",
      rules,
      f: sub,
      parent: "r1",
      owner: "r1",
      rule: "overlap-parent-subsidiary",
    },
    { name: "a parent without an owner: territory decides", rules, f: sub, owner: "r3", rule: "terr-tN" },
    {
      name: "a parent whose owner left: territory decides",
      rules,
      f: sub,
      parent: "rGone",
      owner: "r3",
      rule: "terr-tN",
    },
    {
      name: "not a subsidiary: rule does not match",
      rules,
      f: facts({ region: "NA" }),
      parent: "r1",
      owner: "r3",
      rule: "terr-tN",
    },
    {
      name: "a decision rule on the subsidiary says otherwise",
      rules: [
        ...rules,
        rule("dec", {
          kind: "decision",
          matcher: { field: "account.crmId", op: "eq", value: "001S" },
          outcome: { type: "rep", repId: "r3" },
        }),
      ],
      f: sub,
      parent: "r1",
      owner: "r3",
      rule: "dec",
    },
  ]);
});

describe("compiled rule set", () => {
  it("finds identity-indexed rules by CRM id and by any domain, case-insensitively", () => {
    const rules = [
      ...territoryRules(),
      rule("by-domain", {
        kind: "decision",
        matcher: {
          all: [
            { field: "account.domain", op: "in", value: ["Acme.DE"] },
            { field: "account.region", op: "eq", value: "EMEA" },
          ],
        },
        outcome: { type: "rep", repId: "r6" },
      }),
      rule("by-id", {
        kind: "named",
        matcher: { field: "account.crmId", op: "in", value: ["001Q", "001R"] },
        outcome: { type: "rep", repId: "r3" },
      }),
    ];
    const set = compileRuleSet(rules, territories, reps);
    expect(set.evaluate(facts({ domains: ["acme.com", "acme.de"] }), null, null).rule?.id).toBe("by-domain");
    expect(set.evaluate(facts({ crmId: "001R" }), null, null).rule?.id).toBe("by-id");
    expect(set.evaluate(facts({ crmId: "001Z" }), null, null).rule?.id).toBe("terr-tE");
    expect(set.ordered.map((r) => r.id)).toEqual([
      "by-domain",
      "by-id",
      "terr-tApacEnt",
      "terr-tE",
      "terr-tEmpty",
      "terr-tN",
    ]);
  });

  it("refuses two active rules with one id, since ids are the last tie-break", () => {
    expect(() => compileRuleSet([rule("x"), rule("x", { priority: 1 })], territories, reps)).toThrow(
      "duplicate rule id x",
    );
    expect(() => compileRuleSet([rule("x"), rule("x", { active: false })], territories, reps)).not.toThrow();
  });
});
