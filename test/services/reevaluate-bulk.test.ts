// Re-evaluation's bulk path (COPY out of the book, COPY in of the changes) must read and write exactly
// what the query path does: the same rows (in another order: COPY reads the book unsorted), whatever
// the text holds (tabs, newlines, backslashes), and ownership and audit rows dated `now` in UTC.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BookRow, forEachBookPage } from "../../src/db/book.ts";
import { copyRows, toCopyText } from "../../src/db/copy-text.ts";
import { inTransaction } from "../../src/db/dry-run.ts";
import { type ReevaluatedChange, reevaluateBook } from "../../src/services/ownership/reevaluate-book.ts";
import { addRule } from "../../src/services/rules/add-rule.ts";
import { installDefaultRules } from "../../src/services/rules/default-rules.ts";
import { loadSampleData } from "../../src/services/sample-data.ts";
import { databaseKinds, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { GUIDE_COMPANY, importCompany } from "../support/guide-company.ts";

const t0 = new Date("2026-11-02T09:00:00Z");

const inCrmIdOrder = (rows: BookRow[]) =>
  rows.sort((a, b) => (a.account.crmId < b.account.crmId ? -1 : a.account.crmId > b.account.crmId ? 1 : 0));

async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield p;
}

describe("COPY text", () => {
  it("round-trips nulls, tabs, newlines, carriage returns, backslashes and UTF-8, across chunk boundaries", async () => {
    const rows = [
      ["plain", null, "tab\there", "line\nbreak", "back\\slash\\N", "cr\rlf", ""],
      ["2", "x", null, null, null, null, "\\"],
      ["Müller GmbH", "株式会社", "🙂", null, "ß", "é", "3"],
    ];
    const bytes = Buffer.from(toCopyText(rows));
    const pages: (string | null)[][] = [];
    // Split anywhere, even inside an escape or a character's bytes: the reader joins the halves first.
    for (let cut = 0; cut <= bytes.length; cut += 3) {
      pages.length = 0;
      for await (const page of copyRows(chunks(bytes.subarray(0, cut), bytes.subarray(cut)), 1))
        pages.push(...page);
      expect(pages).toEqual(rows);
    }
    // A line longer than a chunk (a list of ids can be megabytes) arrives in many pieces.
    for (const size of [1, 2, 7]) {
      const pieces: Uint8Array[] = [];
      for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size));
      pages.length = 0;
      for await (const page of copyRows(chunks(...pieces), 2)) pages.push(...page);
      expect(pages).toEqual(rows);
    }
  });
});

describe.each(databaseKinds())("bulk re-evaluation on %s", (kind) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    await loadSampleData(db.prisma, t0);
    const account = await db.prisma.account.findFirstOrThrow({ orderBy: { crmId: "asc" } });
    await db.prisma.account.update({
      where: { id: account.id },
      data: { name: "Tab\tNew\nLine \\ Back\\slash \\N GmbH" },
    });
    // An account with several open deals, two of them alike, one through a reseller: the COPY read
    // gets a line per deal and must make one row of them.
    const dealer = await db.prisma.account.findFirstOrThrow({ orderBy: { crmId: "desc" } });
    await db.prisma.opportunity.createMany({
      data: [
        { source: "direct" as const, reseller: null },
        { source: "direct" as const, reseller: null },
        { source: "reseller" as const, reseller: "Tab\tChannel" },
      ].map((o, i) => ({
        ...o,
        crmId: `OPP-BULK-${i}`,
        accountId: dealer.id,
        amount: 1000,
        stage: "Discovery",
        isOpen: true,
      })),
    });
    // Turf's own ids are UUIDs; one made by hand may hold a comma or a backslash, which the COPY read's
    // lists of account ids (one line per rep, per source and reseller) must keep apart.
    const rep = await db.prisma.rep.findFirstOrThrow({ where: { active: true }, orderBy: { id: "asc" } });
    for (const [n, id] of ["hand,made,1", "hand\\made\t2"].entries()) {
      await db.prisma.account.create({
        data: {
          id,
          crmId: `HAND-${n}`,
          name: `Handmade ${id}`,
          normalizedName: "handmade",
          compactName: "handmade",
          coreName: "handmade",
          region: "EMEA",
          industry: "Software",
          sizeBand: "SMB",
          ownerships: { create: { repId: rep.id, effectiveFrom: t0, cause: "import" } },
          opportunities: {
            create: {
              crmId: `OPP-${id}`,
              amount: 10,
              stage: "Discovery",
              isOpen: true,
              source: "reseller",
              reseller: "Comma, Channel",
            },
          },
        },
      });
    }
  });
  afterAll(async () => db.drop());

  /** The book as the query path reads it (inside a transaction there is no raw driver). */
  const throughQueries = <T>(fn: (tx: typeof db.prisma) => Promise<T>) =>
    inTransaction(db.prisma, fn, { dryRun: true });

  const readAll = async (client: typeof db.prisma) => {
    const rows: BookRow[] = [];
    await forEachBookPage(client, { pageSize: 7 }, async (page) => {
      rows.push(...page);
    });
    for (const r of rows) r.account.domains.sort();
    return inCrmIdOrder(rows);
  };

  it("reads the same book by COPY as by query", async () => {
    const bulk = await readAll(db.prisma);
    const queried = await throughQueries(readAll);
    expect(bulk.length).toBe(await db.prisma.account.count());
    expect(bulk).toEqual(queried);
    expect(bulk.some((r) => r.account.name.includes("\t") && r.account.name.includes("\n"))).toBe(true);
    expect(bulk.some((r) => r.parentCrmId !== null)).toBe(true);
    expect(bulk.some((r) => r.openOpportunities.count >= 3 && r.openOpportunities.facts.length >= 2)).toBe(
      true,
    );
    expect(bulk.some((r) => r.account.employees !== null && r.account.icpFit !== null)).toBe(true);
    const handmade = bulk.filter((r) => r.account.name.startsWith("Handmade"));
    expect(handmade.map((r) => [r.account.id, r.currentRepId !== null, r.openOpportunities])).toEqual([
      ["hand,made,1", true, { count: 1, facts: [{ source: "reseller", reseller: "Comma, Channel" }] }],
      ["hand\\made\t2", true, { count: 1, facts: [{ source: "reseller", reseller: "Comma, Channel" }] }],
    ]);
    // Open opportunities: every one counted, and what the rules read of them (source, reseller).
    const open = await db.prisma.opportunity.findMany({ where: { isOpen: true } });
    expect(open.length).toBeGreaterThan(0);
    expect(bulk.reduce((n, r) => n + r.openOpportunities.count, 0)).toBe(open.length);
    for (const r of bulk) {
      const mine = open.filter((o) => o.accountId === r.account.id);
      expect(new Set(r.openOpportunities.facts.map((f) => `${f.source} ${f.reseller}`))).toEqual(
        new Set(mine.map((o) => `${o.source} ${o.reseller}`)),
      );
      expect(r.openOpportunities.facts.length).toBeLessThanOrEqual(mine.length);
    }
  });

  it("leaves out the facts a rule set does not read, the same by COPY as by query", async () => {
    const read = { domains: false, country: false, employees: false, icpFit: false };
    const readLean = async (client: typeof db.prisma) => {
      const rows: BookRow[] = [];
      await forEachBookPage(client, { pageSize: 5, read }, async (page) => {
        rows.push(...page);
      });
      return inCrmIdOrder(rows);
    };
    const bulk = await readLean(db.prisma);
    expect(bulk).toEqual(await throughQueries(readLean));
    for (const r of bulk) {
      expect(r.account).toMatchObject({ domains: [], country: null, employees: null, icpFit: null });
    }
    expect(bulk.map((r) => r.account.region)).toEqual(
      (await readAll(db.prisma)).map((r) => r.account.region),
    );
  });

  it("works out the same changes by COPY as by query, and writes them dated now", async () => {
    const now = new Date("2026-11-03T10:11:12.345Z");
    const dry = await throughQueries((tx) => reevaluateBook(tx, { now, actor: "test", dryRun: true }));
    const report = await reevaluateBook(db.prisma, { now, actor: "test" });
    expect(report).toEqual(dry);
    expect(report.changed).toBeGreaterThan(0);
    const opened = await db.prisma.ownership.findMany({ where: { effectiveFrom: now } });
    expect(opened).toHaveLength(report.changed);
    expect(await db.prisma.ownership.count({ where: { effectiveTo: now } })).toBeLessThanOrEqual(
      report.changed,
    );
    for (const o of opened) {
      expect(o.effectiveTo).toBeNull();
      expect(o.cause).toBe(o.repId === null ? "white_space" : "rule");
      const events = await db.prisma.auditEvent.findMany({
        where: { action: "ownership.assigned", subjectId: o.accountId, at: now },
      });
      expect(events).toHaveLength(1);
      expect(events[0]?.actor).toBe("test");
      expect(events[0]?.ruleId).toBe(o.ruleId);
      expect(events[0]?.details).toEqual({ repId: o.repId, reason: o.note });
    }
    // Each account has exactly one current owner afterwards.
    const current = await db.prisma.ownership.groupBy({
      by: ["accountId"],
      where: { effectiveTo: null },
      _count: true,
    });
    expect(current.every((c) => c._count === 1)).toBe(true);
    const again = await reevaluateBook(db.prisma, { now: new Date("2026-11-04T00:00:00Z"), actor: "test" });
    expect(again.changed).toBe(0);
  });
});

// COPY reads the book in the order the server stores it. Only a territory handing white space to the
// rep with the most room depends on what was assigned before; those verdicts are made last, in CRM-id
// order, so any stored order gives the same owners as the query path's sorted read.
describe.each(databaseKinds())("re-evaluation's order on %s", (kind) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    await importCompany(db.prisma, GUIDE_COMPANY, t0);
    if ((await db.prisma.rule.count()) === 0) await installDefaultRules(db.prisma, t0);
    // White space for NA Commercial (Lee 1.2, Pat 0.5, Dana 1.0 with two accounts), stored in the
    // reverse of CRM-id order: evaluated in stored order, the reps' turns would fall the other way.
    const {
      id: _,
      crmId: __,
      ...like
    } = await db.prisma.account.findFirstOrThrow({
      where: { crmId: "001GWHITE1" },
    });
    for (let i = 9; i >= 1; i--)
      await db.prisma.account.create({ data: { ...like, crmId: `001GZZ0${i}`, name: `Zinc ${i}` } });
    // Also stored against CRM-id order: white space no rule assigns, and white space with an open
    // deal (held: an account with open opportunities is not moved).
    for (let i = 3; i >= 1; i--) {
      await db.prisma.account.create({
        data: { ...like, crmId: `001GZX0${i}`, name: `Nowhere ${i}`, region: "Atlantis", industry: "Myth" },
      });
      const held = await db.prisma.account.create({
        data: { ...like, crmId: `001GZY0${i}`, name: `Dealing ${i}` },
      });
      await db.prisma.opportunity.create({
        data: {
          crmId: `OPP-GZY-${i}`,
          accountId: held.id,
          amount: 1000,
          stage: "Discovery",
          isOpen: true,
          source: "direct",
        },
      });
    }
  });
  afterAll(async () => db.drop());

  const run = async (client: typeof db.prisma) => {
    const changes: ReevaluatedChange[] = [];
    const report = await reevaluateBook(client, {
      now: t0,
      actor: "test",
      dryRun: true,
      onChange: (c) => changes.push(c),
    });
    return { report, changes: changes.sort((a, b) => (a.crmId < b.crmId ? -1 : 1)) };
  };

  it("gives white space the same reps whatever order the book is stored in", async () => {
    const stored: string[] = [];
    await forEachBookPage(db.prisma, {}, async (page) => {
      for (const r of page) if (r.account.crmId.startsWith("001GZZ")) stored.push(r.account.crmId);
    });
    expect(stored).toEqual([...stored].sort().reverse()); // the test's premise: stored against CRM order

    const bulk = await run(db.prisma);
    const sorted = await inTransaction(db.prisma, run, { dryRun: true });
    expect(bulk).toEqual(sorted);
    const turns = bulk.changes.filter((c) => c.crmId.startsWith("001GZZ")).map((c) => c.toRepId);
    expect(turns).toHaveLength(9);
    expect(new Set(turns).size).toBeGreaterThan(1);
    // Not a palindrome, or the reverse order would give the same owners and prove nothing.
    expect(turns).not.toEqual([...turns].reverse());
  });

  it("lists white space and held accounts by CRM id", async () => {
    const { report } = await run(db.prisma);
    const white = report.whiteSpace.map((w) => w.crmId);
    const held = report.held.map((h) => h.crmId);
    expect(white).toEqual(expect.arrayContaining(["001GZX01", "001GZX02", "001GZX03"]));
    expect(held).toEqual(expect.arrayContaining(["001GZY01", "001GZY02", "001GZY03"]));
    expect(white).toEqual([...white].sort());
    expect(held).toEqual([...held].sort());
  });
});

// On PostgreSQL, re-evaluation closes the owners of accounts a territory will hand to the rep with
// the most room while it still reads the book (db/ownership-bulk.ts, closeOwnersAhead). One whose
// move then turns out to wait for a later date keeps its owner: the very row it had, current again.
describe.runIf(databaseKinds().includes("postgres"))("a move closed ahead that waits for its date", () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await freshDatabase("postgres");
    await loadSampleData(db.prisma, t0);
  });
  afterAll(async () => db.drop());

  it("leaves the account its own ownership row and stores the move as pending", async () => {
    // An account without open deals, and a territory none of whose reps owns it.
    const owned = await db.prisma.ownership.findMany({
      where: {
        effectiveTo: null,
        repId: { not: null },
        account: { opportunities: { none: { isOpen: true } } },
      },
      orderBy: { accountId: "asc" },
    });
    const territories = await db.prisma.territory.findMany({
      include: { reps: true },
      orderBy: { name: "asc" },
    });
    let pick: { ownership: (typeof owned)[number]; territoryId: string } | undefined;
    for (const o of owned) {
      const t = territories.find((t) => t.reps.length > 0 && t.reps.every((r) => r.repId !== o.repId));
      if (t) {
        pick = { ownership: o, territoryId: t.id };
        break;
      }
    }
    if (!pick) throw new Error("the sample book should have an account outside some territory");
    const account = await db.prisma.account.findUniqueOrThrow({ where: { id: pick.ownership.accountId } });
    const added = await addRule(
      db.prisma,
      {
        id: "dated-territory-move",
        kind: "territory",
        matcher: { field: "account.crmId", op: "eq", value: account.crmId },
        outcome: { type: "territory", territoryId: pick.territoryId },
        priority: 1000,
        text: "Moves to the new territory in January",
        effectiveAt: new Date("2027-01-15T00:00:00Z"),
      },
      "admin",
      t0,
    );
    expect(added.ok).toBe(true);

    const report = await reevaluateBook(db.prisma, { now: new Date("2026-11-03T00:00:00Z"), actor: "test" });
    expect(report.scheduled).toBeGreaterThanOrEqual(1);
    const current = await db.prisma.ownership.findMany({
      where: { accountId: account.id, effectiveTo: null },
    });
    expect(current.map((o) => o.id)).toEqual([pick.ownership.id]);
    const pending = await db.prisma.pendingChange.findMany({ where: { accountId: account.id } });
    expect(pending.map((p) => p.effectiveAt.toISOString())).toEqual(["2027-01-15T00:00:00.000Z"]);
  });
});
