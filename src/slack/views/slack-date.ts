// Slack renders <!date^…> in each reader's own time zone; the fallback text (notifications, clients
// that can't render the token) is the company's calendar day, from TURF_TIMEZONE.
import { readableDateTime, readableDay } from "../../domain/dates/format.ts";

export function slackDate(at: Date, timeZone: string, format = "{date_short}"): string {
  const unix = Math.floor(at.getTime() / 1000);
  return `<!date^${unix}^${format}|${readableDay(at, timeZone)}>`;
}

export function slackDateTime(at: Date, timeZone: string): string {
  const unix = Math.floor(at.getTime() / 1000);
  return `<!date^${unix}^{date_short} at {time}|${readableDateTime(at, timeZone)}>`;
}
