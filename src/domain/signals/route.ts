// Where a buying signal goes — the guide's Signal-Aware Territory Workflow in one pure function:
// the signal is scored for ICP match and size; a fitting signal goes to the rep of record; a stale
// owner does not block it (the stale-ownership policy decides); ICP-fit white space is assigned by
// the territory rules; a product line sold by another motion goes to that motion's rep, and the
// owner is told. Nothing here reads the clock or the database.
import type { SizeBand } from "../model.ts";

export type SignalRoutingPolicy = {
  /** Signals on accounts below this ICP fit (1–5) are recorded, not routed. */
  minIcpFit: number;
  /** Size bands whose signals are routed; empty = every band. */
  sizeBands: readonly SizeBand[];
  /** An owner with no account activity for this many days is stale. */
  staleDays: number;
  /** "reassign": a stale owner's account goes back through the rules; "owner": the owner still gets it. */
  stalePolicy: "reassign" | "owner";
};

export const DEFAULT_SIGNAL_POLICY: SignalRoutingPolicy = {
  minIcpFit: 3,
  sizeBands: [],
  staleDays: 90,
  stalePolicy: "reassign",
};

export type RouteFacts = {
  account: { name: string; icpFit: number | null; sizeBand: SizeBand | null; lastActivityAt: Date | null };
  /** The current owner, null for white space. */
  owner: {
    repId: string;
    name: string;
    active: boolean;
    motions: readonly string[];
    /** When they became the owner: a rep who took the account recently is not stale whatever its activity. */
    since: Date | null;
  } | null;
  /** What the rules engine answers with nobody owning the account (for white space and stale owners). */
  ruleAssignee: { repId: string; name: string; ruleText: string } | null;
  /** The overlay motion that sells the signal's product line, with the rep who works it on this account. */
  productMotion: { motion: string; territory: string; rep: { repId: string; name: string } | null } | null;
  now: Date;
};

export type RouteDecision =
  | { kind: "record"; reason: string }
  | { kind: "revops"; reason: string }
  | { kind: "owner"; repId: string; reason: string }
  | {
      kind: "assign";
      repId: string;
      previousRepId: string | null;
      cause: "white_space" | "stale";
      reason: string;
    }
  | { kind: "motion"; repId: string; motion: string; ownerRepId: string | null; reason: string };

const DAY_MS = 24 * 60 * 60 * 1000;

export function routeSignal(facts: RouteFacts, policy: SignalRoutingPolicy): RouteDecision {
  const { account, owner, now } = facts;
  const fit = account.icpFit;
  if (fit === null || fit < policy.minIcpFit) {
    return {
      kind: "record",
      reason: `${account.name} is below the ICP fit for routing (${fit ?? "no score"} < ${policy.minIcpFit}): recorded only.`,
    };
  }
  if (policy.sizeBands.length > 0 && (!account.sizeBand || !policy.sizeBands.includes(account.sizeBand))) {
    return {
      kind: "record",
      reason: `${account.name} is outside the routed size bands (${account.sizeBand ?? "no band"}; routed: ${policy.sizeBands.join(", ")}): recorded only.`,
    };
  }

  // A second product motion goes to its own team whoever owns the account: the guide's fix for
  // unintentional poaching is to route the second motion to the right rep automatically.
  const pm = facts.productMotion;
  if (pm && !(owner?.motions.includes(pm.motion) ?? false)) {
    if (!pm.rep) {
      return { kind: "revops", reason: `No active rep in ${pm.territory} can take the ${pm.motion} motion.` };
    }
    return {
      kind: "motion",
      repId: pm.rep.repId,
      motion: pm.motion,
      ownerRepId: owner?.repId ?? null,
      reason: `The product line belongs to the ${pm.motion} motion (${pm.territory}): routed to ${pm.rep.name}${owner ? `; ${owner.name} keeps the account and is told` : ""}.`,
    };
  }

  if (owner) {
    const quietSince = (at: Date | null) =>
      at === null || now.getTime() - at.getTime() > policy.staleDays * DAY_MS;
    const stale = !owner.active || (quietSince(account.lastActivityAt) && quietSince(owner.since));
    if (!stale || policy.stalePolicy === "owner") {
      return {
        kind: "owner",
        repId: owner.repId,
        reason: stale
          ? `${owner.name} is the rep of record (no activity in ${policy.staleDays} days, but the stale-ownership policy keeps signals with the owner).`
          : `${owner.name} is the rep of record.`,
      };
    }
    const why = owner.active ? `no activity in ${policy.staleDays} days` : "the owner is no longer active";
    if (!facts.ruleAssignee) {
      return {
        kind: "revops",
        reason: `Stale ownership (${why}) and no rule assigns ${account.name}: RevOps decides.`,
      };
    }
    if (facts.ruleAssignee.repId === owner.repId) {
      return {
        kind: "owner",
        repId: owner.repId,
        reason: `${owner.name} is the rep of record (${facts.ruleAssignee.ruleText}).`,
      };
    }
    return {
      kind: "assign",
      repId: facts.ruleAssignee.repId,
      previousRepId: owner.repId,
      cause: "stale",
      reason: `Stale ownership (${why}): the account went back through the rules — ${facts.ruleAssignee.ruleText}.`,
    };
  }

  if (!facts.ruleAssignee) {
    return {
      kind: "revops",
      reason: `${account.name} is white space and no territory rule assigns it: RevOps decides.`,
    };
  }
  return {
    kind: "assign",
    repId: facts.ruleAssignee.repId,
    previousRepId: null,
    cause: "white_space",
    reason: `ICP-fit white space assigned by the rules — ${facts.ruleAssignee.ruleText}.`,
  };
}

/** Picks the overlay team's rep for a new motion account: most room for their capacity, then name. */
export function pickMotionRep<
  T extends { repId: string; name: string; capacityWeight: number; motionAccounts: number },
>(reps: readonly T[]): T | null {
  const eligible = reps.filter((r) => r.capacityWeight > 0);
  if (eligible.length === 0) return null;
  return [...eligible].sort(
    (a, b) =>
      a.motionAccounts / a.capacityWeight - b.motionAccounts / b.capacityWeight ||
      a.name.localeCompare(b.name) ||
      (a.repId < b.repId ? -1 : 1),
  )[0] as T;
}
