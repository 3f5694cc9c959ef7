// The decision modal: the arbiter's words (required; both reps read them and they become the
// rule's text) and the rule's scope, each option showing how many accounts it covers today.
import type { ModalView } from "@slack/types";
import { DECISION_TEXT_MAX, type DecisionChoice } from "../../../domain/disputes/index.ts";
import type { ScopeOption } from "../../../services/disputes/decide-dispute.ts";
import type { DisputeDetails } from "../../../services/disputes/dispute-details.ts";
import { type Block, plain, section } from "../blocks.ts";
import { clip, escapeMrkdwn, LIMITS } from "../limits.ts";
import { ASK_BLOCK, DECISION_BLOCK, DISPUTE_VIEW, inputAction } from "./ids.ts";

// Slack caps an option's value at 150 characters and a radio group at 10 options.
const OPTION_VALUE_MAX = 150;
const RADIO_OPTIONS_MAX = 10;

export type DecisionMetadata = { disputeId: string; choice: DecisionChoice };

export function decisionModal(d: DisputeDetails, choice: DecisionChoice, scopes: ScopeOption[]): ModalView {
  const winner = choice === "transfer" ? d.proposedOwner.name : (d.currentOwner?.name ?? "the current owner");
  const options = scopes
    .map((s) => ({ s, value: JSON.stringify(s.scope) }))
    .filter(({ value }) => value.length <= OPTION_VALUE_MAX)
    .slice(0, RADIO_OPTIONS_MAX)
    .map(({ s, value }) => ({
      text: plain(s.label, 75),
      description: plain(
        `${s.affected.toLocaleString("en-US")} ${s.affected === 1 ? "account" : "accounts"} today`,
        75,
      ),
      value,
    }));
  const blocks: Block[] = [
    section(
      `${choice === "transfer" ? "Transfer" : "Keep"} *${escapeMrkdwn(d.account.name)}*: it goes to *${escapeMrkdwn(winner)}*.`,
    ),
    {
      type: "input",
      block_id: DECISION_BLOCK.text,
      label: plain("Your decision, in plain language"),
      hint: plain("Both reps receive these words, and they become the rule's text."),
      element: {
        type: "plain_text_input",
        action_id: inputAction(DECISION_BLOCK.text),
        multiline: true,
        max_length: DECISION_TEXT_MAX,
      },
    },
    {
      type: "input",
      block_id: DECISION_BLOCK.scope,
      label: plain("Which accounts does the rule cover?"),
      element: {
        type: "radio_buttons",
        action_id: inputAction(DECISION_BLOCK.scope),
        options,
        ...(options[0] ? { initial_option: options[0] } : {}),
      },
    },
  ];
  const metadata: DecisionMetadata = { disputeId: d.dispute.id, choice };
  return {
    type: "modal",
    callback_id: DISPUTE_VIEW.decide,
    private_metadata: clip(JSON.stringify(metadata), LIMITS.privateMetadata),
    title: plain(choice === "transfer" ? "Transfer account" : "Keep with owner", LIMITS.modalTitle),
    submit: plain("Decide", LIMITS.modalButton),
    close: plain("Cancel", LIMITS.modalButton),
    blocks,
  };
}

export function askModal(d: DisputeDetails): ModalView {
  return {
    type: "modal",
    callback_id: DISPUTE_VIEW.ask,
    private_metadata: JSON.stringify({ disputeId: d.dispute.id }),
    title: plain("Ask for info", LIMITS.modalTitle),
    submit: plain("Ask", LIMITS.modalButton),
    close: plain("Cancel", LIMITS.modalButton),
    blocks: [
      section(`${escapeMrkdwn(d.claimant.name)} gets your question in a DM thread. The clock keeps running.`),
      {
        type: "input",
        block_id: ASK_BLOCK.question,
        label: plain("What do you need to know?"),
        element: {
          type: "plain_text_input",
          action_id: inputAction(ASK_BLOCK.question),
          multiline: true,
          max_length: 2000,
        },
      },
    ],
  };
}
