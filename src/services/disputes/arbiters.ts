// Arbiters as data: who hears disputes for a team or a territory, and their backup. Set one at a time
// (`turf arbiters set`) or from a CSV (`turf import arbiters`); listed with the routing order.
import { recordAudit } from "../../db/audit.ts";
import type { Db, Tx } from "../../db/client.ts";
import { type DisputeConfig, headOfRevOps } from "./route-arbiter.ts";

export type ArbiterScope = { kind: "team" | "territory"; name: string };

export type ArbiterSetting = {
  scope: ArbiterScope;
  arbiterEmail: string;
  /** null clears the backup: the head of RevOps then backs this scope up. */
  backupEmail: string | null;
};

export type ArbiterLine = {
  scope: ArbiterScope | { kind: "head_of_revops"; name: string };
  arbiter: { name: string; email: string } | null;
  backup: { name: string; email: string } | null;
};

export type ResolvedArbiter = {
  scope: ArbiterScope;
  territoryId: string | null;
  arbiterRepId: string;
  backupRepId: string | null;
};

/** Checks one setting against the database; the message names what is wrong, as the admin wrote it. */
export async function resolveArbiterSetting(
  db: Db | Tx,
  s: ArbiterSetting,
): Promise<{ ok: true; value: ResolvedArbiter } | { ok: false; message: string }> {
  const name = s.scope.name.trim();
  if (!name) return { ok: false, message: `the ${s.scope.kind} name is empty` };
  let territoryId: string | null = null;
  if (s.scope.kind === "territory") {
    const t = await db.territory.findUnique({ where: { name }, select: { id: true } });
    if (!t) return { ok: false, message: `no territory named "${name}" (import territories first)` };
    territoryId = t.id;
  } else {
    const members = await db.rep.count({ where: { team: name } });
    if (members === 0)
      return { ok: false, message: `no rep is on team "${name}" (check reps.csv's team column)` };
  }
  const rep = async (email: string, role: string): Promise<{ id: string } | { error: string }> => {
    const r = await db.rep.findUnique({
      where: { email: email.trim().toLowerCase() },
      select: { id: true, active: true },
    });
    if (!r) return { error: `${role} ${email} is not a rep in Turf (import reps first)` };
    if (!r.active) return { error: `${role} ${email} is not active` };
    return { id: r.id };
  };
  const arbiterRep = await rep(s.arbiterEmail, "arbiter");
  if ("error" in arbiterRep) return { ok: false, message: arbiterRep.error };
  const arbiter = arbiterRep.id;
  let backup: string | null = null;
  if (s.backupEmail) {
    const backupRep = await rep(s.backupEmail, "backup");
    if ("error" in backupRep) return { ok: false, message: backupRep.error };
    backup = backupRep.id;
    if (backup === arbiter)
      return { ok: false, message: "the backup must be someone other than the arbiter" };
  }
  return {
    ok: true,
    value: { scope: { ...s.scope, name }, territoryId, arbiterRepId: arbiter, backupRepId: backup },
  };
}

/** Writes resolved settings; returns how many changed. */
export async function writeArbiterSettings(
  tx: Tx,
  settings: readonly ResolvedArbiter[],
  meta: { now: Date; actor: string },
): Promise<number> {
  let changed = 0;
  for (const s of settings) {
    if (s.territoryId !== null) {
      const before = await tx.territory.findUniqueOrThrow({ where: { id: s.territoryId } });
      if (before.arbiterRepId === s.arbiterRepId && before.backupArbiterRepId === s.backupRepId) continue;
      await tx.territory.update({
        where: { id: s.territoryId },
        data: { arbiterRepId: s.arbiterRepId, backupArbiterRepId: s.backupRepId },
      });
    } else {
      const before = await tx.arbiterAssignment.findUnique({ where: { team: s.scope.name } });
      if (before?.arbiterRepId === s.arbiterRepId && before.backupArbiterRepId === s.backupRepId) continue;
      await tx.arbiterAssignment.upsert({
        where: { team: s.scope.name },
        create: { team: s.scope.name, arbiterRepId: s.arbiterRepId, backupArbiterRepId: s.backupRepId },
        update: { arbiterRepId: s.arbiterRepId, backupArbiterRepId: s.backupRepId },
      });
    }
    changed++;
    await recordAudit(tx, {
      actor: meta.actor,
      action: "arbiter.set",
      subjectType: s.scope.kind,
      subjectId: s.scope.name,
      details: { arbiterRepId: s.arbiterRepId, backupArbiterRepId: s.backupRepId },
      at: meta.now,
    });
  }
  return changed;
}

export async function setArbiter(
  db: Db,
  setting: ArbiterSetting,
  meta: { now: Date; actor: string },
): Promise<{ ok: true; changed: boolean } | { ok: false; message: string }> {
  const resolved = await resolveArbiterSetting(db, setting);
  if (!resolved.ok) return resolved;
  const changed = await db.$transaction((tx) => writeArbiterSettings(tx, [resolved.value], meta));
  return { ok: true, changed: changed > 0 };
}

/** Every scope with an arbiter, in routing order: territories, teams, then the head of RevOps. */
export async function listArbiters(db: Db | Tx, config: DisputeConfig): Promise<ArbiterLine[]> {
  const [territories, teams, head] = await Promise.all([
    db.territory.findMany({
      where: { arbiterRepId: { not: null } },
      orderBy: { name: "asc" },
      select: { name: true, arbiterRepId: true, backupArbiterRepId: true },
    }),
    db.arbiterAssignment.findMany({ orderBy: { team: "asc" } }),
    headOfRevOps(db, config),
  ]);
  const headBackup = config.headOfRevOpsBackupEmail
    ? await db.rep.findUnique({ where: { email: config.headOfRevOpsBackupEmail.toLowerCase() } })
    : null;
  const ids = [
    ...territories.flatMap((t) => [t.arbiterRepId, t.backupArbiterRepId]),
    ...teams.flatMap((t) => [t.arbiterRepId, t.backupArbiterRepId]),
  ].filter((id): id is string => id !== null);
  const reps = new Map(
    (
      await db.rep.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } })
    ).map((r) => [r.id, { name: r.name, email: r.email }]),
  );
  const who = (id: string | null) => (id ? (reps.get(id) ?? null) : null);
  const headRef = head ? { name: head.name, email: head.email } : null;
  return [
    ...territories.map((t) => ({
      scope: { kind: "territory" as const, name: t.name },
      arbiter: who(t.arbiterRepId),
      backup: who(t.backupArbiterRepId) ?? headRef,
    })),
    ...teams.map((t) => ({
      scope: { kind: "team" as const, name: t.team },
      arbiter: who(t.arbiterRepId),
      backup: who(t.backupArbiterRepId) ?? headRef,
    })),
    {
      scope: { kind: "head_of_revops" as const, name: "everything else" },
      arbiter: headRef,
      backup: headBackup ? { name: headBackup.name, email: headBackup.email } : null,
    },
  ];
}
