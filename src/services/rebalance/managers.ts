// Who may preview and publish a rebalance: managers and admins, looked up by their Slack id.
import type { Db } from "../../db/client.ts";

export type Manager = { id: string; name: string; slackUserId: string };

export async function findManager(db: Db, slackUserId: string): Promise<Manager | null> {
  const rep = await db.rep.findUnique({ where: { slackUserId } });
  if (!rep?.active) return null;
  const allowed = rep.roles.some((r) => r.toLowerCase().includes("manager") || r.toLowerCase() === "admin");
  return allowed ? { id: rep.id, name: rep.name, slackUserId } : null;
}
