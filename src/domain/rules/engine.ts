// Ownership evaluation: one account in, exactly one answer out, with the trail of rules considered
// so every answer can say why. Total and deterministic: the same facts and rules always give the
// same verdict, whatever order the rules arrive in.

import { addHours } from "date-fns";
import type { Rep, Territory } from "../model.ts";
import type { AccountFacts, CompiledMatcher, Matcher } from "./matcher.ts";
import { compileMatcher, isAll, isCondition, specificity } from "./matcher.ts";
import { buildPartition } from "./partition.ts";
import type { ChannelException, Rule } from "./rule.ts";
import { TIER_OF_KIND, territoryMatcher } from "./rule.ts";

export type TrailEntry = { rule: Rule; outcome: "fired" | "skipped" | "not_matched"; note: string };

export type OwnershipVerdict = {
  /** null means unassigned: white space. */
  owner: { repId: string } | null;
  territoryId: string | null;
  rule: Rule | null;
  reason: string;
  trail: TrailEntry[];
};

/** The bulk-path answer: the verdict without the explanation, for re-evaluating a whole book. */
export type FastVerdict = Pick<OwnershipVerdict, "owner" | "territoryId" | "rule">;

export type OwnershipContext = {
  rules: Rule[];
  territories: Territory[];
  reps: Rep[];
  currentOwnerRepId: string | null;
  /** The parent's evaluated owner; callers evaluate parents first. */
  parentOwnerRepId: string | null;
};

export type CompiledRuleSet = {
  /** Active rules in evaluation order. */
  readonly ordered: readonly Rule[];
  evaluate(
    facts: AccountFacts,
    currentOwnerRepId: string | null,
    parentOwnerRepId: string | null,
  ): FastVerdict;
  explain(
    facts: AccountFacts,
    currentOwnerRepId: string | null,
    parentOwnerRepId: string | null,
  ): OwnershipVerdict;
};

export function evaluateOwnership(facts: AccountFacts, context: OwnershipContext): OwnershipVerdict {
  return compileRuleSet(context.rules, context.territories, context.reps).explain(
    facts,
    context.currentOwnerRepId,
    context.parentOwnerRepId,
  );
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Evaluation order: tier (design.md precedence), then the most specific matcher, then higher explicit
 * priority, then the older rule, then id — so no two distinct rules ever tie.
 */
export function compareRules(a: Rule, b: Rule): number {
  return (
    TIER_OF_KIND[a.kind] - TIER_OF_KIND[b.kind] ||
    specificity(b.matcher) - specificity(a.matcher) ||
    b.priority - a.priority ||
    a.createdAt.getTime() - b.createdAt.getTime() ||
    compareStrings(a.id, b.id)
  );
}

export function orderRules(rules: readonly Rule[]): Rule[] {
  const keyed = rules.map((rule) => ({ rule, spec: specificity(rule.matcher) }));
  keyed.sort(
    (a, b) =>
      TIER_OF_KIND[a.rule.kind] - TIER_OF_KIND[b.rule.kind] ||
      b.spec - a.spec ||
      b.rule.priority - a.rule.priority ||
      a.rule.createdAt.getTime() - b.rule.createdAt.getTime() ||
      compareStrings(a.rule.id, b.rule.id),
  );
  return keyed.map((k) => k.rule);
}

/** Notes are built only when an explanation is asked for, so the bulk path allocates no text. */
type Note = () => string;

type Applied =
  | { fired: true; repId: string; territoryId: string | null; note: Note }
  | { fired: false; note: Note };

type CompiledRule = { rule: Rule; match: CompiledMatcher; position: number };

/** Identity keys a rule cannot match without, so bulk evaluation only tries it on those accounts. */
function identityGuard(m: Matcher): { field: "crmId" | "domain"; keys: string[] } | null {
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

  const repById = new Map(reps.map((r) => [r.id, r]));
  const territoryById = new Map(territories.map((t) => [t.id, t]));
  const territoryCriteria = new Map<string, CompiledMatcher>();
  for (const t of territories) {
    const m = territoryMatcher(t);
    if (m.ok) territoryCriteria.set(t.id, compileMatcher(m.value));
  }
  // Eligible reps per territory in rep-id order: the documented deterministic pick when the current
  // owner is not in the territory is the first of them (load balancing is the rebalance's job).
  const eligible = new Map<string, Rep[]>();
  for (const rep of [...reps].sort((a, b) => compareStrings(a.id, b.id))) {
    if (!rep.active) continue;
    for (const tid of rep.territoryIds) {
      const list = eligible.get(tid) ?? [];
      list.push(rep);
      eligible.set(tid, list);
    }
  }
  const sortedTerritoryIdsOfRep = new Map(reps.map((r) => [r.id, [...r.territoryIds].sort(compareStrings)]));

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
  const exceptionsByRule = new Map<string, Map<string, ChannelException[]>>();
  for (const rule of ordered) {
    if (rule.overlap?.type !== "reseller_channel") continue;
    const byAccount = new Map<string, ChannelException[]>();
    for (const e of rule.overlap.exceptions) {
      const list = byAccount.get(e.accountCrmId) ?? [];
      list.push(e);
      byAccount.set(e.accountCrmId, list);
    }
    exceptionsByRule.set(rule.id, byAccount);
  }

  const nameOf = (repId: string) => repById.get(repId)?.name ?? repId;
  const territoryNameOf = (id: string) => territoryById.get(id)?.name ?? id;

  /** The territory an owner holds this account in: their first territory whose criteria match. */
  function territoryOfRep(repId: string, facts: AccountFacts): string | null {
    const tids = sortedTerritoryIdsOfRep.get(repId) ?? [];
    for (const tid of tids) {
      const criteria = territoryCriteria.get(tid);
      if (criteria?.(facts)) return tid;
    }
    return tids.length === 1 ? (tids[0] ?? null) : null;
  }

  function activeRep(repId: string | null): Rep | null {
    if (repId === null) return null;
    const rep = repById.get(repId);
    return rep?.active ? rep : null;
  }

  function toRep(repId: string, facts: AccountFacts, note: Note): Applied {
    const rep = repById.get(repId);
    if (rep === undefined) return { fired: false, note: () => `rep ${repId} is not a known rep` };
    if (!rep.active) return { fired: false, note: () => `${rep.name} is inactive` };
    return { fired: true, repId, territoryId: territoryOfRep(repId, facts), note };
  }

  function toTerritory(territoryId: string, currentOwnerRepId: string | null): Applied {
    const territory = territoryById.get(territoryId);
    if (territory === undefined)
      return { fired: false, note: () => `territory ${territoryId} is not a known territory` };
    const reps = eligible.get(territoryId) ?? [];
    const current = currentOwnerRepId === null ? undefined : reps.find((r) => r.id === currentOwnerRepId);
    if (current !== undefined) {
      return {
        fired: true,
        repId: current.id,
        territoryId,
        note: () => `${current.name} already owns it in ${territory.name}`,
      };
    }
    const first = reps[0];
    if (first === undefined)
      return { fired: false, note: () => `territory ${territory.name} has no active rep` };
    return {
      fired: true,
      repId: first.id,
      territoryId,
      note: () => `${first.name} is the first active rep of ${territory.name}`,
    };
  }

  function keepCurrent(currentOwnerRepId: string | null, facts: AccountFacts, why: string): Applied {
    if (currentOwnerRepId === null) return { fired: false, note: () => "there is no current owner to keep" };
    const rep = activeRep(currentOwnerRepId);
    if (rep === null)
      return {
        fired: false,
        note: () => `current owner ${nameOf(currentOwnerRepId)} is inactive or unknown`,
      };
    return {
      fired: true,
      repId: rep.id,
      territoryId: territoryOfRep(rep.id, facts),
      note: () => `${rep.name} ${why}`,
    };
  }

  function resellerChannel(rule: Rule, facts: AccountFacts, current: string | null): Applied {
    const overlap = rule.overlap;
    const hours = overlap?.type === "reseller_channel" ? overlap.signOffHours : 48;
    const notes: Note[] = [];
    const exceptions = exceptionsByRule.get(rule.id)?.get(facts.account.crmId) ?? [];
    // Latest valid sign-off wins; the order is fixed so the pick is deterministic.
    const sorted = [...exceptions].sort(
      (a, b) => b.signedOffAt.getTime() - a.signedOffAt.getTime() || compareStrings(a.repId, b.repId),
    );
    for (const e of sorted) {
      const signer = repById.get(e.signedOffBy);
      if (signer === undefined || !signer.roles.includes("manager")) {
        notes.push(
          () => `channel exception to ${nameOf(e.repId)} ignored: ${nameOf(e.signedOffBy)} is not a manager`,
        );
        continue;
      }
      if (e.signedOffAt < e.registeredAt || e.signedOffAt > addHours(e.registeredAt, hours)) {
        notes.push(
          () =>
            `channel exception to ${nameOf(e.repId)} ignored: signed off outside ${hours} h of the registration`,
        );
        continue;
      }
      const applied = toRep(
        e.repId,
        facts,
        () => `${nameOf(e.repId)} owns it by a channel exception signed off by ${signer.name}`,
      );
      if (applied.fired) return applied;
      notes.push(() => `channel exception ignored: ${applied.note()}`);
    }
    const kept = keepCurrent(current, facts, "stays rep of record; the reseller earns the channel margin");
    if (notes.length === 0 && kept.fired) return kept;
    const prefix = () => (notes.length > 0 ? `${notes.map((n) => n()).join("; ")}; ` : "");
    return kept.fired
      ? { ...kept, note: () => prefix() + kept.note() }
      : {
          fired: false,
          note: () => `${prefix()}${kept.note()}, so the reseller deal does not decide ownership`,
        };
  }

  /**
   * Which international team, if any, takes an expansion: depends only on the owner, the region, the
   * size band and the rule, so it is worked out once per combination and reused across the book.
   */
  type ExpansionPlan =
    | { kind: "not_new" }
    | { kind: "team"; territoryId: string; repId: string; note: Note }
    | { kind: "keep" };
  const expansionPlans = new Map<string, ExpansionPlan>();

  function expansionPlan(rule: Rule, owner: Rep, region: string, band: string | null): ExpansionPlan {
    const key = `${rule.id}\u0001${owner.id}\u0001${region}\u0001${band ?? ""}`;
    let plan = expansionPlans.get(key);
    if (plan !== undefined) return plan;
    plan = { kind: "keep" };
    const ownerTerritories = owner.territoryIds
      .map((id) => territoryById.get(id))
      .filter((t) => t !== undefined);
    if (
      ownerTerritories.length === 0 ||
      ownerTerritories.some((t) => t.regions.length === 0 || t.regions.includes(region))
    ) {
      plan = { kind: "not_new" };
    } else {
      const ownerBands = new Set<string>(ownerTerritories.flatMap((t) => t.sizeBands));
      const allowed =
        rule.overlap?.type === "international_expansion" ? rule.overlap.internationalTerritoryIds : undefined;
      const teams = [...territoryById.values()]
        .filter(
          (t) =>
            (allowed === undefined || allowed.includes(t.id)) &&
            !owner.territoryIds.includes(t.id) &&
            t.regions.includes(region) &&
            t.sizeBands.length > 0 &&
            t.sizeBands.every((b) => !ownerBands.has(b)) &&
            (band === null || (t.sizeBands as string[]).includes(band)),
        )
        .sort((a, b) => compareStrings(a.id, b.id));
      for (const t of teams) {
        const applied = toTerritory(t.id, null);
        if (applied.fired) {
          plan = { kind: "team", territoryId: t.id, repId: applied.repId, note: applied.note };
          break;
        }
      }
    }
    expansionPlans.set(key, plan);
    return plan;
  }

  function internationalExpansion(rule: Rule, facts: AccountFacts, current: string | null): Applied {
    const owner = activeRep(current);
    if (owner === null) {
      return {
        fired: false,
        note: () =>
          current === null
            ? "there is no original rep to keep the account"
            : `original rep ${nameOf(current)} is inactive or unknown`,
      };
    }
    const region = facts.account.region;
    if (region === null) return { fired: false, note: () => "the account has no region" };
    const plan = expansionPlan(rule, owner, region, facts.account.sizeBand);
    switch (plan.kind) {
      case "not_new":
        return { fired: false, note: () => `${region} is not a new region for ${owner.name}` };
      case "team":
        return {
          fired: true,
          repId: plan.repId,
          territoryId: plan.territoryId,
          note: () =>
            `${region} is owned by a separate international team with a different size band (${territoryNameOf(plan.territoryId)}): ${plan.note()}`,
        };
      case "keep":
        return {
          fired: true,
          repId: owner.id,
          territoryId: territoryOfRep(owner.id, facts),
          note: () =>
            `${owner.name} keeps the expansion into ${region}: no separate international team with a different size band owns it`,
        };
    }
  }

  function parentSubsidiary(facts: AccountFacts, parentOwner: string | null): Applied {
    if (facts.parentCrmId === null) return { fired: false, note: () => "the account has no parent" };
    if (parentOwner === null)
      return { fired: false, note: () => `parent ${facts.parentCrmId} has no owner to follow` };
    return toRep(
      parentOwner,
      facts,
      () =>
        `${nameOf(parentOwner)} owns the parent ${facts.parentCrmId}, and a subsidiary follows its parent`,
    );
  }

  function apply(rule: Rule, facts: AccountFacts, current: string | null, parent: string | null): Applied {
    if (rule.kind === "overlap" && rule.overlap !== undefined) {
      switch (rule.overlap.type) {
        case "reseller_channel":
          return resellerChannel(rule, facts, current);
        case "international_expansion":
          return internationalExpansion(rule, facts, current);
        case "parent_subsidiary":
          return parentSubsidiary(facts, parent);
      }
    }
    const outcome = rule.outcome;
    switch (outcome.type) {
      case "rep":
        return toRep(outcome.repId, facts, () => `${nameOf(outcome.repId)} is named by the rule`);
      case "territory":
        return toTerritory(outcome.territoryId, current);
      case "keep_current":
        return keepCurrent(current, facts, "keeps it as current owner");
    }
  }

  const partition = buildPartition(generic.map((c) => ({ matcher: c.rule.matcher, item: c })));

  function candidates(facts: AccountFacts): readonly CompiledRule[] {
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
  }

  function run(
    facts: AccountFacts,
    current: string | null,
    parent: string | null,
    trail: TrailEntry[] | null,
  ): { fired: CompiledRule; applied: Applied & { fired: true } } | null {
    if (trail !== null) {
      // Explanations walk every active rule, including those the identity index lets the fast path skip.
      for (const c of compiled) {
        if (!c.match(facts)) {
          trail.push({ rule: c.rule, outcome: "not_matched", note: "conditions not met" });
          continue;
        }
        const applied = apply(c.rule, facts, current, parent);
        trail.push({ rule: c.rule, outcome: applied.fired ? "fired" : "skipped", note: applied.note() });
        if (applied.fired) return { fired: c, applied };
      }
      return null;
    }
    const list = candidates(facts);
    for (const c of list) {
      if (!c.match(facts)) continue;
      const applied = apply(c.rule, facts, current, parent);
      if (applied.fired) return { fired: c, applied };
    }
    return null;
  }

  return {
    ordered,
    evaluate(facts, current, parent) {
      const hit = run(facts, current, parent, null);
      if (hit === null) return { owner: null, territoryId: null, rule: null };
      return {
        owner: { repId: hit.applied.repId },
        territoryId: hit.applied.territoryId,
        rule: hit.fired.rule,
      };
    },
    explain(facts, current, parent) {
      const trail: TrailEntry[] = [];
      const hit = run(facts, current, parent, trail);
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
          reason: `No rule assigns ${facts.account.name}, so it is unassigned white space${tail}.`,
          trail,
        };
      }
      const { rule } = hit.fired;
      const from =
        rule.provenance.disputeId === undefined ? "" : ` from dispute ${rule.provenance.disputeId}`;
      return {
        owner: { repId: hit.applied.repId },
        territoryId: hit.applied.territoryId,
        rule,
        reason: `${nameOf(hit.applied.repId)} owns ${facts.account.name} by the ${rule.kind} rule "${rule.text}"${from}: ${hit.applied.note()}.`,
        trail,
      };
    },
  };
}
