// The dispute as the domain sees it: the same facts the data layer stores, in plain data.
import type { DisputeCategory, DisputeStatus } from "../model.ts";
import { dueAtFor, type NoticeMarkers } from "./clock.ts";
import type { RuleScope } from "./scope.ts";

export const DECISION_CHOICES = ["keep", "transfer"] as const;
export type DecisionChoice = (typeof DECISION_CHOICES)[number];

/** What the arbiter decided, and in whose words. */
export type DisputeDecision = {
  choice: DecisionChoice;
  /** The arbiter's plain-language decision, published to both reps and kept as the rule's text. */
  text: string;
  by: string;
};

export type Dispute = {
  id: string;
  accountId: string;
  claimantRepId: string;
  /** Owner when the dispute was filed; null for white space. */
  currentOwnerRepId: string | null;
  /** Usually the claimant; a manager may file on a rep's behalf. */
  proposedOwnerRepId: string;
  category: DisputeCategory;
  reason: string;
  evidence: string | null;
  opportunityLink: string | null;
  arbiterRepId: string;
  backupArbiterRepId: string | null;
  status: DisputeStatus;
  openedAt: Date;
  dueAt: Date;
  decision: DecisionChoice | null;
  decisionText: string | null;
  decidedAt: Date | null;
  decidedByRepId: string | null;
  /**
   * Kept on the dispute because a channel exception applies the decision (and writes its rule)
   * only after the manager signs off, up to 48 h later.
   */
  decisionScope: RuleScope | null;
  signOffRequired: boolean;
  signOffDueAt: Date | null;
  signedOffAt: Date | null;
  signedOffByRepId: string | null;
  /** Set when the sign-off window closed unsigned: the channel rule stands. */
  signOffExpiredAt: Date | null;
  /** When each notice was handled (sent or deliberately skipped); absent means not yet. */
  notices: NoticeMarkers;
};

export type DisputeOpening = {
  id: string;
  accountId: string;
  claimantRepId: string;
  currentOwnerRepId: string | null;
  proposedOwnerRepId: string;
  category: DisputeCategory;
  reason: string;
  evidence?: string | null | undefined;
  opportunityLink?: string | null | undefined;
  arbiterRepId: string;
  backupArbiterRepId?: string | null | undefined;
};

/** A freshly filed dispute: open, with its deadline fixed at filing so it survives restarts. */
export function openDispute(opening: DisputeOpening, now: Date): Dispute {
  return {
    id: opening.id,
    accountId: opening.accountId,
    claimantRepId: opening.claimantRepId,
    currentOwnerRepId: opening.currentOwnerRepId,
    proposedOwnerRepId: opening.proposedOwnerRepId,
    category: opening.category,
    reason: opening.reason,
    evidence: opening.evidence ?? null,
    opportunityLink: opening.opportunityLink ?? null,
    arbiterRepId: opening.arbiterRepId,
    backupArbiterRepId: opening.backupArbiterRepId ?? null,
    status: "open",
    openedAt: now,
    dueAt: dueAtFor(now),
    decision: null,
    decisionText: null,
    decidedAt: null,
    decidedByRepId: null,
    decisionScope: null,
    signOffRequired: false,
    signOffDueAt: null,
    signedOffAt: null,
    signedOffByRepId: null,
    signOffExpiredAt: null,
    notices: {},
  };
}

/** The rep an outcome gives the account to: transfer → proposed owner, keep → current owner. */
export function ownerAfter(dispute: Dispute, choice: DecisionChoice): string | null {
  return choice === "transfer" ? dispute.proposedOwnerRepId : dispute.currentOwnerRepId;
}
