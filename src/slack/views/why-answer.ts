// "/owner why": the rules the engine considered, in precedence order and plain language, and the
// account's ownership history.
import type { WhyAnswer } from "../../services/ownership/why-owner.ts";
import { type Block, context, divider, header, type Message, section } from "./blocks.ts";
import { clip, escapeMrkdwn, LIMITS } from "./limits.ts";
import { ruleSentence } from "./owner-answer.ts";
import { slackDate } from "./slack-date.ts";

const OUTCOME_ICON = { fired: "✅", skipped: "⏭️", not_matched: "·" } as const;
const CAUSE = {
  import: "CRM import",
  rule: "rule",
  dispute: "dispute decision",
  rebalance: "quarterly rebalance",
  manual: "RevOps by hand",
  stale: "stale, back to pool",
  white_space: "white space",
} as Record<string, string>;

const signalLabel = (type: string) => type.replace(/_/g, " ");

/** Where a signal went, as the rep reads it. */
function signalOutcome(s: WhyAnswer["signals"][number]): string {
  if (s.status === "routed") return s.repName ? `sent to *${escapeMrkdwn(s.repName)}*` : "sent";
  if (s.status === "queued") return "in the RevOps queue";
  if (s.status === "recorded") return "recorded only";
  return "not routed yet";
}

export function whyAnswer(why: WhyAnswer, timeZone: string): Message {
  const { card, verdict } = why;
  const owner = card.owner ? card.owner.name : "nobody";
  const engineOwner = verdict.owner
    ? (why.repName(verdict.owner.repId) ?? verdict.owner.repId)
    : "nobody (white space)";
  const agrees = (verdict.owner?.repId ?? null) === (card.owner?.id ?? null);
  const blocks: Block[] = [
    header(clip(`Why ${owner} owns ${card.account.name}`, LIMITS.headerText)),
    section(
      `*Today:* ${escapeMrkdwn(ruleSentence(card))}${card.since ? ` (since ${slackDate(card.since, timeZone)})` : ""}`,
    ),
    section(
      agrees
        ? `*The rules agree:* ${escapeMrkdwn(verdict.reason)}`
        : verdict.effectiveAt !== null
          ? `*The rules move it later:* ${escapeMrkdwn(verdict.reason)}`
          : `*The rules would decide differently:* ${escapeMrkdwn(verdict.reason)} → *${escapeMrkdwn(engineOwner)}*. The next re-evaluation applies it unless the account is held by open opportunities.`,
    ),
  ];
  if (why.pending)
    blocks.push(
      section(
        `*Coming:* ${escapeMrkdwn(why.pending.sentence)}. ${escapeMrkdwn(owner)} keeps it until then, with credit for in-flight opportunities through closure.`,
      ),
    );
  // Fired and skipped rules explain the answer; unmatched ones are summarised so the trail fits.
  const relevant = verdict.trail.filter((t) => t.outcome !== "not_matched");
  const unmatched = verdict.trail.length - relevant.length;
  if (relevant.length) {
    const lines = relevant
      .slice(0, 12)
      .map(
        (t) =>
          `${OUTCOME_ICON[t.outcome]} ${escapeMrkdwn(t.rule.text)}${t.note ? ` — _${escapeMrkdwn(t.note)}_` : ""}`,
      );
    blocks.push(section(`*Rules considered, highest precedence first*\n${lines.join("\n")}`));
  }
  if (unmatched) blocks.push(context(`${unmatched} other rule(s) did not match this account.`));
  if (why.history.length) {
    blocks.push(divider());
    const lines = why.history.map(
      (h) =>
        `${slackDate(h.from, timeZone)}${h.to ? `–${slackDate(h.to, timeZone)}` : " → today"}: *${escapeMrkdwn(h.repName ?? "white space")}* (${CAUSE[h.cause] ?? h.cause}${h.ruleText ? `: ${escapeMrkdwn(clip(h.ruleText, 200))}` : ""})`,
    );
    blocks.push(section(`*Ownership history*\n${lines.join("\n")}`));
  }
  if (why.signals.length) {
    blocks.push(divider());
    const lines = why.signals.map(
      (s) =>
        `${slackDate(s.occurredAt, timeZone)}: ${escapeMrkdwn(signalLabel(s.type))} (strength ${s.strength}, ${escapeMrkdwn(s.source)})${s.detail ? ` — ${escapeMrkdwn(clip(s.detail, 120))}` : ""} → ${signalOutcome(s)}`,
    );
    blocks.push(section(clip(`*Recent buying signals*\n${lines.join("\n")}`, LIMITS.sectionText)));
  }
  return {
    text: clip(
      `Why ${owner} owns ${card.account.name}: ${ruleSentence(card)}.${why.pending ? ` It ${why.pending.sentence}.` : ""} Rules today: ${verdict.reason}`,
      LIMITS.fallbackText,
    ),
    blocks,
  };
}
