// Who decides a dispute: the arbiter assigned to the claimant's team, else the head of RevOps
// (configured by e-mail, else the first active rep who is both admin and arbiter, else any arbiter).
import type { Db, Tx } from "../../db/client.ts";
import { activeRepsWithRole, type RepRef, repByEmail } from "./reps.ts";

export type DisputeConfig = {
  /** TURF_HEAD_OF_REVOPS_EMAIL: the default arbiter. */
  headOfRevOpsEmail?: string | undefined;
};

export type Routing = {
  arbiterRepId: string;
  backupArbiterRepId: string | null;
  via: "team" | "head_of_revops";
};

export async function routeArbiter(
  db: Db | Tx,
  claimant: Pick<RepRef, "id" | "team">,
  config: DisputeConfig,
): Promise<Routing | null> {
  if (claimant.team !== null) {
    const assignment = await db.arbiterAssignment.findUnique({ where: { team: claimant.team } });
    if (assignment) {
      const [arbiter, backup] = await Promise.all([
        db.rep.findUnique({ where: { id: assignment.arbiterRepId }, select: { active: true } }),
        assignment.backupArbiterRepId
          ? db.rep.findUnique({ where: { id: assignment.backupArbiterRepId }, select: { active: true } })
          : null,
      ]);
      const backupId = backup?.active ? assignment.backupArbiterRepId : null;
      // Nobody decides their own claim: the backup (or RevOps below) takes it instead.
      if (arbiter?.active && assignment.arbiterRepId !== claimant.id) {
        return {
          arbiterRepId: assignment.arbiterRepId,
          backupArbiterRepId: backupId === claimant.id ? null : backupId,
          via: "team",
        };
      }
      if (backupId !== null && backupId !== claimant.id) {
        return { arbiterRepId: backupId, backupArbiterRepId: null, via: "team" };
      }
    }
  }
  const head = await headOfRevOps(db, config);
  if (head === null) return null;
  const others = (await activeRepsWithRole(db, "arbiter")).filter(
    (r) => r.id !== head.id && r.id !== claimant.id,
  );
  if (head.id === claimant.id) {
    const [first, second] = others;
    return first
      ? { arbiterRepId: first.id, backupArbiterRepId: second?.id ?? null, via: "head_of_revops" }
      : null;
  }
  return { arbiterRepId: head.id, backupArbiterRepId: others[0]?.id ?? null, via: "head_of_revops" };
}

export async function headOfRevOps(db: Db | Tx, config: DisputeConfig): Promise<RepRef | null> {
  if (config.headOfRevOpsEmail) {
    const rep = await repByEmail(db, config.headOfRevOpsEmail);
    if (rep?.active) return rep;
  }
  const arbiters = await activeRepsWithRole(db, "arbiter");
  return arbiters.find((r) => r.roles.includes("admin")) ?? arbiters[0] ?? null;
}
