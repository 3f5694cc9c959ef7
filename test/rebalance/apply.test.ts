import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyDueRebalances, holdReason } from "../../src/services/rebalance/apply-rebalance.ts";
import { previewRebalance, previewStructuralChange } from "../../src/services/rebalance/preview-rebalance.ts";
import { publishRebalance } from "../../src/services/rebalance/publish-rebalance.ts";
import { loadSampleData } from "../../src/services/sample-data.ts";
import { databaseKinds, freshDatabase, type TestDatabase } from "../support/databases.ts";

const PREVIEWED = new Date("2026-11-02T09:00:00Z");
const EFFECTIVE = new Date("2027-01-01T00:00:00Z");

describe("holdReason", () => {
  const factors = {
    icpFit: { raw: 4, points: 40 },
    sizeBand: { raw: "MM", points: 20 },
    openOpportunities: { raw: 0, band: "cold", points: 0 },
    fromCapacityWeight: 1,
    toCapacityWeight: 1,
    reason: "balance",
    locked: false,
    named: false,
  };
  it.each([
    [{ ownerRepId: "a", openOpportunities: 0, named: false }, null],
    [{ ownerRepId: "a", openOpportunities: 1, named: false }, "gained an open opportunity since the preview"],
    [{ ownerRepId: "a", openOpportunities: 0, named: true }, "became a named account since the preview"],
    [{ ownerRepId: "b", openOpportunities: 0, named: false }, "changed owner since the preview"],
    [{ ownerRepId: null, openOpportunities: 0, named: false }, "changed owner since the preview"],
  ])("%o → %s", (now, expected) => {
    expect(holdReason({ fromRepId: "a", factors }, now)).toBe(expected);
  });
});

describe.each(databaseKinds())("applying a published rebalance on its effective date (%s)", (kind) => {
  let db: TestDatabase;
  let rebalanceId: string;
  let heldAccountId: string;
  let moveCount: number;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    await loadSampleData(db.prisma, PREVIEWED);
    const preview = await previewRebalance(db.prisma, { now: PREVIEWED, actor: "test" });
    if (!preview.ok) throw new Error(preview.error.message);
    rebalanceId = preview.value.id;
    moveCount = preview.value.moves.length;
    expect(moveCount).toBeGreaterThan(2);
    heldAccountId = (preview.value.moves[1] ?? preview.value.moves[0])?.accountId as string;
  });
  afterAll(async () => db.drop());

  it("applies nothing while the rebalance is still a draft, even after its effective date", async () => {
    const report = await applyDueRebalances(db.prisma, { now: new Date("2027-01-05T00:00:00Z") });
    expect(report).toEqual({ rebalances: 0, applied: 0, held: 0, completed: [] });
    expect(await db.prisma.ownership.count({ where: { cause: "rebalance" } })).toBe(0);
  });

  it("applies nothing before the effective date once published", async () => {
    const published = await publishRebalance(db.prisma, {
      rebalanceId,
      actor: "U0Y76WBST3V",
      now: PREVIEWED,
      channel: "C0REBALANC1",
    });
    expect(published.ok && published.value.published).toBe(true);
    const report = await applyDueRebalances(db.prisma, { now: new Date(EFFECTIVE.getTime() - 1) });
    expect(report.applied).toBe(0);
    expect(await db.prisma.ownership.count({ where: { cause: "rebalance" } })).toBe(0);
  });

  it("on the effective date applies every move to ownership history, holding the account that gained an open opportunity", async () => {
    const move = await db.prisma.rebalanceMove.findFirstOrThrow({
      where: { rebalanceId, accountId: heldAccountId },
    });
    await db.prisma.opportunity.create({
      data: {
        crmId: "006NEWDEAL000000001",
        accountId: heldAccountId,
        ownerRepId: move.fromRepId,
        amount: 50_000,
        stage: "Discovery",
        isOpen: true,
      },
    });
    const report = await applyDueRebalances(db.prisma, { now: EFFECTIVE });
    expect(report).toEqual({ rebalances: 1, applied: moveCount - 1, held: 1, completed: [rebalanceId] });

    const held = await db.prisma.rebalanceMove.findFirstOrThrow({
      where: { rebalanceId, accountId: heldAccountId },
    });
    expect(held.heldReason).toBe("gained an open opportunity since the preview");
    expect(held.appliedAt).toBeNull();
    const heldOwner = await db.prisma.ownership.findFirstOrThrow({
      where: { accountId: heldAccountId, effectiveTo: null },
    });
    expect(heldOwner.repId).toBe(move.fromRepId);

    const applied = await db.prisma.rebalanceMove.findMany({
      where: { rebalanceId, appliedAt: { not: null } },
    });
    expect(applied).toHaveLength(moveCount - 1);
    for (const m of applied) {
      const current = await db.prisma.ownership.findFirstOrThrow({
        where: { accountId: m.accountId, effectiveTo: null },
      });
      expect(current).toMatchObject({
        repId: m.toRepId,
        cause: "rebalance",
        causeRef: rebalanceId,
        effectiveFrom: EFFECTIVE,
      });
      const previous = await db.prisma.ownership.findFirstOrThrow({
        where: { accountId: m.accountId, effectiveTo: EFFECTIVE },
      });
      expect(previous.repId).toBe(m.fromRepId);
    }
    const stored = await db.prisma.rebalance.findUniqueOrThrow({ where: { id: rebalanceId } });
    expect(stored.status).toBe("applied");
    expect(await db.prisma.auditEvent.count({ where: { action: "rebalance.move_applied" } })).toBe(
      moveCount - 1,
    );
    expect(await db.prisma.auditEvent.count({ where: { action: "rebalance.move_held" } })).toBe(1);
  });

  it("a later sweep (restart, second instance) changes nothing", async () => {
    const rows = await db.prisma.ownership.count();
    const report = await applyDueRebalances(db.prisma, { now: new Date("2027-01-02T00:00:00Z") });
    expect(report).toEqual({ rebalances: 0, applied: 0, held: 0, completed: [] });
    expect(await db.prisma.ownership.count()).toBe(rows);
  });

  it("two sweeps racing apply each move exactly once", async () => {
    // A structural leaver takes effect at once: a fresh set of moves to race over.
    const alex = await db.prisma.rep.findUniqueOrThrow({ where: { email: "alex@turf-demo.example" } });
    const now = new Date("2027-02-10T10:00:00Z");
    const leaver = await previewStructuralChange(db.prisma, {
      change: { kind: "leaver", repId: alex.id },
      now,
      actor: "test",
    });
    if (!leaver.ok) throw new Error(leaver.error.message);
    expect(leaver.value.effectiveFrom).toEqual(now);
    expect(leaver.value.moves.length).toBeGreaterThan(10);
    expect(leaver.value.moves.every((m) => m.fromRepId === alex.id)).toBe(true);
    await publishRebalance(db.prisma, {
      rebalanceId: leaver.value.id,
      actor: "test",
      now,
      channel: "C0REBALANC1",
    });
    const rowsBefore = await db.prisma.ownership.count({ where: { causeRef: leaver.value.id } });
    const [a, b] = await Promise.all([
      applyDueRebalances(db.prisma, { now }),
      applyDueRebalances(db.prisma, { now }),
    ]);
    expect(a.applied + b.applied + a.held + b.held).toBe(leaver.value.moves.length);
    expect(rowsBefore).toBe(0);
    expect(await db.prisma.ownership.count({ where: { causeRef: leaver.value.id } })).toBe(
      a.applied + b.applied,
    );
    expect(await db.prisma.ownership.count({ where: { repId: alex.id, effectiveTo: null } })).toBe(0);
  });
});
