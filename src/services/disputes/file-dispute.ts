// Filing a dispute: the rules engine speaks first (a written rule answers the rep and no dispute
// opens), a rep has at most one open dispute per account, and a new dispute is stored with its
// deadline and its three notices in one transaction, routed to its arbiter.
import { randomUUID } from "node:crypto";
import { recordAudit } from "../../db/audit.ts";
import type { Db, Tx } from "../../db/client.ts";
import { findOpenDispute, insertDispute, type StoredDispute } from "../../db/disputes.ts";
import { type Refusal, type Refused, type Result, refuse } from "../../domain/app-error.ts";
import {
  type FilingFieldErrors,
  openDispute,
  parseDisputeFiling,
  timeLeftUntil,
} from "../../domain/disputes/index.ts";
import type { DisputeCategory } from "../../domain/model.ts";
import { explainAccount } from "../ownership/explain-account.ts";
import { boundedTransaction } from "./bounded-transaction.ts";
import { type RepRef, repBySlackId } from "./reps.ts";
import { type DisputeConfig, routeArbiter } from "./route-arbiter.ts";
import { answerByRule, decidingRule, type RuleAnswer } from "./rule-answer.ts";

export type FilingAccount = { id: string; crmId: string; name: string };

/** Why a dispute is not filed; a rule's answer and a duplicate carry what the rep is shown instead. */
export type FilingRefusal =
  | Refusal<"not_a_rep" | "no_account" | "no_arbiter" | "busy">
  | (Refusal<"decided_by_rule"> & { account: FilingAccount; answer: RuleAnswer })
  | (Refusal<"duplicate"> & { account: FilingAccount; existing: StoredDispute; asOf: Date });

export type FilingStart = Result<
  { account: FilingAccount; claimant: RepRef; currentOwnerRepId: string | null },
  FilingRefusal
>;

const notARep = (slackUserId: string): Refused<FilingRefusal> =>
  refuse("not_a_rep", `Slack user ${slackUserId} is not an active rep`, NOT_A_REP);

const NOT_A_REP =
  "You are not in Turf's rep list yet, so you can't file a dispute. Ask RevOps to add you (turf import reps).";
const NO_ACCOUNT = "That account is no longer in Turf. Look it up again with /owner.";

// Time left rather than a date: this text has no time zone to print a date in, and the Slack view
// (duplicateFiling) shows the dates themselves.
function duplicateMessage(account: FilingAccount, existing: StoredDispute, now: Date): string {
  return `You already have an open dispute on ${account.name} (reference ${shortRef(existing.id)}, ${timeLeftUntil(existing.dueAt, now)} for the arbiter). The arbiter is on it; \`/owner disputes\` shows where it stands.`;
}

export function shortRef(disputeId: string): string {
  return `D-${disputeId.slice(0, 8).toUpperCase()}`;
}

async function checkCase(
  tx: Tx,
  input: { accountId: string; claimant: RepRef; category: DisputeCategory | null; now: Date },
): Promise<
  { ok: true; account: FilingAccount; currentOwnerRepId: string | null } | { ok: false; error: FilingRefusal }
> {
  const explanation = await explainAccount(tx, input.accountId);
  if (!explanation) return refuse("no_account", `no account ${input.accountId}`, NO_ACCOUNT);
  const a = explanation.facts.account;
  const account = { id: a.id, crmId: a.crmId, name: a.name };
  const existing = await findOpenDispute(tx, input.accountId, input.claimant.id);
  if (existing) {
    return {
      ok: false,
      error: {
        code: "duplicate",
        message: `rep ${input.claimant.id} already has open dispute ${existing.id} on account ${account.id}`,
        userMessage: duplicateMessage(account, existing, input.now),
        account,
        existing,
        asOf: input.now,
      },
    };
  }
  const rule = decidingRule(explanation.verdict, input.category);
  if (rule) {
    const answer = await answerByRule(tx, {
      accountId: input.accountId,
      verdict: explanation.verdict,
      rule,
      currentOwnerRepId: explanation.currentOwnerRepId,
      actor: input.claimant.id,
      now: input.now,
    });
    return {
      ok: false,
      error: {
        code: "decided_by_rule",
        message: `rule ${rule.id} decides account ${account.id}`,
        account,
        answer,
        userMessage: `A written rule already decides ${a.name}: ${rule.text}`,
      },
    };
  }
  return { ok: true, account, currentOwnerRepId: explanation.currentOwnerRepId };
}

/** Before the modal opens: who is filing, on what, and whether a rule or an open dispute says no. */
export async function startFiling(
  db: Db,
  accountId: string,
  slackUserId: string,
  now: Date,
  config: DisputeConfig = {},
): Promise<FilingStart> {
  const claimant = await repBySlackId(db, slackUserId);
  if (!claimant?.active) return notARep(slackUserId);
  // A rule that already decides the case may move the account (answerByRule): bounded, as a decision.
  return boundedTransaction(db, config.lockWaitMs, async (tx): Promise<FilingStart> => {
    const checked = await checkCase(tx, { accountId, claimant, category: null, now });
    if (!checked.ok) return checked;
    return {
      ok: true as const,
      value: { account: checked.account, claimant, currentOwnerRepId: checked.currentOwnerRepId },
    };
  });
}

/** What the filing modal returns, before validation. */
export type FilingInput = {
  accountId: string;
  claimantSlackUserId: string;
  proposedOwnerSlackUserId: string | null;
  category: string | null;
  reason: string | null;
  evidence: string | null;
  opportunityLink: string | null;
};

export type FilingResult = Result<
  { disputeId: string },
  FilingRefusal | (Refusal<"invalid_filing"> & { fieldErrors: FilingFieldErrors })
>;

export async function fileDispute(
  db: Db,
  input: FilingInput,
  now: Date,
  config: DisputeConfig,
): Promise<FilingResult> {
  const claimant = await repBySlackId(db, input.claimantSlackUserId);
  if (!claimant?.active) return notARep(input.claimantSlackUserId);
  const proposed = input.proposedOwnerSlackUserId
    ? await repBySlackId(db, input.proposedOwnerSlackUserId)
    : null;
  if (input.proposedOwnerSlackUserId && !proposed?.active) {
    return {
      ok: false,
      error: {
        code: "invalid_filing",
        message: `proposed owner ${input.proposedOwnerSlackUserId} is not an active rep`,
        fieldErrors: {
          proposedOwnerRepId:
            "That person is not an active rep in Turf. Choose a rep who can own the account.",
        },
        userMessage: "Some answers need a fix before the dispute can be filed.",
      },
    };
  }
  return boundedTransaction(db, config.lockWaitMs, async (tx): Promise<FilingResult> => {
    // Two submissions of the same modal (a double click, a retry) serialise here, so the second
    // finds the first dispute and is refused as a duplicate instead of opening another.
    await tx.$queryRawUnsafe(
      `SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext($1))) l`,
      `dispute:${input.accountId}:${claimant.id}`,
    );
    const situation = await tx.ownership.findFirst({
      where: { accountId: input.accountId, effectiveTo: null },
      select: { repId: true },
    });
    const parsed = parseDisputeFiling(
      {
        accountId: input.accountId,
        claimantRepId: claimant.id,
        proposedOwnerRepId: proposed?.id ?? null,
        category: input.category ?? undefined,
        reason: input.reason ?? undefined,
        evidence: input.evidence,
        opportunityLink: input.opportunityLink,
      },
      { currentOwnerRepId: situation?.repId ?? null },
    );
    if (!parsed.ok) return parsed;
    const filing = parsed.value;
    const checked = await checkCase(tx, {
      accountId: filing.accountId,
      claimant,
      category: filing.category,
      now,
    });
    if (!checked.ok) return checked;
    const routing = await routeArbiter(tx, claimant, config, filing.accountId);
    if (!routing) {
      return refuse(
        "no_arbiter",
        "no rep has the arbiter role",
        "No arbiter is set up in Turf yet, so the dispute could not be filed. Ask RevOps to give someone the arbiter role.",
      );
    }
    const dispute = openDispute(
      {
        id: randomUUID(),
        accountId: filing.accountId,
        claimantRepId: claimant.id,
        currentOwnerRepId: checked.currentOwnerRepId,
        proposedOwnerRepId: filing.proposedOwnerRepId,
        category: filing.category,
        reason: filing.reason,
        evidence: filing.evidence ?? null,
        opportunityLink: filing.opportunityLink ?? null,
        arbiterRepId: routing.arbiterRepId,
        backupArbiterRepId: routing.backupArbiterRepId,
      },
      now,
    );
    await insertDispute(tx, dispute);
    await recordAudit(tx, {
      actor: claimant.id,
      action: "dispute.filed",
      subjectType: "dispute",
      subjectId: dispute.id,
      details: {
        accountId: dispute.accountId,
        category: dispute.category,
        currentOwnerRepId: dispute.currentOwnerRepId,
        proposedOwnerRepId: dispute.proposedOwnerRepId,
        dueAt: dispute.dueAt.toISOString(),
      },
      at: now,
    });
    await recordAudit(tx, {
      actor: "system",
      action: "dispute.routed",
      subjectType: "dispute",
      subjectId: dispute.id,
      details: {
        arbiterRepId: routing.arbiterRepId,
        backupArbiterRepId: routing.backupArbiterRepId,
        via: routing.via,
        scope: routing.scope,
        backupStandsIn: routing.backupStandsIn,
      },
      at: now,
    });
    return { ok: true as const, value: { disputeId: dispute.id } };
  });
}
