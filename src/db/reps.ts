import type { Db, Tx } from "./client.ts";

export async function findRepBySlackId(db: Db | Tx, slackUserId: string) {
  return db.rep.findUnique({ where: { slackUserId } });
}

/** Active reps Slack does not know yet: linked by e-mail at start-up (services/reps/link-slack-users). */
export async function repsWithoutSlackUser(db: Db | Tx): Promise<{ id: string; email: string }[]> {
  return db.rep.findMany({
    where: { active: true, slackUserId: null },
    select: { id: true, email: true },
    orderBy: { email: "asc" },
  });
}

/**
 * Sets a rep's Slack user id unless one was set meanwhile (an import or another instance); false when
 * nothing changed. A Slack user already linked to another rep is refused by the unique index.
 */
export async function linkRepToSlackUser(db: Db | Tx, repId: string, slackUserId: string): Promise<boolean> {
  const taken = await db.rep.findUnique({ where: { slackUserId }, select: { id: true } });
  if (taken) return false;
  const updated = await db.rep.updateMany({ where: { id: repId, slackUserId: null }, data: { slackUserId } });
  return updated.count === 1;
}
