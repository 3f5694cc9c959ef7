import { type Dispute, openDispute } from "../../../src/domain/disputes/dispute.ts";
import type { Account, Opportunity } from "../../../src/domain/model.ts";

export const OPENED_AT = new Date("2026-03-02T09:00:00.000Z");
export const hoursAfterOpen = (hours: number) => new Date(OPENED_AT.getTime() + hours * 3_600_000);

export const REPS = {
  claimant: "rep-claimant",
  owner: "rep-owner",
  arbiter: "rep-arbiter",
  backup: "rep-backup",
  manager: "rep-manager",
  stranger: "rep-stranger",
} as const;

export function aDispute(overrides: Partial<Dispute> = {}): Dispute {
  return {
    ...openDispute(
      {
        id: "dsp-1",
        accountId: "acc-1",
        claimantRepId: REPS.claimant,
        currentOwnerRepId: REPS.owner,
        proposedOwnerRepId: REPS.claimant,
        category: "international_expansion",
        reason: "They opened a German subsidiary that I sourced.",
        arbiterRepId: REPS.arbiter,
        backupArbiterRepId: REPS.backup,
      },
      OPENED_AT,
    ),
    ...overrides,
  };
}

export function anAccount(overrides: Partial<Account> = {}): Account {
  return {
    id: "acc-1",
    crmId: "0015g00000ACME01",
    name: "Acme GmbH",
    domains: ["acme.de"],
    parentId: "acc-parent",
    country: "DE",
    region: "EMEA",
    industry: "Manufacturing",
    employees: 4200,
    sizeBand: "ENT",
    icpFit: 4,
    lastActivityAt: null,
    named: false,
    ...overrides,
  };
}

export function anOpportunity(overrides: Partial<Opportunity> = {}): Opportunity {
  return {
    id: "opp-1",
    crmId: "0065g00000OPP001",
    accountId: "acc-1",
    ownerRepId: REPS.owner,
    amount: 50_000,
    stage: "Proposal",
    isOpen: true,
    source: "direct",
    reseller: null,
    ...overrides,
  };
}
