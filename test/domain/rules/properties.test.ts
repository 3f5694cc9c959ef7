import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matcherImplies, matchersDisjoint } from "../../../src/domain/rules/analysis.ts";
import { compileRuleSet, evaluateOwnership } from "../../../src/domain/rules/engine.ts";
import { matches, parseMatcher } from "../../../src/domain/rules/matcher.ts";
import { parseRule } from "../../../src/domain/rules/rule.ts";
import { factsArb, matcherArb, ownerArb, repsArb, rulesArb, territoriesFixed } from "./arbitraries.ts";

describe("totality and determinism", () => {
  it("every account gets exactly one verdict, the same one twice, whatever order the rules arrive in", () => {
    fc.assert(
      fc.property(factsArb, rulesArb, repsArb, ownerArb, ownerArb, (facts, rules, reps, current, parent) => {
        const ctx = {
          rules,
          territories: territoriesFixed,
          reps,
          currentOwnerRepId: current,
          parentOwnerRepId: parent,
        };
        const v1 = evaluateOwnership(facts, ctx);
        const v2 = evaluateOwnership(facts, ctx);
        expect(v2).toEqual(v1);
        const shuffled = evaluateOwnership(facts, { ...ctx, rules: [...rules].reverse() });
        expect(shuffled).toEqual(v1);

        const fired = v1.trail.filter((t) => t.outcome === "fired");
        if (v1.owner === null) {
          expect(v1.rule).toBeNull();
          expect(fired).toHaveLength(0);
        } else {
          // The owner is always a known, active rep, decided by exactly one fired rule.
          expect(reps.find((r) => r.id === v1.owner?.repId)?.active).toBe(true);
          expect(fired.map((t) => t.rule)).toEqual([v1.rule]);
          expect(v1.trail.at(-1)?.outcome).toBe("fired");
        }
        expect(v1.reason.length).toBeGreaterThan(0);
        for (const t of v1.trail) expect(t.outcome === "not_matched").toBe(!matches(t.rule.matcher, facts));

        const set = compileRuleSet(rules, territoriesFixed, reps);
        // The trail walks the rules in precedence order and stops at the one that fired.
        const walked = set.ordered.slice(0, v1.trail.length).map((r) => r.id);
        expect(v1.trail.map((t) => t.rule.id)).toEqual(walked);
        if (v1.owner === null) expect(v1.trail).toHaveLength(set.ordered.length);
        // A territory is only reported when the owner actually belongs to it.
        if (v1.owner !== null && v1.territoryId !== null) {
          expect(reps.find((r) => r.id === v1.owner?.repId)?.territoryIds).toContain(v1.territoryId);
        }
        const fast = set.evaluate(facts, current, parent);
        expect(fast).toEqual({
          owner: v1.owner,
          territoryId: v1.territoryId,
          rule: v1.rule,
          effectiveAt: null,
          deferral: null,
        });
      }),
      { numRuns: 400 },
    );
  });

  it("every generated rule round-trips through JSON and parseRule", () => {
    fc.assert(
      fc.property(rulesArb, (rules) => {
        for (const r of rules) {
          const parsed = parseRule(JSON.parse(JSON.stringify(r)));
          expect(parsed).toEqual({ ok: true, value: r });
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("the implication check is sound", () => {
  it("when A implies B, every account matching A matches B", () => {
    let proved = 0;
    fc.assert(
      fc.property(
        matcherArb,
        matcherArb,
        fc.array(factsArb, { minLength: 20, maxLength: 20 }),
        (a, b, sample) => {
          expect(parseMatcher(a).ok && parseMatcher(b).ok).toBe(true);
          if (matcherImplies(a, b)) {
            proved++;
            for (const f of sample) if (matches(a, f)) expect(matches(b, f)).toBe(true);
          }
          if (matchersDisjoint(a, b))
            for (const f of sample) expect(matches(a, f) && matches(b, f)).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
    // Guards against a vacuous pass: the generator must produce provable pairs.
    expect(proved).toBeGreaterThan(20);
  });

  it("a matcher with its own conjunct always implies that conjunct", () => {
    fc.assert(
      fc.property(matcherArb, matcherArb, (a, b) => {
        expect(matcherImplies({ all: [a, b] }, a) || !matcherImplies(a, a)).toBe(true);
        expect(matcherImplies(a, { any: [b, a] }) || !matcherImplies(a, a)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
