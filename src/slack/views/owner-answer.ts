// The answer to "who owns this account?", the same everywhere (slash command, shortcut, mention,
// App Home): owner, territory, the rule that decided it and since when, open pipeline, named-account
// status, parent, and the buttons to share it or dispute it.

import type { ScoredCandidate } from "../../domain/matching/rank.ts";
import type { OwnerCard } from "../../services/index.ts";
import { actions, type Block, button, context, fields, type Message, mention, section } from "./blocks.ts";
import { clip, escapeMrkdwn, LIMITS } from "./limits.ts";
import { slackDate } from "./slack-date.ts";

export const ACTION = {
  shareAnswer: "owner_share_answer",
  disputeThis: "owner_dispute_this",
  chooseAccount: "owner_choose_account",
  why: "owner_why",
} as const;

const CAUSE_TEXT: Record<string, string> = {
  import: "Owner of record in the CRM import",
  rule: "Assigned by a territory rule",
  dispute: "Decided by the arbiter in a dispute",
  rebalance: "Moved by the quarterly rebalance",
  manual: "Assigned by hand by RevOps",
  stale: "Returned to the pool after 90 days without activity",
  white_space: "Nobody owns it yet (white space)",
};

export function ruleSentence(card: OwnerCard): string {
  if (card.rule) return card.rule.text;
  if (card.cause) return CAUSE_TEXT[card.cause] ?? card.cause;
  return "No rule assigns this account: it is white space.";
}

function money(amount: number): string {
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: "USD",
    maximumFractionDigits: 0,
  }).format(amount);
}

/** A move the rules have dated for later (named-account list, dated rule), already scheduled. */
type WithPending = { pending?: { sentence: string } | null };

function pendingText(card: WithPending): string {
  return card.pending ? ` It ${card.pending.sentence}.` : "";
}

export function ownerAnswerText(card: OwnerCard & WithPending): string {
  const who = card.owner ? card.owner.name : "nobody (white space)";
  return clip(
    `${card.account.name} is owned by ${who}. ${ruleSentence(card)}.${pendingText(card)}`,
    LIMITS.fallbackText,
  );
}

export function ownerAnswer(
  card: OwnerCard & WithPending,
  options: { shared?: boolean; sharedBy?: string; timeZone: string },
): Message {
  const a = card.account;
  const name = escapeMrkdwn(a.name);
  const headline = card.owner
    ? `*${name}* is owned by ${mention(card.owner)}`
    : `*${name}* has no owner: it is white space`;
  const facts = [
    `*Territory*\n${card.territory ? escapeMrkdwn(card.territory) : "—"}`,
    `*Since*\n${card.since ? slackDate(card.since, options.timeZone) : "—"}`,
    `*Open opportunities*\n${card.openOpportunities.count === 0 ? "none" : `${card.openOpportunities.count} · ${money(card.openOpportunities.amount)}`}`,
    `*Named account*\n${a.named ? "yes" : "no"}`,
    `*Segment*\n${
      [a.sizeBand, a.region, a.industry]
        .filter(Boolean)
        .map((s) => escapeMrkdwn(String(s)))
        .join(" · ") || "—"
    }`,
    `*CRM id*\n\`${escapeMrkdwn(a.crmId)}\``,
  ];
  const blocks: Block[] = [
    section(headline),
    fields(facts),
    section(`*Why:* ${escapeMrkdwn(ruleSentence(card))}`),
  ];
  if (card.pending) {
    const keeper = card.owner
      ? `${escapeMrkdwn(card.owner.name)} keeps it until then`
      : "Until then it stays as it is";
    blocks.push(
      section(
        `*Coming:* ${escapeMrkdwn(card.pending.sentence)}. ${keeper}, with credit for in-flight opportunities through closure.`,
      ),
    );
  }
  if (card.parent) {
    blocks.push(
      context(
        `Subsidiary of *${escapeMrkdwn(card.parent.name)}*, owned by ${mention(card.parent.owner)}` +
          (card.openOpportunities.resellers.length
            ? ` · reseller deals via ${escapeMrkdwn(card.openOpportunities.resellers.join(", "))}`
            : ""),
      ),
    );
  } else if (card.openOpportunities.resellers.length) {
    blocks.push(context(`Reseller deals via ${escapeMrkdwn(card.openOpportunities.resellers.join(", "))}`));
  }
  if (a.domains.length) blocks.push(context(a.domains.map(escapeMrkdwn).join(" · ")));
  if (options.shared) {
    blocks.push(context(`Shared by ${options.sharedBy ? `<@${options.sharedBy}>` : "a rep"} from Turf`));
  } else {
    blocks.push(
      actions([
        button("Share in channel", ACTION.shareAnswer, a.id),
        button("Why?", ACTION.why, a.id),
        button("Dispute this", ACTION.disputeThis, a.id),
      ]),
    );
  }
  return { text: ownerAnswerText(card), blocks };
}

export function chooseAccount(query: string, candidates: ScoredCandidate[]): Message {
  const shown = candidates.slice(0, 5);
  const only = shown.length === 1 ? shown[0] : undefined;
  // One close-but-unsure candidate is a "did you mean", not a choice among several.
  const lead = only
    ? `Did you mean *${escapeMrkdwn(clip(only.name, 200))}*?`
    : `Several accounts could match *${escapeMrkdwn(clip(query, 200))}*. Which one do you mean?`;
  const blocks: Block[] = [section(lead)];
  for (const c of shown) {
    const detail = [c.domains[0], c.parentName ? `subsidiary of ${c.parentName}` : null, c.crmId]
      .filter(Boolean)
      .join(" · ");
    blocks.push(
      section(
        `*${escapeMrkdwn(c.name)}*\n${escapeMrkdwn(detail)}`,
        button(only ? "Yes, this one" : "This one", ACTION.chooseAccount, c.accountId),
      ),
    );
  }
  return {
    text: only
      ? `Did you mean ${clip(only.name, 200)} (for "${clip(query, 200)}")?`
      : `Several accounts could match "${clip(query, 200)}": ${shown.map((c) => c.name).join(", ")}`,
    blocks,
  };
}

const NOT_FOUND_HINT: Record<string, string> = {
  empty: "Tell me which account: `/owner acme.com`, `/owner Acme GmbH` or `/owner 001…` (a CRM id).",
  free_mail:
    "That is a free-mail address, which says nothing about the company. Try the company's name or domain.",
  no_candidate: "No account in Turf matches that. Check the spelling, or try the domain or CRM id.",
};

export function notFound(query: string, reason: string): Message {
  const hint = NOT_FOUND_HINT[reason] ?? NOT_FOUND_HINT.no_candidate;
  const lead = query ? `I couldn't find *${escapeMrkdwn(clip(query, 200))}*.` : "Which account?";
  return { text: `${lead.replace(/\*/g, "")} ${hint}`, blocks: [section(`${lead} ${hint}`)] };
}
