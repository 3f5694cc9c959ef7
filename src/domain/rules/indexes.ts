// Which rules are worth trying on an account. Rules keyed to a CRM id or a domain are looked up by
// that key; the rest are narrowed by region, industry, size band and country (partition.ts). Pure
// bookkeeping: the candidate list keeps evaluation order and leaves out only rules that cannot match.

import type { AccountFacts, CompiledMatcher, Matcher } from "./matcher.ts";
import { isAll, isCondition } from "./matcher.ts";
import { buildPartition } from "./partition.ts";
import type { Rule } from "./rule.ts";

export type CompiledRule = { rule: Rule; match: CompiledMatcher; position: number };

/** Identity keys a rule cannot match without, so bulk evaluation only tries it on those accounts. */
export function identityGuard(m: Matcher): { field: "crmId" | "domain"; keys: string[] } | null {
  const conds = isAll(m) ? m.all : [m];
  for (const c of conds) {
    if (!isCondition(c)) continue;
    if (c.field !== "account.crmId" && c.field !== "account.domain") continue;
    const keys = c.op === "eq" ? [c.value] : c.op === "in" ? c.value : null;
    if (keys === null) continue;
    const field = c.field === "account.crmId" ? "crmId" : "domain";
    return { field, keys: keys.map((k) => (field === "domain" ? String(k).toLowerCase() : String(k))) };
  }
  return null;
}

/** `compiled` in evaluation order; the returned lookup yields the candidates for one account. */
export function buildCandidateIndex(
  compiled: readonly CompiledRule[],
): (facts: AccountFacts) => readonly CompiledRule[] {
  const generic: CompiledRule[] = [];
  const byCrmId = new Map<string, CompiledRule[]>();
  const byDomain = new Map<string, CompiledRule[]>();
  for (const c of compiled) {
    const guard = identityGuard(c.rule.matcher);
    if (guard === null) {
      generic.push(c);
      continue;
    }
    const index = guard.field === "crmId" ? byCrmId : byDomain;
    for (const key of new Set(guard.keys)) {
      const list = index.get(key) ?? [];
      list.push(c);
      index.set(key, list);
    }
  }
  const partition = buildPartition(generic.map((c) => ({ matcher: c.rule.matcher, item: c })));

  return (facts) => {
    const base = partition(facts);
    let extra: CompiledRule[] | null = null;
    const byId = byCrmId.get(facts.account.crmId);
    if (byId !== undefined) extra = [...byId];
    if (byDomain.size > 0) {
      for (const d of facts.account.domains) {
        const hit = byDomain.get(d.toLowerCase());
        if (hit !== undefined) extra = extra === null ? [...hit] : extra.concat(hit);
      }
    }
    if (extra === null) return base;
    const seen = new Set<number>();
    const merged: CompiledRule[] = [];
    for (const c of extra.concat(base)) {
      if (seen.has(c.position)) continue;
      seen.add(c.position);
      merged.push(c);
    }
    return merged.sort((a, b) => a.position - b.position);
  };
}
