// The use cases the Slack listeners, jobs and CLI call. Each takes the database and clock here, once,
// so listeners never see Prisma and never read the clock.
import type { Clock } from "../config/clock.ts";
import type { Db } from "../db/client.ts";
import { findRepBySlackId } from "../db/reps.ts";
import { createDisputeServices, type DisputeConfig } from "./disputes/index.ts";
import { createOutboxServices } from "./outbox/index.ts";
import {
  lookupOwner,
  lookupOwnerByAccountId,
  matchAccount,
  recentLookups,
} from "./ownership/lookup-owner.ts";
import { whyOwner } from "./ownership/why-owner.ts";
import { loadRebalance } from "./rebalance/load-rebalance.ts";
import { findManager } from "./rebalance/managers.ts";
import { previewRebalance } from "./rebalance/preview-rebalance.ts";
import { publishRebalance } from "./rebalance/publish-rebalance.ts";
import { type RebalanceSettings, withDefaults } from "./rebalance/settings.ts";
import { territoryHealthReport } from "./reports/territory-health.ts";

export function createServices(
  db: Db,
  clock: Clock,
  settings: Partial<RebalanceSettings> = {},
  disputeConfig: DisputeConfig = {},
) {
  const rebalanceSettings = withDefaults(settings);
  return {
    clock,
    disputes: createDisputeServices(db, clock, disputeConfig),
    lookupOwner: (query: string, slackUserId: string | null) =>
      lookupOwner(db, query, { slackUserId, now: clock.now() }),
    ownerCard: (accountId: string) => lookupOwnerByAccountId(db, accountId),
    whyOwner: (accountId: string) => whyOwner(db, accountId),
    matchAccount: (query: string) => matchAccount(db, query),
    recentLookups: (slackUserId: string) => recentLookups(db, slackUserId),
    repBySlackId: (slackUserId: string) => findRepBySlackId(db, slackUserId),
    rebalanceSettings,
    /** A manager or admin may preview and publish rebalances; null for everyone else. */
    rebalanceManager: (slackUserId: string) => findManager(db, slackUserId),
    previewRebalance: (input: { quarter?: string; actor: string }) =>
      previewRebalance(db, { ...input, now: clock.now(), settings: rebalanceSettings }),
    rebalancePage: (rebalanceId: string, page: number, pageSize: number) =>
      loadRebalance(db, rebalanceId, { page, pageSize }),
    publishRebalance: (
      rebalanceId: string,
      actor: string,
      announce?: Parameters<typeof publishRebalance>[1]["announce"],
    ) =>
      publishRebalance(db, {
        rebalanceId,
        actor,
        now: clock.now(),
        channel: rebalanceSettings.rebalanceChannel,
        announce,
      }),
    /** Every Slack message Turf sends goes through here (src/services/outbox). */
    outbox: createOutboxServices(db, clock),
    territoryHealth: () => territoryHealthReport(db, { now: clock.now(), settings: rebalanceSettings }),
    /** Records a Slack event id; false when it was seen before (a retry or another instance). */
    async firstDelivery(eventId: string): Promise<boolean> {
      const inserted =
        await db.$executeRaw`INSERT INTO "SlackEvent" ("eventId", "receivedAt") VALUES (${eventId}, ${clock.now()}) ON CONFLICT DO NOTHING`;
      return inserted === 1;
    },
  };
}

export type Services = ReturnType<typeof createServices>;

/** The owner card the ownership use cases return; Slack views import it from here, not from db. */
export type { OwnerCard } from "../db/owner-card.ts";
