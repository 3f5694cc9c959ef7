// The signal DM: the account with its firmographics, the signals that fired, why it is this rep's,
// the recommended next action, and Working it / Not mine / Snooze.

import { SIGNAL_TYPE_LABELS } from "../../../domain/signals/index.ts";
import type { SignalMessageModel } from "../../../services/signals/signal-message.ts";
import { actions, type Block, button, context, fields, header, mention, section } from "../blocks.ts";
import { clip, escapeMrkdwn, LIMITS } from "../limits.ts";
import { slackDateTime } from "../slack-date.ts";

export const SIGNAL_ACTION = {
  working: "signal_working",
  notMine: "signal_not_mine",
  snooze: "signal_snooze",
} as const;

const STRENGTH = ["", "weak", "mild", "moderate", "strong", "very strong"];

/** `timeZone` is the company's: Slack shows each reader their own time, the fallback text shows this one. */
export function signalMessage(
  model: SignalMessageModel,
  timeZone: string,
): { text: string; blocks: Block[] } {
  const a = model.account;
  const name = escapeMrkdwn(a.name);
  const latest = model.signals[0];
  const label = latest ? SIGNAL_TYPE_LABELS[latest.type] : "Signal";
  const count = model.signals.length;
  const title =
    model.kind === "fyi"
      ? `FYI: ${a.name} — a second product motion`
      : `${label}${count > 1 ? ` (+${count - 1} more)` : ""} — ${a.name}`;
  const blocks: Block[] = [header(title)];
  blocks.push(
    fields([
      `*Account*\n${name} (${escapeMrkdwn(a.crmId)})`,
      `*Domain*\n${a.domains[0] ? escapeMrkdwn(a.domains[0]) : "—"}`,
      `*Industry*\n${a.industry ? escapeMrkdwn(a.industry) : "—"}`,
      `*Region*\n${[a.region, a.country].filter(Boolean).join(" · ") || "—"}`,
      `*Size*\n${a.sizeBand ?? "—"}${a.employees ? ` · ${a.employees.toLocaleString("en-US")} employees` : ""}`,
      `*ICP fit*\n${a.icpFit ?? "—"} / 5 · ${a.openOpportunities} open opportunit${a.openOpportunities === 1 ? "y" : "ies"}`,
    ]),
  );
  const lines = model.signals.slice(0, 10).map((s) => {
    const product = s.productLine ? ` · ${escapeMrkdwn(s.productLine)}` : "";
    const detail = s.detail ? ` — ${escapeMrkdwn(clip(s.detail, 200))}` : "";
    return `• *${SIGNAL_TYPE_LABELS[s.type]}* (${STRENGTH[s.strength] ?? s.strength}) from ${escapeMrkdwn(s.source)}${product}, ${slackDateTime(s.occurredAt, timeZone)}${detail}`;
  });
  if (model.signals.length > 10) lines.push(`…and ${model.signals.length - 10} more`);
  blocks.push(section(`*Signals*\n${lines.join("\n")}`));
  blocks.push(section(`*Why it's yours*\n${escapeMrkdwn(model.why)}`));
  if (model.kind === "fyi") {
    const others = model.motions.map((m) => `${mention(m)} (${escapeMrkdwn(m.motion)})`).join(", ");
    if (others) blocks.push(context(`Also working this account: ${others}`));
    return { text: clip(`FYI: a second product motion on ${a.name}`, LIMITS.fallbackText), blocks };
  }
  blocks.push(section(`*Recommended next action*\n${escapeMrkdwn(model.nextAction)}`));
  if (model.motions.length > 0 && model.kind === "owner") {
    blocks.push(
      context(
        `Touched by two motions: ${model.motions.map((m) => `${mention(m)} (${escapeMrkdwn(m.motion)})`).join(", ")}`,
      ),
    );
  }
  blocks.push(...stateBlocks(model, timeZone));
  return {
    text: clip(`${label} on ${a.name}: ${model.nextAction}`, LIMITS.fallbackText),
    blocks: blocks.slice(0, LIMITS.messageBlocks),
  };
}

function stateBlocks(model: SignalMessageModel, timeZone: string): Block[] {
  switch (model.state) {
    case "working":
      return [context(":white_check_mark: You're working it.")];
    case "not_mine":
      return [context("You said it isn't yours: the dispute goes to the arbiter if you filed one.")];
    case "snoozed":
      return [
        context(
          `:zzz: Snoozed${model.snoozedUntil ? ` until ${slackDateTime(model.snoozedUntil, timeZone)}` : ""}.`,
        ),
      ];
    default:
      return [
        actions(
          [
            button("Working it", SIGNAL_ACTION.working, model.messageId, "primary"),
            button("Not mine", SIGNAL_ACTION.notMine, model.messageId),
            button("Snooze 24 h", SIGNAL_ACTION.snooze, model.messageId),
          ],
          `signal:${model.messageId}`,
        ),
      ];
  }
}
