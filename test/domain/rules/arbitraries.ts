// fast-check generators for matchers, facts and rule sets over a deliberately small value space, so
// random matchers and random accounts actually meet.
import fc from "fast-check";
import type { Opportunity, Rep, SizeBand, Territory } from "../../../src/domain/model.ts";
import type { AccountFacts, Matcher } from "../../../src/domain/rules/matcher.ts";
import type { Rule } from "../../../src/domain/rules/rule.ts";
import { T0 } from "./fixtures.ts";

const regions = ["EMEA", "NA", "APAC"] as const;
const industries = ["Software", "Retail"] as const;
const bands: SizeBand[] = ["SMB", "MM", "ENT"];
const crmIds = ["001A", "001B", "001C"] as const;
const domains = ["acme.com", "ACME.de", "globex.com"] as const;
const resellers = ["ChannelCo", "Partnr"] as const;

const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });

export const conditionArb: fc.Arbitrary<Matcher> = fc.oneof(
  fc.record({
    field: fc.constant("account.crmId" as const),
    op: fc.constant("eq" as const),
    value: fc.constantFrom(...crmIds),
  }),
  fc.record({
    field: fc.constant("account.domain" as const),
    op: fc.constant("in" as const),
    value: fc.subarray([...domains], { minLength: 1 }),
  }),
  fc.record({
    field: fc.constant("account.domain" as const),
    op: fc.constant("exists" as const),
    value: fc.boolean(),
  }),
  fc.record({
    field: fc.constant("account.parentCrmId" as const),
    op: fc.constant("exists" as const),
    value: fc.boolean(),
  }),
  fc.record({
    field: fc.constant("account.region" as const),
    op: fc.constant("eq" as const),
    value: fc.constantFrom(...regions),
  }),
  fc.record({
    field: fc.constant("account.region" as const),
    op: fc.constant("in" as const),
    value: fc.subarray([...regions], { minLength: 1 }),
  }),
  fc.record({
    field: fc.constant("account.region" as const),
    op: fc.constant("exists" as const),
    value: fc.boolean(),
  }),
  fc.record({
    field: fc.constant("account.industry" as const),
    op: fc.constant("eq" as const),
    value: fc.constantFrom(...industries),
  }),
  fc.record({
    field: fc.constant("account.sizeBand" as const),
    op: fc.constantFrom("eq" as const, "gte" as const, "lte" as const),
    value: fc.constantFrom(...bands),
  }),
  fc.record({
    field: fc.constant("account.sizeBand" as const),
    op: fc.constant("in" as const),
    value: fc.subarray(bands, { minLength: 1 }),
  }),
  fc.record({
    field: fc.constant("account.employees" as const),
    op: fc.constantFrom("gte" as const, "lte" as const, "eq" as const),
    value: fc.constantFrom(0, 50, 500, 5000),
  }),
  fc.record({
    field: fc.constant("account.icpFit" as const),
    op: fc.constantFrom("gte" as const, "lte" as const, "eq" as const),
    value: fc.integer({ min: 1, max: 5 }),
  }),
  fc.record({
    field: fc.constant("account.named" as const),
    op: fc.constant("eq" as const),
    value: fc.boolean(),
  }),
  fc.record({
    field: fc.constant("opportunity.source" as const),
    op: fc.constant("eq" as const),
    value: fc.constantFrom("direct" as const, "reseller" as const),
  }),
  fc.record({
    field: fc.constant("opportunity.source" as const),
    op: fc.constant("exists" as const),
    value: fc.boolean(),
  }),
  fc.record({
    field: fc.constant("opportunity.reseller" as const),
    op: fc.constant("in" as const),
    value: fc.subarray([...resellers], { minLength: 1 }),
  }),
  fc.record({
    field: fc.constant("opportunity.reseller" as const),
    op: fc.constant("exists" as const),
    value: fc.boolean(),
  }),
);

export const matcherArb: fc.Arbitrary<Matcher> = fc.letrec<{ m: Matcher }>((tie) => ({
  m: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    conditionArb,
    fc.record({ all: fc.array(tie("m"), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie("m"), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie("m") }),
  ),
})).m;

const oppArb: fc.Arbitrary<Opportunity> = fc
  .record({
    source: fc.constantFrom("direct" as const, "reseller" as const),
    reseller: nullable(fc.constantFrom(...resellers)),
  })
  .map(({ source, reseller }, i = 0) => ({
    id: `o${i}`,
    crmId: `006${i}`,
    accountId: "a1",
    ownerRepId: null,
    amount: 1000,
    stage: "Open",
    isOpen: true,
    source,
    reseller: source === "reseller" ? reseller : null,
  }));

export const factsArb: fc.Arbitrary<AccountFacts> = fc.record({
  account: fc.record({
    id: fc.constant("a1"),
    crmId: fc.constantFrom(...crmIds),
    name: fc.constant("Acme"),
    domains: fc.subarray(["acme.com", "acme.de", "GLOBEX.com", "other.io"]),
    parentId: fc.constant(null),
    country: nullable(fc.constantFrom("DE", "US")),
    region: nullable(fc.constantFrom(...regions, "LATAM")),
    industry: nullable(fc.constantFrom(...industries)),
    employees: nullable(fc.constantFrom(0, 49, 50, 500, 501, 5000, 9000)),
    sizeBand: nullable(fc.constantFrom(...bands)),
    icpFit: nullable(fc.integer({ min: 1, max: 5 })),
    lastActivityAt: fc.constant(null),
    named: fc.boolean(),
  }),
  parentCrmId: nullable(fc.constantFrom("P1", "P2")),
  openOpportunities: fc.array(oppArb, { maxLength: 3 }),
});

export const territoriesFixed: Territory[] = [
  { id: "tE", name: "EMEA", model: "geographic", regions: ["EMEA"], industries: [], sizeBands: [] },
  { id: "tN", name: "NA", model: "hybrid", regions: ["NA"], industries: [], sizeBands: ["SMB", "MM"] },
  { id: "tA", name: "APAC ENT", model: "hybrid", regions: ["APAC"], industries: [], sizeBands: ["ENT"] },
  { id: "tV", name: "Retail", model: "vertical", regions: [], industries: ["Retail"], sizeBands: [] },
];

export const repsArb: fc.Arbitrary<Rep[]> = fc
  .array(
    fc.record({
      active: fc.boolean(),
      manager: fc.boolean(),
      territoryIds: fc.subarray(territoriesFixed.map((t) => t.id)),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((list) =>
    list.map((r, i) => ({
      id: `r${i}`,
      slackUserId: null,
      email: `r${i}@x.com`,
      name: `Rep ${i}`,
      team: null,
      roles: r.manager ? ["rep" as const, "manager" as const] : ["rep" as const],
      capacityWeight: 1,
      active: r.active,
      territoryIds: r.territoryIds,
    })),
  );

const outcomeArb = fc.oneof(
  fc.record({
    type: fc.constant("rep" as const),
    repId: fc.constantFrom("r0", "r1", "r2", "r3", "r4", "ghost"),
  }),
  fc.record({
    type: fc.constant("territory" as const),
    territoryId: fc.constantFrom("tE", "tN", "tA", "tV", "tGhost"),
  }),
  fc.record({ type: fc.constant("keep_current" as const) }),
);

const overlapArb = fc.oneof(
  fc.constant({ type: "parent_subsidiary" as const }),
  fc.constant({ type: "international_expansion" as const }),
  fc.record({
    type: fc.constant("reseller_channel" as const),
    signOffHours: fc.constant(48),
    exceptions: fc.array(
      fc.record({
        accountCrmId: fc.constantFrom(...crmIds),
        repId: fc.constantFrom("r0", "r1", "r2"),
        signedOffBy: fc.constantFrom("r0", "r1", "r2"),
        registeredAt: fc.constant(T0),
        signedOffAt: fc.integer({ min: -2, max: 60 }).map((h) => new Date(T0.getTime() + h * 3_600_000)),
      }),
      { maxLength: 2 },
    ),
  }),
);

export const rulesArb: fc.Arbitrary<Rule[]> = fc
  .array(
    fc.record({
      kind: fc.constantFrom(
        "decision" as const,
        "manual" as const,
        "named" as const,
        "overlap" as const,
        "territory" as const,
      ),
      matcher: matcherArb,
      outcome: outcomeArb,
      overlap: overlapArb,
      priority: fc.integer({ min: 0, max: 3 }),
      ageDays: fc.integer({ min: 0, max: 3 }),
      active: fc.boolean(),
    }),
    { maxLength: 12 },
  )
  .map((list) =>
    list.map((r, i) => {
      const at = new Date(T0.getTime() + r.ageDays * 86_400_000);
      const base = {
        id: `rule-${String(i).padStart(2, "0")}`,
        kind: r.kind,
        matcher: r.matcher,
        priority: r.priority,
        text: `rule ${i}`,
        provenance: { by: "prop", at },
        active: r.active,
        createdAt: at,
      };
      return r.kind === "overlap"
        ? { ...base, outcome: { type: "keep_current" as const }, overlap: r.overlap }
        : { ...base, outcome: r.outcome };
    }),
  );

export const ownerArb = fc.option(fc.constantFrom("r0", "r1", "r2", "r3", "ghost"), { nil: null });
