// App Home: a rep's signal queue, and for managers their team's signal figures — signals routed,
// time to first touch and routing disputes per month, the guide's measures of the workflow.

import { SIGNAL_TYPE_LABELS, type SignalType } from "../../../domain/signals/index.ts";
import type { SignalHome } from "../../../services/signals/home.ts";
import { type Block, context, divider, fields, section } from "../blocks.ts";
import { escapeMrkdwn } from "../limits.ts";
import { slackDateTime } from "../slack-date.ts";

export function signalHomeSections(home: SignalHome, timeZone: string): Block[] {
  const blocks: Block[] = [divider(), section("*Your signal queue*")];
  if (home.queue.length === 0) {
    blocks.push(
      context(
        "No open signals. When a buying signal fires on one of your accounts, it lands here and in a DM.",
      ),
    );
  } else {
    for (const item of home.queue) {
      const types = item.signalTypes.map((t) => SIGNAL_TYPE_LABELS[t as SignalType] ?? t).join(", ");
      const snoozed = item.state === "snoozed" ? " · snoozed" : "";
      blocks.push(
        section(
          `*${escapeMrkdwn(item.accountName)}* — ${escapeMrkdwn(types)}${item.kind === "motion" ? " · second motion" : ""}${snoozed} · ${slackDateTime(item.lastSignalAt, timeZone)}`,
        ),
      );
    }
  }
  if (home.team) {
    const t = home.team;
    const median = t.medianMinutesToFirstTouch === null ? "—" : formatMinutes(t.medianMinutesToFirstTouch);
    blocks.push(
      divider(),
      section(`*Signals for your team* (since ${t.since})`),
      fields([
        `*Signals routed*\n${t.routed}`,
        `*Worked*\n${t.touched}`,
        `*Median time to first touch*\n${median}`,
        `*Routing disputes ("not mine")*\n${t.notMine}`,
      ]),
    );
  }
  return blocks;
}

function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${Math.round(minutes)} min`;
  const hours = minutes / 60;
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} days`;
}
