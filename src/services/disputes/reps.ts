// The reps a dispute names, as the Slack layer needs them: a name to show and a Slack id to DM.
import type { Db, Tx } from "../../db/client.ts";
import type { RepRole } from "../../domain/model.ts";

export type RepRef = {
  id: string;
  name: string;
  email: string;
  slackUserId: string | null;
  team: string | null;
  roles: RepRole[];
  active: boolean;
};

const select = {
  id: true,
  name: true,
  email: true,
  slackUserId: true,
  team: true,
  roles: true,
  active: true,
} as const;

export async function repsById(db: Db | Tx, ids: readonly (string | null)[]): Promise<Map<string, RepRef>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.rep.findMany({ where: { id: { in: wanted } }, select });
  return new Map(rows.map((r) => [r.id, { ...r, roles: r.roles as RepRole[] }]));
}

export async function repBySlackId(db: Db | Tx, slackUserId: string): Promise<RepRef | null> {
  const row = await db.rep.findUnique({ where: { slackUserId }, select });
  return row ? { ...row, roles: row.roles as RepRole[] } : null;
}

export async function repByEmail(db: Db | Tx, email: string): Promise<RepRef | null> {
  const row = await db.rep.findUnique({ where: { email: email.toLowerCase() }, select });
  return row ? { ...row, roles: row.roles as RepRole[] } : null;
}

export async function activeRepsWithRole(db: Db | Tx, role: RepRole): Promise<RepRef[]> {
  const rows = await db.rep.findMany({
    where: { active: true, roles: { has: role } },
    orderBy: [{ createdAt: "asc" }, { email: "asc" }],
    select,
  });
  return rows.map((r) => ({ ...r, roles: r.roles as RepRole[] }));
}
