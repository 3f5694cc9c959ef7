// The order rules are tried in. Precedence tiers come from design.md; inside the overlap tier the
// guide's own reading order decides (reseller channel, then international expansion, then
// parent/subsidiary), because "a foreign-region subsidiary is an expansion first" is a statement
// about the kinds of overlap, not about how specific an admin happened to write a matcher.

import { specificity } from "./matcher.ts";
import type { OverlapType, Rule } from "./rule.ts";
import { TIER_OF_KIND } from "./rule.ts";

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * International expansion is asked before parent/subsidiary: a subsidiary in a region its parent's
 * rep does not cover is an expansion (the guide's rule one); every other subsidiary follows its
 * parent. Reseller protection comes first since it only ever keeps the direct rep.
 */
export const OVERLAP_ORDER: Record<OverlapType, number> = {
  reseller_channel: 0,
  international_expansion: 1,
  parent_subsidiary: 2,
};

function overlapRank(rule: Rule): number {
  return rule.overlap === undefined ? 0 : OVERLAP_ORDER[rule.overlap.type];
}

function compareKeyed(a: { rule: Rule; spec: number }, b: { rule: Rule; spec: number }): number {
  return (
    TIER_OF_KIND[a.rule.kind] - TIER_OF_KIND[b.rule.kind] ||
    overlapRank(a.rule) - overlapRank(b.rule) ||
    b.spec - a.spec ||
    b.rule.priority - a.rule.priority ||
    a.rule.createdAt.getTime() - b.rule.createdAt.getTime() ||
    compareStrings(a.rule.id, b.rule.id)
  );
}

/**
 * Evaluation order: tier (design.md precedence), the guide's overlap order, then the most specific
 * matcher, then higher explicit priority, then the older rule, then id — so no two distinct rules
 * ever tie.
 */
export function compareRules(a: Rule, b: Rule): number {
  return compareKeyed({ rule: a, spec: specificity(a.matcher) }, { rule: b, spec: specificity(b.matcher) });
}

export function orderRules(rules: readonly Rule[]): Rule[] {
  const keyed = rules.map((rule) => ({ rule, spec: specificity(rule.matcher) }));
  keyed.sort(compareKeyed);
  return keyed.map((k) => k.rule);
}
