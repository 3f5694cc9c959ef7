// The signal use cases, with the database, clock and settings bound once.
import type { Clock } from "../../config/clock.ts";
import type { Db } from "../../db/client.ts";
import { queuedSignals } from "../../db/signals.ts";
import type { SignalInput } from "../../domain/signals/index.ts";
import type { Notifier } from "../outbox/index.ts";
import { actOnSignalMessage, type SignalAction } from "./act-on-message.ts";
import { deliverSignalMessages, type SignalSlack } from "./deliver-messages.ts";
import { signalHome } from "./home.ts";
import { ingestSignal } from "./ingest-signal.ts";
import { DEFAULT_SIGNAL_SETTINGS, type SignalSettings } from "./settings.ts";
import { loadSignalMessage } from "./signal-message.ts";

export type SignalServices = ReturnType<typeof createSignalServices>;

export function createSignalServices(
  db: Db,
  clock: Clock,
  settings: SignalSettings = DEFAULT_SIGNAL_SETTINGS,
) {
  return {
    settings,
    ingest: (input: SignalInput) => ingestSignal(db, input, { now: clock.now(), settings }),
    act: (messageId: string, slackUserId: string, action: SignalAction) =>
      actOnSignalMessage(db, { messageId, slackUserId, action, now: clock.now() }),
    message: (messageId: string) => loadSignalMessage(db, messageId),
    home: (slackUserId: string) => {
      const now = clock.now();
      const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
      const monthLabel = monthStart.toLocaleDateString("en-GB", {
        month: "long",
        year: "numeric",
        timeZone: "UTC",
      });
      return signalHome(db, { slackUserId, now, monthStart, monthLabel: `1 ${monthLabel}` });
    },
    queued: (limit?: number) => queuedSignals(db, limit),
    /** Writes due DMs to the outbox and delivers them now (what fails, the outbox job retries). */
    deliver: (slack: SignalSlack & { notifier: Notifier }, claimer: string) =>
      deliverSignalMessages(db, slack, { now: clock.now(), claimer, settings }),
  };
}
