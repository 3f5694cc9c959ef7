import { describe, expect, it } from "vitest";
import { decisionRuleFor } from "../../../src/domain/disputes/decision.ts";
import {
  type CaseFacts,
  proposeRuleScopes,
  type RuleScope,
  scopePriority,
  scopeToMatcher,
  ZRuleScope,
} from "../../../src/domain/disputes/scope.ts";
import { matches } from "../../../src/domain/rules/matcher.ts";
import { parseRule } from "../../../src/domain/rules/rule.ts";
import { aDispute, anAccount, anOpportunity, hoursAfterOpen, REPS } from "./fixtures.ts";

function facts(overrides: Partial<CaseFacts> = {}): CaseFacts {
  return {
    account: anAccount(),
    parentCrmId: "0015g00000GLOBEX",
    parentName: "Globex Corp",
    category: "other",
    openOpportunities: [],
    claimant: { repId: REPS.claimant, regions: ["EMEA"], teams: ["international"], sizeBands: ["ENT"] },
    owner: { repId: REPS.owner, regions: ["NA"], teams: ["west"], sizeBands: ["MM", "ENT"] },
    ...overrides,
  };
}

const reseller = anOpportunity({ id: "opp-r", source: "reseller", reseller: "Initech Partners" });
const labels = (f: CaseFacts) => proposeRuleScopes(f).map((p) => p.label);

describe("proposeRuleScopes per category", () => {
  it.each([
    {
      category: "parent_subsidiary" as const,
      overrides: {},
      expected: [
        "Only Acme GmbH",
        "Every subsidiary of Globex Corp",
        "Every ENT account in EMEA",
        "Every account on acme.de",
      ],
    },
    {
      category: "reseller_channel" as const,
      overrides: {
        openOpportunities: [reseller],
        claimant: { repId: REPS.claimant, regions: [], teams: [], sizeBands: [] },
      },
      expected: [
        "Only Acme GmbH",
        "Every account with a deal through Initech Partners",
        "Every subsidiary of Globex Corp",
        "Every account on acme.de",
      ],
    },
    {
      category: "international_expansion" as const,
      overrides: { parentCrmId: null, parentName: null },
      expected: ["Only Acme GmbH", "Every ENT account in EMEA", "Every account on acme.de"],
    },
    {
      category: "international_expansion" as const,
      overrides: {
        account: anAccount({ region: null, sizeBand: null, domains: [] }),
        parentCrmId: null,
        claimant: { repId: REPS.claimant, regions: ["NA", "LATAM", "EMEA"], teams: [], sizeBands: [] },
      },
      expected: ["Only Acme GmbH", "Every account in EMEA", "Every account in LATAM"],
    },
    {
      category: "segment_change" as const,
      overrides: {
        parentCrmId: null,
        owner: { repId: REPS.owner, regions: ["EMEA"], teams: [], sizeBands: ["MM" as const] },
      },
      expected: ["Only Acme GmbH", "Every ENT account in EMEA", "Every account on acme.de"],
    },
    {
      category: "named_account" as const,
      overrides: { owner: { repId: REPS.owner, regions: ["EMEA"], teams: [], sizeBands: [] } },
      expected: ["Only Acme GmbH", "Every subsidiary of Globex Corp", "Every account on acme.de"],
    },
    {
      category: "other" as const,
      overrides: { account: anAccount({ domains: [], region: null }), parentCrmId: null, owner: null },
      expected: ["Only Acme GmbH"],
    },
  ])("$category → $expected", ({ category, overrides, expected }) => {
    expect(labels(facts({ category, ...overrides }))).toEqual(expected);
  });

  it("always offers this account only, first, by CRM id", () => {
    expect(proposeRuleScopes(facts())[0]?.scope).toEqual({
      kind: "account_only",
      accountCrmId: "0015g00000ACME01",
    });
  });

  it("offers each reseller on an open deal once, and ignores closed and direct deals", () => {
    const scopes = proposeRuleScopes(
      facts({
        category: "reseller_channel",
        openOpportunities: [
          reseller,
          anOpportunity({ id: "opp-r2", source: "reseller", reseller: "Initech Partners" }),
          anOpportunity({ id: "opp-c", source: "reseller", reseller: "Closed Co", isOpen: false }),
          anOpportunity({ id: "opp-d" }),
        ],
      }),
    ).filter((p) => p.scope.kind === "same_reseller");
    expect(scopes.map((p) => p.scope)).toEqual([{ kind: "same_reseller", reseller: "Initech Partners" }]);
  });

  it("falls back to the parent's CRM id when its name is unknown", () => {
    expect(labels(facts({ parentName: null }))).toContain("Every subsidiary of account 0015g00000GLOBEX");
  });

  it("offers only scopes the rules engine can read back", () => {
    for (const proposal of proposeRuleScopes(
      facts({ openOpportunities: [reseller], category: "international_expansion" }),
    )) {
      expect(ZRuleScope.parse(proposal.scope)).toEqual(proposal.scope);
    }
  });
});

describe("scopeToMatcher", () => {
  it.each<{ scope: RuleScope; all: unknown[] }>([
    {
      scope: { kind: "account_only", accountCrmId: "001A" },
      all: [{ field: "account.crmId", op: "eq", value: "001A" }],
    },
    {
      scope: { kind: "same_parent", parentCrmId: "001P" },
      all: [{ field: "account.parentCrmId", op: "eq", value: "001P" }],
    },
    {
      scope: { kind: "same_reseller", reseller: "Initech Partners" },
      all: [{ field: "opportunity.reseller", op: "eq", value: "Initech Partners" }],
    },
    {
      scope: { kind: "region_expansion", region: "EMEA", sizeBand: "ENT" },
      all: [
        { field: "account.region", op: "eq", value: "EMEA" },
        { field: "account.sizeBand", op: "eq", value: "ENT" },
      ],
    },
    {
      scope: { kind: "region_expansion", region: "EMEA", sizeBand: null },
      all: [{ field: "account.region", op: "eq", value: "EMEA" }],
    },
    {
      scope: { kind: "same_domain", domain: "acme.de" },
      all: [{ field: "account.domain", op: "eq", value: "acme.de" }],
    },
  ])("$scope.kind → $all", ({ scope, all }) => {
    expect(scopeToMatcher(scope)).toEqual({ all });
  });

  it("orders decision rules most specific first", () => {
    const order: RuleScope[] = [
      { kind: "account_only", accountCrmId: "a" },
      { kind: "same_domain", domain: "d" },
      { kind: "same_parent", parentCrmId: "p" },
      { kind: "same_reseller", reseller: "r" },
      { kind: "region_expansion", region: "EMEA", sizeBand: "ENT" },
      { kind: "region_expansion", region: "EMEA", sizeBand: null },
    ];
    const priorities = order.map(scopePriority);
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    expect(new Set(priorities).size).toBe(order.length);
  });
});

describe("decisionRuleFor", () => {
  const now = hoursAfterOpen(20);
  const scope: RuleScope = { kind: "same_parent", parentCrmId: "0015g00000GLOBEX" };

  it.each([
    { choice: "transfer" as const, repId: REPS.claimant },
    { choice: "keep" as const, repId: REPS.owner },
  ])("$choice → a rule giving matching accounts to $repId, with its provenance", ({ choice, repId }) => {
    const rule = decisionRuleFor(
      aDispute(),
      { choice, text: "  Subsidiaries follow Globex.  ", by: REPS.backup },
      scope,
      now,
    );
    expect(rule).toEqual({
      kind: "decision",
      matcher: { all: [{ field: "account.parentCrmId", op: "eq", value: "0015g00000GLOBEX" }] },
      outcome: { type: "rep", repId },
      priority: scopePriority(scope),
      text: "Subsidiaries follow Globex.",
      provenance: { by: REPS.backup, at: now, disputeId: "dsp-1" },
    });
  });

  it("transfers to the proposed owner when a manager filed on a rep's behalf", () => {
    const dispute = aDispute({ claimantRepId: REPS.manager, proposedOwnerRepId: REPS.claimant });
    const rule = decisionRuleFor(
      dispute,
      { choice: "transfer", text: "Goes to the EMEA rep.", by: REPS.arbiter },
      scope,
      now,
    );
    expect(rule.outcome).toEqual({ type: "rep", repId: REPS.claimant });
  });

  it("throws for keep on an unowned account, which the state machine never lets through", () => {
    expect(() =>
      decisionRuleFor(
        aDispute({ currentOwnerRepId: null }),
        { choice: "keep", text: "Keep.", by: REPS.arbiter },
        scope,
        now,
      ),
    ).toThrow(/current owner/);
  });
});

// The rules engine (src/domain/rules) reads what a decision writes; check the hand-off end to end.
describe("decision rules as the rules engine reads them", () => {
  const now = hoursAfterOpen(20);
  const caseFacts = facts({
    category: "international_expansion",
    account: anAccount({ domains: ["Acme.DE", "acme-gmbh.de"] }),
    openOpportunities: [reseller],
  });

  it.each(proposeRuleScopes(caseFacts).map((p) => ({ label: p.label, scope: p.scope })))(
    "$label: a valid rule that matches the disputed account itself",
    ({ scope }) => {
      const data = decisionRuleFor(
        aDispute(),
        { choice: "transfer", text: "Goes east.", by: REPS.arbiter },
        scope,
        now,
      );
      const parsed = parseRule({ ...data, id: "rule-1", createdAt: now });
      expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
      expect(matches(data.matcher, caseFacts)).toBe(true);
    },
  );

  it("does not match an unrelated account", () => {
    const other = {
      account: anAccount({ crmId: "001OTHER", domains: ["other.com"], region: "NA", sizeBand: "SMB" }),
      parentCrmId: null,
      openOpportunities: [],
    };
    for (const { scope } of proposeRuleScopes(caseFacts))
      expect(matches(scopeToMatcher(scope), other)).toBe(false);
  });
});
