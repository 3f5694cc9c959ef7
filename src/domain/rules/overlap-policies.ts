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

/**
 * Decides an account by an overlap rule. Arguments rather than one input object: bulk re-evaluation
 * asks this for nearly every account, several times.
 */
export type OverlapPolicies = {
  apply(
    rule: Rule,
    facts: AccountFacts,
    current: string | null,
    parent: string | null,
    loads: RepLoads | undefined,
  ): Applied;
};

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

  function resellerChannel(rule: Rule, facts: AccountFacts, current: string | null): Applied {
    const exceptions = exceptionsByRule.get(rule.id)?.get(facts.account.crmId);
    const tried = exceptions === undefined ? NO_EXCEPTIONS : tryExceptions(rule, exceptions, facts);
    if (tried.applied !== null) return tried.applied;
    const kept = keepCurrent(
      staffing,
      current,
      facts,
      "stays rep of record; the reseller earns the channel margin",
    );
    if (tried.ignored.length === 0 && kept.fired) return kept;
    return withIgnoredExceptions(kept, tried.ignored);
  }

  /** The account's channel exceptions: the latest valid sign-off decides; why each other one did not. */
  function tryExceptions(
    rule: Rule,
    exceptions: readonly ChannelException[],
    facts: AccountFacts,
  ): { applied: Applied | null; ignored: Note[] } {
    const overlap = rule.overlap;
    const hours = overlap?.type === "reseller_channel" ? overlap.signOffHours : 48;
    const notes: Note[] = [];
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
      if (applied.fired) return { applied, ignored: notes };
      notes.push(() => `channel exception ignored: ${applied.note()}`);
    }
    return { applied: null, ignored: notes };
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
   * The parent's rep when the account is a subsidiary whose parent has an active one: then the
   * original rep of an expansion is the parent's (the relationship the subsidiary grew out of), else
   * the account's own current rep.
   */
  function parentsRep(facts: AccountFacts, parent: string | null): Rep | null {
    return facts.parentCrmId === null ? null : staffing.activeRep(parent);
  }

  // Most accounts are in a region their rep covers: the same answer per rep, route and region, kept
  // once instead of a new note per account in bulk re-evaluation.
  const notNew = new Map<Rep, Map<string, Map<string, Applied>>>();
  function notNewRegion(owner: Rep, via: Via, region: string): Applied {
    const byRegion = getOrAdd(getOrAdd(notNew, owner), via);
    let applied = byRegion.get(region);
    if (applied === undefined) {
      applied = notNewRegionFor(region, whoOf(owner, via));
      byRegion.set(region, applied);
    }
    return applied;
  }

  // Runs for nearly every account of a bulk re-evaluation: no closure here captures its variables (that
  // would allocate them on every call); the notes are made by the helpers below, on the rare paths.
  function internationalExpansion(
    rule: Rule,
    facts: AccountFacts,
    current: string | null,
    parent: string | null,
    loads: RepLoads | undefined,
  ): Applied {
    const viaParent = parentsRep(facts, parent);
    const owner = viaParent ?? staffing.activeRep(current);
    if (owner === null) return current === null && parent === null ? NO_ORIGINAL_REP : ORIGINAL_REP_INACTIVE;
    const via = viaParent === null ? "current" : "parent";
    const region = facts.account.region;
    if (region === null) return NO_REGION;
    const teams = internationalTeams(rule, owner, region, facts.account.sizeBand);
    if (teams === null) return notNewRegion(owner, via, region);
    for (const team of teams) {
      const applied = toTerritory(staffing, team.id, current, loads);
      if (applied.fired) return takenByTeam(applied, region, whoOf(owner, via), team);
    }
    return keptByOriginal(owner, region, whoOf(owner, via), staffing.territoryOfRep(owner.id, facts));
  }

  function parentSubsidiary(facts: AccountFacts, parent: string | null): Applied {
    if (facts.parentCrmId === null) return NO_PARENT;
    if (parent === null) return parentWithoutOwner(facts.parentCrmId);
    return toRep(staffing, parent, facts, followsParent(nameOf, parent, facts.parentCrmId));
  }

  return {
    apply(rule, facts, current, parent, loads) {
      switch (rule.overlap?.type) {
        case "reseller_channel":
          return resellerChannel(rule, facts, current);
        case "international_expansion":
          return internationalExpansion(rule, facts, current, parent, loads);
        case "parent_subsidiary":
          return parentSubsidiary(facts, parent);
        default:
          return NO_OVERLAP_TYPE;
      }
    },
  };
}

type Via = "parent" | "current";

const NO_EXCEPTIONS: { applied: null; ignored: Note[] } = { applied: null, ignored: [] };

/** The reseller rule's answer when no channel exception decided: the current owner stays, if active. */
function withIgnoredExceptions(kept: Applied, ignored: readonly Note[]): Applied {
  const prefix = () => (ignored.length > 0 ? `${ignored.map((n) => n()).join("; ")}; ` : "");
  return kept.fired
    ? { ...kept, note: () => prefix() + kept.note() }
    : {
        fired: false,
        note: () => `${prefix()}${kept.note()}, so the reseller deal does not decide ownership`,
      };
}

function whoOf(owner: Rep, via: Via): string {
  return via === "parent" ? `${owner.name} (the parent's rep)` : owner.name;
}

// The notes of the overlap answers, made where their words are needed (see internationalExpansion).
const NO_REGION: Applied = { fired: false, note: () => "the account has no region" };
const NO_PARENT: Applied = { fired: false, note: () => "the account has no parent" };
const NO_OVERLAP_TYPE: Applied = { fired: false, note: () => "an overlap rule without an overlap type" };

const NO_ORIGINAL_REP: Applied = { fired: false, note: () => "there is no original rep to keep the account" };
const ORIGINAL_REP_INACTIVE: Applied = {
  fired: false,
  note: () => "the original rep is inactive or unknown",
};
function notNewRegionFor(region: string, who: string): Applied {
  return { fired: false, note: () => `${region} is not a new region for ${who}` };
}

function takenByTeam(
  applied: Applied & { fired: true },
  region: string,
  who: string,
  team: Territory,
): Applied {
  return {
    ...applied,
    note: () =>
      `${region} is a new region for ${who} and is owned by a separate international team with a different size band (${team.name}): ${applied.note()}`,
  };
}

function keptByOriginal(owner: Rep, region: string, who: string, territoryId: string | null): Applied {
  return {
    fired: true,
    repId: owner.id,
    territoryId,
    note: () =>
      `${who} keeps the expansion into ${region}: no separate international team with a different size band owns it`,
  };
}

function parentWithoutOwner(parentCrmId: string): Applied {
  return { fired: false, note: () => `parent ${parentCrmId} has no owner to follow` };
}

function followsParent(nameOf: (repId: string) => string, parent: string, parentCrmId: string): Note {
  return () => `${nameOf(parent)} owns the parent ${parentCrmId}, and a subsidiary follows its parent`;
}

function getOrAdd<K, K2, V>(map: Map<K, Map<K2, V>>, key: K): Map<K2, V> {
  let inner = map.get(key);
  if (inner === undefined) {
    inner = new Map();
    map.set(key, inner);
  }
  return inner;
}
