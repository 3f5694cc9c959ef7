// Who decides a dispute, in a fixed and documented order (README "Disputes and the 48-hour clock"):
//   1. the arbiter of the disputed account's territory (Territory.arbiterRepId) — the current
//      owner's territory the account fits, else any territory whose criteria it meets (by name);
//   2. the arbiter of the claimant's team (ArbiterAssignment);
//   3. the head of RevOps (TURF_HEAD_OF_REVOPS_EMAIL; else the active admin + arbiter, else an arbiter).
// The backup is the one set for the same scope; a scope without one falls back to the head of RevOps,
// and the head of RevOps' own backup is TURF_HEAD_OF_REVOPS_BACKUP_EMAIL or nobody. Never a guess.
// Inactive reps are skipped, and nobody decides their own claim: the scope's backup takes it then.
import type { Db, Tx } from "../../db/client.ts";
import { activeRepsWithRole, type RepRef, repByEmail, repsById } from "./reps.ts";

export type DisputeConfig = {
  /** TURF_HEAD_OF_REVOPS_EMAIL: the default arbiter. */
  headOfRevOpsEmail?: string | undefined;
  /** TURF_HEAD_OF_REVOPS_BACKUP_EMAIL: the head of RevOps' backup; unset = no backup at that level. */
  headOfRevOpsBackupEmail?: string | undefined;
  /** How long filing, a decision or a sign-off waits for an account another change holds (lock-waits.ts). */
  lockWaitMs?: number | undefined;
};

export type RoutingScope =
  | { kind: "territory"; name: string }
  | { kind: "team"; name: string }
  | { kind: "head_of_revops" };

export type Routing = {
  arbiterRepId: string;
  backupArbiterRepId: string | null;
  via: RoutingScope["kind"];
  /** Where the arbiter came from, for the card ("team Americas's arbiter"). */
  scope: RoutingScope;
  /** True when the scope's arbiter is the claimant and the backup decides instead. */
  backupStandsIn: boolean;
};

type Candidate = { scope: RoutingScope; arbiterRepId: string | null; backupArbiterRepId: string | null };

function fits(
  t: { regions: string[]; industries: string[]; sizeBands: string[] },
  a: { region: string | null; industry: string | null; sizeBand: string | null },
): boolean {
  const has = (list: string[], value: string | null) =>
    list.length === 0 || (value !== null && list.includes(value));
  // A territory without criteria (named accounts) has no "accounts in it" to speak of.
  if (t.regions.length + t.industries.length + t.sizeBands.length === 0) return false;
  return has(t.regions, a.region) && has(t.industries, a.industry) && has(t.sizeBands, a.sizeBand);
}

/** The territory whose arbiter hears disputes on this account, if any has one. */
async function territoryCandidate(db: Db | Tx, accountId: string): Promise<Candidate | null> {
  const [account, territories, owner] = await Promise.all([
    db.account.findUnique({
      where: { id: accountId },
      select: { region: true, industry: true, sizeBand: true },
    }),
    db.territory.findMany({
      where: { arbiterRepId: { not: null } },
      orderBy: { name: "asc" },
      select: {
        id: true,
        name: true,
        regions: true,
        industries: true,
        sizeBands: true,
        arbiterRepId: true,
        backupArbiterRepId: true,
      },
    }),
    db.ownership.findFirst({ where: { accountId, effectiveTo: null }, select: { repId: true } }),
  ]);
  if (!account || territories.length === 0) return null;
  const matching = territories.filter((t) => fits(t, account));
  let chosen = matching[0];
  if (owner?.repId && matching.length > 1) {
    const ownerTerritories = new Set(
      (await db.repTerritory.findMany({ where: { repId: owner.repId }, select: { territoryId: true } })).map(
        (r) => r.territoryId,
      ),
    );
    chosen = matching.find((t) => ownerTerritories.has(t.id)) ?? chosen;
  }
  if (!chosen) return null;
  return {
    scope: { kind: "territory", name: chosen.name },
    arbiterRepId: chosen.arbiterRepId,
    backupArbiterRepId: chosen.backupArbiterRepId,
  };
}

export async function routeArbiter(
  db: Db | Tx,
  claimant: Pick<RepRef, "id" | "team">,
  config: DisputeConfig,
  accountId?: string,
): Promise<Routing | null> {
  const head = await headOfRevOps(db, config);
  const headBackup = config.headOfRevOpsBackupEmail
    ? await repByEmail(db, config.headOfRevOpsBackupEmail)
    : null;
  const candidates: Candidate[] = [];
  if (accountId) {
    const t = await territoryCandidate(db, accountId);
    if (t) candidates.push(t);
  }
  if (claimant.team !== null) {
    const assignment = await db.arbiterAssignment.findUnique({ where: { team: claimant.team } });
    if (assignment)
      candidates.push({
        scope: { kind: "team", name: claimant.team },
        arbiterRepId: assignment.arbiterRepId,
        backupArbiterRepId: assignment.backupArbiterRepId,
      });
  }
  candidates.push({
    scope: { kind: "head_of_revops" },
    arbiterRepId: head?.id ?? null,
    backupArbiterRepId: headBackup?.id ?? null,
  });
  const reps = await repsById(
    db,
    candidates.flatMap((c) => [c.arbiterRepId, c.backupArbiterRepId]),
  );
  const usable = (id: string | null): id is string =>
    id !== null && id !== claimant.id && reps.get(id)?.active === true;
  for (const c of candidates) {
    // A scope without its own backup falls back to the head of RevOps, never to a guess.
    const backup = c.backupArbiterRepId ?? (c.scope.kind === "head_of_revops" ? null : (head?.id ?? null));
    if (usable(c.arbiterRepId)) {
      return {
        arbiterRepId: c.arbiterRepId,
        backupArbiterRepId: usable(backup) && backup !== c.arbiterRepId ? backup : null,
        via: c.scope.kind,
        scope: c.scope,
        backupStandsIn: false,
      };
    }
    if (c.arbiterRepId === claimant.id && usable(c.backupArbiterRepId)) {
      return {
        arbiterRepId: c.backupArbiterRepId,
        backupArbiterRepId: null,
        via: c.scope.kind,
        scope: c.scope,
        backupStandsIn: true,
      };
    }
  }
  return null;
}

export async function headOfRevOps(db: Db | Tx, config: DisputeConfig): Promise<RepRef | null> {
  if (config.headOfRevOpsEmail) {
    const rep = await repByEmail(db, config.headOfRevOpsEmail);
    if (rep?.active) return rep;
  }
  const arbiters = await activeRepsWithRole(db, "arbiter");
  return arbiters.find((r) => r.roles.includes("admin")) ?? arbiters[0] ?? null;
}

/** "team Americas's arbiter", for the card and the CLI. */
export function describeScope(scope: RoutingScope, backupStandsIn = false): string {
  if (scope.kind === "head_of_revops")
    return backupStandsIn ? "backup for the head of RevOps, who is the claimant" : "head of RevOps";
  const whose = scope.kind === "territory" ? `the ${scope.name} territory's` : `team ${scope.name}'s`;
  return backupStandsIn ? `backup for ${whose} arbiter, who is the claimant` : `${whose} arbiter`;
}
