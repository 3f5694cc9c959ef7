// The dispute state machine: which events each status accepts, from whom, and what the outside
// world must do as a result (effects). Applying the same click twice is refused the second time
// with a message, so double clicks and retried requests change nothing.
import type { Refusal } from "../app-error.ts";
import type { RepRole } from "../model.ts";
import { awaitsSignOff, signOffDueAtFor } from "./clock.ts";
import type { DecisionChoice, Dispute, DisputeDecision } from "./dispute.ts";
import type { RuleScope } from "./scope.ts";

export const DECISION_TEXT_MAX = 3000;

export type DisputeEvent =
  | { type: "info_requested"; by: string; question?: string | null }
  | { type: "info_provided"; by: string; text: string }
  | { type: "escalated" }
  | { type: "decided"; by: string; decision: DecisionChoice; text: string; scope: RuleScope }
  | { type: "withdrawn"; by: string }
  | { type: "signed_off"; by: string; byRoles: readonly RepRole[] }
  | { type: "sign_off_expired" };

export type DisputeEventType = DisputeEvent["type"];

export const DISPUTE_EVENT_TYPES = [
  "info_requested",
  "info_provided",
  "escalated",
  "decided",
  "withdrawn",
  "signed_off",
  "sign_off_expired",
] as const satisfies readonly DisputeEventType[];

/** Why a rep is being told something; the Slack layer turns each into a message. */
export type DisputeNotification =
  | "info_requested"
  | "info_provided"
  | "escalated"
  | "decided"
  | "awaiting_sign_off"
  | "signed_off"
  | "sign_off_expired"
  | "withdrawn";

export type DisputeEffect =
  /** Every accepted event is an audit event. */
  | { type: "audit"; event: DisputeEventType; by: string | null }
  /** A note on the dispute (the question asked, the claimant's reply). */
  | { type: "add_note"; kind: "info_request" | "info_reply"; by: string; text: string }
  | { type: "notify"; to: string[]; about: DisputeNotification }
  /** Card to the backup arbiter (if any) and the configured escalation channel. */
  | { type: "escalate"; backupArbiterRepId: string | null }
  /** Replace the arbiter card's buttons with the outcome, in place. */
  | { type: "update_arbiter_card" }
  /** Change ownership (see planDecision) and write the decision rule (see decisionRuleFor). */
  | { type: "apply_decision"; decision: DisputeDecision; scope: RuleScope }
  | { type: "request_sign_off"; dueAt: Date };

export const DISPUTE_ERROR_CODES = [
  "not_authorized",
  "already_decided",
  "withdrawn",
  "invalid_transition",
  "already_requested",
  "no_info_requested",
  "already_escalated",
  "not_due",
  "missing_text",
  "text_too_long",
  "no_owner_to_keep",
  "no_sign_off_pending",
  "sign_off_closed",
] as const;
export type DisputeErrorCode = (typeof DISPUTE_ERROR_CODES)[number];

/** `message` is for logs; only `userMessage` is shown in Slack. */
export type DisputeError = Refusal<DisputeErrorCode>;

export type DisputeTransition =
  | { ok: true; dispute: Dispute; effects: DisputeEffect[] }
  | { ok: false; error: DisputeError };

function refuse(
  code: DisputeErrorCode,
  message: string,
  userMessage: string,
): { ok: false; error: DisputeError } {
  return { ok: false, error: { code, message, userMessage } };
}

/**
 * Who may decide or ask for info: the assigned arbiter always, the backup arbiter once the
 * dispute has escalated. Everyone else gets a polite refusal they can act on.
 */
export function canActOnDispute(
  dispute: Dispute,
  actorRepId: string,
): { ok: true } | { ok: false; error: DisputeError } {
  if (actorRepId === dispute.arbiterRepId) return { ok: true };
  const escalated = dispute.status === "escalated" || dispute.notices.escalation !== undefined;
  if (escalated && dispute.backupArbiterRepId !== null && actorRepId === dispute.backupArbiterRepId) {
    return { ok: true };
  }
  const who =
    escalated && dispute.backupArbiterRepId !== null
      ? "the assigned arbiter or the backup arbiter"
      : "the arbiter assigned to it";
  return refuse(
    "not_authorized",
    `rep ${actorRepId} may not act on dispute ${dispute.id}`,
    `Thanks for stepping in, but only ${who} can act on this dispute, so nothing was changed.`,
  );
}

function closedRefusal(dispute: Dispute, event: DisputeEvent): { ok: false; error: DisputeError } {
  if (dispute.status === "withdrawn") {
    return refuse(
      "withdrawn",
      `dispute ${dispute.id} is withdrawn; ${event.type} refused`,
      "The claimant withdrew this dispute, so there is nothing left to do on it.",
    );
  }
  const outcome = dispute.decision === "transfer" ? "transfer the account" : "keep the current owner";
  return refuse(
    "already_decided",
    `dispute ${dispute.id} is resolved; ${event.type} refused`,
    `This dispute has already been decided (${outcome}), so nothing was changed.`,
  );
}

export function applyDisputeEvent(dispute: Dispute, event: DisputeEvent, now: Date): DisputeTransition {
  switch (event.type) {
    case "info_requested":
      return requestInfo(dispute, event);
    case "info_provided":
      return provideInfo(dispute, event);
    case "escalated":
      return escalate(dispute, now);
    case "decided":
      return decide(dispute, event, now);
    case "withdrawn":
      return withdraw(dispute, event);
    case "signed_off":
      return signOff(dispute, event, now);
    case "sign_off_expired":
      return expireSignOff(dispute, now);
  }
}

const isClosed = (dispute: Dispute) => dispute.status === "resolved" || dispute.status === "withdrawn";

function requestInfo(
  dispute: Dispute,
  event: Extract<DisputeEvent, { type: "info_requested" }>,
): DisputeTransition {
  if (isClosed(dispute)) return closedRefusal(dispute, event);
  const allowed = canActOnDispute(dispute, event.by);
  if (!allowed.ok) return allowed;
  if (dispute.status === "info_requested") {
    return refuse(
      "already_requested",
      `dispute ${dispute.id} already waits for info`,
      "You have already asked the claimant for more information; their reply will appear on the dispute.",
    );
  }
  const question = event.question?.trim() || null;
  // Asking pauses nothing: dueAt stays, so the reminders and escalation keep their times. After
  // escalation the status stays "escalated" so the backup arbiter keeps the right to decide.
  const status = dispute.status === "escalated" ? "escalated" : "info_requested";
  return {
    ok: true,
    dispute: { ...dispute, status },
    effects: [
      ...(question === null
        ? []
        : [{ type: "add_note", kind: "info_request", by: event.by, text: question } as const]),
      { type: "notify", to: [dispute.claimantRepId], about: "info_requested" },
      { type: "audit", event: "info_requested", by: event.by },
    ],
  };
}

function provideInfo(
  dispute: Dispute,
  event: Extract<DisputeEvent, { type: "info_provided" }>,
): DisputeTransition {
  if (isClosed(dispute)) return closedRefusal(dispute, event);
  if (event.by !== dispute.claimantRepId) {
    return refuse(
      "not_authorized",
      `rep ${event.by} is not the claimant of dispute ${dispute.id}`,
      "Only the rep who filed this dispute can add information to it.",
    );
  }
  // An escalated dispute may have been asked without changing status, so replies are welcome.
  if (dispute.status === "open") {
    return refuse(
      "no_info_requested",
      `dispute ${dispute.id} has no open question`,
      "The arbiter hasn't asked for anything yet; you'll get a message if they do.",
    );
  }
  const text = event.text.trim();
  if (text === "") {
    return refuse(
      "missing_text",
      "empty info reply",
      "Your reply is empty; write what the arbiter should know.",
    );
  }
  const recipients = [dispute.arbiterRepId];
  if (dispute.status === "escalated" && dispute.backupArbiterRepId !== null)
    recipients.push(dispute.backupArbiterRepId);
  return {
    ok: true,
    dispute: { ...dispute, status: dispute.status === "info_requested" ? "open" : dispute.status },
    effects: [
      { type: "add_note", kind: "info_reply", by: event.by, text },
      { type: "notify", to: recipients, about: "info_provided" },
      { type: "audit", event: "info_provided", by: event.by },
    ],
  };
}

function escalate(dispute: Dispute, now: Date): DisputeTransition {
  const event = { type: "escalated" } as const;
  if (isClosed(dispute)) return closedRefusal(dispute, event);
  if (dispute.status === "escalated") {
    return refuse(
      "already_escalated",
      `dispute ${dispute.id} already escalated`,
      "This dispute has already escalated.",
    );
  }
  if (now.getTime() < dispute.dueAt.getTime()) {
    return refuse(
      "not_due",
      `dispute ${dispute.id} is due at ${dispute.dueAt.toISOString()}, not yet`,
      "This dispute still has time on its clock, so it can't escalate yet.",
    );
  }
  return {
    ok: true,
    dispute: {
      ...dispute,
      status: "escalated",
      notices: { ...dispute.notices, escalation: dispute.notices.escalation ?? now },
    },
    effects: [
      { type: "escalate", backupArbiterRepId: dispute.backupArbiterRepId },
      { type: "notify", to: [dispute.claimantRepId, ...ownerList(dispute)], about: "escalated" },
      { type: "audit", event: "escalated", by: null },
    ],
  };
}

function decide(
  dispute: Dispute,
  event: Extract<DisputeEvent, { type: "decided" }>,
  now: Date,
): DisputeTransition {
  if (isClosed(dispute)) return closedRefusal(dispute, event);
  const allowed = canActOnDispute(dispute, event.by);
  if (!allowed.ok) return allowed;
  const text = event.text.trim();
  if (text === "") {
    return refuse(
      "missing_text",
      "empty decision text",
      "Write the decision in a sentence or two; both reps will read it and it becomes the rule's text.",
    );
  }
  if (text.length > DECISION_TEXT_MAX) {
    return refuse(
      "text_too_long",
      `decision text has ${text.length} characters`,
      `Keep the decision under ${DECISION_TEXT_MAX.toLocaleString("en-US")} characters.`,
    );
  }
  if (event.decision === "keep" && dispute.currentOwnerRepId === null) {
    return refuse(
      "no_owner_to_keep",
      `dispute ${dispute.id}: keep on an unowned account`,
      "Nobody owns this account yet, so there is no owner to keep. Transfer it, or ask for more information.",
    );
  }
  const decision: DisputeDecision = { choice: event.decision, text, by: event.by };
  // A decision for the reseller overrides the channel rule, so a manager must sign it off first.
  const channelException = dispute.category === "reseller_channel" && event.decision === "transfer";
  const signOffDueAt = channelException ? signOffDueAtFor(now) : null;
  const decided: Dispute = {
    ...dispute,
    status: "resolved",
    decision: event.decision,
    decisionText: text,
    decidedAt: now,
    decidedByRepId: event.by,
    decisionScope: event.scope,
    signOffRequired: channelException,
    signOffDueAt,
  };
  const bothReps = [dispute.claimantRepId, ...ownerList(dispute)];
  const effects: DisputeEffect[] =
    signOffDueAt === null
      ? [
          { type: "apply_decision", decision, scope: event.scope },
          { type: "update_arbiter_card" },
          { type: "notify", to: bothReps, about: "decided" },
          { type: "audit", event: "decided", by: event.by },
        ]
      : [
          { type: "request_sign_off", dueAt: signOffDueAt },
          { type: "update_arbiter_card" },
          { type: "notify", to: bothReps, about: "awaiting_sign_off" },
          { type: "audit", event: "decided", by: event.by },
        ];
  return { ok: true, dispute: decided, effects };
}

function withdraw(dispute: Dispute, event: Extract<DisputeEvent, { type: "withdrawn" }>): DisputeTransition {
  if (isClosed(dispute)) return closedRefusal(dispute, event);
  if (event.by !== dispute.claimantRepId) {
    return refuse(
      "not_authorized",
      `rep ${event.by} is not the claimant of dispute ${dispute.id}`,
      "Only the rep who filed this dispute can withdraw it.",
    );
  }
  const arbiters = [dispute.arbiterRepId];
  if (dispute.status === "escalated" && dispute.backupArbiterRepId !== null)
    arbiters.push(dispute.backupArbiterRepId);
  return {
    ok: true,
    dispute: { ...dispute, status: "withdrawn" },
    effects: [
      { type: "update_arbiter_card" },
      { type: "notify", to: [...arbiters, ...ownerList(dispute)], about: "withdrawn" },
      { type: "audit", event: "withdrawn", by: event.by },
    ],
  };
}

function signOffRefusal(dispute: Dispute, event: DisputeEvent): { ok: false; error: DisputeError } | null {
  if (awaitsSignOff(dispute)) return null;
  if (dispute.status === "withdrawn") return closedRefusal(dispute, event);
  if (dispute.signedOffAt !== null) {
    return refuse(
      "no_sign_off_pending",
      `dispute ${dispute.id} already signed off`,
      "This channel exception has already been signed off.",
    );
  }
  if (dispute.signOffExpiredAt !== null) {
    return refuse(
      "sign_off_closed",
      `dispute ${dispute.id} sign-off expired`,
      "The 48-hour sign-off window for this channel exception has closed; the direct rep stays rep of record.",
    );
  }
  return refuse(
    "no_sign_off_pending",
    `dispute ${dispute.id} needs no sign-off`,
    "This dispute isn't waiting for a sign-off.",
  );
}

function signOff(
  dispute: Dispute,
  event: Extract<DisputeEvent, { type: "signed_off" }>,
  now: Date,
): DisputeTransition {
  const refused = signOffRefusal(dispute, event);
  if (refused) return refused;
  if (!event.byRoles.some((role) => role === "manager" || role === "admin")) {
    return refuse(
      "not_authorized",
      `rep ${event.by} lacks the manager role`,
      "Only a manager can sign off a channel exception, so nothing was changed.",
    );
  }
  if (event.by === dispute.claimantRepId || event.by === dispute.proposedOwnerRepId) {
    return refuse(
      "not_authorized",
      `rep ${event.by} would sign off their own exception`,
      "A channel exception needs a manager other than the rep who gains the account.",
    );
  }
  if (dispute.signOffDueAt !== null && now.getTime() >= dispute.signOffDueAt.getTime()) {
    return refuse(
      "sign_off_closed",
      `sign-off at ${now.toISOString()} after ${dispute.signOffDueAt.toISOString()}`,
      "The 48-hour sign-off window for this channel exception has closed; the direct rep stays rep of record.",
    );
  }
  const { decision, decisionText, decidedByRepId, decisionScope } = dispute;
  if (decision === null || decisionText === null || decidedByRepId === null || decisionScope === null) {
    throw new Error(`dispute ${dispute.id} awaits sign-off without a recorded decision`);
  }
  return {
    ok: true,
    dispute: { ...dispute, signedOffAt: now, signedOffByRepId: event.by },
    effects: [
      {
        type: "apply_decision",
        decision: { choice: decision, text: decisionText, by: decidedByRepId },
        scope: decisionScope,
      },
      { type: "update_arbiter_card" },
      { type: "notify", to: [dispute.claimantRepId, ...ownerList(dispute)], about: "signed_off" },
      { type: "audit", event: "signed_off", by: event.by },
    ],
  };
}

function expireSignOff(dispute: Dispute, now: Date): DisputeTransition {
  const event = { type: "sign_off_expired" } as const;
  const refused = signOffRefusal(dispute, event);
  if (refused) return refused;
  if (dispute.signOffDueAt !== null && now.getTime() < dispute.signOffDueAt.getTime()) {
    return refuse(
      "not_due",
      `sign-off due at ${dispute.signOffDueAt.toISOString()}, not yet`,
      "The manager still has time to sign off this channel exception.",
    );
  }
  // Without sign-off the channel rule stands: the direct rep stays rep of record, no rule is written.
  return {
    ok: true,
    dispute: {
      ...dispute,
      signOffExpiredAt: now,
      notices: { ...dispute.notices, sign_off_expiry: dispute.notices.sign_off_expiry ?? now },
    },
    effects: [
      { type: "update_arbiter_card" },
      { type: "notify", to: [dispute.claimantRepId, ...ownerList(dispute)], about: "sign_off_expired" },
      { type: "audit", event: "sign_off_expired", by: null },
    ],
  };
}

function ownerList(dispute: Dispute): string[] {
  const reps = [dispute.currentOwnerRepId, dispute.proposedOwnerRepId].filter(
    (rep): rep is string => rep !== null && rep !== dispute.claimantRepId,
  );
  return [...new Set(reps)];
}
