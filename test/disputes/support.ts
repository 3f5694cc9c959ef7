// Shared helpers for the dispute tests: the sample company's people, filing through the real
// modal payloads, and running the sweep job directly with the test clock.
import pino from "pino";
import { type SweepOptions, sweepDisputeNotices } from "../../src/jobs/dispute-sweep.ts";
import type { Notifier } from "../../src/services/outbox/index.ts";
import { noticeMessages } from "../../src/slack/listeners/disputes/send.ts";
import { outboxClient, slackTransport } from "../../src/slack/outbox-transport.ts";
import {
  DECISION_BLOCK,
  DISPUTE_ACTION,
  DISPUTE_VIEW,
  FILING_BLOCK,
  inputAction,
} from "../../src/slack/views/disputes/ids.ts";
import type { RecordedCall } from "../harness/fake-slack-api.ts";
import { blockAction, type ViewStateValues, viewSubmission } from "../harness/slack-payloads.ts";
import { BOT_TOKEN, type TurfUnderTest } from "../support/turf-app.ts";

export const SLACK = {
  morgan: "U0Y61QSF18N",
  marcus: "U0Y76WBST3V",
  sofie: "U0D46E5AXW2",
  dana: "U0L4A5HCGZ2",
  jordan: "U0830617A82",
  hannah: "U0X46LDYZAB",
  lucas: "U0KX1R97VT8",
  mei: "U0R01W1HGEF",
} as const;

export const USERS = {
  [SLACK.morgan]: { tz: "America/Los_Angeles", email: "morgan@turf-demo.example" },
  [SLACK.dana]: { tz: "America/New_York", email: "dana@turf-demo.example" },
  [SLACK.hannah]: { tz: "Europe/Berlin", email: "hannah@turf-demo.example" },
  [SLACK.lucas]: { tz: "Europe/Paris", email: "lucas@turf-demo.example" },
  [SLACK.marcus]: { tz: "America/Chicago", email: "marcus@turf-demo.example" },
  [SLACK.sofie]: { tz: "Europe/Stockholm", email: "sofie@turf-demo.example" },
};

/** A rep who sells through a reseller (in the fake Slack's users only where a test adds him). */
export const ALEX = "U05NNF1EMVX";

export const ESCALATION_CHANNEL = "C0ESCALATE1";
export const HOUR = 3_600_000;

export const CRM = {
  globexDe: "001000000000GLOBDE",
  brightpathUk: "0018d00000dGt2CTEL",
  rookhaven: "0018d00000epKy60M0",
  frostholm: "0018d00000Mc6RKNYU",
} as const;

export async function accountId(turf: TurfUnderTest, crmId: string): Promise<string> {
  return (await turf.db.prisma.account.findUniqueOrThrow({ where: { crmId } })).id;
}

export async function repId(turf: TurfUnderTest, slackUserId: string): Promise<string> {
  return (await turf.db.prisma.rep.findUniqueOrThrow({ where: { slackUserId } })).id;
}

export type FilingValues = {
  proposedOwner?: string | null;
  category?: string | null;
  reason?: string | null;
  evidence?: string | null;
  opportunityLink?: string | null;
};

export function filingState(v: FilingValues): ViewStateValues {
  const text = (value: string | null | undefined) => ({ type: "plain_text_input", value: value ?? null });
  return {
    [FILING_BLOCK.proposedOwner]: {
      [inputAction(FILING_BLOCK.proposedOwner)]: {
        type: "users_select",
        selected_user: v.proposedOwner ?? null,
      },
    },
    [FILING_BLOCK.category]: {
      [inputAction(FILING_BLOCK.category)]: {
        type: "static_select",
        selected_option: v.category
          ? { text: { type: "plain_text", text: v.category, emoji: true }, value: v.category }
          : null,
      },
    },
    [FILING_BLOCK.reason]: { [inputAction(FILING_BLOCK.reason)]: text(v.reason) },
    [FILING_BLOCK.evidence]: { [inputAction(FILING_BLOCK.evidence)]: text(v.evidence) },
    [FILING_BLOCK.opportunityLink]: { [inputAction(FILING_BLOCK.opportunityLink)]: text(v.opportunityLink) },
  };
}

/** Submits the dispute modal as Slack would, for the account the modal was opened on. */
export function submitFiling(turf: TurfUnderTest, userId: string, account: string, values: FilingValues) {
  return turf.send(
    viewSubmission({
      userId,
      callbackId: DISPUTE_VIEW.file,
      privateMetadata: JSON.stringify({ accountId: account }),
      values: filingState({ proposedOwner: userId, ...values }),
    }),
  );
}

/** Files a dispute and returns its id (the test fails if none opened). */
export async function fileDispute(
  turf: TurfUnderTest,
  userId: string,
  crmId: string,
  values: FilingValues = {},
): Promise<string> {
  const account = await accountId(turf, crmId);
  const res = await submitFiling(turf, userId, account, {
    category: "segment_change",
    reason: "The account moved into my segment after their reorganisation last quarter.",
    ...values,
  });
  if (res.status !== 200 || res.body !== "")
    throw new Error(`filing was not accepted: ${res.status} ${res.body}`);
  const claimant = await repId(turf, userId);
  const dispute = await turf.db.prisma.dispute.findFirstOrThrow({
    where: { accountId: account, claimantRepId: claimant },
    orderBy: { openedAt: "desc" },
  });
  return dispute.id;
}

/** Where the arbiter's card was posted, as stored on the dispute. */
export async function cardOf(
  turf: TurfUnderTest,
  disputeId: string,
): Promise<{ channelId: string; ts: string }> {
  const d = await turf.db.prisma.dispute.findUniqueOrThrow({ where: { id: disputeId } });
  if (!d.arbiterCardChannel || !d.arbiterCardTs) throw new Error("no arbiter card stored on the dispute");
  return { channelId: d.arbiterCardChannel, ts: d.arbiterCardTs };
}

export function clickButton(
  turf: TurfUnderTest,
  userId: string,
  actionId: string,
  disputeId: string,
  message = { channelId: "D0CARD0001", ts: "1767225600.000100" },
) {
  const responseUrl = turf.fake.responseUrl();
  return {
    responseUrl,
    sent: turf.send(blockAction({ userId, actionId, value: disputeId, message, responseUrl })),
  };
}

export function decisionState(text: string, scope: unknown): ViewStateValues {
  const value = JSON.stringify(scope);
  return {
    [DECISION_BLOCK.text]: { [inputAction(DECISION_BLOCK.text)]: { type: "plain_text_input", value: text } },
    [DECISION_BLOCK.scope]: {
      [inputAction(DECISION_BLOCK.scope)]: {
        type: "radio_buttons",
        selected_option: { text: { type: "plain_text", text: "scope", emoji: true }, value },
      },
    },
  };
}

export function submitDecision(
  _turf: TurfUnderTest,
  userId: string,
  disputeId: string,
  choice: "keep" | "transfer",
  text: string,
  scope: unknown,
) {
  return viewSubmission({
    userId,
    callbackId: DISPUTE_VIEW.decide,
    privateMetadata: JSON.stringify({ disputeId, choice }),
    values: decisionState(text, scope),
  });
}

export const ACTIONS = DISPUTE_ACTION;

export const silent = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

/** The outbox over the fake Slack, as main.ts builds it (one transport per test app). */
const notifiers = new WeakMap<TurfUnderTest, Notifier>();
export function notifierOf(
  turf: TurfUnderTest,
  options: { timeoutMs?: number; instance?: string } = {},
): Notifier {
  let notifier = options.timeoutMs || options.instance ? undefined : notifiers.get(turf);
  if (!notifier) {
    notifier = turf.services.outbox.notifier(
      slackTransport(outboxClient(BOT_TOKEN, turf.fake.url, options.timeoutMs)),
      silent,
      options.instance ? { instance: options.instance } : {},
    );
    if (!options.timeoutMs && !options.instance) notifiers.set(turf, notifier);
  }
  return notifier;
}

export function sweep(turf: TurfUnderTest, options: SweepOptions = {}) {
  return sweepDisputeNotices(
    {
      services: turf.services,
      logger: silent,
      notifier: notifierOf(turf),
      composeNotice: noticeMessages,
      escalationChannel: ESCALATION_CHANNEL,
    },
    { instanceId: "test-instance", ...options },
  );
}

/** DMs (chat.postMessage) sent to a user, found through the DM channel conversations.open gave for them. */
export function dmsTo(turf: TurfUnderTest, slackUserId: string, since = 0): RecordedCall[] {
  const channels = new Set(
    turf.fake.calls
      .filter((c) => c.method === "conversations.open" && c.args.users === slackUserId)
      .map((_c) => dmChannelOf(slackUserId)),
  );
  return turf.fake.calls
    .slice(since)
    .filter((c) => c.method === "chat.postMessage" && channels.has(String(c.args.channel)));
}

/** The fake's deterministic DM channel id for a user (see fake-slack-api conversations.open). */
export function dmChannelOf(slackUserId: string): string {
  return `D0${slackUserId
    .replace(/^[UW]0?/, "")
    .slice(0, 8)
    .padEnd(8, "D")}`;
}

/**
 * Alex files a reseller-channel dispute on the account and the arbiter decides it for him: a channel
 * exception, waiting for a manager's sign-off. Returns the dispute's id.
 */
export async function decideForReseller(turf: TurfUnderTest, crmId: string): Promise<string> {
  const disputeId = await fileDispute(turf, ALEX, crmId, {
    category: "reseller_channel",
    reason: "I registered the deal with the reseller before the direct rep engaged.",
  });
  const res = await turf.send(
    submitDecision(turf, SLACK.morgan, disputeId, "transfer", "The channel deal was Alex's from the start.", {
      kind: "account_only",
      accountCrmId: crmId,
    }),
  );
  if (res.body !== "") throw new Error(`the decision was not accepted: ${res.status} ${res.body}`);
  return disputeId;
}
