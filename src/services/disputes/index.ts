// The dispute use cases, bound to the database, the clock and the routing configuration once, so
// listeners and the sweep never see Prisma and never read the clock.

import type { Clock } from "../../config/clock.ts";
import type { Db } from "../../db/client.ts";
import {
  arbiterQueue,
  claimantOpenDisputes,
  loadDispute,
  recentDecisions,
  setArbiterCard,
} from "../../db/disputes.ts";
import { ok, refuse } from "../../domain/app-error.ts";
import type { DecisionChoice } from "../../domain/disputes/index.ts";
import { authorizeArbiter, decideDispute, decisionScopes } from "./decide-dispute.ts";
import { loadDisputeDetails } from "./dispute-details.ts";
import { type FilingInput, fileDispute, startFiling } from "./file-dispute.ts";
import { type NoticeWriter, sweepNotices } from "./notices.ts";
import { repBySlackId, repsById } from "./reps.ts";
import { recordInfoReply, requestInfo, setQuestionTs } from "./request-info.ts";
import type { DisputeConfig } from "./route-arbiter.ts";
import { signOffDispute, signOffManagers } from "./sign-off.ts";
import { withdrawDispute } from "./withdraw-dispute.ts";

/** The dispute read models the use cases return; Slack views import them from here, not from db. */
export type { DisputeListItem, StoredDispute } from "../../db/disputes.ts";
export type { DisputeConfig } from "./route-arbiter.ts";

export function createDisputeServices(db: Db, clock: Clock, config: DisputeConfig = {}) {
  return {
    startFiling: (accountId: string, slackUserId: string) =>
      startFiling(db, accountId, slackUserId, clock.now(), config),
    file: (input: FilingInput) => fileDispute(db, input, clock.now(), config),
    details: (disputeId: string, options?: { trail?: boolean }) =>
      loadDisputeDetails(db, disputeId, { ...options, now: clock.now() }),
    async repById(repId: string) {
      return (await repsById(db, [repId])).get(repId) ?? null;
    },
    setArbiterCard: (disputeId: string, channel: string, ts: string) =>
      setArbiterCard(db, disputeId, channel, ts),
    async auditStep(disputeId: string, action: string, details: Record<string, unknown> = {}) {
      await db.auditEvent.create({
        data: {
          actor: "system",
          action,
          subjectType: "dispute",
          subjectId: disputeId,
          details: details as object,
          at: clock.now(),
        },
      });
    },
    /** Before the decision modal opens: may this person act, and which rule scopes to offer. */
    async decisionOptions(disputeId: string, actorSlackUserId: string) {
      const authorized = await authorizeArbiter(db, disputeId, actorSlackUserId);
      if (!authorized.ok) return authorized;
      const [details, scopes] = await Promise.all([
        loadDisputeDetails(db, disputeId, { now: clock.now() }),
        decisionScopes(db, authorized.value.dispute),
      ]);
      if (!details) return refuse("not_found", "gone", "Turf can't find that dispute any more.");
      return ok({ details, scopes });
    },
    /** The claimant withdraws an open dispute; pending reminders and the escalation stop. */
    withdraw: (input: { disputeId: string; actorSlackUserId: string }) =>
      withdrawDispute(db, input, clock.now()),
    authorizeArbiter: (disputeId: string, actorSlackUserId: string) =>
      authorizeArbiter(db, disputeId, actorSlackUserId),
    decide: (input: {
      disputeId: string;
      actorSlackUserId: string;
      choice: DecisionChoice;
      text: string;
      scope: unknown;
    }) => decideDispute(db, input, clock.now(), { lockWaitMs: config.lockWaitMs }),
    requestInfo: (input: { disputeId: string; actorSlackUserId: string; question: string }) =>
      requestInfo(db, input, clock.now()),
    setQuestionTs: (noteId: string, channel: string, ts: string) => setQuestionTs(db, noteId, channel, ts),
    recordInfoReply: (input: {
      slackUserId: string;
      channel: string;
      threadTs: string;
      ts: string;
      text: string;
    }) => recordInfoReply(db, input, clock.now()),
    async signOffManagers(disputeId: string) {
      const dispute = await loadDispute(db, disputeId);
      return dispute ? signOffManagers(db, dispute) : [];
    },
    signOff: (input: { disputeId: string; actorSlackUserId: string }) =>
      signOffDispute(db, input, clock.now(), { lockWaitMs: config.lockWaitMs }),
    /** The three App Home / `/owner disputes` lists for one Slack user. */
    async lists(slackUserId: string) {
      const rep = await repBySlackId(db, slackUserId);
      if (!rep) return null;
      const [queue, mine, decided] = await Promise.all([
        arbiterQueue(db, rep.id),
        claimantOpenDisputes(db, rep.id),
        recentDecisions(db, rep.id),
      ]);
      return { rep, queue, mine, decided, now: clock.now() };
    },
    /**
     * One batch of the 48-hour clock's sweep in one transaction: claims up to `limit` due notices,
     * decides and words them, marks them and writes their messages to the outbox (notices.ts).
     */
    sweepNotices: (claim: { instance: string; leaseMs: number; limit: number }, writer: NoticeWriter) =>
      sweepNotices(db, clock.now(), claim, writer),
  };
}

export type DisputeServices = ReturnType<typeof createDisputeServices>;
