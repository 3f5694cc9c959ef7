import type { Db, Tx } from "./client.ts";

export async function findRepBySlackId(db: Db | Tx, slackUserId: string) {
  return db.rep.findUnique({ where: { slackUserId } });
}
