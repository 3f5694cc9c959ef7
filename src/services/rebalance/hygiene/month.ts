// Month boundaries in the company's time zone, for the monthly stale-ownership return.
const formatters = new Map<string, Intl.DateTimeFormat>();

function civil(
  date: Date,
  timeZone: string,
): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(date)) if (part.type !== "literal") p[part.type] = Number(part.value);
  return {
    year: p.year ?? 0,
    month: p.month ?? 1,
    day: p.day ?? 1,
    hour: p.hour ?? 0,
    minute: p.minute ?? 0,
    second: p.second ?? 0,
  };
}

/** Local midnight on the first of the month, as a UTC instant (offset corrected twice for DST). */
function firstOfMonth(year: number, month: number, timeZone: string): Date {
  const wanted = Date.UTC(year, month - 1, 1);
  let guess = wanted;
  for (let i = 0; i < 3; i++) {
    const c = civil(new Date(guess), timeZone);
    const next = guess + (wanted - Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second));
    if (next === guess) break;
    guess = next;
  }
  return new Date(guess);
}

export type PoolDate = { at: Date; label: string };

/** The return date of the month `now` is in, and of the next month. Labels read "2026-12". */
export function poolDates(now: Date, timeZone: string): { current: PoolDate; next: PoolDate } {
  const c = civil(now, timeZone);
  const nextYear = c.month === 12 ? c.year + 1 : c.year;
  const nextMonth = c.month === 12 ? 1 : c.month + 1;
  const label = (y: number, m: number) => `${y}-${String(m).padStart(2, "0")}`;
  return {
    current: { at: firstOfMonth(c.year, c.month, timeZone), label: label(c.year, c.month) },
    next: { at: firstOfMonth(nextYear, nextMonth, timeZone), label: label(nextYear, nextMonth) },
  };
}
