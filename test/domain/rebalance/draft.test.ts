import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type DraftAccount,
  type DraftInput,
  type DraftRep,
  draftRebalance,
} from "../../../src/domain/rebalance/draft.ts";

const CAPS = [0.5, 1, 1.2] as const;

/** Random books: reps with mixed capacity, accounts with indices 0–100 and owners among the reps. */
const arbBook = (opts: { locks: boolean; eligibility: boolean }) =>
  fc
    .record({
      caps: fc.array(fc.constantFrom(...CAPS), { minLength: 1, maxLength: 8 }),
      accounts: fc.array(
        fc.record({
          index: fc.integer({ min: 0, max: 100 }),
          owner: fc.nat(),
          locked: opts.locks ? fc.boolean() : fc.constant(false),
          eligible: opts.eligibility ? fc.array(fc.nat(), { minLength: 1, maxLength: 4 }) : fc.constant(null),
          unowned: fc.integer({ min: 0, max: 9 }),
        }),
        { maxLength: 80 },
      ),
    })
    .map(({ caps, accounts }): DraftInput => {
      const reps: DraftRep[] = caps.map((c, i) => ({ repId: `r${i}`, capacityWeight: c }));
      const acc: DraftAccount[] = accounts.map((a, i) => {
        const owner = `r${a.owner % caps.length}`;
        const eligible =
          a.eligible === null ? null : [...new Set([...a.eligible.map((e) => `r${e % caps.length}`)])];
        // Locked accounts always have an owner in the draft; some unlocked ones are white space.
        const currentOwnerRepId = !a.locked && a.unowned === 0 ? null : owner;
        return {
          accountId: `a${String(i).padStart(3, "0")}`,
          index: a.index,
          currentOwnerRepId,
          locked: a.locked,
          eligibleRepIds: eligible,
        };
      });
      return { accounts: acc, reps };
    });

function ownersAfter(
  input: DraftInput,
  moves: { accountId: string; toRepId: string }[],
): Map<string, string | null> {
  const owners = new Map(input.accounts.map((a) => [a.accountId, a.currentOwnerRepId]));
  for (const m of moves) owners.set(m.accountId, m.toRepId);
  return owners;
}

describe("draftRebalance fairness bound (open eligibility, nothing locked)", () => {
  it("ends within tolerance or with max − min ≤ max index ÷ min capacity", () => {
    fc.assert(
      fc.property(
        arbBook({ locks: false, eligibility: false }),
        fc.constantFrom(0, 0.03, 0.2),
        (input, tolerance) => {
          const res = draftRebalance(input, { tolerance });
          expect(res.ok).toBe(true);
          if (!res.ok) return;
          const maxIndex = Math.max(0, ...input.accounts.map((a) => a.index));
          const minCap = Math.min(...input.reps.map((r) => r.capacityWeight));
          const bound = maxIndex / minCap + 1e-9;
          expect(res.value.converged).toBe(true);
          expect(res.value.spread <= 1 + tolerance + 1e-12 || res.value.gap <= bound).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never makes the book less balanced than it was (gap, when everything could move)", () => {
    fc.assert(
      fc.property(arbBook({ locks: false, eligibility: false }), (input) => {
        const res = draftRebalance(input, { tolerance: 0 });
        if (!res.ok) throw new Error(res.error.message);
        const owned = input.accounts.every((a) => a.currentOwnerRepId !== null);
        const beforeGap =
          Math.max(...res.value.before.map((t) => t.adjustedTotal)) -
          Math.min(...res.value.before.map((t) => t.adjustedTotal));
        if (owned) expect(res.value.gap).toBeLessThanOrEqual(beforeGap + 1e-9);
      }),
      { numRuns: 200 },
    );
  });
});

describe("draftRebalance invariants on random books with locks and eligibility", () => {
  const modes = ["minimal-churn", "from-scratch"] as const;
  it.each(modes)("%s: locks hold, eligibility holds, nothing lost or duplicated, totals add up", (mode) => {
    fc.assert(
      fc.property(arbBook({ locks: true, eligibility: true }), (input) => {
        const res = draftRebalance(input, { mode });
        if (!res.ok) {
          // The only expected refusal for these books: white space nobody in the draft may own.
          expect(res.error.code).toBe("no_eligible_rep");
          return;
        }
        const { moves, after } = res.value;
        const byId = new Map(input.accounts.map((a) => [a.accountId, a]));
        expect(new Set(moves.map((m) => m.accountId)).size).toBe(moves.length);
        for (const m of moves) {
          const a = byId.get(m.accountId);
          expect(a).toBeDefined();
          expect(a?.locked).toBe(false);
          expect(m.fromRepId).toBe(a?.currentOwnerRepId);
          expect(m.toRepId).not.toBe(m.fromRepId);
          if (a?.eligibleRepIds) expect(a.eligibleRepIds).toContain(m.toRepId);
        }
        const owners = ownersAfter(input, moves);
        expect(owners.size).toBe(input.accounts.length);
        const count = new Map<string, number>();
        const total = new Map<string, number>();
        for (const a of input.accounts) {
          const o = owners.get(a.accountId);
          expect(o).not.toBeNull();
          count.set(o as string, (count.get(o as string) ?? 0) + 1);
          total.set(o as string, (total.get(o as string) ?? 0) + a.index);
        }
        for (const t of after) {
          expect(t.accountCount).toBe(count.get(t.repId) ?? 0);
          expect(t.indexTotal).toBeCloseTo(total.get(t.repId) ?? 0, 6);
        }
        expect(after.reduce((s, t) => s + t.accountCount, 0)).toBe(input.accounts.length);
      }),
      { numRuns: 300 },
    );
  });

  it("is deterministic and ignores the order accounts and reps are listed in", () => {
    fc.assert(
      fc.property(arbBook({ locks: true, eligibility: true }), (input) => {
        const a = draftRebalance(input);
        const b = draftRebalance({
          accounts: [...input.accounts].reverse(),
          reps: [...input.reps].reverse(),
        });
        expect(b).toEqual(a);
      }),
      { numRuns: 150 },
    );
  });

  it("moves nothing when the book is already within tolerance", () => {
    fc.assert(
      fc.property(arbBook({ locks: true, eligibility: true }), (input) => {
        const first = draftRebalance(input);
        if (!first.ok || !first.value.withinTolerance) return;
        const owners = ownersAfter(input, first.value.moves);
        const settled = {
          ...input,
          accounts: input.accounts.map((a) => ({ ...a, currentOwnerRepId: owners.get(a.accountId) ?? null })),
        };
        const second = draftRebalance(settled);
        expect(second.ok && second.value.moves).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});

describe("draftRebalance examples", () => {
  const rep = (repId: string, capacityWeight = 1): DraftRep => ({ repId, capacityWeight });
  const acc = (
    accountId: string,
    index: number,
    owner: string | null,
    extra: Partial<DraftAccount> = {},
  ): DraftAccount => ({
    accountId,
    index,
    currentOwnerRepId: owner,
    locked: false,
    eligibleRepIds: null,
    ...extra,
  });

  it("balances by capacity: a half-ramp rep ends with about half the index", () => {
    const accounts = Array.from({ length: 30 }, (_, i) => acc(`a${i}`, 10, "full"));
    const res = draftRebalance({ accounts, reps: [rep("full"), rep("half", 0.5)] }, { tolerance: 0 });
    expect(res.ok && res.value.after).toEqual([
      { repId: "full", capacityWeight: 1, indexTotal: 200, adjustedTotal: 200, accountCount: 20 },
      { repId: "half", capacityWeight: 0.5, indexTotal: 100, adjustedTotal: 200, accountCount: 10 },
    ]);
  });

  it("prefers one big move to many small ones", () => {
    const accounts = [
      acc("big", 60, "a"),
      ...Array.from({ length: 6 }, (_, i) => acc(`s${i}`, 10, "a")),
      acc("b1", 0, "b"),
    ];
    const res = draftRebalance({ accounts, reps: [rep("a"), rep("b")] }, { tolerance: 0 });
    expect(res.ok && res.value.moves.map((m) => m.accountId)).toEqual(["big"]);
  });

  it("moves white space and accounts whose owner is no longer eligible, with the reason", () => {
    const accounts = [
      acc("ws", 40, null),
      acc("gone", 30, "left-the-company"),
      acc("inel", 20, "a", { eligibleRepIds: ["b"] }),
      acc("keep", 50, "a", { locked: true, eligibleRepIds: ["b"] }),
    ];
    const res = draftRebalance({ accounts, reps: [rep("a"), rep("b")] }, { tolerance: 1 });
    if (!res.ok) throw new Error(res.error.message);
    const reasons = Object.fromEntries(res.value.moves.map((m) => [m.accountId, m.reason]));
    expect(reasons).toEqual({ ws: "unowned", gone: "owner_not_in_draft", inel: "owner_ineligible" });
    expect(res.value.moves.find((m) => m.accountId === "inel")?.toRepId).toBe("b");
  });

  it.each([
    [{ accounts: [], reps: [] }, "no_reps"],
    [{ accounts: [], reps: [rep("a", 0)] }, "invalid_capacity"],
    [{ accounts: [], reps: [rep("a"), rep("a")] }, "duplicate_rep"],
    [{ accounts: [acc("x", 1, "a"), acc("x", 1, "a")], reps: [rep("a")] }, "duplicate_account"],
    [{ accounts: [acc("x", -1, "a")], reps: [rep("a")] }, "invalid_index"],
    [{ accounts: [acc("x", 1, "zz", { locked: true })], reps: [rep("a")] }, "locked_owner_missing"],
    [{ accounts: [acc("x", 1, null, { eligibleRepIds: ["zz"] })], reps: [rep("a")] }, "no_eligible_rep"],
  ] as [DraftInput, string][])("refuses %j with %s", (input, code) => {
    const res = draftRebalance(input);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe(code);
  });
});
