// What signal delivery needs from Slack: the rep's time zone (cached per process: profiles rarely
// change) and the DM rendered by the view. Sending is the outbox's job.
import type { WebClient } from "@slack/web-api";
import type { SignalSlack } from "../../services/signals/deliver-messages.ts";
import { signalMessage } from "../views/signals/signal-message.ts";

export function slackSignalDelivery(client: WebClient, timeZone: string): SignalSlack {
  const zones = new Map<string, string | null>();
  return {
    async timeZoneOf(slackUserId) {
      if (zones.has(slackUserId)) return zones.get(slackUserId) ?? null;
      try {
        const info = await client.users.info({ user: slackUserId });
        const zone = (info.user as { tz?: string } | undefined)?.tz ?? null;
        zones.set(slackUserId, zone);
        return zone;
      } catch {
        // Without a known zone the signal is delivered at once: late is worse than at night.
        return null;
      }
    },
    compose: (model) => signalMessage(model, timeZone),
  };
}
