import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DISPUTE_NOTICE_KINDS,
  type DueNotice,
  dueAtFor,
  markNotices,
  NOTICE_KINDS,
  NOTICE_MARKER_COLUMNS,
  type NoticeKind,
  type NoticeMarkers,
  noticeAt,
  noticesDue,
  SIGN_OFF_NOTICE_KINDS,
  signOffDueAtFor,
  timeLeft,
  timeLeftUntil,
} from "../../../src/domain/disputes/clock.ts";
import type { Dispute } from "../../../src/domain/disputes/dispute.ts";
import { applyDisputeEvent } from "../../../src/domain/disputes/state.ts";
import type { DisputeStatus } from "../../../src/domain/model.ts";
import { aDispute, hoursAfterOpen, OPENED_AT } from "./fixtures.ts";

const MS = 1;
const at = (hours: number, deltaMs = 0) => new Date(hoursAfterOpen(hours).getTime() + deltaMs);
const summary = (notices: DueNotice[]) => notices.map((n) => `${n.action} ${n.kind}`);

describe("deadlines", () => {
  it("is due 48 hours after filing, also across a daylight-saving change", () => {
    expect(dueAtFor(OPENED_AT)).toEqual(new Date("2026-03-04T09:00:00.000Z"));
    expect(dueAtFor(new Date("2026-03-28T12:00:00.000Z"))).toEqual(new Date("2026-03-30T12:00:00.000Z"));
    expect(signOffDueAtFor(OPENED_AT)).toEqual(new Date("2026-03-04T09:00:00.000Z"));
  });

  it("places the notices at 24 h left, 4 h left and at the deadline", () => {
    const due = dueAtFor(OPENED_AT);
    expect(DISPUTE_NOTICE_KINDS.map((k) => noticeAt(k, due))).toEqual([at(24), at(44), at(48)]);
  });

  it("names one marker column per notice kind, all distinct", () => {
    expect(Object.keys(NOTICE_MARKER_COLUMNS).sort()).toEqual([...NOTICE_KINDS].sort());
    expect(new Set(Object.values(NOTICE_MARKER_COLUMNS)).size).toBe(NOTICE_KINDS.length);
  });
});

describe("noticesDue on the arbiter's clock", () => {
  const marked = (...kinds: NoticeKind[]): NoticeMarkers => Object.fromEntries(kinds.map((k) => [k, at(1)]));
  it.each([
    { when: "just after filing", now: at(0), markers: {}, expected: [] },
    { when: "a millisecond before 24 h left", now: at(24, -MS), markers: {}, expected: [] },
    { when: "exactly 24 h left", now: at(24), markers: {}, expected: ["send reminder_24h"] },
    { when: "30 h in, reminder already sent", now: at(30), markers: marked("reminder_24h"), expected: [] },
    {
      when: "a millisecond before 4 h left",
      now: at(44, -MS),
      markers: marked("reminder_24h"),
      expected: [],
    },
    {
      when: "exactly 4 h left",
      now: at(44),
      markers: marked("reminder_24h"),
      expected: ["send reminder_4h"],
    },
    {
      when: "4 h left after downtime that missed the 24 h reminder",
      now: at(45),
      markers: {},
      expected: ["skip reminder_24h", "send reminder_4h"],
    },
    {
      when: "a millisecond before the deadline",
      now: at(48, -MS),
      markers: marked("reminder_24h", "reminder_4h"),
      expected: [],
    },
    {
      when: "exactly at the deadline",
      now: at(48),
      markers: marked("reminder_24h", "reminder_4h"),
      expected: ["send escalation"],
    },
    {
      when: "past the deadline after a long outage",
      now: at(70),
      markers: {},
      expected: ["skip reminder_24h", "skip reminder_4h", "send escalation"],
    },
    {
      when: "past the deadline with the 4 h reminder missed",
      now: at(49),
      markers: marked("reminder_24h"),
      expected: ["skip reminder_4h", "send escalation"],
    },
    {
      when: "a late sweep finding the 24 h reminder unmarked after the 4 h one went out",
      now: at(46),
      markers: marked("reminder_4h"),
      expected: ["skip reminder_24h"],
    },
    {
      when: "everything already handled",
      now: at(90),
      markers: marked(...DISPUTE_NOTICE_KINDS),
      expected: [],
    },
  ])("$when → $expected", ({ now, markers, expected }) => {
    expect(summary(noticesDue(aDispute({ notices: markers }), now))).toEqual(expected);
  });

  it("reports when each notice fell due, not when the sweep ran", () => {
    expect(noticesDue(aDispute(), at(70)).map((n) => n.at)).toEqual([at(24), at(44), at(48)]);
  });

  it.each<{ status: DisputeStatus; expected: string[] }>([
    { status: "open", expected: ["skip reminder_24h", "skip reminder_4h", "send escalation"] },
    { status: "info_requested", expected: ["skip reminder_24h", "skip reminder_4h", "send escalation"] },
    { status: "escalated", expected: [] },
    { status: "resolved", expected: [] },
    { status: "withdrawn", expected: [] },
  ])("runs while $status → $expected", ({ status, expected }) => {
    expect(summary(noticesDue(aDispute({ status }), at(60)))).toEqual(expected);
  });
});

describe("noticesDue on a channel exception's sign-off clock", () => {
  const decidedAt = at(10);
  const pending = aDispute({
    category: "reseller_channel",
    status: "resolved",
    decision: "transfer",
    decisionText: "Goes to the channel rep.",
    decidedAt,
    decidedByRepId: "rep-arbiter",
    decisionScope: { kind: "account_only", accountCrmId: "0015g00000ACME01" },
    signOffRequired: true,
    signOffDueAt: signOffDueAtFor(decidedAt),
  });
  it.each([
    { when: "before 24 h left", now: at(34, -MS), expected: [] },
    { when: "exactly 24 h left", now: at(34), expected: ["send sign_off_reminder_24h"] },
    {
      when: "exactly 4 h left",
      now: at(54),
      expected: ["skip sign_off_reminder_24h", "send sign_off_reminder_4h"],
    },
    {
      when: "at the deadline",
      now: at(58),
      expected: ["skip sign_off_reminder_24h", "skip sign_off_reminder_4h", "send sign_off_expiry"],
    },
  ])("$when → $expected", ({ now, expected }) => {
    expect(summary(noticesDue(pending, now))).toEqual(expected);
  });

  it("stops once signed off or expired", () => {
    expect(noticesDue({ ...pending, signedOffAt: at(20) }, at(60))).toEqual([]);
    expect(noticesDue({ ...pending, signOffExpiredAt: at(58) }, at(60))).toEqual([]);
  });

  it("never runs for a decision that needed no sign-off", () => {
    expect(noticesDue({ ...pending, signOffRequired: false }, at(60))).toEqual([]);
  });
});

describe("markNotices", () => {
  it("keeps the first time a marker was set", () => {
    const once = markNotices(aDispute(), [{ kind: "reminder_24h" }], at(24));
    const twice = markNotices(once, [{ kind: "reminder_24h" }, { kind: "reminder_4h" }], at(45));
    expect(twice.notices).toEqual({ reminder_24h: at(24), reminder_4h: at(45) });
  });
});

// A sweep as the job runs it: handle what is due, set the markers, and escalate by the event.
function sweep(dispute: Dispute, now: Date): { dispute: Dispute; sent: NoticeKind[] } {
  const due = noticesDue(dispute, now);
  let next = markNotices(dispute, due, now);
  for (const notice of due) {
    if (notice.action !== "send") continue;
    const event =
      notice.kind === "escalation"
        ? ({ type: "escalated" } as const)
        : notice.kind === "sign_off_expiry"
          ? ({ type: "sign_off_expired" } as const)
          : null;
    if (event === null) continue;
    const result = applyDisputeEvent(next, event, now);
    if (!result.ok) throw new Error(`sweep could not apply ${event.type}: ${result.error.message}`);
    next = result.dispute;
  }
  return { dispute: next, sent: due.filter((n) => n.action === "send").map((n) => n.kind) };
}

describe("property: sweeps at any times send each notice at most once and lose none", () => {
  const minutes = fc.integer({ min: -60, max: 80 * 60 });

  it("on the arbiter's clock, in any order of sweep times", () => {
    fc.assert(
      fc.property(fc.array(minutes, { maxLength: 40 }), (offsets) => {
        let dispute = aDispute();
        const sent: NoticeKind[] = [];
        for (const offset of offsets) {
          const result = sweep(dispute, new Date(OPENED_AT.getTime() + offset * 60_000));
          dispute = result.dispute;
          sent.push(...result.sent);
        }
        for (const kind of NOTICE_KINDS) expect(sent.filter((k) => k === kind).length).toBeLessThanOrEqual(1);
        const latest = new Date(OPENED_AT.getTime() + Math.max(-60, ...offsets) * 60_000);
        for (const kind of DISPUTE_NOTICE_KINDS) {
          const fell = noticeAt(kind, dispute.dueAt) <= latest;
          expect(dispute.notices[kind] !== undefined).toBe(fell);
        }
        if (latest >= dispute.dueAt) {
          expect(sent.filter((k) => k === "escalation")).toEqual(["escalation"]);
          expect(dispute.status).toBe("escalated");
        }
      }),
      { numRuns: 500 },
    );
  });

  it("in time order, reminders are never sent after a later notice", () => {
    fc.assert(
      fc.property(fc.array(minutes, { maxLength: 40 }), (offsets) => {
        let dispute = aDispute();
        const sent: NoticeKind[] = [];
        for (const offset of [...offsets].sort((a, b) => a - b)) {
          const result = sweep(dispute, new Date(OPENED_AT.getTime() + offset * 60_000));
          dispute = result.dispute;
          sent.push(...result.sent);
        }
        const order = sent.map((k) =>
          DISPUTE_NOTICE_KINDS.indexOf(k as (typeof DISPUTE_NOTICE_KINDS)[number]),
        );
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }),
      { numRuns: 300 },
    );
  });

  it("on the sign-off clock", () => {
    const decidedAt = at(10);
    const pending = aDispute({
      category: "reseller_channel",
      status: "resolved",
      decision: "transfer",
      decisionText: "Goes to the channel rep.",
      decidedAt,
      decidedByRepId: "rep-arbiter",
      decisionScope: { kind: "account_only", accountCrmId: "0015g00000ACME01" },
      signOffRequired: true,
      signOffDueAt: signOffDueAtFor(decidedAt),
    });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 90 * 60 }), { maxLength: 40 }), (offsets) => {
        let dispute = pending;
        const sent: NoticeKind[] = [];
        for (const offset of offsets) {
          const result = sweep(dispute, new Date(OPENED_AT.getTime() + offset * 60_000));
          dispute = result.dispute;
          sent.push(...result.sent);
        }
        for (const kind of SIGN_OFF_NOTICE_KINDS)
          expect(sent.filter((k) => k === kind).length).toBeLessThanOrEqual(1);
        const expired = offsets.some(
          (o) => OPENED_AT.getTime() + o * 60_000 >= (pending.signOffDueAt as Date).getTime(),
        );
        expect(sent.includes("sign_off_expiry")).toBe(expired);
        expect(dispute.signOffExpiredAt !== null).toBe(expired);
      }),
      { numRuns: 300 },
    );
  });
});

describe("time left in words", () => {
  const due = dueAtFor(OPENED_AT);
  const ahead = (minutes: number) => new Date(due.getTime() - minutes * 60_000);
  it.each([
    { now: ahead(48 * 60), expected: "48 h left" },
    { now: ahead(31 * 60 + 40), expected: "31 h left" },
    { now: ahead(10 * 60), expected: "10 h left" },
    { now: ahead(9 * 60 + 59), expected: "9 h 59 min left" },
    { now: ahead(2 * 60 + 10), expected: "2 h 10 min left" },
    { now: ahead(4 * 60), expected: "4 h left" },
    { now: ahead(59), expected: "59 min left" },
    { now: ahead(0.5), expected: "under a minute left" },
    { now: due, expected: "due now" },
    { now: ahead(-0.5), expected: "overdue by under a minute" },
    { now: ahead(-25), expected: "overdue by 25 min" },
    { now: ahead(-(3 * 60)), expected: "overdue by 3 h" },
    { now: ahead(-(3 * 60 + 5)), expected: "overdue by 3 h 5 min" },
    { now: ahead(-(26 * 60 + 30)), expected: "overdue by 26 h" },
  ])("$expected", ({ now, expected }) => {
    expect(timeLeftUntil(due, now)).toBe(expected);
    expect(timeLeft(aDispute(), now)).toBe(expected);
  });

  it.each([
    { status: "resolved" as const, expected: "decided" },
    { status: "withdrawn" as const, expected: "withdrawn" },
    { status: "escalated" as const, expected: "overdue by 2 h" },
    { status: "info_requested" as const, expected: "46 h left" },
  ])("says $expected for a $status dispute", ({ status, expected }) => {
    const now = status === "escalated" ? at(50) : at(2);
    expect(timeLeft(aDispute({ status }), now)).toBe(expected);
  });
});
