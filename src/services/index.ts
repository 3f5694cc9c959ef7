// The use cases the Slack listeners, jobs and CLI call. Each takes the database and clock here, once,
// so listeners never see Prisma and never read the clock.
import type { Clock } from "../config/clock.ts";
import type { Db } from "../db/client.ts";
import { findRepBySlackId } from "../db/reps.ts";
import { createDisputeServices, type DisputeConfig } from "./disputes/index.ts";
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
import { pendingNoticeFor, pendingNoticesForRep } from "./rules/pending-answer.ts";

export function createServices(
  db: Db,
  clock: Clock,
  settings: Partial<RebalanceSettings> = {},
  disputeConfig: DisputeConfig = {},
) {
  const rebalanceSettings = withDefaults(settings);
  const timeZone = rebalanceSettings.calendar.timeZone ?? "UTC";
  // A found account's answer also says when the rules have dated a move for it (rules helper).
  const withPending = async <T extends { account: { id: string } }>(card: T) =>
    Object.assign(card, { pending: await pendingNoticeFor(db, card.account.id, timeZone) });
  return {
    clock,
    disputes: createDisputeServices(db, clock, disputeConfig),
    lookupOwner: async (query: string, slackUserId: string | null) => {
      const answer = await lookupOwner(db, query, { slackUserId, now: clock.now() });
      if (answer.status === "found") await withPending(answer.card);
      return answer;
    },
    ownerCard: async (accountId: string) => {
      const card = await lookupOwnerByAccountId(db, accountId);
      return card ? withPending(card) : null;
    },
    whyOwner: (accountId: string) =>
      whyOwner(db, accountId, { now: clock.now(), calendar: rebalanceSettings.calendar }),
    /** Moves the rules have dated for later into or out of the rep's book, as sentences. */
    pendingMovesForRep: (repId: string) => pendingNoticesForRep(db, repId, timeZone),
    matchAccount: (query: string) => matchAccount(db, query),
    recentLookups: (slackUserId: string) => recentLookups(db, slackUserId),
    repBySlackId: (slackUserId: string) => findRepBySlackId(db, slackUserId),
    rebalanceSettings,
    /** TURF_TIMEZONE: every date a person reads is a date in this zone. */
    timeZone: rebalanceSettings.calendar.timeZone ?? "UTC",
    /** A manager or admin may preview and publish rebalances; null for everyone else. */
    rebalanceManager: (slackUserId: string) => findManager(db, slackUserId),
    previewRebalance: (input: { quarter?: string; actor: string; force?: boolean }) =>
      previewRebalance(db, { ...input, now: clock.now(), settings: rebalanceSettings }),
    rebalancePage: (rebalanceId: string, page: number, pageSize: number) =>
      loadRebalance(db, rebalanceId, { page, pageSize }),
    publishRebalance: (rebalanceId: string, actor: string) =>
      publishRebalance(db, {
        rebalanceId,
        actor,
        now: clock.now(),
        channel: rebalanceSettings.rebalanceChannel,
      }),
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
