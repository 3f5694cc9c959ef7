// Signal DMs through Slack's Web API: open the DM, post or update the message built by the view,
// and read the rep's time zone (cached per process: profiles rarely change).
import type { WebClient } from "@slack/web-api";
import type { SignalSender } from "../../services/signals/deliver-messages.ts";
import { signalMessage } from "../views/signals/signal-message.ts";

export function slackSignalSender(client: WebClient, timeZone: string): SignalSender {
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
    async post(slackUserId, model) {
      const dm = await client.conversations.open({ users: slackUserId });
      const channel = dm.channel?.id;
      if (!channel) throw new Error("Slack opened no DM channel");
      const view = signalMessage(model, timeZone);
      const posted = await client.chat.postMessage({
        channel,
        text: view.text,
        blocks: view.blocks as never,
        metadata: { event_type: "turf_signal", event_payload: { message_id: model.messageId } },
      });
      if (!posted.ts) throw new Error("Slack returned no message ts");
      return { channel, ts: posted.ts };
    },
    async update(channel, ts, model) {
      const view = signalMessage(model, timeZone);
      await client.chat.update({ channel, ts, text: view.text, blocks: view.blocks as never });
    },
  };
}
