// The guide's three written overlap rules ("Handling overlap"), each as a policy that either decides
// the account or steps aside with a note saying why:
// - reseller channel: the direct rep stays rep of record; a channel exception needs a manager's
//   sign-off within 48 hours of the registration;
// - international expansion: when an account expands into a new region — a subsidiary in a region
//   its parent's rep does not cover, or an account whose own rep does not cover its region — the
//   original rep keeps it unless a separate international team with a different size band owns that
//   region, in which case that team's own assignment decides;
// - parent/subsidiary: every other subsidiary follows its parent's owner.

import { addHours } from "date-fns";
import type { Rep, Territory } from "../model.ts";
import type { RepLoads } from "./assignment.ts";
import type { AccountFacts } from "./matcher.ts";
import { compareStrings } from "./ordering.ts";
import type { Applied, Note } from "./outcomes.ts";
import { keepCurrent, toRep, toTerritory } from "./outcomes.ts";
import type { ChannelException, Rule } from "./rule.ts";
import type { Staffing } from "./staffing.ts";

export type OverlapInput = {
  facts: AccountFacts;
  current: string | null;
  parent: string | null;
  loads: RepLoads | undefined;
};

export type OverlapPolicies = { apply(rule: Rule, input: OverlapInput): Applied };

export function buildOverlapPolicies(rules: readonly Rule[], staffing: Staffing): OverlapPolicies {
  const exceptionsByRule = new Map<string, Map<string, ChannelException[]>>();
  for (const rule of rules) {
    if (rule.overlap?.type !== "reseller_channel") continue;
    const byAccount = new Map<string, ChannelException[]>();
    for (const e of rule.overlap.exceptions) {
      const list = byAccount.get(e.accountCrmId) ?? [];
      list.push(e);
      byAccount.set(e.accountCrmId, list);
    }
    exceptionsByRule.set(rule.id, byAccount);
  }
  const { nameOf } = staffing;

  function resellerChannel(rule: Rule, { facts, current }: OverlapInput): Applied {
    const overlap = rule.overlap;
    const hours = overlap?.type === "reseller_channel" ? overlap.signOffHours : 48;
    const notes: Note[] = [];
    const exceptions = exceptionsByRule.get(rule.id)?.get(facts.account.crmId) ?? [];
    // Latest valid sign-off wins; the order is fixed so the pick is deterministic.
    const sorted = [...exceptions].sort(
      (a, b) => b.signedOffAt.getTime() - a.signedOffAt.getTime() || compareStrings(a.repId, b.repId),
    );
    for (const e of sorted) {
      const signer = staffing.rep(e.signedOffBy);
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
        staffing,
        e.repId,
        facts,
        () => `${nameOf(e.repId)} owns it by a channel exception signed off by ${signer.name}`,
      );
      if (applied.fired) return applied;
      notes.push(() => `channel exception ignored: ${applied.note()}`);
    }
    const kept = keepCurrent(
      staffing,
      current,
      facts,
      "stays rep of record; the reseller earns the channel margin",
    );
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
   * The separate international teams that could take an expansion: they depend only on the rule, the
   * original rep, the region and the size band, so they are worked out once per combination.
   * null: the region is not new for the original rep.
   */
  // Nested by rule, rep, region and band: a lookup allocates nothing (a joined string key cost one
  // concatenation per account in bulk re-evaluation).
  const teamCache = new Map<Rule, Map<Rep, Map<string, Map<string | null, readonly Territory[] | null>>>>();
  function internationalTeams(rule: Rule, owner: Rep, region: string, band: string | null) {
    const byRep = getOrAdd(teamCache, rule);
    const byRegion = getOrAdd(byRep, owner);
    const byBand = getOrAdd(byRegion, region);
    const hit = byBand.get(band);
    if (hit !== undefined) return hit;
    const ownerTerritories = owner.territoryIds
      .map((id) => staffing.territory(id))
      .filter((t) => t !== undefined);
    let teams: readonly Territory[] | null = null;
    if (
      ownerTerritories.length > 0 &&
      !ownerTerritories.some((t) => t.regions.length === 0 || t.regions.includes(region))
    ) {
      const ownerBands = new Set<string>(ownerTerritories.flatMap((t) => t.sizeBands));
      const allowed =
        rule.overlap?.type === "international_expansion" ? rule.overlap.internationalTerritoryIds : undefined;
      teams = staffing
        .territories()
        .filter(
          (t) =>
            (allowed === undefined || allowed.includes(t.id)) &&
            !owner.territoryIds.includes(t.id) &&
            t.regions.includes(region) &&
            t.sizeBands.length > 0 &&
            t.sizeBands.every((b) => !ownerBands.has(b)) &&
            (band === null || (t.sizeBands as string[]).includes(band)),
        );
    }
    byBand.set(band, teams);
    return teams;
  }

  /**
   * The original rep of an expansion: the parent's rep for a subsidiary (the relationship the
   * subsidiary grew out of), else the account's own current rep.
   */
  function originalRep(input: OverlapInput): { rep: Rep; via: "parent" | "current" } | null {
    if (input.facts.parentCrmId !== null) {
      const parentRep = staffing.activeRep(input.parent);
      if (parentRep !== null) return { rep: parentRep, via: "parent" };
    }
    const own = staffing.activeRep(input.current);
    return own === null ? null : { rep: own, via: "current" };
  }

  // Most accounts are in a region their rep covers: the same answer per rep, route and region, kept
  // once instead of a new note per account in bulk re-evaluation.
  const notNew = new Map<Rep, Map<string, Map<string, Applied>>>();
  function notNewRegion(owner: Rep, via: string, region: string, who: string): Applied {
    const byRegion = getOrAdd(getOrAdd(notNew, owner), via);
    let applied = byRegion.get(region);
    if (applied === undefined) {
      applied = { fired: false, note: () => `${region} is not a new region for ${who}` };
      byRegion.set(region, applied);
    }
    return applied;
  }

  function internationalExpansion(rule: Rule, input: OverlapInput): Applied {
    const { facts, current } = input;
    const original = originalRep(input);
    if (original === null) {
      return {
        fired: false,
        note: () =>
          current === null && input.parent === null
            ? "there is no original rep to keep the account"
            : "the original rep is inactive or unknown",
      };
    }
    const owner = original.rep;
    const who = original.via === "parent" ? `${owner.name} (the parent's rep)` : owner.name;
    const region = facts.account.region;
    if (region === null) return { fired: false, note: () => "the account has no region" };
    const teams = internationalTeams(rule, owner, region, facts.account.sizeBand);
    if (teams === null) return notNewRegion(owner, original.via, region, who);
    for (const team of teams) {
      const applied = toTerritory(staffing, team.id, current, input.loads);
      if (!applied.fired) continue;
      return {
        ...applied,
        note: () =>
          `${region} is a new region for ${who} and is owned by a separate international team with a different size band (${team.name}): ${applied.note()}`,
      };
    }
    return {
      fired: true,
      repId: owner.id,
      territoryId: staffing.territoryOfRep(owner.id, facts),
      note: () =>
        `${who} keeps the expansion into ${region}: no separate international team with a different size band owns it`,
    };
  }

  function parentSubsidiary({ facts, parent }: OverlapInput): Applied {
    if (facts.parentCrmId === null) return { fired: false, note: () => "the account has no parent" };
    if (parent === null)
      return { fired: false, note: () => `parent ${facts.parentCrmId} has no owner to follow` };
    return toRep(
      staffing,
      parent,
      facts,
      () => `${nameOf(parent)} owns the parent ${facts.parentCrmId}, and a subsidiary follows its parent`,
    );
  }

  return {
    apply(rule, input) {
      switch (rule.overlap?.type) {
        case "reseller_channel":
          return resellerChannel(rule, input);
        case "international_expansion":
          return internationalExpansion(rule, input);
        case "parent_subsidiary":
          return parentSubsidiary(input);
        default:
          return { fired: false, note: () => "an overlap rule without an overlap type" };
      }
    },
  };
}

function getOrAdd<K, K2, V>(map: Map<K, Map<K2, V>>, key: K): Map<K2, V> {
  let inner = map.get(key);
  if (inner === undefined) {
    inner = new Map();
    map.set(key, inner);
  }
  return inner;
}
