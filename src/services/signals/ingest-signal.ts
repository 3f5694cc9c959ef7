// A buying signal arrives (HTTP, CSV or CLI): match its account, store it, route it, queue the rep's
// DM — the guide's Signal-Aware Territory Workflow. The signal is stored before the caller is told
// it was accepted; routing is written in one transaction with its audit event and the DM to send.
import { recordAudit } from "../../db/audit.ts";
import type { Db, Tx } from "../../db/client.ts";
import { loadOwnerSnapshot } from "../../db/owner-card.ts";
import { changeOwner } from "../../db/ownership.ts";
import {
  accountMotionRep,
  insertSignal,
  motionRepCandidates,
  queueSignalMessage,
  recordAccountMotion,
  recordSignalOutcome,
  repForRouting,
  type SignalOutcome,
  type StoredSignal,
  territoryForProductLine,
} from "../../db/signals.ts";
import {
  pickMotionRep,
  type RouteFacts,
  routeSignal,
  type SignalInput,
  windowStart,
} from "../../domain/signals/index.ts";
import { matchAccount } from "../ownership/lookup-owner.ts";
import { currentRuleBook, type RuleBook } from "../ownership/rule-set-cache.ts";
import type { SignalSettings } from "./settings.ts";

export type IngestResult =
  | {
      ok: true;
      status: "duplicate" | "routed" | "recorded" | "queued";
      signalId: string;
      reason: string;
      repId: string | null;
    }
  | { ok: false; code: "unknown_account"; userMessage: string };

export async function ingestSignal(
  db: Db,
  input: SignalInput,
  context: { now: Date; settings: SignalSettings },
): Promise<IngestResult> {
  // A key seen before is a duplicate, unless its routing never finished (the process died, or routing
  // failed and the sender retries): then this delivery routes it, so a retry never strands a signal.
  const known = await db.signal.findUnique({ where: { idempotencyKey: input.id } });
  if (known && known.status !== "received") {
    return {
      ok: true,
      status: "duplicate",
      signalId: known.id,
      reason: "already received",
      repId: known.routedRepId,
    };
  }
  // An account nobody can find is refused before anything is stored: the sender learns at once.
  const match = await matchAccount(db, input.account);
  if (match.status === "none") {
    return {
      ok: false,
      code: "unknown_account",
      userMessage: `No account matches "${input.account}". Send a CRM id, domain, e-mail, URL or the account's name.`,
    };
  }
  const { signal, created } = await insertSignal(db, {
    idempotencyKey: input.id,
    accountQuery: input.account,
    type: input.type,
    strength: input.strength,
    occurredAt: new Date(input.occurred_at),
    source: input.source,
    productLine: input.product_line ?? null,
    urgent: input.urgent ?? false,
    detail: input.detail ?? null,
    receivedAt: context.now,
  });
  if (!created && signal.status !== "received") {
    return {
      ok: true,
      status: "duplicate",
      signalId: signal.id,
      reason: "already received",
      repId: signal.routedRepId,
    };
  }
  if (match.status === "ambiguous") {
    const names = match.candidates.map((c) => c.name).slice(0, 5);
    const outcome: SignalOutcome = {
      signalId: signal.id,
      status: "queued",
      accountId: null,
      routedRepId: null,
      motion: null,
      reason: `Several accounts could match "${input.account}" (${names.join(", ")}): RevOps decides.`,
      at: context.now,
    };
    await db.$transaction(async (tx) => {
      await recordSignalOutcome(tx, outcome);
      await recordAudit(tx, {
        actor: "system",
        action: "signal.queued",
        subjectType: "signal",
        subjectId: signal.id,
        details: { reason: outcome.reason, candidates: names },
        at: context.now,
      });
    });
    return { ok: true, status: "queued", signalId: signal.id, reason: outcome.reason, repId: null };
  }
  return routeStoredSignal(db, signal, match.best.accountId, context);
}

/** Routes a stored signal on a known account; safe to call again (only a 'received' signal routes). */
export async function routeStoredSignal(
  db: Db,
  signal: StoredSignal,
  accountId: string,
  context: { now: Date; settings: SignalSettings },
): Promise<IngestResult & { ok: true }> {
  const book = await currentRuleBook(db);
  // One routing at a time per account: two signals on the same white space must not each hand it to
  // a different rep. The facts are read under the lock, inside the transaction that writes the result.
  const outcome = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`signal:${accountId}`}))`;
    const facts = await routeFacts(tx, book, signal, accountId, context.now);
    const decision = routeSignal(facts.route, context.settings.policy);
    const status: "recorded" | "queued" | "routed" =
      decision.kind === "record" ? "recorded" : decision.kind === "revops" ? "queued" : "routed";
    const repId = "repId" in decision ? decision.repId : null;
    const window = windowStart(context.now, context.settings.windowMinutes);
    const first = await recordSignalOutcome(tx, {
      signalId: signal.id,
      status,
      accountId,
      routedRepId: repId,
      motion: decision.kind === "motion" ? decision.motion : null,
      reason: decision.reason,
      at: context.now,
    });
    if (!first) return { status, decision, repId }; // another instance routed it
    const queue = (rep: string, kind: "owner" | "motion" | "fyi") =>
      queueSignalMessage(tx, {
        repId: rep,
        accountId,
        kind,
        windowStart: window,
        signalId: signal.id,
        urgent: signal.urgent,
        at: context.now,
      });
    if (decision.kind === "owner") await queue(decision.repId, "owner");
    if (decision.kind === "assign") {
      await changeOwner(tx, {
        accountId,
        repId: decision.repId,
        ruleId: facts.ruleId,
        cause: decision.cause,
        causeRef: signal.id,
        note: `Buying signal (${signal.type}): ${decision.reason}`,
        at: context.now,
      });
      await queue(decision.repId, "owner");
    }
    if (decision.kind === "motion") {
      await recordAccountMotion(tx, accountId, decision.motion, decision.repId, context.now);
      await queue(decision.repId, "motion");
      if (decision.ownerRepId && decision.ownerRepId !== decision.repId)
        await queue(decision.ownerRepId, "fyi");
    }
    await recordAudit(tx, {
      actor: "system",
      action: `signal.${decision.kind}`,
      subjectType: "account",
      subjectId: accountId,
      ruleId: decision.kind === "assign" ? facts.ruleId : null,
      details: {
        signalId: signal.id,
        type: signal.type,
        source: signal.source,
        productLine: signal.productLine,
        repId,
        reason: decision.reason,
      },
      at: context.now,
    });
    return { status, decision, repId };
  });
  const { status, decision, repId } = outcome;
  return { ok: true, status, signalId: signal.id, reason: decision.reason, repId };
}

async function routeFacts(
  db: Tx,
  book: RuleBook,
  signal: StoredSignal,
  accountId: string,
  now: Date,
): Promise<{ route: RouteFacts; ruleId: string | null }> {
  const snapshot = await loadOwnerSnapshot(db, accountId);
  if (!snapshot) throw new Error(`account ${accountId} vanished while routing signal ${signal.id}`);
  const { card, situation } = snapshot;
  const owner = situation.currentOwnerRepId ? await repForRouting(db, situation.currentOwnerRepId) : null;

  // The rules' answer with nobody owning the account: who white space (or a stale owner's account) goes to.
  const verdict = book.compiled.evaluate(situation.facts, null, situation.parentOwnerRepId);
  const assigneeId = verdict.owner?.repId ?? null;
  const assignee = assigneeId ? book.reps.find((r) => r.id === assigneeId && r.active) : undefined;

  let productMotion: RouteFacts["productMotion"] = null;
  if (signal.productLine) {
    const territory = await territoryForProductLine(db, signal.productLine);
    if (territory) {
      const existing = await accountMotionRep(db, accountId, territory.motion);
      const rep = existing ?? pickMotionRep(await motionRepCandidates(db, territory.id, territory.motion));
      productMotion = {
        motion: territory.motion,
        territory: territory.name,
        rep: rep ? { repId: rep.repId, name: rep.name } : null,
      };
    }
  }
  return {
    ruleId: verdict.rule?.id ?? null,
    route: {
      account: {
        name: card.account.name,
        icpFit: situation.facts.account.icpFit,
        sizeBand: situation.facts.account.sizeBand,
        lastActivityAt: situation.facts.account.lastActivityAt,
      },
      owner: owner
        ? {
            repId: owner.id,
            name: owner.name,
            active: owner.active,
            motions: owner.motions,
            since: card.since,
          }
        : null,
      ruleAssignee:
        assignee && verdict.rule
          ? { repId: assignee.id, name: assignee.name, ruleText: verdict.rule.text }
          : null,
      productMotion,
      now,
    },
  };
}
