// The use cases the Slack listeners, jobs and CLI call. Each takes the database and clock here, once,
// so listeners never see Prisma and never read the clock.
import type { Clock } from "../config/clock.ts";
import type { Db } from "../db/client.ts";
import { findRepBySlackId } from "../db/reps.ts";
import { lookupOwner, lookupOwnerByAccountId, recentLookups } from "./ownership/lookup-owner.ts";

export function createServices(db: Db, clock: Clock) {
  return {
    clock,
    lookupOwner: (query: string, slackUserId: string | null) => lookupOwner(db, query, { slackUserId, now: clock.now() }),
    ownerCard: (accountId: string) => lookupOwnerByAccountId(db, accountId),
    recentLookups: (slackUserId: string) => recentLookups(db, slackUserId),
    repBySlackId: (slackUserId: string) => findRepBySlackId(db, slackUserId),
    /** Records a Slack event id; false when it was seen before (a retry or another instance). */
    async firstDelivery(eventId: string): Promise<boolean> {
      const inserted = await db.$executeRaw`INSERT INTO "SlackEvent" ("eventId", "receivedAt") VALUES (${eventId}, ${clock.now()}) ON CONFLICT DO NOTHING`;
      return inserted === 1;
    },
  };
}

export type Services = ReturnType<typeof createServices>;
