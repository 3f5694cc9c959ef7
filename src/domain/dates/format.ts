// Every date a person reads, as a date in the company's time zone (TURF_TIMEZONE). Pure: the zone is
// always passed in, never read from the environment, and nothing reads the clock.
//
// Why not `toISOString().slice(0, 10)`: that is the UTC calendar day. A quarter that starts at
// midnight in Berlin (2027-02-01 00:00 CET = 2027-01-31 23:00 UTC) would read "2027-01-31".
import { civilIn } from "../civil-time.ts";

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2027-02-01": the calendar day in the zone, for CLI output, exports and machine-readable text. */
export function isoDay(at: Date, timeZone: string): string {
  const c = civilIn(at, timeZone);
  return `${pad(c.year, 4)}-${pad(c.month)}-${pad(c.day)}`;
}

/** "1 Feb 2027": the calendar day in the zone, for sentences a rep reads. */
export function readableDay(at: Date, timeZone: string): string {
  const c = civilIn(at, timeZone);
  return `${c.day} ${MONTHS[c.month - 1]} ${c.year}`;
}

const zoneNames = new Map<string, Intl.DateTimeFormat>();

/** The zone's short name at that instant ("CET", "PST", "GMT+1"), so a time is never ambiguous. */
export function zoneAbbreviation(at: Date, timeZone: string): string {
  let f = zoneNames.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" });
    zoneNames.set(timeZone, f);
  }
  return f.formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? timeZone;
}

/** "1 Feb 2027, 00:00 CET": day and 24-hour time in the zone, with the zone named. */
export function readableDateTime(at: Date, timeZone: string): string {
  const c = civilIn(at, timeZone);
  return `${readableDay(at, timeZone)}, ${pad(c.hour)}:${pad(c.minute)} ${zoneAbbreviation(at, timeZone)}`;
}
