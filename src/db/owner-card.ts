// Everything an ownership answer shows about one account, in one place: the current owner from the
// append-only history, the rule that decided it and since when, territory, open pipeline, parent.
import type { Db, Tx } from "./client.ts";

export type RepSummary = { id: string; name: string; email: string; slackUserId: string | null };

export type OwnerCard = {
  account: {
    id: string;
    crmId: string;
    name: string;
    domains: string[];
    region: string | null;
    country: string | null;
    industry: string | null;
    sizeBand: string | null;
    named: boolean;
  };
  owner: RepSummary | null;
  since: Date | null;
  cause: string | null;
  rule: { id: string; kind: string; text: string } | null;
  note: string | null;
  territory: string | null;
  openOpportunities: { count: number; amount: number; resellers: string[] };
  parent: { crmId: string; name: string; owner: RepSummary | null } | null;
  subsidiaries: number;
};

const repSelect = { id: true, name: true, email: true, slackUserId: true } as const;

export async function currentOwnership(db: Db | Tx, accountId: string) {
  return db.ownership.findFirst({
    where: { accountId, effectiveTo: null },
    orderBy: { effectiveFrom: "desc" },
    include: { rep: { select: { ...repSelect, territories: { include: { territory: true } } } }, rule: true },
  });
}

export async function loadOwnerCard(db: Db | Tx, accountId: string): Promise<OwnerCard | null> {
  const account = await db.account.findUnique({
    where: { id: accountId },
    include: {
      domains: { orderBy: { domain: "asc" } },
      parent: true,
      _count: { select: { subsidiaries: true } },
    },
  });
  if (!account) return null;
  const [ownership, open, parentOwnership] = await Promise.all([
    currentOwnership(db, accountId),
    db.opportunity.findMany({ where: { accountId, isOpen: true }, select: { amount: true, reseller: true } }),
    account.parentId ? currentOwnership(db, account.parentId) : Promise.resolve(null),
  ]);
  const rep = ownership?.rep ?? null;
  const territories = rep?.territories.map((t) => t.territory) ?? [];
  // The territory the account sits in for its owner: the one whose criteria it meets, else their first.
  const territory =
    territories.find(
      (t) =>
        (t.regions.length === 0 || (account.region !== null && t.regions.includes(account.region))) &&
        (t.industries.length === 0 ||
          (account.industry !== null && t.industries.includes(account.industry))) &&
        (t.sizeBands.length === 0 || (account.sizeBand !== null && t.sizeBands.includes(account.sizeBand))),
    ) ?? territories[0];
  return {
    account: {
      id: account.id,
      crmId: account.crmId,
      name: account.name,
      domains: account.domains.map((d) => d.domain),
      region: account.region,
      country: account.country,
      industry: account.industry,
      sizeBand: account.sizeBand,
      named: account.named,
    },
    owner: rep ? { id: rep.id, name: rep.name, email: rep.email, slackUserId: rep.slackUserId } : null,
    since: ownership?.effectiveFrom ?? null,
    cause: ownership?.cause ?? null,
    rule: ownership?.rule
      ? { id: ownership.rule.id, kind: ownership.rule.kind, text: ownership.rule.text }
      : null,
    note: ownership?.note ?? null,
    territory: territory?.name ?? null,
    openOpportunities: {
      count: open.length,
      amount: open.reduce((sum, o) => sum + Number(o.amount), 0),
      resellers: [...new Set(open.map((o) => o.reseller).filter((r): r is string => r !== null))],
    },
    parent: account.parent
      ? {
          crmId: account.parent.crmId,
          name: account.parent.name,
          owner: parentOwnership?.rep
            ? {
                id: parentOwnership.rep.id,
                name: parentOwnership.rep.name,
                email: parentOwnership.rep.email,
                slackUserId: parentOwnership.rep.slackUserId,
              }
            : null,
        }
      : null,
    subsidiaries: account._count.subsidiaries,
  };
}
