import { describe, expect, it } from "vitest";
import { noticesDue } from "../../../src/domain/disputes/clock.ts";
import type { Dispute } from "../../../src/domain/disputes/dispute.ts";
import type { RuleScope } from "../../../src/domain/disputes/scope.ts";
import {
  applyDisputeEvent,
  canActOnDispute,
  DISPUTE_EVENT_TYPES,
  type DisputeEvent,
  type DisputeEventType,
} from "../../../src/domain/disputes/state.ts";
import type { DisputeStatus } from "../../../src/domain/model.ts";
import { aDispute, hoursAfterOpen, REPS } from "./fixtures.ts";

const SCOPE: RuleScope = { kind: "account_only", accountCrmId: "0015g00000ACME01" };
const DECIDED_AT = hoursAfterOpen(10);

// Each status as a dispute; "awaiting_sign_off" is a resolved reseller transfer before its manager signs.
type Situation = DisputeStatus | "awaiting_sign_off";
const situations: Record<Situation, Dispute> = {
  open: aDispute(),
  info_requested: aDispute({ status: "info_requested" }),
  escalated: aDispute({ status: "escalated", notices: { escalation: hoursAfterOpen(48) } }),
  resolved: aDispute({
    status: "resolved",
    decision: "keep",
    decisionText: "Stays with the owner.",
    decidedAt: DECIDED_AT,
    decidedByRepId: REPS.arbiter,
    decisionScope: SCOPE,
  }),
  withdrawn: aDispute({ status: "withdrawn" }),
  awaiting_sign_off: aDispute({
    category: "reseller_channel",
    status: "resolved",
    decision: "transfer",
    decisionText: "The reseller deal goes to the channel rep.",
    decidedAt: DECIDED_AT,
    decidedByRepId: REPS.arbiter,
    decisionScope: SCOPE,
    signOffRequired: true,
    signOffDueAt: new Date(DECIDED_AT.getTime() + 48 * 3_600_000),
  }),
};

// A valid event from the right person at a sensible time, so the table shows the status rules alone.
const events: Record<DisputeEventType, { event: DisputeEvent; at: Date }> = {
  info_requested: {
    event: { type: "info_requested", by: REPS.arbiter, question: "Which team sourced it?" },
    at: hoursAfterOpen(5),
  },
  info_provided: {
    event: { type: "info_provided", by: REPS.claimant, text: "I did, on 3 Feb." },
    at: hoursAfterOpen(6),
  },
  escalated: { event: { type: "escalated" }, at: hoursAfterOpen(48) },
  decided: {
    event: {
      type: "decided",
      by: REPS.arbiter,
      decision: "transfer",
      text: "Moves to the claimant.",
      scope: SCOPE,
    },
    at: hoursAfterOpen(20),
  },
  withdrawn: { event: { type: "withdrawn", by: REPS.claimant }, at: hoursAfterOpen(7) },
  signed_off: {
    event: { type: "signed_off", by: REPS.manager, byRoles: ["rep", "manager"] },
    at: hoursAfterOpen(30),
  },
  sign_off_expired: { event: { type: "sign_off_expired" }, at: hoursAfterOpen(58) },
};

type Expected = { status: DisputeStatus } | { error: string };
const ok = (status: DisputeStatus): Expected => ({ status });
const no = (error: string): Expected => ({ error });

const table: Record<Situation, Record<DisputeEventType, Expected>> = {
  open: {
    info_requested: ok("info_requested"),
    info_provided: no("no_info_requested"),
    escalated: ok("escalated"),
    decided: ok("resolved"),
    withdrawn: ok("withdrawn"),
    signed_off: no("no_sign_off_pending"),
    sign_off_expired: no("no_sign_off_pending"),
  },
  info_requested: {
    info_requested: no("already_requested"),
    info_provided: ok("open"),
    escalated: ok("escalated"),
    decided: ok("resolved"),
    withdrawn: ok("withdrawn"),
    signed_off: no("no_sign_off_pending"),
    sign_off_expired: no("no_sign_off_pending"),
  },
  escalated: {
    info_requested: ok("escalated"),
    info_provided: ok("escalated"),
    escalated: no("already_escalated"),
    decided: ok("resolved"),
    withdrawn: ok("withdrawn"),
    signed_off: no("no_sign_off_pending"),
    sign_off_expired: no("no_sign_off_pending"),
  },
  resolved: {
    info_requested: no("already_decided"),
    info_provided: no("already_decided"),
    escalated: no("already_decided"),
    decided: no("already_decided"),
    withdrawn: no("already_decided"),
    signed_off: no("no_sign_off_pending"),
    sign_off_expired: no("no_sign_off_pending"),
  },
  withdrawn: {
    info_requested: no("withdrawn"),
    info_provided: no("withdrawn"),
    escalated: no("withdrawn"),
    decided: no("withdrawn"),
    withdrawn: no("withdrawn"),
    signed_off: no("withdrawn"),
    sign_off_expired: no("withdrawn"),
  },
  awaiting_sign_off: {
    info_requested: no("already_decided"),
    info_provided: no("already_decided"),
    escalated: no("already_decided"),
    decided: no("already_decided"),
    withdrawn: no("already_decided"),
    signed_off: ok("resolved"),
    sign_off_expired: ok("resolved"),
  },
};

const rows = (Object.keys(table) as Situation[]).flatMap((situation) =>
  DISPUTE_EVENT_TYPES.map((eventType) => ({ situation, eventType, expected: table[situation][eventType] })),
);

describe("applyDisputeEvent: every event in every status", () => {
  it.each(rows)("$situation + $eventType", ({ situation, eventType, expected }) => {
    const { event, at } = events[eventType];
    const result = applyDisputeEvent(situations[situation], event, at);
    if ("status" in expected) {
      expect(result.ok, JSON.stringify(result)).toBe(true);
      if (!result.ok) return;
      expect(result.dispute.status).toBe(expected.status);
      expect(result.effects).toContainEqual(expect.objectContaining({ type: "audit", event: eventType }));
    } else {
      expect(result).toMatchObject({ ok: false, error: { code: expected.error } });
      if (result.ok) return;
      expect(result.error.userMessage.length).toBeGreaterThan(20);
      expect(result.error.userMessage).not.toMatch(/rep-|dsp-/);
    }
  });

  it("covers every event type", () => {
    expect(new Set(rows.map((r) => r.eventType))).toEqual(new Set(DISPUTE_EVENT_TYPES));
  });
});

describe("asking for info", () => {
  it("pauses nothing: the due time and the notices stay as they were", () => {
    const asked = applyDisputeEvent(aDispute(), events.info_requested.event, hoursAfterOpen(5));
    if (!asked.ok) throw new Error(asked.error.message);
    expect(asked.dispute.dueAt).toEqual(hoursAfterOpen(48));
    expect(noticesDue(asked.dispute, hoursAfterOpen(48))).toContainEqual(
      expect.objectContaining({ kind: "escalation", action: "send" }),
    );
  });

  it("asks the claimant and keeps the question as a note", () => {
    const asked = applyDisputeEvent(aDispute(), events.info_requested.event, hoursAfterOpen(5));
    expect(asked.ok && asked.effects).toEqual(
      expect.arrayContaining([
        { type: "add_note", kind: "info_request", by: REPS.arbiter, text: "Which team sourced it?" },
        { type: "notify", to: [REPS.claimant], about: "info_requested" },
      ]),
    );
  });

  it("adds the claimant's reply to the dispute and tells the arbiter", () => {
    const replied = applyDisputeEvent(
      aDispute({ status: "info_requested" }),
      { type: "info_provided", by: REPS.claimant, text: "  I did, on 3 Feb.  " },
      hoursAfterOpen(6),
    );
    expect(replied.ok && replied.effects).toEqual(
      expect.arrayContaining([
        { type: "add_note", kind: "info_reply", by: REPS.claimant, text: "I did, on 3 Feb." },
        { type: "notify", to: [REPS.arbiter], about: "info_provided" },
      ]),
    );
  });

  it.each([
    { who: "the current owner", by: REPS.owner, code: "not_authorized" },
    { who: "the claimant with an empty reply", by: REPS.claimant, code: "missing_text", text: "   " },
  ])("refuses a reply from $who", ({ by, code, text }) => {
    const result = applyDisputeEvent(
      aDispute({ status: "info_requested" }),
      { type: "info_provided", by, text: text ?? "something useful" },
      hoursAfterOpen(6),
    );
    expect(result).toMatchObject({ ok: false, error: { code } });
  });
});

describe("who may act", () => {
  const escalated = situations.escalated;
  const open = situations.open;
  it.each([
    { actor: "assigned arbiter", dispute: open, rep: REPS.arbiter, allowed: true },
    { actor: "assigned arbiter after escalation", dispute: escalated, rep: REPS.arbiter, allowed: true },
    { actor: "backup arbiter before escalation", dispute: open, rep: REPS.backup, allowed: false },
    { actor: "backup arbiter after escalation", dispute: escalated, rep: REPS.backup, allowed: true },
    { actor: "claimant", dispute: open, rep: REPS.claimant, allowed: false },
    { actor: "current owner", dispute: escalated, rep: REPS.owner, allowed: false },
    { actor: "anyone else", dispute: escalated, rep: REPS.stranger, allowed: false },
    {
      actor: "backup when there is none configured",
      dispute: aDispute({ status: "escalated", backupArbiterRepId: null }),
      rep: REPS.backup,
      allowed: false,
    },
  ])("$actor → $allowed", ({ dispute, rep, allowed }) => {
    expect(canActOnDispute(dispute, rep).ok).toBe(allowed);
    const decided = applyDisputeEvent(
      dispute,
      { ...events.decided.event, by: rep } as DisputeEvent,
      hoursAfterOpen(50),
    );
    expect(decided.ok).toBe(allowed);
    const asked = applyDisputeEvent(dispute, { type: "info_requested", by: rep }, hoursAfterOpen(50));
    expect(asked.ok).toBe(allowed);
  });

  it("refuses politely, naming who can act, and changes nothing", () => {
    const result = canActOnDispute(situations.escalated, REPS.stranger);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("not_authorized");
    expect(result.error.userMessage).toMatch(/^Thanks for stepping in/);
    expect(result.error.userMessage).toContain("backup arbiter");
    expect(result.error.userMessage).toContain("nothing was changed");
  });

  it("lets only the claimant withdraw", () => {
    expect(
      applyDisputeEvent(aDispute(), { type: "withdrawn", by: REPS.arbiter }, hoursAfterOpen(1)),
    ).toMatchObject({
      ok: false,
      error: { code: "not_authorized" },
    });
  });
});

describe("deciding", () => {
  const decide = (dispute: Dispute, over: Partial<Extract<DisputeEvent, { type: "decided" }>> = {}) =>
    applyDisputeEvent(
      dispute,
      { ...(events.decided.event as Extract<DisputeEvent, { type: "decided" }>), ...over },
      DECIDED_AT,
    );

  it("records the decision and asks the outside to apply it, update the card and tell both reps", () => {
    const result = decide(aDispute(), { text: "  Moves to the claimant.  " });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.dispute).toMatchObject({
      status: "resolved",
      decision: "transfer",
      decisionText: "Moves to the claimant.",
      decidedAt: DECIDED_AT,
      decidedByRepId: REPS.arbiter,
      decisionScope: SCOPE,
      signOffRequired: false,
    });
    expect(result.effects).toEqual([
      {
        type: "apply_decision",
        decision: { choice: "transfer", text: "Moves to the claimant.", by: REPS.arbiter },
        scope: SCOPE,
      },
      { type: "update_arbiter_card" },
      { type: "notify", to: [REPS.claimant, REPS.owner], about: "decided" },
      { type: "audit", event: "decided", by: REPS.arbiter },
    ]);
  });

  it("resolves once: a double click or retried request is refused the second time", () => {
    const first = decide(aDispute());
    if (!first.ok) throw new Error(first.error.message);
    const second = decide(first.dispute, { decision: "keep" });
    expect(second).toMatchObject({ ok: false, error: { code: "already_decided" } });
    expect(!second.ok && second.error.userMessage).toContain("transfer the account");
  });

  it("wins the race with the escalation when it comes first, and the escalation then changes nothing", () => {
    const first = decide(aDispute());
    if (!first.ok) throw new Error(first.error.message);
    expect(applyDisputeEvent(first.dispute, { type: "escalated" }, hoursAfterOpen(48))).toMatchObject({
      ok: false,
      error: { code: "already_decided" },
    });
  });

  it.each([
    { why: "an empty decision text", over: { text: "  \n " }, code: "missing_text" },
    { why: "a decision text over 3,000 characters", over: { text: "x".repeat(3001) }, code: "text_too_long" },
    {
      why: "keeping an account nobody owns",
      dispute: aDispute({ currentOwnerRepId: null }),
      over: { decision: "keep" as const },
      code: "no_owner_to_keep",
    },
  ])("refuses $why", ({ dispute, over, code }) => {
    expect(decide(dispute ?? aDispute(), over)).toMatchObject({ ok: false, error: { code } });
  });

  it("a reseller-channel transfer waits for a manager's sign-off within 48 h before anything moves", () => {
    const result = decide(aDispute({ category: "reseller_channel" }));
    if (!result.ok) throw new Error(result.error.message);
    const due = new Date(DECIDED_AT.getTime() + 48 * 3_600_000);
    expect(result.dispute).toMatchObject({ status: "resolved", signOffRequired: true, signOffDueAt: due });
    expect(result.effects).toContainEqual({ type: "request_sign_off", dueAt: due });
    expect(result.effects).toContainEqual({
      type: "notify",
      to: [REPS.claimant, REPS.owner],
      about: "awaiting_sign_off",
    });
    expect(result.effects.some((e) => e.type === "apply_decision")).toBe(false);
  });

  it("a reseller-channel keep needs no sign-off: the channel rule already says so", () => {
    const result = decide(aDispute({ category: "reseller_channel" }), { decision: "keep" });
    expect(result.ok && result.dispute.signOffRequired).toBe(false);
    expect(result.ok && result.effects.map((e) => e.type)).toContain("apply_decision");
  });
});

describe("escalation", () => {
  it("is refused before the due time", () => {
    expect(applyDisputeEvent(aDispute(), { type: "escalated" }, hoursAfterOpen(47.99))).toMatchObject({
      ok: false,
      error: { code: "not_due" },
    });
  });

  it("hands the dispute to the backup arbiter and marks the escalation notice", () => {
    const result = applyDisputeEvent(aDispute(), { type: "escalated" }, hoursAfterOpen(48));
    if (!result.ok) throw new Error(result.error.message);
    expect(result.dispute.notices.escalation).toEqual(hoursAfterOpen(48));
    expect(result.effects).toContainEqual({ type: "escalate", backupArbiterRepId: REPS.backup });
  });
});

describe("channel exception sign-off", () => {
  const pending = situations.awaiting_sign_off;
  const dueAt = pending.signOffDueAt as Date;

  it("applies the held decision when a manager signs off in time", () => {
    const result = applyDisputeEvent(pending, events.signed_off.event, new Date(dueAt.getTime() - 1));
    if (!result.ok) throw new Error(result.error.message);
    expect(result.dispute).toMatchObject({ signedOffByRepId: REPS.manager });
    expect(result.effects).toContainEqual({
      type: "apply_decision",
      decision: { choice: "transfer", text: "The reseller deal goes to the channel rep.", by: REPS.arbiter },
      scope: SCOPE,
    });
    expect(
      applyDisputeEvent(result.dispute, events.signed_off.event, new Date(dueAt.getTime() - 1)),
    ).toMatchObject({
      ok: false,
      error: { code: "no_sign_off_pending" },
    });
  });

  it.each([
    {
      why: "a rep without the manager role",
      by: REPS.stranger,
      roles: ["rep"] as const,
      at: -1,
      code: "not_authorized",
    },
    {
      why: "the claimant, even as a manager",
      by: REPS.claimant,
      roles: ["manager"] as const,
      at: -1,
      code: "not_authorized",
    },
    {
      why: "a manager after the window",
      by: REPS.manager,
      roles: ["manager"] as const,
      at: 0,
      code: "sign_off_closed",
    },
  ])("refuses $why", ({ by, roles, at, code }) => {
    const result = applyDisputeEvent(
      pending,
      { type: "signed_off", by, byRoles: roles },
      new Date(dueAt.getTime() + at),
    );
    expect(result).toMatchObject({ ok: false, error: { code } });
  });

  it("expires at the deadline: the direct rep stays rep of record and both reps are told", () => {
    expect(
      applyDisputeEvent(pending, { type: "sign_off_expired" }, new Date(dueAt.getTime() - 1)),
    ).toMatchObject({
      ok: false,
      error: { code: "not_due" },
    });
    const result = applyDisputeEvent(pending, { type: "sign_off_expired" }, dueAt);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.dispute.signOffExpiredAt).toEqual(dueAt);
    expect(result.effects.some((e) => e.type === "apply_decision")).toBe(false);
    expect(result.effects).toContainEqual({
      type: "notify",
      to: [REPS.claimant, REPS.owner],
      about: "sign_off_expired",
    });
    expect(applyDisputeEvent(result.dispute, events.signed_off.event, dueAt)).toMatchObject({
      ok: false,
      error: { code: "sign_off_closed" },
    });
  });
});
