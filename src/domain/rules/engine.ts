// Ownership evaluation: one account in, exactly one answer out, with the trail of rules considered
// so every answer can say why. Total and deterministic: the same facts, rules and book loads always
// give the same verdict, whatever order the rules arrive in. The pieces live by concept: ordering.ts
// (which rule is tried first), indexes.ts (which rules can match), outcomes.ts and assignment.ts
// (what a rule does), overlap-policies.ts (the guide's three overlap rules), effective-dates.ts
// (when a change takes effect); this file is the evaluation loop.

import type { Rep, Territory } from "../model.ts";
import type { RepLoads } from "./assignment.ts";
import { type Deferral, deferralOf, type Schedule } from "./effective-dates.ts";
import { buildCandidateIndex, type CompiledRule } from "./indexes.ts";
import type { AccountFacts } from "./matcher.ts";
import { compileMatcher } from "./matcher.ts";
import { orderRules } from "./ordering.ts";
import type { Applied, Note } from "./outcomes.ts";
import { keepCurrent, toRep, toTerritory } from "./outcomes.ts";
import { buildOverlapPolicies } from "./overlap-policies.ts";
import type { Rule } from "./rule.ts";
import { buildStaffing } from "./staffing.ts";

export type { Deferral, Schedule } from "./effective-dates.ts";
export { compareRules, orderRules } from "./ordering.ts";

export type TrailEntry = { rule: Rule; outcome: "fired" | "skipped" | "not_matched"; note: string };

export type OwnershipVerdict = {
  /** null means unassigned: white space. */
  owner: { repId: string } | null;
  territoryId: string | null;
  rule: Rule | null;
  /**
   * When the change to `owner` takes effect, if not at once: the named-account list moves an account
   * on the first day of the next fiscal quarter; a dated rule on its date. null: now (or no change).
   */
  effectiveAt: Date | null;
  deferral: Deferral | null;
  reason: string;
  trail: TrailEntry[];
};

/** The bulk-path answer: the verdict without the explanation, for re-evaluating a whole book. */
export type FastVerdict = Pick<
  OwnershipVerdict,
  "owner" | "territoryId" | "rule" | "effectiveAt" | "deferral"
>;

/** What an evaluation may know beyond the account: book sizes (for assignment) and today's date. */
export type EvaluationOptions = { loads?: RepLoads; schedule?: Schedule };

export type OwnershipContext = {
  rules: Rule[];
  territories: Territory[];
  reps: Rep[];
  currentOwnerRepId: string | null;
  /** The parent's evaluated owner; callers evaluate parents first. */
  parentOwnerRepId: string | null;
} & EvaluationOptions;

export type CompiledRuleSet = {
  /** Active rules in evaluation order. */
  readonly ordered: readonly Rule[];
  evaluate(
    facts: AccountFacts,
    currentOwnerRepId: string | null,
    parentOwnerRepId: string | null,
    options?: EvaluationOptions,
  ): FastVerdict;
  explain(
    facts: AccountFacts,
    currentOwnerRepId: string | null,
    parentOwnerRepId: string | null,
    options?: EvaluationOptions,
  ): OwnershipVerdict;
};

export function evaluateOwnership(facts: AccountFacts, context: OwnershipContext): OwnershipVerdict {
  return compileRuleSet(context.rules, context.territories, context.reps).explain(
    facts,
    context.currentOwnerRepId,
    context.parentOwnerRepId,
    { loads: context.loads, schedule: context.schedule },
  );
}

type Fired = Applied & { fired: true };

export function compileRuleSet(
  rules: readonly Rule[],
  territories: readonly Territory[],
  reps: readonly Rep[],
): CompiledRuleSet {
  const ordered = orderRules(rules.filter((r) => r.active));
  // Ids are the last tie-break; two rules sharing one would make the order depend on input order.
  const ids = new Set<string>();
  for (const r of ordered) {
    if (ids.has(r.id)) throw new Error(`duplicate rule id ${r.id}`);
    ids.add(r.id);
  }
  const compiled: CompiledRule[] = ordered.map((rule, position) => ({
    rule,
    match: compileMatcher(rule.matcher),
    position,
  }));
  const staffing = buildStaffing(territories, reps);
  const overlaps = buildOverlapPolicies(ordered, staffing);
  const candidates = buildCandidateIndex(compiled);
  // Made once per rule set rather than per evaluation (bulk re-evaluation evaluates a whole book).
  const namedByRule = new Map<string, Note>();
  for (const r of ordered)
    if (r.outcome.type === "rep" && !namedByRule.has(r.outcome.repId)) {
      const repId = r.outcome.repId;
      namedByRule.set(repId, () => `${staffing.nameOf(repId)} is named by the rule`);
    }
  const owners = new Map<string, { repId: string }>();
  const ownerOf = (repId: string) => {
    let owner = owners.get(repId);
    if (owner === undefined) {
      owner = { repId };
      owners.set(repId, owner);
    }
    return owner;
  };

  function apply(
    rule: Rule,
    facts: AccountFacts,
    current: string | null,
    parent: string | null,
    options: EvaluationOptions,
  ): Applied {
    if (rule.kind === "overlap" && rule.overlap !== undefined)
      return overlaps.apply(rule, facts, current, parent, options.loads);
    const outcome = rule.outcome;
    switch (outcome.type) {
      case "rep":
        return toRep(staffing, outcome.repId, facts, namedByRule.get(outcome.repId) as Note);
      case "territory":
        return toTerritory(staffing, outcome.territoryId, current, options.loads);
      case "keep_current":
        return keepCurrent(staffing, current, facts, "keeps it as current owner");
    }
  }

  function run(
    facts: AccountFacts,
    current: string | null,
    parent: string | null,
    options: EvaluationOptions,
    trail: TrailEntry[],
  ): { fired: CompiledRule; applied: Fired } | null {
    // Explanations walk every active rule, including those the identity index lets the fast path skip.
    for (const c of compiled) {
      if (!c.match(facts)) {
        trail.push({ rule: c.rule, outcome: "not_matched", note: "conditions not met" });
        continue;
      }
      const applied = apply(c.rule, facts, current, parent, options);
      trail.push({ rule: c.rule, outcome: applied.fired ? "fired" : "skipped", note: applied.note() });
      if (applied.fired) return { fired: c, applied };
    }
    return null;
  }

  function timing(rule: Rule, current: string | null, next: string, options: EvaluationOptions) {
    const from = staffing.activeRep(current)?.id ?? null;
    // The commonest answer (the owner stays) without building a move to ask about.
    if (from === next || options.schedule === undefined) return null;
    return deferralOf(rule, { current: from, next }, options.schedule);
  }

  return {
    ordered,
    // The bulk path (a whole book per re-evaluation) allocates only the verdict: it walks the
    // candidates itself rather than through run's result, and owners are shared objects.
    evaluate(facts, current, parent, options = {}) {
      for (const c of candidates(facts)) {
        if (!c.match(facts)) continue;
        const applied = apply(c.rule, facts, current, parent, options);
        if (!applied.fired) continue;
        const when = timing(c.rule, current, applied.repId, options);
        return {
          owner: ownerOf(applied.repId),
          territoryId: applied.territoryId,
          rule: c.rule,
          effectiveAt: when === null ? null : when.at,
          deferral: when === null ? null : when.deferral,
        };
      }
      return { owner: null, territoryId: null, rule: null, effectiveAt: null, deferral: null };
    },
    explain(facts, current, parent, options = {}) {
      const trail: TrailEntry[] = [];
      const hit = run(facts, current, parent, options, trail);
      if (hit === null) {
        const skipped = trail.filter((t) => t.outcome === "skipped").length;
        const tail =
          skipped === 0
            ? ""
            : ` (${skipped} matching rule${skipped === 1 ? " was" : "s were"} skipped because their outcome could not be applied)`;
        return {
          owner: null,
          territoryId: null,
          rule: null,
          effectiveAt: null,
          deferral: null,
          reason: `No rule assigns ${facts.account.name}, so it is unassigned white space${tail}.`,
          trail,
        };
      }
      const { rule } = hit.fired;
      const when = timing(rule, current, hit.applied.repId, options);
      const from =
        rule.provenance.disputeId === undefined ? "" : ` from dispute ${rule.provenance.disputeId}`;
      const next = staffing.nameOf(hit.applied.repId);
      const later =
        when === null || current === null
          ? ""
          : ` The move waits for ${when.deferral === "named_account_list" ? "the first day of the next fiscal quarter (named account list)" : "the date the rule takes effect"}: ${staffing.nameOf(current)} keeps it until then, and keeps credit for in-flight opportunities through closure.`;
      const verb = when === null ? "owns" : "is to own";
      return {
        owner: { repId: hit.applied.repId },
        territoryId: hit.applied.territoryId,
        rule,
        effectiveAt: when?.at ?? null,
        deferral: when?.deferral ?? null,
        reason: `${next} ${verb} ${facts.account.name} by the ${rule.kind} rule "${rule.text}"${from}: ${hit.applied.note()}.${later}`,
        trail,
      };
    },
  };
}
