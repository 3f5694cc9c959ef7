import { z } from "zod";
import { civilIn, localMidnight } from "../civil-time.ts";
import { err, ok, type Result } from "./result.ts";

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/**
 * The company's fiscal calendar. Fiscal years are named after the calendar year they end in
 * (a year starting 1 Feb 2026 is FY2027), the common US convention; "start" names them after the
 * year they begin in. With startMonth 1 both give the calendar year.
 * Time zones go through Intl (full ICU ships with Node 20), so no time-zone package is needed.
 */
export const ZFiscalCalendar = z.object({
  startMonth: z.number().int().min(1).max(12).default(1),
  timeZone: z.string().refine(isTimeZone, { message: "not an IANA time zone" }).default("UTC"),
  yearNaming: z.enum(["end", "start"]).default("end"),
});
export type FiscalCalendar = z.infer<typeof ZFiscalCalendar>;
export type FiscalCalendarInput = z.input<typeof ZFiscalCalendar>;

export type FiscalQuarter = {
  label: string;
  fiscalYear: number;
  quarter: 1 | 2 | 3 | 4;
  /** First instant of the quarter: local midnight on its first day in the calendar's time zone. */
  start: Date;
  /** First instant of the next quarter (exclusive end). */
  end: Date;
};

function quarterFrom(fiscalYear: number, quarter: 1 | 2 | 3 | 4, cal: FiscalCalendar): FiscalQuarter {
  // Calendar year in which the fiscal year begins.
  const startYear = cal.yearNaming === "end" && cal.startMonth !== 1 ? fiscalYear - 1 : fiscalYear;
  const monthIndex = cal.startMonth - 1 + (quarter - 1) * 3;
  const start = localMidnight(
    startYear + Math.floor(monthIndex / 12),
    (monthIndex % 12) + 1,
    1,
    cal.timeZone,
  );
  const nextIndex = monthIndex + 3;
  const end = localMidnight(startYear + Math.floor(nextIndex / 12), (nextIndex % 12) + 1, 1, cal.timeZone);
  return { label: `FY${fiscalYear}-Q${quarter}`, fiscalYear, quarter, start, end };
}

export function fiscalQuarterOf(date: Date, calendar: FiscalCalendarInput = {}): FiscalQuarter {
  const cal = ZFiscalCalendar.parse(calendar);
  const c = civilIn(date, cal.timeZone);
  const monthsIn = (c.month - cal.startMonth + 12) % 12;
  const startYear = c.month >= cal.startMonth ? c.year : c.year - 1;
  const fiscalYear = cal.yearNaming === "end" && cal.startMonth !== 1 ? startYear + 1 : startYear;
  return quarterFrom(fiscalYear, (Math.floor(monthsIn / 3) + 1) as 1 | 2 | 3 | 4, cal);
}

/** The effective date of rebalance moves proposed at `now`: the first instant of the next quarter. */
export function nextQuarterStart(now: Date, calendar: FiscalCalendarInput = {}): Date {
  return fiscalQuarterOf(now, calendar).end;
}

export type QuarterLabelError = { code: "invalid_quarter_label"; message: string };

/** Accepts "FY2027-Q1", "fy2027 q1" and "FY2027Q1". */
export function parseQuarterLabel(
  label: string,
  calendar: FiscalCalendarInput = {},
): Result<FiscalQuarter, QuarterLabelError> {
  const m = /^\s*FY(\d{4})[\s-]?Q([1-4])\s*$/i.exec(label);
  if (!m) {
    return err({
      code: "invalid_quarter_label",
      message: `"${label}" is not a quarter; write it like FY2027-Q1.`,
    });
  }
  return ok(quarterFrom(Number(m[1]), Number(m[2]) as 1 | 2 | 3 | 4, ZFiscalCalendar.parse(calendar)));
}
