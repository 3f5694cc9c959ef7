// Reads the rep importer needs before it writes.
import type { Db } from "./client.ts";

/** slack user id → e-mail of the rep who holds it, for the ids given. */
export async function repsHoldingSlackIds(db: Db, slackIds: string[]): Promise<Map<string, string>> {
  if (slackIds.length === 0) return new Map();
  const rows = await db.$queryRawUnsafe<{ slackUserId: string; email: string }[]>(
    `SELECT "slackUserId", email FROM "Rep" WHERE "slackUserId" = ANY($1::text[])`,
    slackIds,
  );
  return new Map(rows.map((r) => [r.slackUserId, r.email.toLowerCase()]));
}
