// The use cases the Slack listeners, jobs and CLI call, bound to the database and the clock here,
// once, so callers never see Prisma and never read the clock. Each entry is named after the use case
// it calls and binds arguments; the logic lives in the use case's own module.
import type { Clock } from "../config/clock.ts";
import type { Db } from "../db/client.ts";
import { findRepBySlackId } from "../db/reps.ts";
import { firstDelivery } from "../db/slack-events.ts";
import { createDisputeServices, type DisputeConfig, type DisputeServices } from "./disputes/index.ts";
import { createOutboxServices, type OutboxServices } from "./outbox/index.ts";
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
import { type PendingNotice, pendingNoticeFor, pendingNoticesForRep } from "./rules/pending-answer.ts";
import { createSignalServices, type SignalServices } from "./signals/index.ts";
import type { SignalSettings } from "./signals/settings.ts";

type Returns<F extends (...args: never[]) => unknown> = ReturnType<F>;
type WithPending<T> = T & { pending: PendingNotice | null };
type LookupAnswer = Awaited<Returns<typeof lookupOwner>>;
type Card = NonNullable<Awaited<Returns<typeof lookupOwnerByAccountId>>>;

export type Services = {
  disputes: DisputeServices;
  /** "Who owns <query>?" — the answer a rep sees; records the lookup for App Home. */
  lookupOwner(
    query: string,
    slackUserId: string | null,
  ): Promise<LookupAnswer | (Extract<LookupAnswer, { status: "found" }> & { card: WithPending<Card> })>;
  /** The owner card of one account (a candidate picked, an answer shared). */
  lookupOwnerByAccountId(accountId: string): Promise<WithPending<Card> | null>;
  /** The rule trail and history behind an account's owner. */
  whyOwner(accountId: string): Returns<typeof whyOwner>;
  /** Moves the rules have dated for later into or out of the rep's book, as sentences. */
  pendingNoticesForRep(repId: string): Returns<typeof pendingNoticesForRep>;
  /** Which account a free-text query means, without answering who owns it. */
  matchAccount(query: string): Returns<typeof matchAccount>;
  recentLookups(slackUserId: string): Returns<typeof recentLookups>;
  findRepBySlackId(slackUserId: string): Returns<typeof findRepBySlackId>;
  /** The rebalance settings in force (quota, channel, hygiene thresholds), for the jobs. */
  rebalanceSettings: RebalanceSettings;
  /** TURF_TIMEZONE: every date a person reads is a date in this zone. */
  timeZone: string;
  /** A manager or admin may preview and publish rebalances; null for everyone else. */
  findManager(slackUserId: string): Returns<typeof findManager>;
  previewRebalance(input: {
    quarter?: string;
    actor: string;
    force?: boolean;
  }): Returns<typeof previewRebalance>;
  /** One page of a stored rebalance's moves. */
  loadRebalance(rebalanceId: string, page: number, pageSize: number): Returns<typeof loadRebalance>;
  /** `announce` writes the memo and DMs to the outbox inside the publish transaction. */
  publishRebalance(
    rebalanceId: string,
    actor: string,
    announce?: Parameters<typeof publishRebalance>[1]["announce"],
  ): Returns<typeof publishRebalance>;
  territoryHealthReport(): Returns<typeof territoryHealthReport>;
  /** Records a Slack event id; false when it was seen before (a retry or another instance). */
  firstDelivery(eventId: string): Promise<boolean>;
  /** Every Slack message Turf sends goes through here (src/services/outbox). */
  outbox: OutboxServices;
  /** Buying signals: ingest, the rep's buttons, App Home, delivery (src/services/signals). */
  signals: SignalServices;
};

export function createServices(
  db: Db,
  clock: Clock,
  settings: Partial<RebalanceSettings> = {},
  disputeConfig: DisputeConfig = {},
  signalSettings?: SignalSettings,
): Services {
  const rebalanceSettings = withDefaults(settings);
  const timeZone = rebalanceSettings.calendar.timeZone ?? "UTC";
  // A found account's answer also says when the rules have dated a move for it (rules helper).
  const withPending = async <T extends { account: { id: string } }>(card: T) =>
    Object.assign(card, { pending: await pendingNoticeFor(db, card.account.id, timeZone) });
  return {
    disputes: createDisputeServices(db, clock, disputeConfig),
    signals: createSignalServices(db, clock, signalSettings),
    lookupOwner: async (query, slackUserId) => {
      const answer = await lookupOwner(db, query, { slackUserId, now: clock.now() });
      if (answer.status === "found") await withPending(answer.card);
      return answer;
    },
    lookupOwnerByAccountId: async (accountId) => {
      const card = await lookupOwnerByAccountId(db, accountId);
      return card ? withPending(card) : null;
    },
    whyOwner: (accountId) =>
      whyOwner(db, accountId, { now: clock.now(), calendar: rebalanceSettings.calendar }),
    pendingNoticesForRep: (repId) => pendingNoticesForRep(db, repId, timeZone),
    matchAccount: (query) => matchAccount(db, query),
    recentLookups: (slackUserId) => recentLookups(db, slackUserId),
    findRepBySlackId: (slackUserId) => findRepBySlackId(db, slackUserId),
    rebalanceSettings,
    timeZone,
    findManager: (slackUserId) => findManager(db, slackUserId),
    previewRebalance: (input) =>
      previewRebalance(db, { ...input, now: clock.now(), settings: rebalanceSettings }),
    loadRebalance: (rebalanceId, page, pageSize) => loadRebalance(db, rebalanceId, { page, pageSize }),
    publishRebalance: (rebalanceId, actor, announce) =>
      publishRebalance(db, {
        rebalanceId,
        actor,
        now: clock.now(),
        channel: rebalanceSettings.rebalanceChannel,
        announce,
      }),
    territoryHealthReport: () => territoryHealthReport(db, { now: clock.now(), settings: rebalanceSettings }),
    firstDelivery: (eventId) => firstDelivery(db, eventId, clock.now()),
    outbox: createOutboxServices(db, clock),
  };
}

/** The owner card the ownership use cases return; Slack views import it from here, not from db. */
export type { OwnerCard } from "../db/owner-card.ts";
