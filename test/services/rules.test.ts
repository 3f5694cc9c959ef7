import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reevaluateBook } from "../../src/services/ownership/reevaluate-book.ts";
import { whyOwner } from "../../src/services/ownership/why-owner.ts";
import { addRule, disableRule } from "../../src/services/rules/add-rule.ts";
import { addRulesFromFile } from "../../src/services/rules/rule-file-import.ts";
import { loadSampleData } from "../../src/services/sample-data.ts";
import { databaseKinds, freshDatabase, type TestDatabase } from "../support/databases.ts";

const t0 = new Date("2026-11-02T09:00:00Z");

describe.each(databaseKinds())("rules and re-evaluation on %s", (kind) => {
  let db: TestDatabase;
  const accountId = async (crmId: string) =>
    (await db.prisma.account.findUniqueOrThrow({ where: { crmId } })).id;
  const repId = async (email: string) => (await db.prisma.rep.findUniqueOrThrow({ where: { email } })).id;
  const owner = async (crmId: string) =>
    (await db.prisma.ownership.findFirst({ where: { account: { crmId }, effectiveTo: null } }))?.repId ??
    null;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    await loadSampleData(db.prisma, t0);
  });
  afterAll(async () => db.drop());

  it("starts with a territory rule per territory, the named list and the three overlap rules", async () => {
    const ids = (await db.prisma.rule.findMany({ select: { id: true } })).map((r) => r.id).sort();
    expect(ids).toEqual(
      expect.arrayContaining([
        "named-accounts",
        "overlap-international-expansion",
        "overlap-parent-subsidiary",
        "overlap-reseller-channel",
        "territory-emea",
      ]),
    );
  });

  it("re-evaluation writes history only where the owner changes, holds accounts with open deals, and is idempotent", async () => {
    const before = await db.prisma.ownership.count();
    const first = await reevaluateBook(db.prisma, { now: new Date("2026-11-03T00:00:00Z"), actor: "test" });
    expect(first.evaluated).toBe(await db.prisma.account.count());
    expect(first.changed + first.unchanged + first.held.length).toBe(first.evaluated);
    expect(await db.prisma.ownership.count()).toBe(before + first.changed);
    expect(await db.prisma.auditEvent.count({ where: { action: "ownership.assigned" } })).toBe(first.changed);
    for (const h of first.held) {
      expect(h.openOpportunities).toBeGreaterThan(0);
      // Held means untouched: the owner is still the one it had.
      expect(await owner(h.crmId)).toBe(h.currentRepId);
    }
    const second = await reevaluateBook(db.prisma, { now: new Date("2026-11-04T00:00:00Z"), actor: "test" });
    expect(second.changed).toBe(0);
  });

  it("a decision rule outranks every other rule, and disabling it hands the account back", async () => {
    const globexDe = await accountId("001000000000GLOBDE");
    const hannah = await repId("hannah@turf-demo.example");
    // Globex Deutschland has an open deal, so re-evaluation would hold it; close them for this case.
    await db.prisma.opportunity.updateMany({ where: { accountId: globexDe }, data: { isOpen: false } });
    const added = await addRule(
      db.prisma,
      {
        id: "decision-globex-de",
        kind: "decision",
        matcher: { field: "account.crmId", op: "eq", value: "001000000000GLOBDE" },
        outcome: { type: "rep", repId: hannah },
        text: "Globex Deutschland is worked by the EMEA team",
      },
      "arbiter",
      new Date("2026-11-05T00:00:00Z"),
    );
    expect(added.ok).toBe(true);
    const report = await reevaluateBook(db.prisma, {
      now: new Date("2026-11-05T01:00:00Z"),
      actor: "test",
      accountIds: [globexDe],
    });
    expect(report.changed).toBe(1);
    expect(await owner("001000000000GLOBDE")).toBe(hannah);
    const why = await whyOwner(db.prisma, globexDe);
    expect(why?.card.rule?.text).toBe("Globex Deutschland is worked by the EMEA team");
    expect(why?.verdict.trail[0]?.outcome).toBe("fired");
    expect(
      await disableRule(db.prisma, "decision-globex-de", "admin", new Date("2026-11-06T00:00:00Z")),
    ).toEqual({ ok: true });
    expect(
      await disableRule(db.prisma, "decision-globex-de", "admin", new Date("2026-11-06T00:00:00Z")),
    ).toEqual({ ok: false, error: "rule decision-globex-de is already disabled" });
    // Without the decision, the German subsidiary of a US parent is an international expansion with
    // no separate team (EMEA covers every size band), so the parent's rep keeps it — also when only
    // this one account is re-evaluated.
    const after = await whyOwner(db.prisma, globexDe);
    expect(after?.verdict.rule?.id).toBe("overlap-international-expansion");
    expect(after?.verdict.trail.some((t) => t.rule.id === "decision-globex-de")).toBe(false);
    await reevaluateBook(db.prisma, {
      now: new Date("2026-11-06T01:00:00Z"),
      actor: "test",
      accountIds: [globexDe],
    });
    expect(await owner("001000000000GLOBDE")).toBe(await owner("001000000000GLOBEX"));
  });

  it("a rule file resolves reps by e-mail and territories by name, and is all-or-nothing", async () => {
    const file = `
rules:
  - id: manual-acme-emea
    kind: manual
    matcher: { field: account.domain, op: eq, value: globex.de }
    outcome: { type: rep, rep: hannah@turf-demo.example }
    text: Globex Deutschland goes to Hannah by hand
  - id: bad-one
    kind: territory
    matcher: { field: account.regoin, op: eq, value: EMEA }
    outcome: { type: territory, territory: Atlantis }
    text: broken
`;
    const bad = await addRulesFromFile(db.prisma, file, "admin", t0);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors).toEqual(["rules[1].outcome.territory: no territory named Atlantis"]);
    expect(await db.prisma.rule.count({ where: { id: "manual-acme-emea" } })).toBe(0);

    const good = file.split("  - id: bad-one")[0] as string;
    const added = await addRulesFromFile(db.prisma, good, "admin", t0);
    expect(added.ok && added.added.map((a) => a.id)).toEqual(["manual-acme-emea"]);
    const again = await addRulesFromFile(db.prisma, good, "admin", t0);
    expect(again).toEqual({ ok: true, added: [], unchanged: ["manual-acme-emea"] });
  });

  it("names the bad field of a rule in plain words", async () => {
    const result = await addRulesFromFile(
      db.prisma,
      "- id: typo\n  kind: territory\n  matcher: { field: account.regoin, op: eq, value: EMEA }\n  outcome: { type: keep_current }\n  text: t\n",
      "admin",
      t0,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.join("\n")).toMatch(/rules\[0\]\.matcher.*account\.regoin.*not a known field/);
  });

  it("reports a rule that another always decides first", async () => {
    const result = await addRule(
      db.prisma,
      {
        id: "named-shadowed",
        kind: "territory",
        matcher: { field: "account.crmId", op: "eq", value: "001000000000GLOBEX" },
        outcome: { type: "keep_current" },
        text: "t",
      },
      "admin",
      t0,
    );
    expect(result.ok).toBe(true);
    const audit = await db.prisma.auditEvent.findFirst({
      where: { action: "rule.added", subjectId: "named-shadowed" },
    });
    expect(audit).not.toBeNull();
  });
});

describe("re-evaluation settles", () => {
  it("a second run over a generated book with subsidiaries across regions changes nothing", async () => {
    const { bulkLoadBook } = await import("../../bench/bulk-load.ts");
    const db = await freshDatabase("embedded");
    try {
      await bulkLoadBook(db.prisma, { accounts: 3000, reps: 40, seed: 7 }, new Date("2026-11-01T00:00:00Z"));
      const first = await reevaluateBook(db.prisma, { now: new Date("2026-11-02T00:00:00Z"), actor: "test" });
      expect(first.changed).toBeGreaterThan(0);
      // The book holds all three overlap cases: expansions and subsidiaries decided by their rules,
      // and reseller deals on owned accounts (kept by the reseller rule, so they write no history).
      const decidedBy = async (ruleId: string) =>
        db.prisma.ownership.count({ where: { ruleId, effectiveTo: null } });
      expect(await decidedBy("overlap-international-expansion")).toBeGreaterThan(0);
      expect(await decidedBy("overlap-parent-subsidiary")).toBeGreaterThan(0);
      expect(
        await db.prisma.opportunity.count({
          where: {
            isOpen: true,
            source: "reseller",
            account: { ownerships: { some: { effectiveTo: null, repId: { not: null } } } },
          },
        }),
      ).toBeGreaterThan(0);
      const second = await reevaluateBook(db.prisma, {
        now: new Date("2026-11-03T00:00:00Z"),
        actor: "test",
      });
      expect(second.changed).toBe(0);
    } finally {
      await db.drop();
    }
  }, 120_000);
});
