// Loads the book (reps, territories, rules, accounts with their facts) as the domain's plain types,
// so the pure rules engine and rebalance draft never see Prisma.
import type { Account, Opportunity, Rep, Territory } from "../domain/model.ts";
import type { AccountFacts } from "../domain/rules/matcher.ts";
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
  facts: AccountFacts;
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

/** One account as re-evaluation reads it: facts, stored owner, and its parent's CRM id and stored owner. */
export type BookRow = {
  account: Account;
  currentRepId: string | null;
  parentCrmId: string | null;
  parentRepId: string | null;
};

type RawBookRow = Omit<Account, "domains" | "lastActivityAt"> & {
  lastActivityAt: Date | string | null;
  domains: string[] | null;
  currentRepId: string | null;
  parentCrmId: string | null;
  parentRepId: string | null;
};

// In CRM-id order, so territory assignment by book size is the same run after run; byte order (COLLATE
// "C") so it is also the same on every database whatever its collation, and the sort of a whole book
// takes the fast path (about a second less at 1M accounts than C.UTF-8's).
// Joins instead of per-row subqueries: PostgreSQL hashes the current owners and the domain lists once
// (about 1 s for a million accounts) where a subquery per row cost ten.
const BOOK_SQL = (where: string) => `
  WITH own AS (SELECT "accountId", "repId" FROM "Ownership" WHERE "effectiveTo" IS NULL),
       doms AS (SELECT "accountId", array_agg(domain) AS domains FROM "AccountDomain" GROUP BY "accountId")
  SELECT a.id, a."crmId", a.name, a."parentId", a.country, a.region, a.industry, a.employees,
         a."sizeBand"::text AS "sizeBand", a."icpFit", a."lastActivityAt", a.named,
         doms.domains, own."repId" AS "currentRepId", p."crmId" AS "parentCrmId", pown."repId" AS "parentRepId"
  FROM "Account" a
  LEFT JOIN own ON own."accountId" = a.id
  LEFT JOIN doms ON doms."accountId" = a.id
  LEFT JOIN "Account" p ON p.id = a."parentId"
  LEFT JOIN own pown ON pown."accountId" = a."parentId"
  ${where}
  ORDER BY a."crmId" COLLATE "C"`;

function bookRowFrom(r: RawBookRow): BookRow {
  const { domains, currentRepId, parentCrmId, parentRepId, ...rest } = r;
  return {
    account: accountFromRow(
      { ...rest, lastActivityAt: rest.lastActivityAt === null ? null : new Date(rest.lastActivityAt) },
      domains ?? [],
    ),
    currentRepId,
    parentCrmId,
    parentRepId,
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
  await forEachPage<RawBookRow>(
    db,
    BOOK_SQL(where),
    options.accountIds ? [options.accountIds] : [],
    pageSize,
    (rows) => onPage(rows.map(bookRowFrom)),
  );
}

const CURRENT_OWNER = `LEFT JOIN "Ownership" o ON o."accountId" = a.id AND o."effectiveTo" IS NULL`;

/**
 * The whole book by COPY: the account columns and current owner in one joined, sorted COPY (no row
 * objects on the server side, one text stream to parse), the parents' CRM ids and owners from a
 * small query first (a few percent of accounts are parents; joining the account table to itself
 * would cost more than the rest of the read). Memory holds the parents and one page.
 */
async function forEachBookPageByCopy(
  driver: NonNullable<ReturnType<typeof rawDriverOf>>,
  options: { pageSize: number; domains: boolean },
  onPage: (rows: BookRow[]) => Promise<void>,
): Promise<void> {
  // The parents load while the server joins and sorts the book (see pages below). A few percent of
  // accounts are parents: their owners are looked up by index, one by one, instead of scanning the
  // ownership table once more.
  const parentsLoading = driver
    .withRawSession((s) =>
      s.query<{ id: string; crmId: string; repId: string | null }>(
        `SELECT a.id, a."crmId",
                (SELECT o."repId" FROM "Ownership" o WHERE o."accountId" = a.id AND o."effectiveTo" IS NULL LIMIT 1) AS "repId"
         FROM "Account" a WHERE a.id IN (SELECT "parentId" FROM "Account" WHERE "parentId" IS NOT NULL)`,
      ),
    )
    .then((rows) => new Map(rows.map((p) => [p.id, p])));
  parentsLoading.catch(() => undefined); // awaited before the first row; not unhandled meanwhile
  let parents = new Map<string, { crmId: string; repId: string | null }>();
  const domains = options.domains
    ? `LEFT JOIN (SELECT "accountId", array_to_json(array_agg(domain))::text AS list FROM "AccountDomain"
                  GROUP BY "accountId") doms ON doms."accountId" = a.id`
    : "";
  const query = `SELECT a.id, a."crmId", a.name, a."parentId", a.country, a.region, a.industry, a.employees,
      a."sizeBand", a."icpFit", (extract(epoch FROM a."lastActivityAt") * 1000)::bigint, a.named, o."repId"
      ${options.domains ? ", doms.list" : ""}
    FROM "Account" a ${CURRENT_OWNER} ${domains}
    ORDER BY a."crmId" COLLATE "C"`;
  const emptyDomains: string[] = [];
  // Fields are read straight from the split line: no second array per row (a whole-book run makes a
  // million of each).
  const toRow = (line: string): BookRow => {
    const f = line.split("\t");
    const parentId = copyField(f[3] as string);
    const parent = parentId === null ? undefined : parents.get(parentId);
    const employees = copyField(f[7] as string);
    const icpFit = copyField(f[9] as string);
    const activity = copyField(f[10] as string);
    const domainList = options.domains ? copyField(f[13] as string) : null;
    return {
      account: {
        id: f[0] as string,
        crmId: copyField(f[1] as string) as string,
        name: copyField(f[2] as string) as string,
        domains: domainList ? (JSON.parse(domainList) as string[]) : emptyDomains,
        parentId,
        country: copyField(f[4] as string),
        region: copyField(f[5] as string),
        industry: copyField(f[6] as string),
        employees: employees === null ? null : Number(employees),
        sizeBand: copyField(f[8] as string) as Account["sizeBand"],
        icpFit: icpFit === null ? null : Number(icpFit),
        lastActivityAt: activity === null ? null : new Date(Number(activity)),
        named: f[11] === "t",
      },
      currentRepId: copyField(f[12] as string),
      parentCrmId: parent?.crmId ?? null,
      parentRepId: parent?.repId ?? null,
    };
  };
  const pages = async (chunks: AsyncIterable<string>) => {
    const source = chunks[Symbol.asyncIterator]();
    const first = source.next(); // sends the COPY now, so the server sorts while the parents arrive
    first.catch(() => undefined);
    parents = await parentsLoading;
    const started = {
      async *[Symbol.asyncIterator]() {
        for (let next = await first; !next.done; next = await source.next()) yield next.value;
      },
    };
    let page: BookRow[] = [];
    for await (const lines of copyLines(started))
      for (const line of lines) {
        page.push(toRow(line));
        if (page.length >= options.pageSize) {
          await onPage(page);
          page = [];
        }
      }
    if (page.length > 0) await onPage(page);
  };
  if (driver.kind === "embedded") {
    // One connection: the output is read whole (it is one blob anyway) before the caller, who writes
    // through Prisma on that same connection, gets a page.
    const text = await driver.withRawSession(async (s) => {
      let all = "";
      for await (const chunk of s.copyOut(query)) all += chunk;
      return all;
    });
    await pages(once(text));
    return;
  }
  await driver.withRawSession((s) =>
    // A sort of the whole book in the default 4 MB of work_mem spills to disk; this one read may use more.
    s.transaction(async (tx) => {
      await tx.query("SET LOCAL work_mem = '256MB'");
      await pages(tx.copyOut(query));
    }),
  );
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

/** The open opportunities of the book (or of some accounts), looked up by account id. */
export type OpenOpportunities = {
  of(accountId: string): Opportunity[];
  /** How many accounts have any. */
  readonly accounts: number;
};

const NONE: Opportunity[] = [];

/**
 * The open opportunities of the book (or the given accounts). Half the opportunities of a large book
 * are open (440k at 1M accounts): held as one line of COPY text per account and made into objects
 * only when that account is evaluated, which keeps a few hundred MB of long-lived objects (and the
 * garbage collector's work on them) out of a whole-book run.
 */
export async function loadOpenOpportunities(db: Db, ids?: string[]): Promise<OpenOpportunities> {
  const driver = rawDriverOf(db);
  if (driver && !ids) {
    const lines = new Map<string, string>();
    await driver.withRawSession(async (s) => {
      const query = `SELECT "accountId", id, "crmId", "ownerRepId", amount, stage, source, reseller FROM "Opportunity" WHERE "isOpen"`;
      for await (const chunk of copyLines(s.copyOut(query)))
        for (const line of chunk) {
          const accountId = line.slice(0, line.indexOf("\t"));
          const before = lines.get(accountId);
          lines.set(accountId, before === undefined ? line : `${before}\n${line}`);
        }
    });
    return {
      accounts: lines.size,
      of(accountId) {
        const text = lines.get(accountId);
        if (text === undefined) return NONE;
        return text.split("\n").map((line) => {
          const f = line.split("\t").map(copyField);
          return {
            accountId: f[0] as string,
            id: f[1] as string,
            crmId: f[2] as string,
            ownerRepId: f[3] ?? null,
            amount: Number(f[4]),
            stage: f[5] as string,
            isOpen: true,
            source: f[6] as Opportunity["source"],
            reseller: f[7] ?? null,
          };
        });
      },
    };
  }
  const rows = await db.$queryRawUnsafe<
    (Omit<Opportunity, "amount" | "isOpen"> & { amount: string | number })[]
  >(
    `SELECT id, "crmId", "accountId", "ownerRepId", amount, stage, source::text AS source, reseller
     FROM "Opportunity" WHERE "isOpen" ${ids ? `AND "accountId" = ANY($1::text[])` : ""}`,
    ...(ids ? [ids] : []),
  );
  const map = new Map<string, Opportunity[]>();
  for (const o of rows) {
    const list = map.get(o.accountId);
    const opportunity = { ...o, amount: Number(o.amount), isOpen: true };
    if (list === undefined) map.set(o.accountId, [opportunity]);
    else list.push(opportunity);
  }
  return { accounts: map.size, of: (accountId) => map.get(accountId) ?? NONE };
}
