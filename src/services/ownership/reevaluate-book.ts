// Re-evaluating the book: every account through the rules engine (parents before subsidiaries, so a
// subsidiary can follow its parent's new owner), writing ownership history only where the owner
// changes, one transaction per batch. An account with open opportunities is never moved by
// re-evaluation: it is reported as held. Accounts no rule assigns are listed as white space.
import { type BookRow, forEachBookPage, type OptionalFacts, type OwnerCount } from "../../db/book.ts";
import type { Db } from "../../db/client.ts";
import {
  closeOwnersAhead,
  type OwnerChangeRow,
  type OwnerChangesWritten,
  type OwnersClosedAhead,
  writeOwnerChanges,
} from "../../db/ownership-bulk.ts";
import { parentsFirst } from "../../domain/hierarchy.ts";
import type { FiscalCalendarInput } from "../../domain/rebalance/quarters.ts";
import { BookLoads, WatchedLoads } from "../../domain/rules/assignment.ts";
import type { CompiledRuleSet, EvaluationOptions, FastVerdict } from "../../domain/rules/engine.ts";
import { type AccountFacts, type MatcherField, readsField } from "../../domain/rules/matcher.ts";
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
  /**
   * Accounts whose change was decided but not written: their owner changed while the run read the
   * book (an arbiter's decision, say), so the change was decided on what is now out of date. Not in
   * `changed`; onChange was told of them. The next run evaluates them again.
   */
  changedMeanwhile: string[];
};

/** One owner change a run makes (or, dry, would make), as it is decided. */
export type ReevaluatedChange = {
  accountId: string;
  crmId: string;
  name: string;
  fromRepId: string | null;
  toRepId: string | null;
  ruleId: string | null;
  reason: string;
};

/** Progress is reported every this many accounts. */
const PROGRESS_EVERY = 10_000;
/**
 * Changes are written in transactions of at most this many (memory stays bounded on any book). Small
 * enough that the writes keep pace with the read and little is left to write once it ends; not much
 * smaller, as each batch costs its own ownership lookups (10k batches took a quarter more of the
 * server's time than 20k).
 */
const WRITE_BATCH = 20_000;
/** Batches written at the same time. */
const WRITERS = 2;
/** Accounts whose owners are closed ahead in one statement (see closeOwnersAhead). */
const CLOSE_BATCH = 5_000;

/**
 * Streams the book through the rules engine, in three steps whose order makes the result the same
 * whatever order the book is read in (on PostgreSQL, its tables' physical order):
 * 1. accounts without a parent, as they arrive, except those whose verdict reads the book loads (a
 *    territory handing the account to the rep with the most room: about one in eight of a book), kept;
 * 2. those kept, in CRM-id order (code point order, as COLLATE "C"), each seeing the loads left by
 *    every account before it — the changes of step 1 are all in, and step 1 never reads the loads, so
 *    its order cannot matter;
 * 3. subsidiaries (a few percent), parents first, then in CRM-id order, once every parent has its new
 *    owner, so a subsidiary can follow it.
 * The report lists (held, white space) keep the order of before: accounts without a parent by CRM id,
 * then subsidiaries parents first. onChange is told of changes as they are decided, so in that order.
 * The accounts kept for step 2 change hands unless held (their owner is none of the territory's reps),
 * so their current owners are closed while the book is still read (see closeOwnersAhead) and only
 * their new owners are written after it. Memory holds a page, the kept accounts, their changes and
 * subsidiaries, and at most WRITERS + 1 batches of other changes, never the whole book. On a client
 * openDatabase made the book is read and the changes written by COPY (db/book.ts,
 * db/ownership-bulk.ts); inside a transaction (a dry run of the CLI) through that transaction's
 * queries.
 */
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
    /** Told of every owner change as it is decided (a dry run's too), e.g. for a changes CSV. */
    onChange?: (change: ReevaluatedChange) => void;
  },
): Promise<ReevaluationReport> {
  const book = await currentRuleBook(db);
  const schedule = scheduleFor(options.now, options.calendar);
  type Loaded = {
    planner: PendingPlanner;
    total: number;
    /** Book sizes as the run goes; `watched` reads them and notes that it did. */
    loads: BookLoads;
    watched: WatchedLoads;
    evaluation: EvaluationOptions;
  };
  // Everything but the book loads while the book's read starts; the first page waits for it. The book
  // sizes (so a territory hands white space to the rep with the most room) come with the read.
  let counted: BookLoads | null = null;
  const loading = Promise.all([
    PendingPlanner.load(db, options.accountIds),
    countAccounts(db, options.accountIds),
  ]);
  loading.catch(() => undefined); // awaited below; failing before then must not count as unhandled
  let ready: Loaded | null = null;
  const whenLoaded = async (): Promise<Loaded> => {
    if (ready !== null) return ready;
    const [planner, total] = await loading;
    if (counted === null) throw new Error("the book's read gave no owner counts before its first page");
    const watched = new WatchedLoads(counted);
    // One options object for every evaluation (this runs once per account of the book).
    ready = { planner, total, loads: counted, watched, evaluation: { loads: watched, schedule } };
    return ready;
  };
  const report: ReevaluationReport = {
    evaluated: 0,
    changed: 0,
    unchanged: 0,
    held: [],
    whiteSpace: [],
    scheduled: 0,
    reassigned: 0,
    changedMeanwhile: [],
  };
  const wrote = ({ written, changedMeanwhile }: OwnerChangesWritten) => {
    report.changed += written;
    report.changedMeanwhile.push(...changedMeanwhile);
  };
  let pending: OwnerChangeRow[] = [];
  // Owners this run changed (parents settle before their subsidiaries read them).
  const newOwner = new Map<string, string | null>();
  const byRoom: BookRow[] = [];
  const subsidiaries: BookRow[] = [];

  // Accounts kept for step 2 change hands unless held: their current owners are closed while the book
  // is still being read, in WRITERS transactions taking batches in turn, made on first use (none on a
  // dry run, nor where the database cannot hold them open: then their changes are written as any).
  const ahead: { owners: OwnersClosedAhead; changes: OwnerChangeRow[] }[] = [];
  let toClose: { accountId: string; fromRepId: string | null }[] = [];
  let aheadPossible = !options.dryRun;
  let closedBatches = 0;
  const closeAhead = () => {
    const batch = toClose;
    toClose = [];
    if (batch.length === 0 || !aheadPossible) return;
    if (ahead.length < WRITERS) {
      const owners = closeOwnersAhead(db, options);
      if (owners === null) {
        aheadPossible = false;
        return;
      }
      ahead.push({ owners, changes: [] });
    }
    ahead[closedBatches++ % ahead.length]?.owners.close(batch);
  };
  const aheadOf = (accountId: string) => {
    for (const a of ahead) if (a.owners.has(accountId)) return a;
    return undefined;
  };

  // Batches of changes are written while the next is evaluated, up to WRITERS at once: each batch is
  // its own transaction on its own accounts, so they cannot conflict, and one writer alone (a batch
  // closes and opens ownership rows in indexed tables) falls behind the read.
  const writing: Promise<void>[] = [];
  const flush = async () => {
    const batch = pending;
    pending = [];
    if (options.dryRun) {
      report.changed += batch.length;
      return;
    }
    if (writing.length >= WRITERS) await writing.shift();
    const write = writeOwnerChanges(db, batch, options).then(wrote);
    write.catch(() => undefined); // awaited by a later flush or at the end
    writing.push(write);
  };
  /** Evaluates the row; false (and nothing done) when its verdict read the loads and it `mayWait`. */
  const evaluate = (
    row: BookRow,
    { planner, total, loads, watched, evaluation }: Loaded,
    mayWait: boolean,
  ) => {
    const { account } = row;
    const open = row.openOpportunities;
    const facts = { account, parentCrmId: row.parentCrmId, openOpportunities: open.facts };
    const parentId = account.parentId;
    // The parent's owner as evaluated in this run (parents come first), else as stored.
    const parentOwner =
      parentId === null ? null : newOwner.has(parentId) ? (newOwner.get(parentId) ?? null) : row.parentRepId;
    watched.read = false;
    watched.probing = mayWait;
    const verdict = settle(book.compiled, facts, row.currentRepId, parentOwner, evaluation);
    if (mayWait && watched.read) return false;
    report.evaluated++;
    // A change dated for later is stored as pending (also with open deals: their credit stays put).
    const later = planner.consider(account.id, row.currentRepId, verdict);
    const next = later ? row.currentRepId : (verdict.owner?.repId ?? null);
    if (next === null)
      report.whiteSpace.push({ accountId: account.id, crmId: account.crmId, name: account.name });
    if (next === row.currentRepId) {
      report.unchanged++;
    } else if (open.count > 0) {
      report.held.push({
        accountId: account.id,
        crmId: account.crmId,
        name: account.name,
        currentRepId: row.currentRepId,
        wouldBeRepId: next,
        openOpportunities: open.count,
      });
    } else {
      newOwner.set(account.id, next);
      loads.move(row.currentRepId, next);
      if (row.currentRepId !== null) report.reassigned++;
      const change = {
        accountId: account.id,
        fromRepId: row.currentRepId,
        repId: next,
        ruleId: verdict.rule?.id ?? null,
        note: verdict.rule?.text ?? "No rule assigns this account",
      };
      const closed = ahead.length === 0 ? undefined : aheadOf(account.id);
      if (closed) closed.changes.push(change);
      else pending.push(change);
      options.onChange?.({
        accountId: account.id,
        crmId: account.crmId,
        name: account.name,
        fromRepId: row.currentRepId,
        toRepId: next,
        ruleId: change.ruleId,
        reason: change.note,
      });
    }
    if (report.evaluated % PROGRESS_EVERY === 0) options.onProgress?.(report.evaluated, total);
    return true;
  };
  const evaluateInTurn = async (rows: readonly BookRow[], loaded: Loaded) => {
    for (const row of rows) {
      evaluate(row, loaded, false);
      if (pending.length >= WRITE_BATCH) await flush();
    }
  };

  const read = factsReadBy(book.compiled);
  const onOwnerCounts = (byRep: OwnerCount[]) => {
    counted = BookLoads.fromCounts(byRep);
  };
  try {
    await forEachBookPage(db, { accountIds: options.accountIds, read, onOwnerCounts }, async (rows) => {
      const loaded = await whenLoaded();
      for (const row of rows) {
        if (row.account.parentId !== null) subsidiaries.push(row);
        else if (!evaluate(row, loaded, true)) {
          byRoom.push(row);
          if (aheadPossible && row.openOpportunities.count === 0) {
            toClose.push({ accountId: row.account.id, fromRepId: row.currentRepId });
            if (toClose.length >= CLOSE_BATCH) closeAhead();
          }
        }
      }
      if (pending.length >= WRITE_BATCH) await flush();
    });
    closeAhead();
    const loaded = await whenLoaded();
    await evaluateInTurn(byCrmId(byRoom), loaded);
    byRoom.length = 0;
    // Step 2 is decided: its new owners go in (and close-ahead's transactions commit) while step 3 runs.
    const finishing = ahead.map((a) => a.owners.finish(a.changes).then(wrote));
    for (const f of finishing) f.catch(() => undefined); // awaited below
    // So far only accounts without a parent are listed: by CRM id, as they were evaluated in before.
    const listed = (a: { crmId: string }, b: { crmId: string }) => compareCodePoints(a.crmId, b.crmId);
    report.held.sort(listed);
    report.whiteSpace.sort(listed);
    const ordered = parentsFirst(
      byCrmId(subsidiaries),
      (r) => r.account.id,
      (r) => r.account.parentId,
    );
    subsidiaries.length = 0;
    await evaluateInTurn(ordered, loaded);
    // The last changes are split between the writers: nothing else is left to overlap with them.
    const last = pending;
    const part = Math.ceil(last.length / WRITERS);
    for (let i = 0; i < last.length; i += part) {
      pending = last.slice(i, i + part);
      await flush();
    }
    for (const write of writing) await write;
    for (const f of finishing) await f;
  } catch (error) {
    // Owners closed ahead come back; batches already written stay (each was whole).
    await Promise.allSettled(ahead.map((a) => a.owners.abandon()));
    throw error;
  }
  const { planner, total } = await whenLoaded();
  if (options.dryRun) {
    report.scheduled = planner.wouldSchedule;
  } else {
    await planner.flush(db, options);
    report.scheduled = planner.scheduled;
  }
  options.onProgress?.(report.evaluated, total);
  return report;
}

/**
 * The optional facts a rule set reads. Those no rule reads are left out of the book's read: domains
 * would add a grouped join, the others a million fields to parse. (Territories and the overlap rules
 * read only region, industry and size.)
 */
export function factsReadBy(rules: CompiledRuleSet): OptionalFacts {
  const reads = (field: MatcherField) => rules.ordered.some((r) => readsField(r.matcher, field));
  return {
    domains: reads("account.domain"),
    country: reads("account.country"),
    employees: reads("account.employees"),
    icpFit: reads("account.icpFit"),
  };
}

/** Rows in CRM-id order (sorted in place; a read that is in that order already costs one pass). */
function byCrmId(rows: BookRow[]): BookRow[] {
  for (let i = 1; i < rows.length; i++)
    if (compareCodePoints((rows[i - 1] as BookRow).account.crmId, (rows[i] as BookRow).account.crmId) > 0)
      return rows.sort((a, b) => compareCodePoints(a.account.crmId, b.account.crmId));
  return rows;
}

/**
 * Code point order, the order of UTF-8 bytes (COLLATE "C"): as JavaScript's < except that a character
 * beyond U+FFFF (two UTF-16 units from D800) sorts after U+E000–U+FFFF, as its bytes do.
 */
function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      const surrogate = (c: number) => c >= 0xd800 && c <= 0xdfff;
      if (surrogate(x) !== surrogate(y)) return surrogate(x) ? 1 : -1;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** How many accounts a run evaluates (for progress). */
async function countAccounts(db: Db, ids?: string[]): Promise<number> {
  if (ids) return ids.length;
  const rows = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "Account"`);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Some rules read the current owner (an expansion is judged against the rep who has the account), so
 * a verdict can change the input it was made from: a white-space subsidiary first follows its parent's
 * rep, and only then is an expansion into another region. Re-evaluating with the new owner until the
 * answer holds makes one run of re-evaluation leave nothing for the next run to change.
 */
function settle(
  rules: CompiledRuleSet,
  facts: AccountFacts,
  current: string | null,
  parentOwner: string | null,
  options: EvaluationOptions,
): FastVerdict {
  // Arguments rather than a closure: this runs once per account of the book.
  let verdict = rules.evaluate(facts, current, parentOwner, options);
  for (let round = 0; round < 4; round++) {
    const owner = verdict.owner?.repId ?? null;
    if (owner === current) return verdict;
    const again = rules.evaluate(facts, owner, parentOwner, options);
    if ((again.owner?.repId ?? null) === owner) return verdict;
    current = owner;
    verdict = again;
  }
  return verdict;
}
