// When an ownership change takes effect. Most changes happen at once; the guide's named-account rule
// says an account that lands on the named list "is removed from the original geographic or vertical
// rep's book on the first of the next quarter", and an admin may date a rule. Pure: the caller
// hands in today and the next quarter's first instant (from the company's fiscal calendar).

import { readableDay } from "../dates/format.ts";
import type { Rule } from "./rule.ts";

export type Schedule = { now: Date; nextQuarterStart: Date };

export type Deferral = "named_account_list" | "dated_rule";

export const DEFERRAL_LABELS: Record<Deferral, string> = {
  named_account_list: "named account list",
  dated_rule: "dated rule",
};

/**
 * The date a change from `current` to `next` made by `rule` takes effect, or null for now. Without a
 * schedule (no date known) every change is immediate. A named rule defers only when it takes the
 * account out of an active rep's book; white space moves at once, since no one's book shrinks.
 */
export function deferralOf(
  rule: Rule,
  move: { current: string | null; next: string },
  schedule: Schedule | undefined,
): { at: Date; deferral: Deferral } | null {
  if (schedule === undefined || move.current === move.next) return null;
  const dated = rule.effectiveAt !== undefined && rule.effectiveAt > schedule.now ? rule.effectiveAt : null;
  if (rule.kind === "named" && move.current !== null) {
    const at = dated !== null && dated > schedule.nextQuarterStart ? dated : schedule.nextQuarterStart;
    return { at, deferral: "named_account_list" };
  }
  return dated === null ? null : { at: dated, deferral: "dated_rule" };
}

/**
 * "1 Jan 2027": the calendar day a person reads, in the company's time zone (a quarter starting at
 * midnight in Berlin is still the 1st there, although it is the 31st in UTC). One formatter for
 * every surface: src/domain/dates/format.ts.
 */
export const formatDay = readableDay;

/** "moves to Olga Strand on 1 Jan 2027 — named account list" */
export function describePendingMove(
  move: { toRepName: string | null; effectiveAt: Date; deferral: string },
  timeZone: string,
): string {
  const label = DEFERRAL_LABELS[move.deferral as Deferral] ?? move.deferral;
  const to = move.toRepName === null ? "white space" : move.toRepName;
  return `moves to ${to} on ${formatDay(move.effectiveAt, timeZone)} — ${label}`;
}
