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
  const [account, reps, notes, rule, explanation, routed] = await Promise.all([
    db.account.findUniqueOrThrow({
      where: { id: dispute.accountId },
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
    repsById(db, [
      dispute.claimantRepId,
      dispute.currentOwnerRepId,
      dispute.proposedOwnerRepId,
      dispute.arbiterRepId,
      dispute.backupArbiterRepId,
      dispute.decidedByRepId,
    ]),
    db.disputeNote.findMany({ where: { disputeId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
    dispute.resultingRuleId
      ? db.rule.findUnique({ where: { id: dispute.resultingRuleId }, select: { text: true } })
      : null,
    options.trail ? explainAccount(db, dispute.accountId) : null,
    db.auditEvent.findFirst({
      where: { subjectType: "dispute", subjectId: disputeId, action: "dispute.routed" },
      select: { details: true },
    }),
  ]);
  const routing = routed?.details as { scope?: RoutingScope; backupStandsIn?: boolean } | null | undefined;
  const rep = (id: string) => reps.get(id) ?? missingRep(id);
  const names = new Map([...reps.values()].map((r) => [r.id, r.name]));
  return {
    asOf: options.now,
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
    notes: notes.map((n) => ({
      kind: n.kind,
      text: n.text,
      authorName: n.authorRepId ? (names.get(n.authorRepId) ?? null) : null,
      at: n.createdAt,
      slackTs: n.slackTs,
    })),
    verdictReason: explanation?.verdict.reason ?? null,
    trail:
      explanation?.verdict.trail
        .filter((t) => t.outcome !== "not_matched")
        .map((t) => ({ kind: t.rule.kind, text: t.rule.text, outcome: t.outcome, note: t.note })) ?? [],
    ruleText: rule?.text ?? null,
  };
}
