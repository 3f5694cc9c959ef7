// Re-evaluating the book: every account through the rules engine (parents before subsidiaries, so a
// subsidiary can follow its parent's new owner), writing ownership history only where the owner
// changes, one transaction per batch. An account with open opportunities is never moved by
// re-evaluation: it is reported as held. Accounts no rule assigns are listed as white space.
import { randomUUID } from "node:crypto";
import { AUDIT_COLUMNS, OWNERSHIP_COLUMNS } from "../../db/bulk-columns.ts";
import { insertRows } from "../../db/bulk-insert.ts";
import type { Db } from "../../db/client.ts";
import { parentsFirst } from "../../domain/hierarchy.ts";
import type { Account, Opportunity } from "../../domain/model.ts";
import type { FiscalCalendarInput } from "../../domain/rebalance/quarters.ts";
import { BookLoads } from "../../domain/rules/assignment.ts";
import type { FastVerdict } from "../../domain/rules/engine.ts";
import { PendingPlanner, scheduleFor } from "../rules/pending-schedule.ts";
import { currentRuleBook } from "./rule-set-cache.ts";

export type ReevaluationReport = {
  evaluated: number;
  changed: number;
  unchanged: number;
  held: {
    accountId: string;
    crmId: string;
    name: string;
    currentRepId: string | null;
    wouldBeRepId: string | null;
    openOpportunities: number;
  }[];
  whiteSpace: { accountId: string; crmId: string; name: string }[];
  /** Changes the rules date for later (named-account list, dated rules), newly stored as pending. */
  scheduled: number;
  /** Of `changed`, accounts taken from a rep who owned them (white space assigned is not counted). */
  reassigned: number;
};

type AccountRow = Omit<Account, "domains"> & { domains: string[] | null; currentRepId: string | null };

const BATCH = 5000;

export async function reevaluateBook(
  db: Db,
  options: {
    now: Date;
    actor: string;
    accountIds?: string[];
    onProgress?: (done: number, total: number) => void;
    /** The company's fiscal calendar, for changes that wait for the next quarter. */
    calendar?: FiscalCalendarInput;
    /** Work out and report every change, write nothing. */
    dryRun?: boolean;
  },
): Promise<ReevaluationReport> {
  const book = await currentRuleBook(db);
  const planner = await PendingPlanner.load(db, options.accountIds);
  const schedule = scheduleFor(options.now, options.calendar);
  const accounts = await loadAccounts(db, options.accountIds);
  const openByAccount = await loadOpenOpportunities(db, options.accountIds);
  const crmIdOf = new Map<string, string>();
  const ownerOf = new Map<string, string | null>();
  for (const a of accounts) {
    crmIdOf.set(a.id, a.crmId);
    ownerOf.set(a.id, a.currentRepId);
  }
  // Re-evaluating part of the book: parents outside the part still decide their subsidiaries.
  const outsideParents = [
    ...new Set(accounts.map((a) => a.parentId).filter((p): p is string => p !== null && !crmIdOf.has(p))),
  ];
  if (outsideParents.length > 0) {
    for (const p of await loadAccounts(db, outsideParents)) {
      crmIdOf.set(p.id, p.crmId);
      ownerOf.set(p.id, p.currentRepId);
    }
  }
  const ordered = parentsFirst(
    accounts,
    (a) => a.id,
    (a) => a.parentId,
  );
  // Book sizes as the run goes, so a territory hands white space to the rep with the most room.
  const loads = BookLoads.fromOwners(accounts.map((a) => a.currentRepId));
  const report: ReevaluationReport = {
    evaluated: 0,
    changed: 0,
    unchanged: 0,
    held: [],
    whiteSpace: [],
    scheduled: 0,
    reassigned: 0,
  };
  const pending: { accountId: string; repId: string | null; ruleId: string | null; note: string }[] = [];
  for (const row of ordered) {
    const open = openByAccount.get(row.id) ?? [];
    const account: Account = { ...row, domains: row.domains ?? [] };
    const facts = {
      account,
      parentCrmId: row.parentId ? (crmIdOf.get(row.parentId) ?? null) : null,
      openOpportunities: open,
    };
    // The parent's owner as evaluated in this run (parents come first), else as stored.
    const parentOwner = row.parentId ? (ownerOf.get(row.parentId) ?? null) : null;
    const verdict = settle(
      (current) => book.compiled.evaluate(facts, current, parentOwner, { loads, schedule }),
      row.currentRepId,
    );
    report.evaluated++;
    // A change dated for later is stored as pending (also with open deals: their credit stays put).
    const later = planner.consider(row.id, row.currentRepId, verdict);
    const next = later ? row.currentRepId : (verdict.owner?.repId ?? null);
    if (next === null) report.whiteSpace.push({ accountId: row.id, crmId: row.crmId, name: row.name });
    if (next === row.currentRepId) {
      report.unchanged++;
    } else if (open.length > 0) {
      report.held.push({
        accountId: row.id,
        crmId: row.crmId,
        name: row.name,
        currentRepId: row.currentRepId,
        wouldBeRepId: next,
        openOpportunities: open.length,
      });
    } else {
      ownerOf.set(row.id, next);
      loads.move(row.currentRepId, next);
      if (row.currentRepId !== null) report.reassigned++;
      pending.push({
        accountId: row.id,
        repId: next,
        ruleId: verdict.rule?.id ?? null,
        note: verdict.rule?.text ?? "No rule assigns this account",
      });
    }
    if (pending.length >= BATCH) {
      report.changed += options.dryRun
        ? pending.splice(0).length
        : await writeChanges(db, pending.splice(0), options);
    }
    if (report.evaluated % BATCH === 0) options.onProgress?.(report.evaluated, ordered.length);
  }
  if (options.dryRun) {
    report.changed += pending.length;
    report.scheduled = planner.wouldSchedule;
  } else {
    report.changed += await writeChanges(db, pending, options);
    await planner.flush(db, options);
    report.scheduled = planner.scheduled;
  }
  options.onProgress?.(report.evaluated, ordered.length);
  return report;
}

/**
 * Some rules read the current owner (an expansion is judged against the rep who has the account), so
 * a verdict can change the input it was made from: a white-space subsidiary first follows its parent's
 * rep, and only then is an expansion into another region. Re-evaluating with the new owner until the
 * answer holds makes one run of re-evaluation leave nothing for the next run to change.
 */
function settle(evaluate: (current: string | null) => FastVerdict, current: string | null): FastVerdict {
  let verdict = evaluate(current);
  for (let round = 0; round < 4; round++) {
    const owner = verdict.owner?.repId ?? null;
    if (owner === current) return verdict;
    const again = evaluate(owner);
    if ((again.owner?.repId ?? null) === owner) return verdict;
    current = owner;
    verdict = again;
  }
  return verdict;
}

async function writeChanges(
  db: Db,
  changes: { accountId: string; repId: string | null; ruleId: string | null; note: string }[],
  options: { now: Date; actor: string },
): Promise<number> {
  if (changes.length === 0) return 0;
  await db.$transaction(
    async (tx) => {
      const ids = changes.map((c) => c.accountId);
      await tx.ownership.updateMany({
        where: { accountId: { in: ids }, effectiveTo: null },
        data: { effectiveTo: options.now },
      });
      await insertRows(
        tx,
        "Ownership",
        OWNERSHIP_COLUMNS,
        changes.map((c) => [
          randomUUID(),
          c.accountId,
          c.repId,
          c.ruleId,
          c.repId === null ? "white_space" : "rule",
          c.note,
          options.now,
        ]),
      );
      await insertRows(
        tx,
        "AuditEvent",
        AUDIT_COLUMNS,
        changes.map((c) => [
          options.now,
          options.actor,
          "ownership.assigned",
          "account",
          c.accountId,
          c.ruleId,
          { repId: c.repId, reason: c.note },
        ]),
      );
    },
    { timeout: 120_000 },
  );
  return changes.length;
}

async function loadAccounts(db: Db, ids?: string[]): Promise<AccountRow[]> {
  const where = ids ? `WHERE a.id = ANY($1::text[])` : "";
  return db.$queryRawUnsafe<AccountRow[]>(
    `SELECT a.id, a."crmId", a.name, a."parentId", a.country, a.region, a.industry, a.employees,
            a."sizeBand"::text AS "sizeBand", a."icpFit", a."lastActivityAt", a.named,
            (SELECT array_agg(d.domain) FROM "AccountDomain" d WHERE d."accountId" = a.id) AS domains,
            (SELECT o."repId" FROM "Ownership" o WHERE o."accountId" = a.id AND o."effectiveTo" IS NULL LIMIT 1) AS "currentRepId"
     FROM "Account" a ${where} ORDER BY a."crmId"`,
    ...(ids ? [ids] : []),
  );
}

async function loadOpenOpportunities(db: Db, ids?: string[]): Promise<Map<string, Opportunity[]>> {
  const rows = await db.$queryRawUnsafe<
    (Omit<Opportunity, "amount" | "isOpen"> & { amount: string | number })[]
  >(
    `SELECT id, "crmId", "accountId", "ownerRepId", amount, stage, source::text AS source, reseller
     FROM "Opportunity" WHERE "isOpen" ${ids ? `AND "accountId" = ANY($1::text[])` : ""}`,
    ...(ids ? [ids] : []),
  );
  const map = new Map<string, Opportunity[]>();
  for (const o of rows) {
    const list = map.get(o.accountId) ?? [];
    list.push({ ...o, amount: Number(o.amount), isOpen: true });
    map.set(o.accountId, list);
  }
  return map;
}
