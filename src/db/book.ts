// Loads the book (reps, territories, rules, accounts with their facts) as the domain's plain types,
// so the pure rules engine and rebalance draft never see Prisma.
import type { Account, Opportunity, Rep, Territory } from "../domain/model.ts";
import type { AccountFacts, OpportunityFacts } from "../domain/rules/matcher.ts";
import { parseRule, type Rule } from "../domain/rules/rule.ts";
import { type Db, rawDriverOf, type Tx } from "./client.ts";
import { copyField, copyLines } from "./copy-text.ts";

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
  account: Account;
  currentRepId: string | null;
  parentCrmId: string | null;
  parentRepId: string | null;
  openOpportunities: OpenOpportunities;
};

type RawBookRow = Omit<Account, "domains" | "lastActivityAt"> & {
  lastActivityAt: Date | string | null;
  domains: string[] | null;
  currentRepId: string | null;
  parentCrmId: string | null;
  parentRepId: string | null;
  openOpportunities: OpenList | null;
};

// In CRM-id order, so territory assignment by book size is the same run after run; byte order (COLLATE
// "C") so it is also the same on every database whatever its collation, and the sort of a whole book
// takes the fast path (about a second less at 1M accounts than C.UTF-8's).
// Joins instead of per-row subqueries: PostgreSQL hashes the current owners, the domain lists and the
// open opportunities once (about 1 s for a million accounts) where a subquery per row cost ten.
/** Each account's open opportunities as a JSON list of [source, reseller]: what the rules can read. */
const OPEN_BY_ACCOUNT = `SELECT "accountId", json_agg(json_build_array(source, reseller)) AS list
  FROM "Opportunity" WHERE "isOpen" GROUP BY "accountId"`;

const BOOK_SQL = (where: string) => `
  WITH own AS (SELECT "accountId", "repId" FROM "Ownership" WHERE "effectiveTo" IS NULL),
       doms AS (SELECT "accountId", array_agg(domain) AS domains FROM "AccountDomain" GROUP BY "accountId"),
       opps AS (${OPEN_BY_ACCOUNT})
  SELECT a.id, a."crmId", a.name, a."parentId", a.country, a.region, a.industry, a.employees,
         a."sizeBand"::text AS "sizeBand", a."icpFit", a."lastActivityAt", a.named,
         doms.domains, own."repId" AS "currentRepId", p."crmId" AS "parentCrmId", pown."repId" AS "parentRepId",
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
    account: accountFromRow(
      { ...rest, lastActivityAt: rest.lastActivityAt === null ? null : new Date(rest.lastActivityAt) },
      domains ?? [],
    ),
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
 * The book (or the given accounts) for re-evaluation, page by page, in CRM-id order. The whole book
 * on a client openDatabase made streams by COPY (see forEachBookPageByCopy); a list of accounts, or a
 * client without a raw driver (a transaction), reads the joined query through forEachPage. Without
 * `domains`, accounts come with an empty domain list (for rule sets no rule of which reads domains).
 */
export async function forEachBookPage(
  db: Db,
  options: { accountIds?: string[]; pageSize?: number; domains?: boolean },
  onPage: (rows: BookRow[]) => Promise<void>,
): Promise<void> {
  const driver = rawDriverOf(db);
  // Small pages by COPY: a page is alive while it is evaluated, and pages much larger than the young
  // generation get copied into the old one, where collecting them costs several times more.
  if (driver && !options.accountIds)
    return forEachBookPageByCopy(
      driver,
      { pageSize: options.pageSize ?? 1000, domains: options.domains ?? true },
      onPage,
    );
  const pageSize = options.pageSize ?? 10_000;
  const where = options.accountIds ? `WHERE a.id = ANY($1::text[])` : "";
  const open = new OpenOpportunitiesOf();
  await forEachPage<RawBookRow>(
    db,
    BOOK_SQL(where),
    options.accountIds ? [options.accountIds] : [],
    pageSize,
    (rows) => onPage(rows.map((r) => bookRowFrom(r, open))),
  );
}

type RawDriver = NonNullable<ReturnType<typeof rawDriverOf>>;
type Session = Parameters<Parameters<RawDriver["withRawSession"]>[0]>[0];

/**
 * Each account's current owner, in the order of the account COPY below (CRM id is unique, so the two
 * sorts agree line for line), with the account id to check that they do.
 */
const OWNERS_SQL = `SELECT a.id, o."repId"
  FROM "Account" a LEFT JOIN "Ownership" o ON o."accountId" = a.id AND o."effectiveTo" IS NULL
  ORDER BY a."crmId" COLLATE "C"`;

/** The CRM id and current owner of every account that has subsidiaries (a few percent of the book). */
const PARENTS_SQL = `SELECT a.id, a."crmId",
    (SELECT o."repId" FROM "Ownership" o WHERE o."accountId" = a.id AND o."effectiveTo" IS NULL LIMIT 1) AS "repId"
  FROM "Account" a WHERE a.id IN (SELECT "parentId" FROM "Account" WHERE "parentId" IS NOT NULL)`;

type Parent = { id: string; crmId: string; repId: string | null };

/**
 * The open opportunities of the book by account. Only what the rules can read of them (source,
 * reseller) crosses the wire, and accounts with the same ones share an object: the nearly half a
 * million open deals of a 1M-account book cost a map entry per account and little else.
 */
async function loadOpenOpportunities(s: Session): Promise<Map<string, OpenOpportunities>> {
  const byAccount = new Map<string, OpenOpportunities>();
  const open = new OpenOpportunitiesOf();
  // One deal's facts by their COPY text ("direct\t\N"): each distinct text is parsed once.
  const one = new Map<string, OpenOpportunities>();
  const query = `SELECT "accountId", source, reseller FROM "Opportunity" WHERE "isOpen"`;
  for await (const lines of copyLines(s.copyOut(query)))
    for (const line of lines) {
      const tab = line.indexOf("\t");
      const factsText = line.slice(tab + 1);
      let deal = one.get(factsText);
      if (deal === undefined) {
        const [source, reseller] = factsText.split("\t").map(copyField);
        deal = open.of(1, [{ source: source as OpportunityFacts["source"], reseller: reseller ?? null }]);
        one.set(factsText, deal);
      }
      const accountId = copyField(line.slice(0, tab)) as string;
      const before = byAccount.get(accountId);
      byAccount.set(
        accountId,
        before === undefined ? deal : open.of(before.count + 1, [...before.facts, ...deal.facts]),
      );
    }
  return byAccount;
}

/**
 * The whole book by COPY, as two streams sorted alike and read side by side: the account columns, and
 * each account's current owner. Split so the server sorts both at once on two connections (joining
 * owners before one sort made the first row wait about twice as long at 1M accounts), and no map of a
 * million owners is built here. The parents (a few percent of accounts) and the open opportunities
 * load meanwhile on two more connections. All four read one snapshot. Memory holds the parents, the
 * open opportunities by account and one page.
 */
async function forEachBookPageByCopy(
  driver: RawDriver,
  options: { pageSize: number; domains: boolean },
  onPage: (rows: BookRow[]) => Promise<void>,
): Promise<void> {
  const domains = options.domains
    ? `LEFT JOIN (SELECT "accountId", array_to_json(array_agg(domain))::text AS list FROM "AccountDomain"
                  GROUP BY "accountId") doms ON doms."accountId" = a.id`
    : "";
  const accountsSql = `SELECT a.id, a."crmId", a.name, a."parentId", a.country, a.region, a.industry, a.employees,
      a."sizeBand", a."icpFit", (extract(epoch FROM a."lastActivityAt") * 1000)::bigint, a.named
      ${options.domains ? ", doms.list" : ""}
    FROM "Account" a ${domains}
    ORDER BY a."crmId" COLLATE "C"`;
  const pages = async (
    accounts: AsyncIterable<Uint8Array>,
    owners: AsyncIterable<Uint8Array>,
    loading: Promise<[Parent[], Map<string, OpenOpportunities>]>,
  ) => {
    const accountLines = copyLines(accounts);
    const ownerLines = copyLines(owners);
    try {
      // Both COPYs are sent now, so the server sorts while the parents and deals arrive.
      const firstAccounts = accountLines.next();
      let ownerBatch = ownerLines.next();
      firstAccounts.catch(() => undefined);
      ownerBatch.catch(() => undefined);
      const [parents, open] = await loading;
      const reader = new BookLineReader(new Map(parents.map((p) => [p.id, p])), open, options.domains);
      let page: BookRow[] = [];
      for (let batch = await firstAccounts; !batch.done; batch = await accountLines.next()) {
        for (const line of batch.value) {
          // The owners arrive in chunks of their own: the next is awaited only when needed.
          let row = reader.row(line);
          while (row === null) {
            const more = await ownerBatch;
            if (more.done) throw new Error("the book's owners ended before its accounts");
            reader.addOwnerLines(more.value);
            ownerBatch = ownerLines.next();
            row = reader.row(line);
          }
          page.push(row);
          if (page.length >= options.pageSize) {
            await onPage(page);
            page = [];
          }
        }
      }
      if (page.length > 0) await onPage(page);
      while (!(await ownerBatch).done) ownerBatch = ownerLines.next();
    } finally {
      // Stops a COPY left half read (when onPage throws), so its connection can roll back.
      await Promise.allSettled([accountLines.return(undefined), ownerLines.return(undefined)]);
    }
  };
  if (driver.kind === "embedded") {
    // One connection: everything is read in turn, whole (each COPY is one blob anyway), before the
    // caller, who writes through Prisma on that same connection, gets a page.
    const read = await driver.withRawSession(async (s) => {
      const parents = await s.query<Parent>(PARENTS_SQL);
      const open = await loadOpenOpportunities(s);
      const whole = async (sql: string) => {
        const chunks: Uint8Array[] = [];
        for await (const chunk of s.copyOut(sql)) chunks.push(chunk);
        return Buffer.concat(chunks);
      };
      return { parents, open, accounts: await whole(accountsSql), owners: await whole(OWNERS_SQL) };
    });
    await pages(once(read.accounts), once(read.owners), Promise.resolve([read.parents, read.open]));
    return;
  }
  await driver.withRawSession((s) =>
    s.transaction(async (tx) => {
      await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      // A sort of the whole book in the default 4 MB of work_mem spills to disk; these reads may use more.
      await tx.query("SET LOCAL work_mem = '256MB'");
      const [exported] = await tx.query<{ snapshot: string }>("SELECT pg_export_snapshot() AS snapshot");
      const snapshot = (exported?.snapshot ?? "").replace(/'/g, "''");
      const inSnapshot = <T>(fn: (t: Session) => Promise<T>) =>
        driver.withRawSession((side) =>
          side.transaction(async (t) => {
            await t.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            await t.query(`SET TRANSACTION SNAPSHOT '${snapshot}'`);
            await t.query("SET LOCAL work_mem = '256MB'");
            return fn(t);
          }),
        );
      const loading = Promise.all([
        inSnapshot((t) => t.query<Parent>(PARENTS_SQL)),
        inSnapshot(loadOpenOpportunities),
      ]);
      loading.catch(() => undefined); // awaited before the first row; not unhandled meanwhile
      await inSnapshot((t) => pages(tx.copyOut(accountsSql), t.copyOut(OWNERS_SQL), loading));
    }),
  );
}

/** Turns the account lines into BookRows, taking each one's current owner from the owner lines. */
class BookLineReader {
  private ownerLines: string[] = [];
  private next = 0;
  private readonly reps = new Map<string, string>();
  // Where reading a line has got to (fields are cut straight from the line: no array per row).
  private line = "";
  private start = 0;
  /** The account whose owner was read last. */
  private previous: string | null = null;

  constructor(
    private readonly parents: Map<string, Parent>,
    private readonly open: Map<string, OpenOpportunities>,
    private readonly withDomains: boolean,
  ) {}

  addOwnerLines(lines: string[]): void {
    this.ownerLines =
      this.next < this.ownerLines.length ? this.ownerLines.slice(this.next).concat(lines) : lines;
    this.next = 0;
  }

  private field(): string | null {
    const { line, start } = this;
    let end = line.indexOf("\t", start);
    if (end === -1) end = line.length;
    this.start = end + 1;
    return copyField(line.slice(start, end));
  }

  /** The account's row, or null when its owner line has not arrived yet (add more, then ask again). */
  row(accountLine: string): BookRow | null {
    this.line = accountLine;
    this.start = 0;
    const id = this.field() as string;
    const crmId = this.field() as string;
    const name = this.field() as string;
    const parentId = this.field();
    const country = this.field();
    const region = this.field();
    const industry = this.field();
    const employees = this.field();
    const sizeBand = this.field() as Account["sizeBand"];
    const icpFit = this.field();
    const activity = this.field();
    const named = this.field() === "t";
    const domainList = this.withDomains ? this.field() : null;
    const currentRepId = this.ownerOf(id);
    if (currentRepId === undefined) return null;
    const parent = parentId === null ? undefined : this.parents.get(parentId);
    return {
      account: {
        id,
        crmId,
        name,
        domains: domainList === null ? NO_DOMAINS : (JSON.parse(domainList) as string[]),
        parentId,
        country,
        region,
        industry,
        employees: employees === null ? null : Number(employees),
        sizeBand,
        icpFit: icpFit === null ? null : Number(icpFit),
        lastActivityAt: activity === null ? null : new Date(Number(activity)),
        named,
      },
      currentRepId,
      parentCrmId: parent?.crmId ?? null,
      parentRepId: parent?.repId ?? null,
      openOpportunities: this.open.get(id) ?? NO_OPEN_OPPORTUNITIES,
    };
  }

  /**
   * The account's current owner, or undefined when its line is in a chunk not yet added. An account
   * with two current ownership rows (which nothing should write) has two lines in a row: the first
   * counts.
   */
  private ownerOf(id: string): string | null | undefined {
    while (this.next < this.ownerLines.length) {
      this.line = this.ownerLines[this.next] as string;
      this.start = 0;
      const ownerOf = this.field();
      this.next++;
      if (ownerOf === id) {
        this.previous = id;
        const repText = this.field();
        if (repText === null) return null;
        // Shared: a rep owns thousands of accounts, and rows that outlive their page keep the text.
        let repId = this.reps.get(repText);
        if (repId === undefined) {
          repId = repText;
          this.reps.set(repText, repId);
        }
        return repId;
      }
      if (ownerOf !== this.previous)
        throw new Error(`the book's owners and accounts are out of step at account ${id}`);
    }
    return undefined;
  }
}

const NO_DOMAINS: string[] = [];

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
