// A buying signal arrives (HTTP, CSV or CLI): match its account, route it, store it, queue the rep's
// DM — the guide's Signal-Aware Territory Workflow. The signal, where it went, its audit event and
// the DM to send commit in one transaction before the caller is told it was accepted (one commit per
// signal); if routing fails nothing is stored and the sender's retry with the same id routes it.
import { recordAudit } from "../../db/audit.ts";
import type { Db, Tx } from "../../db/client.ts";
import { loadOwnerSnapshot } from "../../db/owner-card.ts";
import { changeOwner } from "../../db/ownership.ts";
import {
  accountMotionRep,
  type MessageKind,
  motionRepCandidates,
  type NewSignal,
  type RepForRouting,
  recordAccountMotion,
  recordRouting,
  repForRouting,
  repsForRouting,
  type StoredSignal,
  signalByKey,
  storeSignal,
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
import { currentRuleBook, RULE_BOOK_VERSION_SQL, type RuleBook } from "../ownership/rule-set-cache.ts";
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
  const match = await matchAccount(db, input.account);
  if (match.status === "none") {
    // A key seen before is a duplicate even if its account no longer matches; a new signal on an
    // account nobody can find is refused before anything is stored: the sender learns at once.
    const known = await signalByKey(db, input.id);
    if (known && known.status !== "received") return duplicate(known);
    return {
      ok: false,
      code: "unknown_account",
      userMessage: `No account matches "${input.account}". Send a CRM id, domain, e-mail, URL or the account's name.`,
    };
  }
  const signal: NewSignal = {
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
  };
  if (match.status === "ambiguous") {
    const names = match.candidates.map((c) => c.name).slice(0, 5);
    const reason = `Several accounts could match "${input.account}" (${names.join(", ")}): RevOps decides.`;
    return db.$transaction(async (tx): Promise<IngestResult> => {
      const stored = await storeSignal(tx, signal, {
        status: "queued",
        accountId: null,
        routedRepId: null,
        motion: null,
        reason,
        at: context.now,
      });
      if (!stored.stored) return duplicate(stored.duplicate);
      await recordAudit(tx, {
        actor: "system",
        action: "signal.queued",
        subjectType: "signal",
        subjectId: stored.signal.id,
        details: { reason, candidates: names },
        at: context.now,
      });
      return { ok: true, status: "queued", signalId: stored.signal.id, reason, repId: null };
    });
  }
  return routeSignalOn(db, signal, match.best.accountId, context);
}

const duplicate = (known: StoredSignal): IngestResult => ({
  ok: true,
  status: "duplicate",
  signalId: known.id,
  reason: "already received",
  repId: known.routedRepId,
});

/**
 * Routes a signal on a known account and stores it with its outcome, in one transaction (one
 * commit per signal): stored is routed, and a signal whose routing fails is not stored, so the
 * sender's retry (same id) routes it. A key already stored and routed is a duplicate; one stored
 * by an earlier version but never routed is routed now.
 */
async function routeSignalOn(
  db: Db,
  signal: NewSignal,
  accountId: string,
  context: { now: Date; settings: SignalSettings },
): Promise<IngestResult> {
  let held = heldBooks.get(db);
  for (let attempt = 0; ; attempt++) {
    const reps = held ? await routingReps(db, held.book) : new Map<string, RepForRouting>();
    try {
      return await routeInTransaction(db, signal, accountId, context, held, reps, attempt === 0);
    } catch (error) {
      if (!(error instanceof StaleBook) || attempt > 0) throw error;
      held = { version: error.version, book: await currentRuleBook(db, error.version) };
      heldBooks.set(db, held);
    }
  }
}

/** The rule book this process routes with, and the version it was read at. */
const heldBooks = new WeakMap<object, { version: string; book: RuleBook }>();

/** The lock statement found the rules, reps or territories changed since the held book was read. */
class StaleBook extends Error {
  constructor(readonly version: string) {
    super("the rule book changed");
  }
}

function routeInTransaction(
  db: Db,
  signal: NewSignal,
  accountId: string,
  context: { now: Date; settings: SignalSettings },
  held: { version: string; book: RuleBook } | undefined,
  reps: Map<string, RepForRouting>,
  checkBook: boolean,
): Promise<IngestResult> {
  // One routing at a time per account: two signals on the same white space must not each hand it to
  // a different rep. The facts are read under the lock, inside the transaction that writes the result.
  // The lock statement also reads the rule book's version: a book that changed rolls this attempt
  // back (nothing written yet) and the caller routes again with the new one.
  return db.$transaction(async (tx): Promise<IngestResult> => {
    const [lock] = await tx.$queryRawUnsafe<{ version: string }[]>(
      `SELECT pg_advisory_xact_lock(hashtext($1))::text AS locked, ${RULE_BOOK_VERSION_SQL} AS version`,
      `signal:${accountId}`,
    );
    const version = lock?.version ?? "";
    // On the retry a book changed yet again is used as read a moment ago (routing always read the book
    // just before taking the lock).
    if (!held || (checkBook && held.version !== version)) throw new StaleBook(version);
    const book = held.book;
    const facts = await routeFacts(tx, book, reps, signal, accountId, context.now);
    const decision = routeSignal(facts.route, context.settings.policy);
    const status: "recorded" | "queued" | "routed" =
      decision.kind === "record" ? "recorded" : decision.kind === "revops" ? "queued" : "routed";
    const repId = "repId" in decision ? decision.repId : null;
    // Written before anything else, so a duplicate (or a concurrent request with the same key, which
    // waits here for this one) writes nothing.
    const stored = await storeSignal(tx, signal, {
      status,
      accountId,
      routedRepId: repId,
      motion: decision.kind === "motion" ? decision.motion : null,
      reason: decision.reason,
      at: context.now,
    });
    if (!stored.stored) return duplicate(stored.duplicate);
    const signalId = stored.signal.id;
    const messages: { repId: string; kind: MessageKind }[] = [];
    if (decision.kind === "owner") messages.push({ repId: decision.repId, kind: "owner" });
    if (decision.kind === "assign") {
      await changeOwner(tx, {
        accountId,
        repId: decision.repId,
        ruleId: facts.ruleId,
        cause: decision.cause,
        causeRef: signalId,
        note: `Buying signal (${signal.type}): ${decision.reason}`,
        at: context.now,
      });
      messages.push({ repId: decision.repId, kind: "owner" });
    }
    if (decision.kind === "motion") {
      await recordAccountMotion(tx, accountId, decision.motion, decision.repId, context.now);
      messages.push({ repId: decision.repId, kind: "motion" });
      if (decision.ownerRepId && decision.ownerRepId !== decision.repId)
        messages.push({ repId: decision.ownerRepId, kind: "fyi" });
    }
    await recordRouting(tx, {
      accountId,
      signalId,
      windowStart: windowStart(context.now, context.settings.windowMinutes),
      urgent: signal.urgent,
      at: context.now,
      messages,
      audit: {
        action: `signal.${decision.kind}`,
        ruleId: decision.kind === "assign" ? facts.ruleId : null,
        details: {
          signalId,
          type: signal.type,
          source: signal.source,
          productLine: signal.productLine,
          repId,
          reason: decision.reason,
        },
      },
    });
    return { ok: true, status, signalId, reason: decision.reason, repId };
  });
}

/**
 * Reps as routing sees them (active, motions), read once per rule book: the book's version changes
 * with any rep, territory or membership change, so these are exactly as current as the rules.
 */
const routingCache = new WeakMap<object, { book: RuleBook; reps: Map<string, RepForRouting> }>();

async function routingReps(db: Db, book: RuleBook): Promise<Map<string, RepForRouting>> {
  const hit = routingCache.get(db);
  if (hit?.book === book) return hit.reps;
  const reps = new Map((await repsForRouting(db)).map((r) => [r.id, r]));
  routingCache.set(db, { book, reps });
  return reps;
}

async function routeFacts(
  db: Tx,
  book: RuleBook,
  reps: Map<string, RepForRouting>,
  signal: NewSignal,
  accountId: string,
  now: Date,
): Promise<{ route: RouteFacts; ruleId: string | null }> {
  const snapshot = await loadOwnerSnapshot(db, accountId);
  if (!snapshot)
    throw new Error(`account ${accountId} vanished while routing signal ${signal.idempotencyKey}`);
  const { card, situation } = snapshot;
  // A rep added since the book was read is not in it yet: asked for directly.
  const ownerId = situation.currentOwnerRepId;
  const owner = ownerId ? (reps.get(ownerId) ?? (await repForRouting(db, ownerId))) : null;

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
