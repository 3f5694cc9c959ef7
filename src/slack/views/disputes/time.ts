// Deadlines as each reader should see them: in their own time zone (from users.info), with Slack's
// <!date^…> token so clients render it locally, and the time left in words.
import { timeLeftUntil } from "../../../domain/disputes/index.ts";

/** "Wed, Nov 4, 9:00 AM PST" in the given IANA zone; UTC when the zone is unknown or invalid. */
export function formatInZone(at: Date, timeZone: string | null | undefined): string {
  const format = (zone: string) =>
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      weekday: "short",
      month: "short",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      timeZoneName: "short",
    }).format(at);
  try {
    return format(timeZone || "UTC");
  } catch {
    return format("UTC");
  }
}

/** Slack renders this in the reader's zone; the fallback text is the given zone's rendering. */
export function slackDue(at: Date, timeZone?: string | null): string {
  const unix = Math.floor(at.getTime() / 1000);
  return `<!date^${unix}^{date_short_pretty} at {time}|${formatInZone(at, timeZone)}>`;
}

export function dueLine(dueAt: Date, now: Date, timeZone?: string | null): string {
  return `${slackDue(dueAt, timeZone)} (${timeLeftUntil(dueAt, now)})`;
}
