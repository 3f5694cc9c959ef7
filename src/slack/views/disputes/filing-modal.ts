// The dispute modal: the account is fixed (private_metadata carries its id), the rep picks who
// should own it, the kind of overlap, a reason, and optionally evidence and the opportunity.
import type { ModalView } from "@slack/types";
import {
  DISPUTE_CATEGORY_LABELS,
  EVIDENCE_MAX,
  type FilingFieldErrors,
  REASON_MAX,
} from "../../../domain/disputes/index.ts";
import { DISPUTE_CATEGORIES } from "../../../domain/model.ts";
import { type Block, context, plain, section } from "../blocks.ts";
import { clip, escapeMrkdwn, LIMITS } from "../limits.ts";
import { DISPUTE_VIEW, FILING_BLOCK, inputAction } from "./ids.ts";

export type FilingModalData = {
  account: { id: string; name: string; crmId: string };
  currentOwner: { name: string; slackUserId: string | null } | null;
  claimantSlackUserId: string;
};

export function filingMetadata(accountId: string): string {
  return JSON.stringify({ accountId });
}

export function filingModal(data: FilingModalData): ModalView {
  const owner = data.currentOwner
    ? data.currentOwner.slackUserId
      ? `<@${data.currentOwner.slackUserId}>`
      : `*${escapeMrkdwn(data.currentOwner.name)}*`
    : "nobody (white space)";
  const blocks: Block[] = [
    section(
      `*${escapeMrkdwn(data.account.name)}* · \`${escapeMrkdwn(data.account.crmId)}\`\nOwned today by ${owner}.`,
    ),
    {
      type: "input",
      block_id: FILING_BLOCK.proposedOwner,
      label: plain("Who should own it?"),
      element: {
        type: "users_select",
        action_id: inputAction(FILING_BLOCK.proposedOwner),
        initial_user: data.claimantSlackUserId,
      },
    },
    {
      type: "input",
      block_id: FILING_BLOCK.category,
      label: plain("What kind of overlap?"),
      element: {
        type: "static_select",
        action_id: inputAction(FILING_BLOCK.category),
        placeholder: plain("Choose one"),
        options: DISPUTE_CATEGORIES.map((c) => ({ text: plain(DISPUTE_CATEGORY_LABELS[c]), value: c })),
      },
    },
    {
      type: "input",
      block_id: FILING_BLOCK.reason,
      label: plain("Why should it be theirs?"),
      element: {
        type: "plain_text_input",
        action_id: inputAction(FILING_BLOCK.reason),
        multiline: true,
        max_length: REASON_MAX,
        placeholder: plain(
          "The facts the arbiter needs: who sourced it, which region or segment, since when.",
        ),
      },
    },
    {
      type: "input",
      block_id: FILING_BLOCK.evidence,
      optional: true,
      label: plain("Evidence"),
      element: {
        type: "plain_text_input",
        action_id: inputAction(FILING_BLOCK.evidence),
        multiline: true,
        max_length: EVIDENCE_MAX,
      },
    },
    {
      type: "input",
      block_id: FILING_BLOCK.opportunityLink,
      optional: true,
      label: plain("Opportunity link or CRM id"),
      element: {
        type: "plain_text_input",
        action_id: inputAction(FILING_BLOCK.opportunityLink),
        placeholder: plain("https://… or 0065g00000AbCdE"),
      },
    },
    context(
      "The arbiter decides within 48 hours. Both reps hear the decision, and it becomes a written rule.",
    ),
  ];
  return {
    type: "modal",
    callback_id: DISPUTE_VIEW.file,
    private_metadata: clip(filingMetadata(data.account.id), LIMITS.privateMetadata),
    title: plain("Dispute ownership", LIMITS.modalTitle),
    submit: plain("File dispute"),
    close: plain("Cancel"),
    blocks,
  };
}

const FIELD_BLOCK: Record<keyof FilingFieldErrors, string> = {
  accountId: FILING_BLOCK.reason,
  claimantRepId: FILING_BLOCK.reason,
  proposedOwnerRepId: FILING_BLOCK.proposedOwner,
  category: FILING_BLOCK.category,
  reason: FILING_BLOCK.reason,
  evidence: FILING_BLOCK.evidence,
  opportunityLink: FILING_BLOCK.opportunityLink,
};

/** `response_action: errors` keyed by block id; the first message for a block wins. */
export function filingErrors(fieldErrors: FilingFieldErrors): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(fieldErrors) as [keyof FilingFieldErrors, string][]) {
    const block = FIELD_BLOCK[field];
    errors[block] ??= message;
  }
  return errors;
}
