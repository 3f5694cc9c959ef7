// Signals on one account within a window update one message; and nothing is sent in a rep's night
// unless the signal is urgent. Both are pure time arithmetic here.

/** The start of the fixed window that `at` falls in (windows are aligned to the epoch). */
export function windowStart(at: Date, windowMinutes: number): Date {
  const size = windowMinutes * 60_000;
  return new Date(Math.floor(at.getTime() / size) * size);
}

export type QuietHours = { startHour: number; endHour: number };

export const DEFAULT_QUIET_HOURS: QuietHours = { startHour: 21, endHour: 8 };

function localHour(at: Date, timeZone: string): { hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? "0");
  return { hour: get("hour"), minute: get("minute") };
}

/**
 * When a non-urgent message may be delivered to a rep in `timeZone`: `at` itself outside quiet
 * hours, else the end of the rep's night (to the minute, in their zone).
 */
export function deliverableAt(at: Date, timeZone: string, quiet: QuietHours = DEFAULT_QUIET_HOURS): Date {
  const { hour, minute } = localHour(at, timeZone);
  const inQuiet =
    quiet.startHour > quiet.endHour
      ? hour >= quiet.startHour || hour < quiet.endHour
      : hour >= quiet.startHour && hour < quiet.endHour;
  if (!inQuiet) return at;
  const minutesNow = hour * 60 + minute;
  const endMinutes = quiet.endHour * 60;
  const wait = (endMinutes - minutesNow + 24 * 60) % (24 * 60);
  const candidate = new Date(Math.floor(at.getTime() / 60_000) * 60_000 + wait * 60_000);
  // Across a daylight-saving change the local hour can shift by one: land on the first minute that is
  // outside quiet hours.
  const check = localHour(candidate, timeZone);
  return check.hour === quiet.endHour
    ? candidate
    : new Date(candidate.getTime() + (quiet.endHour - check.hour) * 3_600_000);
}
