// Loads the book (reps, territories, rules, accounts with their facts) as the domain's plain types,
// so the pure rules engine and rebalance draft never see Prisma.
import type { Account, Opportunity, Rep, Territory } from "../domain/model.ts";
import type { AccountFacts, AccountForRules, OpportunityFacts } from "../domain/rules/matcher.ts";
import { parseRule, type Rule } from "../domain/rules/rule.ts";
import { type Db, rawDriverOf, type Tx } from "./client.ts";
import { copyField, copyLines } from "./copy-text.ts";
import { IdTable } from "./id-table.ts";

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
  /** The whole account and open opportunities (a dispute's decision reads more than the rules). */
  facts: AccountFacts & { account: Account; openOpportunities: Opportunity[] };
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

/**
 * An account's open opportunities as re-evaluation reads them: how many there are (an account with
 * any is held, not moved) and what the rules can read of them, each distinct source and reseller once
 * in a fixed order. Accounts with the same ones share one object (most have one direct deal).
 */
export type OpenOpportunities = { count: number; facts: readonly OpportunityFacts[] };

const NO_OPEN_OPPORTUNITIES: OpenOpportunities = { count: 0, facts: [] };

const compareFacts = (a: OpportunityFacts, b: OpportunityFacts) =>
  a.source < b.source ? -1 : a.source > b.source ? 1 : compareNullable(a.reseller, b.reseller);
const compareNullable = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;

/** An account's open opportunities as the book's queries aggregate them: [source, reseller] each. */
type OpenList = [OpportunityFacts["source"], string | null][];

/** Builds OpenOpportunities in their one canonical form, shared between accounts that have the same. */
class OpenOpportunitiesOf {
  private readonly shared = new Map<string, OpenOpportunities>();

  /** `count` open opportunities whose facts are `facts` (in any order, repeats allowed). */
  of(count: number, facts: readonly OpportunityFacts[]): OpenOpportunities {
    if (count === 0) return NO_OPEN_OPPORTUNITIES;
    const sorted = [...facts].sort(compareFacts);
    const distinct = sorted.filter(
      (f, i) => i === 0 || compareFacts(sorted[i - 1] as OpportunityFacts, f) !== 0,
    );
    // JSON keeps a reseller named "null" apart from no reseller.
    const key = JSON.stringify([count, distinct.map((f) => [f.source, f.reseller])]);
    let open = this.shared.get(key);
    if (open === undefined) {
      open = { count, facts: distinct.map((f) => ({ source: f.source, reseller: f.reseller })) };
      this.shared.set(key, open);
    }
    return open;
  }

  ofList(list: OpenList | null): OpenOpportunities {
    if (list === null) return NO_OPEN_OPPORTUNITIES;
    return this.of(
      list.length,
      list.map(([source, reseller]) => ({ source, reseller })),
    );
  }
}

/** One account as re-evaluation reads it: facts, stored owner, and its parent's CRM id and stored owner. */
export type BookRow = {
  account: AccountForRules;
  currentRepId: string | null;
  parentCrmId: string | null;
  parentRepId: string | null;
  openOpportunities: OpenOpportunities;
};

/**
 * Account facts a rule set may not read at all; a book read for one that does not leaves them out:
 * no domains, or null.
 */
export type OptionalFacts = { domains: boolean; country: boolean; employees: boolean; icpFit: boolean };

const ALL_FACTS: OptionalFacts = { domains: true, country: true, employees: true, icpFit: true };

/** The account columns of a book read, NULL for the optional facts left out. */
function accountColumns(read: OptionalFacts): string {
  const or = (wanted: boolean, column: string) => (wanted ? column : `NULL AS ${column.replace(/^a\./, "")}`);
  return [
    `a.id, a."crmId", a.name, a."parentId"`,
    or(read.country, "a.country"),
    "a.region, a.industry",
    or(read.employees, "a.employees"),
    `a."sizeBand"::text AS "sizeBand"`,
    or(read.icpFit, `a."icpFit"`),
    "a.named",
  ].join(", ");
}

type RawBookRow = Omit<AccountForRules, "domains"> & {
  domains: string[] | null;
  currentRepId: string | null;
  parentCrmId: string | null;
  parentRepId: string | null;
  openOpportunities: OpenList | null;
};

/** Each account's open opportunities as a JSON list of [source, reseller]: what the rules can read. */
const OPEN_BY_ACCOUNT = `SELECT "accountId", json_agg(json_build_array(source, reseller)) AS list
  FROM "Opportunity" WHERE "isOpen" GROUP BY "accountId"`;

// In CRM-id order, so territory assignment by book size is the same run after run; byte order (COLLATE
// "C") so it is also the same on every database whatever its collation, and the sort of a whole book
// takes the fast path (about a second less at 1M accounts than C.UTF-8's).
// Joins instead of per-row subqueries: PostgreSQL hashes the current owners, the domain lists and the
// open opportunities once (about 1 s for a million accounts) where a subquery per row cost ten.
const BOOK_SQL = (where: string, read: OptionalFacts) => `
  WITH own AS (SELECT "accountId", "repId" FROM "Ownership" WHERE "effectiveTo" IS NULL),
       doms AS (SELECT "accountId", array_agg(domain) AS domains FROM "AccountDomain" GROUP BY "accountId"),
       opps AS (${OPEN_BY_ACCOUNT})
  SELECT ${accountColumns(read)}, ${read.domains ? "doms.domains" : "NULL AS domains"},
         own."repId" AS "currentRepId", p."crmId" AS "parentCrmId", pown."repId" AS "parentRepId",
         opps.list AS "openOpportunities"
  FROM "Account" a
  LEFT JOIN own ON own."accountId" = a.id
  LEFT JOIN doms ON doms."accountId" = a.id
  LEFT JOIN opps ON opps."accountId" = a.id
  LEFT JOIN "Account" p ON p.id = a."parentId"
  LEFT JOIN own pown ON pown."accountId" = a."parentId"
  ${where}
  ORDER BY a."crmId" COLLATE "C"`;

function bookRowFrom(r: RawBookRow, open: OpenOpportunitiesOf): BookRow {
  const { domains, currentRepId, parentCrmId, parentRepId, openOpportunities, ...rest } = r;
  return {
    account: { ...rest, domains: domains ?? [] },
    currentRepId,
    parentCrmId,
    parentRepId,
    openOpportunities: open.ofList(openOpportunities),
  };
}

/**
 * Rows of one query, page by page, without holding them all. On PostgreSQL a cursor on its own
 * connection streams one snapshot while the caller writes on others; embedded, where there is one
 * connection, the rows are read first and then handed on in pages. Without a raw driver (a client
 * openDatabase did not make), Prisma reads them.
 */
export async function forEachPage<T>(
  db: Db,
  sql: string,
  params: unknown[],
  pageSize: number,
  onPage: (rows: T[]) => Promise<void> | void,
): Promise<void> {
  const driver = rawDriverOf(db);
  const pages = async (rows: T[]) => {
    for (let i = 0; i < rows.length; i += pageSize) await onPage(rows.slice(i, i + pageSize));
  };
  if (!driver) return pages(await db.$queryRawUnsafe<T[]>(sql, ...params));
  if (driver.kind === "embedded") return pages(await driver.withRawSession((s) => s.query<T>(sql, params)));
  await driver.withRawSession(async (s) => {
    await s.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
      await s.query(`DECLARE turf_pages NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        const rows = await s.query<T>(`FETCH ${pageSize} FROM turf_pages`);
        if (rows.length === 0) break;
        await onPage(rows);
      }
    } finally {
      await s.query("ROLLBACK");
    }
  });
}

/**
 * The book (or the given accounts) for re-evaluation, page by page, in no order a caller may rely on.
 * The whole book on a client openDatabase made streams by COPY in the order it is stored (see
 * forEachBookPageByCopy); a list of accounts, or a client without a raw driver (a transaction), reads
 * the joined query through forEachPage, in CRM-id order. `read` leaves out facts no rule of the
 * caller's reads (all are read unless it says otherwise). `onOwnerCounts` is told, before the first
 * page, how many of the accounts read each rep owns now (the COPY read counts them as it reads the
 * owners, saving the server a pass over them).
 */
export async function forEachBookPage(
  db: Db,
  options: {
    accountIds?: string[];
    pageSize?: number;
    read?: Partial<OptionalFacts>;
    onOwnerCounts?: (byRep: OwnerCount[]) => void;
  },
  onPage: (rows: BookRow[]) => Promise<void>,
): Promise<void> {
  const driver = rawDriverOf(db);
  const read = { ...ALL_FACTS, ...options.read };
  // Small pages by COPY: a page is alive while it is evaluated, and pages much larger than the young
  // generation get copied into the old one, where collecting them costs several times more.
  if (driver && !options.accountIds)
    return forEachBookPageByCopy(
      driver,
      { pageSize: options.pageSize ?? 1000, read, onOwnerCounts: options.onOwnerCounts },
      onPage,
    );
  if (options.onOwnerCounts) options.onOwnerCounts(await loadOwnerCounts(db, options.accountIds));
  const pageSize = options.pageSize ?? 10_000;
  const where = options.accountIds ? `WHERE a.id = ANY($1::text[])` : "";
  const open = new OpenOpportunitiesOf();
  await forEachPage<RawBookRow>(
    db,
    BOOK_SQL(where, read),
    options.accountIds ? [options.accountIds] : [],
    pageSize,
    (rows) => onPage(rows.map((r) => bookRowFrom(r, open))),
  );
}

/** How many of the accounts (all, or the given ones) each rep owns now: one small aggregate. */
async function loadOwnerCounts(db: Db, ids?: string[]): Promise<OwnerCount[]> {
  const filter = ids ? `AND "accountId" = ANY($1::text[])` : "";
  const rows = await db.$queryRawUnsafe<{ repId: string | null; n: number }[]>(
    `SELECT "repId", count(*)::int AS n FROM "Ownership" WHERE "effectiveTo" IS NULL ${filter} GROUP BY "repId"`,
    ...(ids ? [ids] : []),
  );
  return rows.map((r) => ({ repId: r.repId, accounts: r.n }));
}

type RawDriver = NonNullable<ReturnType<typeof rawDriverOf>>;
type RawSession = Parameters<Parameters<RawDriver["withRawSession"]>[0]>[0];

/** Each account's current owner; an account may have none, and (no constraint forbids it) two. */
const OWNERS_SQL = `SELECT "accountId", "repId" FROM "Ownership" WHERE "effectiveTo" IS NULL`;
/** What the rules can read of the open deals: a line per deal. */
const OPEN_DEALS_SQL = `SELECT "accountId", source, reseller FROM "Opportunity" WHERE "isOpen"`;
const PARENT_CRM_IDS_SQL = `SELECT id, "crmId" FROM "Account" WHERE id = ANY($1::text[])`;

/**
 * The whole book by COPY, in whatever order the server stores it: three plain reads with no join and
 * no sort on the server (at 1M accounts a hash join cost the server 2–4 s, a sort by CRM id ~3 s and
 * delayed the first row ~1.5 s; an index-ordered read cost more still). The current owners and the
 * open deals (about a million and half a million short lines) are read first, on their own
 * connections at once, into maps by account id; then the accounts stream past them, evaluated as they
 * come. Subsidiaries (a few percent) are kept to the end, when their parents' CRM ids are looked up
 * by id; their parents' stored owners are in the owners' map. All reads see one snapshot. Memory
 * holds the two maps (about 200 MB at 1M accounts), the subsidiaries and a page.
 */
async function forEachBookPageByCopy(
  driver: RawDriver,
  options: {
    pageSize: number;
    read: OptionalFacts;
    onOwnerCounts?: (byRep: OwnerCount[]) => void;
  },
  onPage: (rows: BookRow[]) => Promise<void>,
): Promise<void> {
  const { read } = options;
  const domains = read.domains
    ? `LEFT JOIN (SELECT "accountId", array_to_json(array_agg(domain))::text AS list FROM "AccountDomain"
                  GROUP BY "accountId") doms ON doms."accountId" = a.id`
    : "";
  const accountsSql = `SELECT ${accountColumns(read)}${read.domains ? ", doms.list" : ""}
    FROM "Account" a ${domains}`;
  const pages = async (
    sources: {
      owners: AsyncIterable<string[]>;
      deals: AsyncIterable<string[]>;
      accounts: AsyncIterable<string[]>;
    },
    parentCrmIds: (ids: string[]) => Promise<{ id: string; crmId: string }[]>,
    accounts: number,
  ) => {
    const reader = new BookLineReader(read.domains, accounts);
    await Promise.all([
      (async () => {
        for await (const lines of sources.owners) for (const line of lines) reader.addOwner(line);
      })(),
      (async () => {
        for await (const lines of sources.deals) for (const line of lines) reader.addDeal(line);
      })(),
    ]);
    options.onOwnerCounts?.(reader.ownerCounts());
    let page: BookRow[] = [];
    const add = async (row: BookRow) => {
      page.push(row);
      if (page.length >= options.pageSize) {
        await onPage(page);
        page = [];
      }
    };
    const subsidiaries: BookRow[] = [];
    for await (const lines of sources.accounts)
      for (const line of lines) {
        const row = reader.read(line);
        if (row.account.parentId === null) await add(row);
        else subsidiaries.push(row);
      }
    if (subsidiaries.length > 0) {
      const parentIds = [...new Set(subsidiaries.map((r) => r.account.parentId as string))];
      const crmIds = new Map((await parentCrmIds(parentIds)).map((p) => [p.id, p.crmId]));
      for (const row of subsidiaries) {
        const parentId = row.account.parentId as string;
        row.parentCrmId = crmIds.get(parentId) ?? null;
        row.parentRepId = reader.ownerOfId(parentId);
      }
    }
    reader.release();
    for (const row of subsidiaries) await add(row);
    if (page.length > 0) await onPage(page);
  };
  if (driver.kind === "embedded") {
    // One connection: everything is read in turn, whole (a COPY is one blob anyway), before the
    // caller, who writes through Prisma on that same connection, gets a page.
    const whole = (sql: string) =>
      driver.withRawSession(async (s) => {
        const chunks: Uint8Array[] = [];
        for await (const chunk of s.copyOut(sql)) chunks.push(chunk);
        return Buffer.concat(chunks);
      });
    const owners = await whole(OWNERS_SQL);
    const deals = await whole(OPEN_DEALS_SQL);
    const accounts = await whole(accountsSql);
    await pages(
      { owners: copyLines(once(owners)), deals: copyLines(once(deals)), accounts: copyLines(once(accounts)) },
      (ids) => driver.withRawSession((s) => s.query(PARENT_CRM_IDS_SQL, [ids])),
      0,
    );
    return;
  }
  await driver.withRawSession((s) =>
    s.transaction(async (tx) => {
      await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      const [exported] = await tx.query<{ snapshot: string; accounts: number }>(
        `SELECT pg_export_snapshot() AS snapshot, reltuples::float8 AS accounts FROM pg_class WHERE oid = '"Account"'::regclass`,
      );
      // The planner's estimate of the book's size (-1 before the table's first ANALYZE).
      const estimate = Number(exported?.accounts ?? 0);
      const snapshot = (exported?.snapshot ?? "").replace(/'/g, "''");
      const inSnapshot = (fn: (t: RawSession) => Promise<void>) =>
        driver.withRawSession((side) =>
          side.transaction(async (t) => {
            await t.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            await t.query(`SET TRANSACTION SNAPSHOT '${snapshot}'`);
            await fn(t);
          }),
        );
      // The side connections stay in their transaction until the main one is done with them.
      let sidesDone = () => {};
      const done = new Promise<void>((resolve) => {
        sidesDone = resolve;
      });
      const sides: Promise<void>[] = [];
      const opened = <T>(fn: (t: RawSession) => T) =>
        new Promise<T>((resolve, reject) => {
          const side = inSnapshot(async (t) => {
            resolve(fn(t));
            await done;
          });
          side.catch(reject);
          sides.push(side);
        });
      const [owners, deals] = await Promise.all([
        opened((t) => copyLines(t.copyOut(OWNERS_SQL))),
        opened((t) => copyLines(t.copyOut(OPEN_DEALS_SQL))),
      ]);
      const accounts = copyLines(tx.copyOut(accountsSql));
      try {
        await pages({ owners, deals, accounts }, (ids) => tx.query(PARENT_CRM_IDS_SQL, [ids]), estimate);
      } finally {
        // Stops a COPY left half read (when onPage throws), so its connection can roll back.
        await Promise.allSettled([
          owners.return(undefined),
          deals.return(undefined),
          accounts.return(undefined),
        ]);
        sidesDone();
        await Promise.allSettled(sides);
      }
      for (const side of sides) await side;
    }),
  );
}

/** How many accounts a rep (or nobody: null) owns now. */
export type OwnerCount = { repId: string | null; accounts: number };

/**
 * Turns the book's lines into BookRows. A million lines a run: fields are cut straight from the line
 * (no array per line), nulls are recognised without a string for them, numbers are read without one,
 * and the few-valued fields and the open deals are shared between accounts.
 */
class BookLineReader {
  /** Account ids seen in the owners' and deals' lines, numbered. */
  private ids: IdTable;
  /** By account number: its owner's number in `reps`, NO_OWNER_LINE, or NOBODY (white space). */
  private ownerOf: Int32Array<ArrayBuffer>;
  /** By account number: its open deals' index in `dealLists`, or -1. */
  private dealsOf: Int32Array<ArrayBuffer>;
  /** An account's open deals: shared when it has one, the list so far when it has more. */
  private dealLists: (OpenOpportunities | OpportunityFacts[])[] = [];
  private readonly repIds = new IdTable();
  /** The owners' rep ids, by their number in repIds: each made a string once. */
  private readonly reps: string[] = [];
  private readonly open = new OpenOpportunitiesOf();
  /** One deal's open opportunities by its COPY text ("direct\t\N"): each distinct text parsed once. */
  private readonly oneDeal = new Map<string, OpenOpportunities>();
  // Where reading the line has got to.
  private line = "";
  private start = 0;
  private readonly countries: string[] = [];
  private readonly regions: string[] = [];
  private readonly industries: string[] = [];
  private readonly sizeBands: string[] = [];

  /** `accounts`: about how many the book has (the tables are made that big at once). */
  constructor(
    private readonly withDomains: boolean,
    accounts: number,
  ) {
    this.ids = new IdTable(accounts);
    const room = Math.max(1024, Math.ceil(accounts));
    this.ownerOf = new Int32Array(room).fill(NO_OWNER_LINE);
    this.dealsOf = new Int32Array(room).fill(-1);
  }

  /** An owners line: account id, rep id. Of two current owners, the smaller rep id (as SQL's min). */
  addOwner(line: string): void {
    this.line = line;
    this.start = 0;
    const account = this.idNumber();
    const start = this.start;
    const end = this.skipField();
    let rep = NOBODY;
    if (!(end - start === 2 && this.isNullAt(start))) {
      rep = this.repIds.add(line, start, end);
      if (rep === this.reps.length) this.reps.push(copyField(line.slice(start, end)) as string);
    }
    const earlier = this.ownerOf[account] as number;
    if (earlier < 0 || (rep >= 0 && (this.reps[rep] as string) < (this.reps[earlier] as string)))
      this.ownerOf[account] = rep;
  }

  /** A deals line: account id, source, reseller. */
  addDeal(line: string): void {
    this.line = line;
    this.start = 0;
    const account = this.idNumber();
    const text = line.slice(this.start);
    let one = this.oneDeal.get(text);
    if (one === undefined) {
      const source = this.field() as OpportunityFacts["source"];
      one = this.open.of(1, [{ source, reseller: this.field() }]);
      this.oneDeal.set(text, one);
    }
    const at = this.dealsOf[account] as number;
    if (at < 0) {
      this.dealsOf[account] = this.dealLists.length;
      this.dealLists.push(one);
      return;
    }
    const earlier = this.dealLists[at] as OpenOpportunities | OpportunityFacts[];
    if (Array.isArray(earlier)) earlier.push(one.facts[0] as OpportunityFacts);
    else this.dealLists[at] = [...earlier.facts, one.facts[0] as OpportunityFacts];
  }

  /** The number of the account id at the cursor (numbered on first sight), moving past it. */
  private idNumber(): number {
    const start = this.start;
    const n = this.ids.add(this.line, start, this.skipField());
    if (n >= this.ownerOf.length) {
      this.ownerOf = grown(this.ownerOf, NO_OWNER_LINE);
      this.dealsOf = grown(this.dealsOf, -1);
    }
    return n;
  }

  ownerCounts(): OwnerCount[] {
    const counts = new Map<number, number>();
    for (let n = 0; n < this.ids.size; n++) {
      const rep = this.ownerOf[n] as number;
      if (rep !== NO_OWNER_LINE) counts.set(rep, (counts.get(rep) ?? 0) + 1);
    }
    return [...counts].map(([rep, accounts]) => ({
      repId: rep === NOBODY ? null : (this.reps[rep] as string),
      accounts,
    }));
  }

  /** The stored owner of the account with this id. */
  ownerOfId(accountId: string): string | null {
    return this.owner(this.ids.numberOfId(accountId));
  }

  private owner(account: number): string | null {
    if (account < 0) return null;
    const rep = this.ownerOf[account] as number;
    return rep < 0 ? null : (this.reps[rep] as string);
  }

  /** Lets the tables go once every account is read. */
  release(): void {
    this.ids = new IdTable();
    this.ownerOf = new Int32Array(0);
    this.dealsOf = new Int32Array(0);
    this.dealLists = [];
  }

  read(line: string): BookRow {
    this.line = line;
    this.start = 0;
    const number = this.ids.numberOf(line, 0, this.fieldEnd());
    const account: AccountForRules = {
      id: this.field() as string,
      crmId: this.field() as string,
      name: this.field() as string,
      domains: NO_DOMAINS,
      parentId: this.field(),
      country: this.fewValued(this.countries),
      region: this.fewValued(this.regions),
      industry: this.fewValued(this.industries),
      employees: this.number(),
      sizeBand: this.fewValued(this.sizeBands) as AccountForRules["sizeBand"],
      icpFit: this.number(),
      named: this.field() === "t",
    };
    if (this.withDomains) {
      const list = this.field();
      if (list !== null) account.domains = JSON.parse(list) as string[];
    }
    const at = number < 0 ? -1 : (this.dealsOf[number] as number);
    const deals = at < 0 ? undefined : this.dealLists[at];
    return {
      account,
      currentRepId: this.owner(number),
      parentCrmId: null,
      parentRepId: null,
      openOpportunities:
        deals === undefined
          ? NO_OPEN_OPPORTUNITIES
          : Array.isArray(deals)
            ? this.open.of(deals.length, deals)
            : deals,
    };
  }

  /** Where the field at the cursor ends, without moving past it. */
  private fieldEnd(): number {
    const end = this.line.indexOf("\t", this.start);
    return end === -1 ? this.line.length : end;
  }

  private field(): string | null {
    const { line, start } = this;
    const end = this.skipField();
    if (end - start === 2 && this.isNullAt(start)) return null;
    return copyField(line.slice(start, end));
  }

  /**
   * A field with few distinct values (country, region, industry, size band): the string read first
   * for each value, found without making a new one. The engine looks these up several times per
   * account, and a string it has seen before has its hash already.
   */
  private fewValued(known: string[]): string | null {
    const { line, start } = this;
    const end = this.skipField();
    const length = end - start;
    if (length === 2 && this.isNullAt(start)) return null;
    for (const value of known) if (value.length === length && line.startsWith(value, start)) return value;
    const value = copyField(line.slice(start, end)) as string;
    // Only values without a backslash: their text in the line is the value itself.
    if (known.length < FEW && !value.includes("\\")) known.push(value);
    return value;
  }

  /** Moves past the current field; returns where it ends (its tab, or the end of the line). */
  private skipField(): number {
    let end = this.line.indexOf("\t", this.start);
    if (end === -1) end = this.line.length;
    this.start = end + 1;
    return end;
  }

  private isNullAt(at: number): boolean {
    return this.line.charCodeAt(at) === BACKSLASH && this.line.charCodeAt(at + 1) === LETTER_N;
  }

  /** A whole number field, read without a string for it. */
  private number(): number | null {
    const { line, start } = this;
    const end = this.skipField();
    if (end - start === 2 && this.isNullAt(start)) return null;
    let at = start;
    const negative = line.charCodeAt(at) === MINUS;
    if (negative) at++;
    let n = 0;
    for (; at < end; at++) n = n * 10 + (line.charCodeAt(at) - ZERO);
    return negative ? -n : n;
  }
}

/** An account number's owner: no owners line names the account; a line names nobody (white space). */
const NO_OWNER_LINE = -1;
const NOBODY = -2;

function grown(array: Int32Array<ArrayBuffer>, fill: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2).fill(fill);
  bigger.set(array);
  return bigger;
}

/** How many values of a few-valued field are remembered (more are read as they come). */
const FEW = 32;
const BACKSLASH = 92;
const LETTER_N = 78;
const MINUS = 45;
const ZERO = 48;

const NO_DOMAINS: string[] = [];

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
