// Slack event ids already handled, so a redelivered event is answered once (see slack/app.ts).
import type { Db } from "./client.ts";

/** Records a Slack event id; false when it was seen before (a retry or another instance). */
export async function firstDelivery(db: Db, eventId: string, receivedAt: Date): Promise<boolean> {
  const inserted =
    await db.$executeRaw`INSERT INTO "SlackEvent" ("eventId", "receivedAt") VALUES (${eventId}, ${receivedAt}) ON CONFLICT DO NOTHING`;
  return inserted === 1;
}
