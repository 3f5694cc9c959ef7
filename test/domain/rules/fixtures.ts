// Small builders so each table row states only what matters to it.
import type { Account, Opportunity, Rep, Territory } from "../../../src/domain/model.ts";
import type { AccountFacts, Matcher } from "../../../src/domain/rules/matcher.ts";
import type { Rule } from "../../../src/domain/rules/rule.ts";

export const T0 = new Date("2026-01-05T09:00:00Z");

export function day(n: number): Date {
  return new Date(T0.getTime() + n * 86_400_000);
}

export function rep(id: string, over: Partial<Rep> = {}): Rep {
  return {
    id,
    slackUserId: null,
    email: `${id}@example.com`,
    name: id.toUpperCase(),
    team: null,
    roles: ["rep"],
    capacityWeight: 1,
    active: true,
    territoryIds: [],
    ...over,
  };
}

export function territory(id: string, over: Partial<Territory> = {}): Territory {
  return {
    id,
    name: id.toUpperCase(),
    model: "geographic",
    regions: [],
    industries: [],
    sizeBands: [],
    ...over,
  };
}

export function account(over: Partial<Account> = {}): Account {
  return {
    id: "a1",
    crmId: "001A",
    name: "Acme",
    domains: ["acme.com"],
    parentId: null,
    country: "DE",
    region: "EMEA",
    industry: "Software",
    employees: 500,
    sizeBand: "MM",
    icpFit: 4,
    lastActivityAt: null,
    named: false,
    ...over,
  };
}

export function opp(over: Partial<Opportunity> = {}): Opportunity {
  return {
    id: "o1",
    crmId: "006A",
    accountId: "a1",
    ownerRepId: null,
    amount: 10_000,
    stage: "Discovery",
    isOpen: true,
    source: "direct",
    reseller: null,
    ...over,
  };
}

export function facts(
  over: Partial<Account> = {},
  opps: Opportunity[] = [],
  parentCrmId: string | null = null,
): AccountFacts {
  return { account: account(over), parentCrmId, openOpportunities: opps };
}

export function rule(id: string, over: Partial<Rule> & { matcher?: Matcher } = {}): Rule {
  return {
    id,
    kind: "territory",
    matcher: { field: "account.region", op: "eq", value: "EMEA" },
    outcome: { type: "rep", repId: "r1" },
    priority: 0,
    text: `rule ${id}`,
    provenance: { by: "admin", at: T0 },
    active: true,
    createdAt: T0,
    ...over,
  };
}
