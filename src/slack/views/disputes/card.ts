// The arbiter's card: the case at a glance, the rule trail as it stands, and the three buttons —
// replaced in place by the outcome once the dispute is decided.
import { DISPUTE_CATEGORY_LABELS, timeLeftUntil } from "../../../domain/disputes/index.ts";
import type { DisputeDetails } from "../../../services/disputes/dispute-details.ts";
import { shortRef } from "../../../services/disputes/file-dispute.ts";
import {
  actions,
  type Block,
  button,
  context,
  fields,
  header,
  type Message,
  mention,
  section,
} from "../blocks.ts";
import { clip, escapeMrkdwn, LIMITS } from "../limits.ts";
import { DISPUTE_ACTION } from "./ids.ts";
import { dueLine, slackDue } from "./time.ts";

/** Re-exported for callers that import it from here (disputes/send.ts). */
export type { Message } from "../blocks.ts";

const quote = (text: string) =>
  text
    .trim()
    .split(/\r?\n/)
    .map((line) => `> ${escapeMrkdwn(line)}`)
    .join("\n");

const TRAIL_MARK = { fired: "✅", skipped: "↷", not_matched: "·" } as const;

export function outcomeLine(d: DisputeDetails): string | null {
  const x = d.dispute;
  if (x.status === "withdrawn") return "Withdrawn by the claimant.";
  if (x.status !== "resolved") return null;
  const who = mention(d.decidedBy);
  const winner = x.decision === "transfer" ? mention(d.proposedOwner) : mention(d.currentOwner);
  const verb = x.decision === "transfer" ? `transfer to ${winner}` : `keep with ${winner}`;
  if (x.signOffRequired) {
    if (x.signedOffAt) return `✅ Decided by ${who}: ${verb}. Channel exception signed off by a manager.`;
    if (x.signOffExpiredAt)
      return `⏹ Decided by ${who}: ${verb}, but no manager signed off within 48 h, so ${mention(d.currentOwner)} stays rep of record.`;
    return `⏳ Decided by ${who}: ${verb}. A manager must sign off this channel exception by ${x.signOffDueAt ? slackDue(x.signOffDueAt) : "the deadline"}.`;
  }
  return `✅ Decided by ${who}: ${verb}.`;
}

export function arbiterCard(d: DisputeDetails, now: Date): Message {
  const x = d.dispute;
  const account = escapeMrkdwn(d.account.name);
  const blocks: Block[] = [
    header(`Dispute: ${d.account.name}`),
    section(
      `${mention(d.claimant)} disputes *${account}*, owned today by ${mention(d.currentOwner)}, and asks for it to go to ${mention(d.proposedOwner)}.`,
    ),
    fields([
      `*Category*\n${DISPUTE_CATEGORY_LABELS[x.category]}`,
      `*Due*\n${x.status === "resolved" || x.status === "withdrawn" ? "—" : dueLine(x.dueAt, now)}`,
      `*Reference*\n${shortRef(x.id)}`,
      `*Arbiter*\n${mention(d.arbiter)}${d.arbiterRole ? ` (${escapeMrkdwn(d.arbiterRole)})` : ""}; backup: ${d.backup ? mention(d.backup) : "none set"}`,
    ]),
    section(`*Reason*\n${quote(x.reason)}`),
  ];
  if (x.evidence) blocks.push(section(`*Evidence*\n${quote(x.evidence)}`));
  if (x.opportunityLink) blocks.push(section(`*Opportunity*\n${escapeMrkdwn(x.opportunityLink)}`));
  if (d.trail.length > 0 || d.verdictReason) {
    const lines = d.trail
      .slice(0, 8)
      .map(
        (t) =>
          `${TRAIL_MARK[t.outcome]} _${t.kind}_ · ${escapeMrkdwn(clip(t.text, 160))} — ${escapeMrkdwn(clip(t.note, 200))}`,
      );
    blocks.push(
      section(
        `*Rules today*\n${d.verdictReason ? `${escapeMrkdwn(d.verdictReason)}\n` : ""}${lines.join("\n")}`,
      ),
    );
  }
  for (const note of d.notes.slice(-6)) {
    const label = note.kind === "info_request" ? "Asked" : "Answered";
    blocks.push(
      context(
        `*${label}* by ${escapeMrkdwn(note.authorName ?? "someone")}: ${escapeMrkdwn(clip(note.text, 2500))}`,
      ),
    );
  }
  const outcome = outcomeLine(d);
  if (outcome) {
    blocks.push(section(`${outcome}${x.decisionText ? `\n${quote(x.decisionText)}` : ""}`));
    if (d.ruleText) blocks.push(context(`Written as a rule: ${escapeMrkdwn(clip(d.ruleText, 500))}`));
  } else {
    if (x.status === "escalated") {
      blocks.push(
        context(
          `⚠️ The 48 hours ran out: escalated${d.backup ? ` to ${mention(d.backup)}` : ""}. A decision is still needed.`,
        ),
      );
    } else if (x.status === "info_requested") {
      blocks.push(context("Waiting for the claimant's answer. The clock keeps running."));
    }
    const buttons = [
      ...(d.currentOwner ? [button("Keep with current owner", DISPUTE_ACTION.keep, x.id)] : []),
      button("Transfer to claimant", DISPUTE_ACTION.transfer, x.id, "primary"),
      button("Ask for info", DISPUTE_ACTION.askInfo, x.id),
    ];
    blocks.push(actions(buttons, `dispute_actions`));
  }
  const winner =
    x.decision === "transfer" ? d.proposedOwner.name : (d.currentOwner?.name ?? "the current owner");
  const text = outcome
    ? `Dispute on ${d.account.name} decided: ${x.decision === "transfer" ? "transfer to" : "keep with"} ${winner}.`
    : `Dispute on ${d.account.name}: ${d.claimant.name} asks for it to go to ${d.proposedOwner.name}. ${timeLeftUntil(x.dueAt, now)} to decide.`;
  return { text: clip(text, LIMITS.fallbackText), blocks: blocks.slice(0, LIMITS.messageBlocks) };
}
