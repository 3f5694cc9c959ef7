// The 48-hour clock: deadlines, which notices are due at a given moment, and time left in words.
// Pure: `now` is always passed in; the sweep (src/jobs) stores the markers and claims each one
// atomically, so a notice is handled once however many instances sweep.
import { addHours, subHours } from "date-fns";
import type { DisputeStatus } from "../model.ts";

export const DISPUTE_WINDOW_HOURS = 48;
export const SIGN_OFF_WINDOW_HOURS = 48;

/** Notices on the arbiter's clock, in the order they fall due. */
export const DISPUTE_NOTICE_KINDS = ["reminder_24h", "reminder_4h", "escalation"] as const;
/** Notices on a channel exception's sign-off clock, in the order they fall due. */
export const SIGN_OFF_NOTICE_KINDS = [
  "sign_off_reminder_24h",
  "sign_off_reminder_4h",
  "sign_off_expiry",
] as const;
/** Every notice kind: the data layer keeps one marker (row or column) per kind and dispute. */
export const NOTICE_KINDS = [...DISPUTE_NOTICE_KINDS, ...SIGN_OFF_NOTICE_KINDS] as const;

export type DisputeNoticeKind = (typeof DISPUTE_NOTICE_KINDS)[number];
export type SignOffNoticeKind = (typeof SIGN_OFF_NOTICE_KINDS)[number];
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** When each notice was handled (sent or skipped). A kind that is present is never due again. */
export type NoticeMarkers = Partial<Record<NoticeKind, Date>>;

/** Marker column names, for a data layer that stores one column per kind instead of one row. */
export const NOTICE_MARKER_COLUMNS = {
  reminder_24h: "reminder24hSentAt",
  reminder_4h: "reminder4hSentAt",
  escalation: "escalatedAt",
  sign_off_reminder_24h: "signOffReminder24hSentAt",
  sign_off_reminder_4h: "signOffReminder4hSentAt",
  sign_off_expiry: "signOffExpiryNoticeAt",
} as const satisfies Record<NoticeKind, string>;

const HOURS_BEFORE_DEADLINE: Record<NoticeKind, number> = {
  reminder_24h: 24,
  reminder_4h: 4,
  escalation: 0,
  sign_off_reminder_24h: 24,
  sign_off_reminder_4h: 4,
  sign_off_expiry: 0,
};

export function dueAtFor(openedAt: Date): Date {
  return addHours(openedAt, DISPUTE_WINDOW_HOURS);
}

export function signOffDueAtFor(decidedAt: Date): Date {
  return addHours(decidedAt, SIGN_OFF_WINDOW_HOURS);
}

/** The moment a notice falls due, given the deadline of its clock. */
export function noticeAt(kind: NoticeKind, deadline: Date): Date {
  return subHours(deadline, HOURS_BEFORE_DEADLINE[kind]);
}

/**
 * - send: deliver it now and set its marker.
 * - skip: set its marker without a message, because a later notice on the same clock is already
 *   due; a rep who was offline through downtime gets one message, not three in a row.
 */
export type DueNotice = { kind: NoticeKind; action: "send" | "skip"; at: Date };

export type ClockedDispute = {
  status: DisputeStatus;
  dueAt: Date;
  signOffRequired: boolean;
  signOffDueAt: Date | null;
  signedOffAt: Date | null;
  signOffExpiredAt: Date | null;
  notices: NoticeMarkers;
};

/**
 * The notices that are due at `now` and not yet marked.
 *
 * Only the latest notice that has fallen due on a clock is sent; earlier unmarked ones are
 * skipped-but-marked. Examples on the arbiter's clock (due at 48 h):
 * - at 30 h, nothing marked → send reminder_24h;
 * - at 45 h after downtime, nothing marked → send reminder_4h, skip reminder_24h;
 * - at 50 h, nothing marked → send escalation, skip both reminders;
 * - a late sweep that still finds reminder_24h unmarked after reminder_4h went out skips it, so
 *   reminders never arrive out of order.
 * The arbiter's clock runs while the dispute is open or waiting for info (asking pauses nothing);
 * the sign-off clock runs while a channel exception awaits its manager.
 */
export function noticesDue(dispute: ClockedDispute, now: Date): DueNotice[] {
  const due: DueNotice[] = [];
  if (dispute.status === "open" || dispute.status === "info_requested") {
    due.push(...dueOnClock(DISPUTE_NOTICE_KINDS, dispute.dueAt, dispute.notices, now));
  }
  if (awaitsSignOff(dispute) && dispute.signOffDueAt !== null) {
    due.push(...dueOnClock(SIGN_OFF_NOTICE_KINDS, dispute.signOffDueAt, dispute.notices, now));
  }
  return due;
}

function dueOnClock(
  kinds: readonly NoticeKind[],
  deadline: Date,
  markers: NoticeMarkers,
  now: Date,
): DueNotice[] {
  const fallen = kinds.filter((kind) => noticeAt(kind, deadline).getTime() <= now.getTime());
  const latest = fallen.at(-1);
  return fallen
    .filter((kind) => markers[kind] === undefined)
    .map((kind) => ({ kind, action: kind === latest ? "send" : "skip", at: noticeAt(kind, deadline) }));
}

export function awaitsSignOff(
  dispute: Pick<ClockedDispute, "status" | "signOffRequired" | "signedOffAt" | "signOffExpiredAt">,
): boolean {
  return (
    dispute.status === "resolved" &&
    dispute.signOffRequired &&
    dispute.signedOffAt === null &&
    dispute.signOffExpiredAt === null
  );
}

/** Sets the markers of handled notices; markers already set keep their first time. */
export function markNotices<T extends { notices: NoticeMarkers }>(
  dispute: T,
  handled: readonly Pick<DueNotice, "kind">[],
  now: Date,
): T {
  const notices: NoticeMarkers = { ...dispute.notices };
  for (const { kind } of handled) notices[kind] ??= now;
  return { ...dispute, notices };
}

/** "31 h left", "2 h 10 min left", "overdue by 3 h" — for the arbiter's queue and cards. */
export function timeLeft(dispute: Pick<ClockedDispute, "status" | "dueAt">, now: Date): string {
  if (dispute.status === "resolved") return "decided";
  if (dispute.status === "withdrawn") return "withdrawn";
  return timeLeftUntil(dispute.dueAt, now);
}

export function timeLeftUntil(deadline: Date, now: Date): string {
  const ms = deadline.getTime() - now.getTime();
  if (ms === 0) return "due now";
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  return ms > 0 ? `${spell(minutes)} left` : `overdue by ${spell(minutes)}`;
}

function spell(minutes: number): string {
  if (minutes < 1) return "under a minute";
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  // Beyond ten hours the minutes are noise on a queue sorted by time left.
  if (hours >= 10 || rest === 0) return `${hours} h`;
  return `${hours} h ${rest} min`;
}
