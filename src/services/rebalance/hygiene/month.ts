// Month boundaries in the company's time zone, for the monthly stale-ownership return.
import { civilIn, localMidnight } from "../../../domain/civil-time.ts";

function firstOfMonth(year: number, month: number, timeZone: string): Date {
  return localMidnight(year, month, 1, timeZone);
}

export type PoolDate = { at: Date; label: string };

/** The return date of the month `now` is in, and of the next month. Labels read "2026-12". */
export function poolDates(now: Date, timeZone: string): { current: PoolDate; next: PoolDate } {
  const c = civilIn(now, timeZone);
  const nextYear = c.month === 12 ? c.year + 1 : c.year;
  const nextMonth = c.month === 12 ? 1 : c.month + 1;
  const label = (y: number, m: number) => `${y}-${String(m).padStart(2, "0")}`;
  return {
    current: { at: firstOfMonth(c.year, c.month, timeZone), label: label(c.year, c.month) },
    next: { at: firstOfMonth(nextYear, nextMonth, timeZone), label: label(nextYear, nextMonth) },
  };
}
