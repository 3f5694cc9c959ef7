// Assignment inside a territory, from the guide's "Account allocation": accounts go to reps "using a
// round-robin draft that respects rep capacity" (1.0 full ramp, 0.5 half ramp, 1.2 over capacity),
// so each rep ends with a book in proportion to capacity. Managers carry no book unless also reps.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Rep } from "../../../src/domain/model.ts";
import { assignInTerritory, BookLoads, WatchedLoads } from "../../../src/domain/rules/assignment.ts";
import { compileRuleSet } from "../../../src/domain/rules/engine.ts";
import { territoryRuleFromTerritory } from "../../../src/domain/rules/rule.ts";
import { buildStaffing } from "../../../src/domain/rules/staffing.ts";
import { facts, rep, T0, territory } from "./fixtures.ts";

const na = territory("tNa", {
  name: "NA Commercial",
  model: "hybrid",
  regions: ["NA"],
  sizeBands: ["SMB", "MM"],
});
const dana = rep("z-dana", { name: "Dana Kim", territoryIds: ["tNa"], capacityWeight: 1.0 });
const pat = rep("a-pat", { name: "Pat Olsen", territoryIds: ["tNa"], capacityWeight: 0.5 });
const lee = rep("m-lee", { name: "Lee Park", territoryIds: ["tNa"], capacityWeight: 1.2 });
const mona = rep("0-mona", { name: "Mona Reyes", roles: ["manager"], territoryIds: ["tNa"] });
const rita = rep("0-rita", { name: "Rita Admin", roles: ["admin", "arbiter"], territoryIds: ["tNa"] });
const sam = rep("0-sam", {
  name: "Sam Lead",
  roles: ["rep", "manager"],
  territoryIds: ["tNa"],
  capacityWeight: 0.5,
});
const zero = rep("0-zed", { name: "Zed Zero", territoryIds: ["tNa"], capacityWeight: 0 });

const territoryRule = (() => {
  const r = territoryRuleFromTerritory(na, { id: "terr-na", by: "revops", at: T0 });
  if (!r.ok) throw new Error(r.error);
  return r.value;
})();

function pick(reps: Rep[], loads: Record<string, number>, current: string | null = null) {
  const staffing = buildStaffing([na], reps);
  return assignInTerritory(na, staffing.bookReps("tNa"), current, { accountsOf: (id) => loads[id] ?? 0 });
}

describe("assignment inside a territory", () => {
  it("gives the account to the rep with the most room for their capacity, and says so", () => {
    // Dana 2 / 1.0 = 2, Pat 1 / 0.5 = 2, Lee 3 / 1.2 = 2.5: Dana and Pat tie on room; the larger capacity wins.
    const p = pick([dana, pat, lee, mona, rita], { "z-dana": 2, "a-pat": 1, "m-lee": 3 });
    expect(p?.rep.name).toBe("Dana Kim");
    expect(p?.note()).toBe(
      "NA Commercial has 3 reps; Dana Kim had the most room for their capacity 1.0 (2 accounts held)",
    );
  });

  it("never hands accounts to managers or admins, nor to a rep with no capacity; a manager who is also a rep counts", () => {
    expect(pick([mona, rita, zero], {})).toBeNull();
    expect(pick([mona, rita, zero, sam], {})?.rep.name).toBe("Sam Lead");
    // An empty manager is not "the most room".
    expect(pick([mona, dana], { "z-dana": 50 })?.rep.name).toBe("Dana Kim");
  });

  it("keeps the current owner when they carry a book in the territory (no reshuffle)", () => {
    expect(pick([dana, pat, lee], { "z-dana": 90 }, "z-dana")?.rep.name).toBe("Dana Kim");
    // A manager who owns it from the CRM is not kept: the book goes to a rep.
    expect(pick([dana, pat, mona], {}, "0-mona")?.rep.name).not.toBe("Mona Reyes");
  });

  it("depends on names and capacities, never on rep ids or input order", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([dana, pat, lee], { minLength: 3 }), fc.uuid(), (order, salt) => {
        const renamed = order.map((r) => ({ ...r, id: `${salt}-${r.name}` }));
        const p = pick(renamed, {});
        expect(p?.rep.name).toBe("Lee Park");
      }),
      { numRuns: 50 },
    );
  });

  it("a book of white space ends in proportion to capacity, the same way every time", () => {
    const set = compileRuleSet([territoryRule], [na], [dana, pat, lee, mona]);
    const run = () => {
      const loads = new BookLoads();
      const owners: string[] = [];
      for (let i = 0; i < 27; i++) {
        const v = set.evaluate(facts({ crmId: `001N${i}`, region: "NA", sizeBand: "SMB" }), null, null, {
          loads,
        });
        const owner = v.owner?.repId ?? "none";
        owners.push(owner);
        loads.move(null, owner);
      }
      return { owners, loads };
    };
    const { owners, loads } = run();
    expect(run().owners).toEqual(owners);
    expect(owners).not.toContain("0-mona");
    // 27 accounts over capacity 2.7: 10 per unit of capacity.
    expect([loads.accountsOf("z-dana"), loads.accountsOf("a-pat"), loads.accountsOf("m-lee")]).toEqual([
      10, 5, 12,
    ]);
  });

  it("the explanation names the choice in the trail", () => {
    const set = compileRuleSet([territoryRule], [na], [dana, pat, lee, mona]);
    const v = set.explain(facts({ name: "Cobalt Labs", region: "NA", sizeBand: "SMB" }), null, null, {
      loads: { accountsOf: (id) => (id === "z-dana" ? 2 : 0) },
    });
    expect(v.reason).toBe(
      'Lee Park owns Cobalt Labs by the territory rule "Accounts matching the hybrid criteria of territory NA Commercial": NA Commercial has 3 reps; Lee Park had the most room for their capacity 1.2 (0 accounts held).',
    );
  });
});

describe("book loads", () => {
  it("pick the rep with the most room as the scan does, however accounts move between picks", () => {
    // Capacities and counts from small sets, so ratios, capacities and both together often tie.
    const capacities = [0.5, 1, 1.2, 2];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...capacities), { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(12), fc.nat(12), fc.nat(3)), { maxLength: 60 }),
        (weights, steps) => {
          const reps = weights.map((capacityWeight, i) =>
            rep(`r${i}`, { name: `Rep ${String(i).padStart(2, "0")}`, territoryIds: ["t"], capacityWeight }),
          );
          // Reps the loads hold accounts of, beyond the territory's: moves from and to them too.
          const ids = [...reps.map((r) => r.id), "elsewhere", null];
          const ordered = BookLoads.fromOwners(reps.flatMap((r, i) => Array<string>(i % 3).fill(r.id)));
          const scanned = BookLoads.fromOwners(reps.flatMap((r, i) => Array<string>(i % 3).fill(r.id)));
          // The scan: loads without an order (only accountsOf), as assignInTerritory weighs them.
          const plain = { accountsOf: (id: string) => scanned.accountsOf(id) };
          const t = territory("t", { name: "T" });
          for (const [from, to, picks] of steps) {
            const a = ids[from % ids.length] ?? null;
            const b = ids[to % ids.length] ?? null;
            ordered.move(a, b);
            scanned.move(a, b);
            for (let k = 0; k < picks; k++) {
              const expected = assignInTerritory(t, reps, null, plain)?.rep.id;
              expect(assignInTerritory(t, reps, null, ordered)?.rep.id).toBe(expected);
              // The pick itself moves an account to the chosen rep, as re-evaluation does.
              ordered.move(null, expected ?? null);
              scanned.move(null, expected ?? null);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a probe stops at the first read of the loads, where a real pick weighs every rep", () => {
    const reps = buildStaffing([na], [dana, pat, lee]).bookReps("tNa");
    const reads: string[] = [];
    const counting = (probing: boolean) => ({
      probing,
      accountsOf: (id: string) => {
        reads.push(id);
        return 0;
      },
    });
    expect(assignInTerritory(na, reps, null, counting(true))).not.toBeNull();
    expect(reads).toHaveLength(1);
    reads.length = 0;
    expect(assignInTerritory(na, reps, null, counting(false))?.rep.id).toBe("m-lee");
    expect(new Set(reads)).toEqual(new Set(["a-pat", "m-lee", "z-dana"]));
    // Re-evaluation's watched loads: a probe notes that the verdict read them.
    const watched = new WatchedLoads(new BookLoads());
    watched.probing = true;
    assignInTerritory(na, reps, null, watched);
    expect(watched.read).toBe(true);
  });

  it("counts the same from how many accounts each rep owns as from one owner per account", () => {
    const owners = ["a", "b", null, "a", "c", "a", null];
    const counted = BookLoads.fromCounts([
      { repId: "a", accounts: 2 },
      { repId: "b", accounts: 1 },
      { repId: null, accounts: 2 },
      { repId: "c", accounts: 1 },
      { repId: "a", accounts: 1 },
    ]);
    const listed = BookLoads.fromOwners(owners);
    for (const repId of ["a", "b", "c", "d"])
      expect(counted.accountsOf(repId)).toBe(listed.accountsOf(repId));
    expect(counted.accountsOf("a")).toBe(3);
  });
});
