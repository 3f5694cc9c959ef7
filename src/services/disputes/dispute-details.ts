// Everything a dispute card or message shows, loaded once: the dispute, its account, the reps by
// name and Slack id, the notes (questions and replies) and, when asked, the current rule trail.
import type { Db, Tx } from "../../db/client.ts";
import { loadDispute, type StoredDispute } from "../../db/disputes.ts";
import { explainAccount } from "../ownership/explain-account.ts";
import { type RepRef, repsById } from "./reps.ts";
import { describeScope, type RoutingScope } from "./route-arbiter.ts";

export type TrailLine = {
  kind: string;
  text: string;
  outcome: "fired" | "skipped" | "not_matched";
  note: string;
};

export type DisputeNoteView = {
  kind: string;
  text: string;
  authorName: string | null;
  at: Date;
  slackTs: string | null;
};

export type DisputeDetails = {
  /** When this was read: cards and messages show deadlines relative to it ("due in 3 h"). */
  asOf: Date;
  dispute: StoredDispute;
  account: {
    id: string;
    crmId: string;
    name: string;
    domains: string[];
    region: string | null;
    sizeBand: string | null;
    parentName: string | null;
  };
  claimant: RepRef;
  currentOwner: RepRef | null;
  proposedOwner: RepRef;
  arbiter: RepRef;
  backup: RepRef | null;
  /** Why this arbiter ("team Americas's arbiter"), from the routing recorded at filing; null for old rows. */
  arbiterRole: string | null;
  decidedBy: RepRef | null;
  notes: DisputeNoteView[];
  /** What the rules engine says today and why; only loaded when a card needs it. */
  verdictReason: string | null;
  trail: TrailLine[];
  ruleText: string | null;
};

const missingRep = (id: string): RepRef => ({
  id,
  name: "a former rep",
  email: "",
  slackUserId: null,
  team: null,
  roles: [],
  active: false,
});

export async function loadDisputeDetails(
  db: Db | Tx,
  disputeId: string,
  options: { trail?: boolean; now: Date },
): Promise<DisputeDetails | null> {
  const dispute = await loadDispute(db, disputeId);
  if (!dispute) return null;
  const [[details], explanation] = await Promise.all([
    detailsOfDisputes(db, [dispute], options.now),
    options.trail ? explainAccount(db, dispute.accountId) : null,
  ]);
  if (!details || !explanation) return details ?? null;
  return {
    ...details,
    verdictReason: explanation.verdict.reason,
    trail: explanation.verdict.trail
      .filter((t) => t.outcome !== "not_matched")
      .map((t) => ({ kind: t.rule.kind, text: t.rule.text, outcome: t.outcome, note: t.note })),
  };
}

/**
 * The details of many loaded disputes (no rule trail) in a fixed number of set-based reads, in the
 * order given: the sweep prepares a whole batch of notices this way.
 */
export async function detailsOfDisputes(
  db: Db | Tx,
  disputes: readonly StoredDispute[],
  now: Date,
): Promise<DisputeDetails[]> {
  if (disputes.length === 0) return [];
  const ids = [...new Set(disputes.map((d) => d.id))];
  const ruleIds = [...new Set(disputes.flatMap((d) => (d.resultingRuleId ? [d.resultingRuleId] : [])))];
  const [accounts, reps, notes, rules, routed] = await Promise.all([
    db.account.findMany({
      where: { id: { in: [...new Set(disputes.map((d) => d.accountId))] } },
      select: {
        id: true,
        crmId: true,
        name: true,
        region: true,
        sizeBand: true,
        domains: { select: { domain: true }, orderBy: { domain: "asc" } },
        parent: { select: { name: true } },
      },
    }),
    repsById(db, disputes.flatMap(repIdsOf)),
    db.disputeNote.findMany({
      where: { disputeId: { in: ids } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    ruleIds.length > 0
      ? db.rule.findMany({ where: { id: { in: ruleIds } }, select: { id: true, text: true } })
      : [],
    db.auditEvent.findMany({
      where: { subjectType: "dispute", subjectId: { in: ids }, action: "dispute.routed" },
      orderBy: { id: "asc" },
      select: { subjectId: true, details: true },
    }),
  ]);
  const accountOf = new Map(accounts.map((a) => [a.id, a]));
  const ruleText = new Map(rules.map((r) => [r.id, r.text]));
  const routingOf = new Map<string, unknown>();
  for (const r of routed) if (!routingOf.has(r.subjectId)) routingOf.set(r.subjectId, r.details);
  const notesOf = new Map<string, typeof notes>();
  for (const n of notes) notesOf.set(n.disputeId, [...(notesOf.get(n.disputeId) ?? []), n]);
  const rep = (id: string) => reps.get(id) ?? missingRep(id);
  return disputes.map((dispute) => {
    const account = accountOf.get(dispute.accountId);
    if (!account) throw new Error(`dispute ${dispute.id}: account ${dispute.accountId} not found`);
    const routing = routingOf.get(dispute.id) as
      | { scope?: RoutingScope; backupStandsIn?: boolean }
      | null
      | undefined;
    return {
      asOf: now,
      dispute,
      account: {
        id: account.id,
        crmId: account.crmId,
        name: account.name,
        domains: account.domains.map((d) => d.domain),
        region: account.region,
        sizeBand: account.sizeBand,
        parentName: account.parent?.name ?? null,
      },
      claimant: rep(dispute.claimantRepId),
      currentOwner: dispute.currentOwnerRepId ? rep(dispute.currentOwnerRepId) : null,
      proposedOwner: rep(dispute.proposedOwnerRepId),
      arbiter: rep(dispute.arbiterRepId),
      backup: dispute.backupArbiterRepId ? rep(dispute.backupArbiterRepId) : null,
      arbiterRole: routing?.scope ? describeScope(routing.scope, routing.backupStandsIn === true) : null,
      decidedBy: dispute.decidedByRepId ? rep(dispute.decidedByRepId) : null,
      notes: (notesOf.get(dispute.id) ?? []).map((n) => ({
        kind: n.kind,
        text: n.text,
        // A note's author is named only when the dispute itself names them (as the single-dispute read did).
        authorName:
          n.authorRepId && namedBy(dispute, n.authorRepId) ? (reps.get(n.authorRepId)?.name ?? null) : null,
        at: n.createdAt,
        slackTs: n.slackTs,
      })),
      verdictReason: null,
      trail: [],
      ruleText: dispute.resultingRuleId ? (ruleText.get(dispute.resultingRuleId) ?? null) : null,
    };
  });
}

/** Every rep a dispute names: who filed, owns, is proposed, arbitrates, backs up and decided. */
const repIdsOf = (d: StoredDispute) => [
  d.claimantRepId,
  d.currentOwnerRepId,
  d.proposedOwnerRepId,
  d.arbiterRepId,
  d.backupArbiterRepId,
  d.decidedByRepId,
];

const namedBy = (d: StoredDispute, repId: string) => repIdsOf(d).includes(repId);
