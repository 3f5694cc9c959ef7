// Loads the book (reps, territories, rules, accounts with their facts) as the domain's plain types,
// so the pure rules engine and rebalance draft never see Prisma.
import type { Account, Opportunity, Rep, Territory } from "../domain/model.ts";
import type { AccountFacts } from "../domain/rules/matcher.ts";
import { parseRule, type Rule } from "../domain/rules/rule.ts";
import type { Db, Tx } from "./client.ts";

export async function loadReps(db: Db | Tx): Promise<Rep[]> {
  const rows = await db.rep.findMany({ include: { territories: true }, orderBy: { id: "asc" } });
  return rows.map((r) => ({
    id: r.id,
    slackUserId: r.slackUserId,
    email: r.email,
    name: r.name,
    team: r.team,
    roles: r.roles as Rep["roles"],
    capacityWeight: r.capacityWeight,
    active: r.active,
    territoryIds: r.territories.map((t) => t.territoryId),
  }));
}

export async function loadTerritories(db: Db | Tx): Promise<Territory[]> {
  const rows = await db.territory.findMany({ orderBy: { id: "asc" } });
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    model: t.model,
    regions: t.regions,
    industries: t.industries,
    sizeBands: t.sizeBands,
  }));
}

type RuleRow = {
  id: string;
  kind: string;
  overlap: unknown;
  matcher: unknown;
  outcome: unknown;
  priority: number;
  text: string;
  active: boolean;
  createdBy: string;
  createdAt: Date;
  disputeId: string | null;
  effectiveAt?: Date | null;
};

/** A stored rule as the engine's Rule. Stored rules were validated on the way in; a bad one is a bug. */
export function ruleFromRow(row: RuleRow): Rule {
  const parsed = parseRule({
    id: row.id,
    kind: row.kind,
    matcher: row.matcher,
    outcome: row.outcome,
    priority: row.priority,
    text: row.text,
    provenance: {
      by: row.createdBy,
      at: row.createdAt,
      ...(row.disputeId ? { disputeId: row.disputeId } : {}),
    },
    ...(row.overlap ? { overlap: row.overlap } : {}),
    ...(row.effectiveAt ? { effectiveAt: row.effectiveAt } : {}),
    active: row.active,
    createdAt: row.createdAt,
  });
  if (!parsed.ok) throw new Error(`stored rule ${row.id} is invalid: ${parsed.errors.join("; ")}`);
  return parsed.value;
}

export async function loadRules(db: Db | Tx, options: { includeInactive?: boolean } = {}): Promise<Rule[]> {
  const rows = await db.rule.findMany({
    where: options.includeInactive ? {} : { active: true },
    orderBy: { createdAt: "asc" },
  });
  return rows.map(ruleFromRow);
}

type AccountRow = Omit<Account, "domains">;

export function accountFromRow(row: AccountRow, domains: string[]): Account {
  return {
    id: row.id,
    crmId: row.crmId,
    name: row.name,
    domains,
    parentId: row.parentId,
    country: row.country,
    region: row.region,
    industry: row.industry,
    employees: row.employees,
    sizeBand: row.sizeBand,
    icpFit: row.icpFit,
    lastActivityAt: row.lastActivityAt,
    named: row.named,
  };
}

type OpportunityRow = {
  id: string;
  crmId: string;
  accountId: string;
  ownerRepId: string | null;
  amount: unknown;
  stage: string;
  isOpen: boolean;
  source: "direct" | "reseller";
  reseller: string | null;
};

export function opportunityFromRow(o: OpportunityRow): Opportunity {
  return { ...o, amount: Number(o.amount) };
}

export type AccountSituation = {
  facts: AccountFacts;
  currentOwnerRepId: string | null;
  parentOwnerRepId: string | null;
};

/** One account's facts plus its current owner and its parent's current owner. */
export async function loadAccountSituation(db: Db | Tx, accountId: string): Promise<AccountSituation | null> {
  const row = await db.account.findUnique({
    where: { id: accountId },
    include: {
      domains: true,
      parent: {
        select: { crmId: true, ownerships: { where: { effectiveTo: null }, select: { repId: true } } },
      },
      opportunities: { where: { isOpen: true } },
      ownerships: { where: { effectiveTo: null }, select: { repId: true } },
    },
  });
  if (!row) return null;
  return {
    facts: {
      account: accountFromRow(
        row,
        row.domains.map((d) => d.domain),
      ),
      parentCrmId: row.parent?.crmId ?? null,
      openOpportunities: row.opportunities.map(opportunityFromRow),
    },
    currentOwnerRepId: row.ownerships[0]?.repId ?? null,
    parentOwnerRepId: row.parent?.ownerships[0]?.repId ?? null,
  };
}
