// Wall-clock dates in the company's time zone (first of the month, first of the fiscal quarter), as
// UTC instants. Pure: Intl does the zone arithmetic; nothing reads the clock.
export type Civil = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The civil date and time a UTC instant shows in a time zone. */
export function civilIn(date: Date, timeZone: string): Civil {
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
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(date)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** UTC instant of local midnight starting the given civil day in the time zone. */
export function localMidnight(year: number, month: number, day: number, timeZone: string): Date {
  const wanted = Date.UTC(year, month - 1, day);
  // Two rounds of offset correction settle every real zone, DST changes included.
  let guess = wanted;
  for (let i = 0; i < 3; i++) {
    const c = civilIn(new Date(guess), timeZone);
    const seen = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);
    const next = guess + (wanted - seen);
    if (next === guess) break;
    guess = next;
  }
  return new Date(guess);
}
