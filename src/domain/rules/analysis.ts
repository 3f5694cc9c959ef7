// What adding a rule does to the rule set: rules that would hide it, rules it would hide, and rules
// it ties with. The implication check is sound and deliberately incomplete: when it says "A implies
// B" that holds for every possible account; exotic cases it cannot prove are simply not reported.

import type { Rep, Territory } from "../model.ts";
import { SIZE_BANDS } from "../model.ts";
import { identityGuard } from "./indexes.ts";
import type { Condition, Matcher, MatcherField, MatcherScalar } from "./matcher.ts";
import { FIELD_SPECS, finiteDomainOf, isAll, isAny, isCondition, isNot, specificity } from "./matcher.ts";
import { compareRules } from "./ordering.ts";
import type { Outcome, Rule } from "./rule.ts";
import { TIER_OF_KIND } from "./rule.ts";

// ---- value sets ---------------------------------------------------------------------------------

/** The non-null values a condition admits: any value, a finite list, or a numeric interval. */
type ValueSet =
  | { t: "all" }
  | { t: "finite"; values: Set<MatcherScalar> }
  | { t: "range"; lo: number; hi: number };

/**
 * One field's constraint. Single-valued fields: which values the account's value may take (null
 * included or not). Existential fields (domains, open opportunities): "some element lies in `set`",
 * or `none`, meaning no element has a value at all.
 */
type Atom =
  | { field: MatcherField; shape: "single"; nullOk: boolean; set: ValueSet }
  | { field: MatcherField; shape: "existential"; none: false; set: ValueSet }
  | { field: MatcherField; shape: "existential"; none: true };

const NUMERIC_FINITE: Partial<Record<MatcherField, readonly number[]>> = {
  "account.icpFit": [1, 2, 3, 4, 5],
};

function key(field: MatcherField, v: MatcherScalar): MatcherScalar {
  return field === "account.domain" && typeof v === "string" ? v.toLowerCase() : v;
}

function valueSetOf(c: Condition): ValueSet {
  const field = c.field;
  switch (c.op) {
    case "exists":
      return { t: "all" };
    case "eq":
      return { t: "finite", values: new Set([key(field, c.value)]) };
    case "in":
      return { t: "finite", values: new Set(c.value.map((v) => key(field, v))) };
    case "gte":
    case "lte": {
      if (FIELD_SPECS[field].type === "sizeBand") {
        const i = SIZE_BANDS.indexOf(c.value as (typeof SIZE_BANDS)[number]);
        const chosen = c.op === "gte" ? SIZE_BANDS.slice(i) : SIZE_BANDS.slice(0, i + 1);
        return { t: "finite", values: new Set(chosen) };
      }
      const n = Number(c.value);
      const range =
        c.op === "gte" ? { lo: n, hi: Number.POSITIVE_INFINITY } : { lo: Number.NEGATIVE_INFINITY, hi: n };
      const finite = NUMERIC_FINITE[field];
      if (finite !== undefined)
        return { t: "finite", values: new Set(finite.filter((x) => x >= range.lo && x <= range.hi)) };
      return { t: "range", ...range };
    }
  }
}

function isEmpty(s: ValueSet): boolean {
  return (s.t === "finite" && s.values.size === 0) || (s.t === "range" && s.lo > s.hi);
}

function subset(a: ValueSet, b: ValueSet): boolean {
  if (isEmpty(a) || b.t === "all") return true;
  if (a.t === "all") return false;
  if (a.t === "finite") {
    for (const v of a.values) {
      if (b.t === "finite" ? !b.values.has(v) : typeof v !== "number" || v < b.lo || v > b.hi) return false;
    }
    return true;
  }
  return b.t === "range" && a.lo >= b.lo && a.hi <= b.hi;
}

function intersect(a: ValueSet, b: ValueSet): ValueSet {
  if (a.t === "all") return b;
  if (b.t === "all") return a;
  if (a.t === "finite" || b.t === "finite") {
    const [fin, other] = a.t === "finite" ? [a, b] : [b as Extract<ValueSet, { t: "finite" }>, a];
    return {
      t: "finite",
      values: new Set([...fin.values].filter((v) => subset({ t: "finite", values: new Set([v]) }, other))),
    };
  }
  return { t: "range", lo: Math.max(a.lo, b.lo), hi: Math.min(a.hi, b.hi) };
}

function atomOfCondition(c: Condition): Atom {
  const shape = FIELD_SPECS[c.field].shape;
  if (shape === "existential") {
    if (c.op === "exists" && !c.value) return { field: c.field, shape, none: true };
    return { field: c.field, shape, none: false, set: valueSetOf(c) };
  }
  if (c.op === "exists" && !c.value)
    return { field: c.field, shape, nullOk: true, set: { t: "finite", values: new Set() } };
  return { field: c.field, shape, nullOk: false, set: valueSetOf(c) };
}

/** A condition, or a negated one when the complement is expressible; otherwise null. */
function atomOf(m: Matcher): Atom | null {
  if (isCondition(m)) return atomOfCondition(m);
  if (isNot(m) && isCondition(m.not)) {
    const inner = atomOfCondition(m.not);
    if (inner.shape === "existential") {
      // "not (no element has a value)" is "some element has a value"; other negations are not atoms.
      return inner.none ? { field: inner.field, shape: "existential", none: false, set: { t: "all" } } : null;
    }
    if (inner.set.t === "all")
      return { ...inner, nullOk: !inner.nullOk, set: { t: "finite", values: new Set() } };
    const domain = finiteDomainOf(inner.field);
    if (domain !== null && inner.set.t === "finite") {
      const excluded = inner.set.values;
      return {
        ...inner,
        nullOk: !inner.nullOk,
        set: { t: "finite", values: new Set(domain.filter((v) => !excluded.has(v))) },
      };
    }
    if (isEmpty(inner.set)) return { ...inner, nullOk: !inner.nullOk, set: { t: "all" } };
  }
  return null;
}

function atomImplies(a: Atom, b: Atom): boolean {
  if (a.field !== b.field) return false;
  if (a.shape === "single" && b.shape === "single") return (!a.nullOk || b.nullOk) && subset(a.set, b.set);
  if (a.shape === "existential" && b.shape === "existential") {
    if (a.none || b.none) return a.none && b.none;
    return subset(a.set, b.set);
  }
  return false;
}

function atomsDisjoint(a: Atom, b: Atom): boolean {
  if (a.field !== b.field) return false;
  if (a.shape === "single" && b.shape === "single")
    return !(a.nullOk && b.nullOk) && isEmpty(intersect(a.set, b.set));
  if (a.shape === "existential" && b.shape === "existential") {
    // Two "some element" conditions can be met by different elements, so only "none" excludes.
    if (a.none && !b.none) return true;
    if (b.none && !a.none) return true;
  }
  return false;
}

/** The conjunction of an `all`'s direct single-valued conditions on one field, as one atom. */
function conjunctionAtom(m: { all: Matcher[] }, field: MatcherField): Atom | null {
  let acc: Atom | null = null;
  for (const child of m.all) {
    const a = atomOf(child);
    if (a === null || a.field !== field || a.shape !== "single") continue;
    acc =
      acc === null || acc.shape !== "single"
        ? a
        : { field, shape: "single", nullOk: acc.nullOk && a.nullOk, set: intersect(acc.set, a.set) };
  }
  return acc;
}

/** The disjunction of single-valued conditions on one field, when their value sets can be united. */
function disjunctionAtom(m: { any: Matcher[] }): Atom | null {
  let acc: Extract<Atom, { shape: "single" }> | null = null;
  for (const child of m.any) {
    const a = atomOf(child);
    if (a === null || a.shape !== "single" || (acc !== null && a.field !== acc.field)) return null;
    if (acc === null) {
      acc = a;
      continue;
    }
    const set = union(acc.set, a.set);
    if (set === null) return null;
    acc = { field: a.field, shape: "single", nullOk: acc.nullOk || a.nullOk, set };
  }
  return acc;
}

function union(a: ValueSet, b: ValueSet): ValueSet | null {
  if (a.t === "all" || b.t === "all") return { t: "all" };
  if (isEmpty(a)) return b;
  if (isEmpty(b)) return a;
  if (a.t === "finite" && b.t === "finite")
    return { t: "finite", values: new Set([...a.values, ...b.values]) };
  return null;
}

// ---- implication --------------------------------------------------------------------------------

/** True only when every account matching `a` also matches `b`. */
export function matcherImplies(a: Matcher, b: Matcher): boolean {
  if (isAll(b)) return b.all.every((c) => matcherImplies(a, c));
  if (isAny(a)) return a.any.every((c) => matcherImplies(c, b));
  if (isAll(a) && a.all.some((c) => matcherImplies(c, b))) return true;
  if (isAny(b) && b.any.some((c) => matcherImplies(a, c))) return true;
  if (isNot(b) && matchersDisjoint(a, b.not)) return true;
  const B = atomOf(b) ?? (isAny(b) ? disjunctionAtom(b) : null);
  if (B === null) return false;
  const A = atomOf(a) ?? (isAll(a) && B.shape === "single" ? conjunctionAtom(a, B.field) : null);
  return A !== null && atomImplies(A, B);
}

/** True only when no account can match both. */
export function matchersDisjoint(a: Matcher, b: Matcher): boolean {
  if (isAny(a)) return a.any.every((c) => matchersDisjoint(c, b));
  if (isAny(b)) return b.any.every((c) => matchersDisjoint(a, c));
  if (isAll(a) && a.all.some((c) => matchersDisjoint(c, b))) return true;
  if (isAll(b) && b.all.some((c) => matchersDisjoint(a, c))) return true;
  if (isNot(a) && matcherImplies(b, a.not)) return true;
  if (isNot(b) && matcherImplies(a, b.not)) return true;
  const A = atomOf(a);
  const B = atomOf(b);
  if (A !== null && B !== null) return atomsDisjoint(A, B);
  if (isAll(a) && B?.shape === "single") {
    const C = conjunctionAtom(a, B.field);
    return C !== null && atomsDisjoint(C, B);
  }
  if (isAll(b) && A?.shape === "single") {
    const C = conjunctionAtom(b, A.field);
    return C !== null && atomsDisjoint(A, C);
  }
  return false;
}

// ---- rule analysis ------------------------------------------------------------------------------

export type RuleAnalysis = { shadowedBy: Rule[]; shadows: Rule[]; conflicts: Rule[] };

/** Optional staffing, so a rule whose rep or territory is unstaffed today is not counted as blocking. */
export type AnalysisContext = { reps: readonly Rep[]; territories: readonly Territory[] };

function sameOutcome(a: Rule, b: Rule): boolean {
  if (a.kind === "overlap" || b.kind === "overlap")
    return a.kind === b.kind && a.overlap?.type === b.overlap?.type;
  return outcomeKey(a.outcome) === outcomeKey(b.outcome);
}

function outcomeKey(o: Outcome): string {
  return o.type === "rep" ? `rep:${o.repId}` : o.type === "territory" ? `territory:${o.territoryId}` : "keep";
}

/**
 * Whether a rule fires every time it matches. Overlap and keep-current rules depend on the account's
 * owner and parent, so they never count; rep and territory outcomes count when staffed (assumed so
 * without a context).
 */
function alwaysApplies(rule: Rule, context: AnalysisContext | undefined): boolean {
  if (rule.kind === "overlap") return false;
  const o = rule.outcome;
  if (o.type === "keep_current") return false;
  if (context === undefined) return true;
  const staffed = staffedIndex(context);
  return o.type === "rep" ? staffed.reps.has(o.repId) : staffed.territories.has(o.territoryId);
}

/** Active reps and staffed territories as sets, built once per context (a file may hold 10,000 rules). */
const staffedCache = new WeakMap<AnalysisContext, { reps: Set<string>; territories: Set<string> }>();
function staffedIndex(context: AnalysisContext) {
  let hit = staffedCache.get(context);
  if (hit === undefined) {
    const known = new Set(context.territories.map((t) => t.id));
    const reps = new Set(context.reps.filter((r) => r.active).map((r) => r.id));
    const territories = new Set(
      context.reps.filter((r) => r.active).flatMap((r) => r.territoryIds.filter((t) => known.has(t))),
    );
    hit = { reps, territories };
    staffedCache.set(context, hit);
  }
  return hit;
}

export function analyzeNewRule(
  newRule: Rule,
  existing: readonly Rule[],
  context?: AnalysisContext,
): RuleAnalysis {
  const result: RuleAnalysis = { shadowedBy: [], shadows: [], conflicts: [] };
  if (!newRule.active) return result;
  const newSpec = specificity(newRule.matcher);
  for (const other of existing) {
    if (!other.active || other.id === newRule.id) continue;
    const otherFirst = compareRules(other, newRule) < 0;
    if (otherFirst && alwaysApplies(other, context) && matcherImplies(newRule.matcher, other.matcher)) {
      result.shadowedBy.push(other);
    } else if (
      !otherFirst &&
      alwaysApplies(newRule, context) &&
      matcherImplies(other.matcher, newRule.matcher)
    ) {
      result.shadows.push(other);
    } else if (
      TIER_OF_KIND[other.kind] === TIER_OF_KIND[newRule.kind] &&
      specificity(other.matcher) === newSpec &&
      !sameOutcome(other, newRule) &&
      !matchersDisjoint(other.matcher, newRule.matcher)
    ) {
      result.conflicts.push(other);
    }
  }
  return result;
}

/**
 * Analyses a batch of new rules, each against the stored rules and the batch's earlier rules, as if
 * added one by one. Rules keyed to CRM ids or domains (the bulk of any large file) are only compared
 * with rules whose keys overlap and with unkeyed rules: two rules requiring disjoint CRM ids (or
 * disjoint domains) match no common account, so they can neither shadow nor conflict. That keeps a
 * 10,000-rule file near-linear instead of 50 million comparisons.
 */
export function analyzeNewRules(
  newRules: readonly Rule[],
  existing: readonly Rule[],
  context?: AnalysisContext,
): RuleAnalysis[] {
  const unkeyed: Rule[] = [];
  const byField = { crmId: new Map<string, Rule[]>(), domain: new Map<string, Rule[]>() };
  const keyed: Rule[] = [];
  const seq = new Map<Rule, number>();
  const add = (rule: Rule) => {
    if (!rule.active) return;
    seq.set(rule, seq.size);
    const guard = identityGuard(rule.matcher);
    if (guard === null) {
      unkeyed.push(rule);
      return;
    }
    keyed.push(rule);
    for (const key of new Set(guard.keys)) {
      const list = byField[guard.field].get(key) ?? [];
      list.push(rule);
      byField[guard.field].set(key, list);
    }
  };
  for (const rule of existing) add(rule);
  const out: RuleAnalysis[] = [];
  for (const rule of newRules) {
    const guard = identityGuard(rule.matcher);
    let candidates: Rule[];
    if (guard === null) {
      candidates = [...unkeyed, ...keyed];
    } else {
      const seen = new Set<Rule>();
      for (const key of guard.keys) for (const r of byField[guard.field].get(key) ?? []) seen.add(r);
      // A rule keyed to CRM ids is not compared with rules keyed only to domains (and the other way
      // round): neither can imply the other, and their specificities differ, so no report is lost
      // in practice, while comparing them would make a large file quadratic again.
      candidates = [...unkeyed, ...seen];
    }
    // Keep the stored order so reports list rules as analyzeNewRule would.
    candidates.sort((a, b) => (seq.get(a) ?? 0) - (seq.get(b) ?? 0));
    out.push(analyzeNewRule(rule, candidates, context));
    add(rule);
  }
  return out;
}
