// Action, callback and block ids of the dispute surfaces, in one place so listeners and builders agree.
export const DISPUTE_ACTION = {
  keep: "dispute_keep",
  transfer: "dispute_transfer",
  askInfo: "dispute_ask_info",
  signOff: "dispute_sign_off",
  withdraw: "dispute_withdraw",
} as const;

export const DISPUTE_VIEW = {
  file: "dispute_file",
  decide: "dispute_decide",
  ask: "dispute_ask",
} as const;

/** Filing modal inputs: block id → its element's action id is `${block}_input`. */
export const FILING_BLOCK = {
  proposedOwner: "proposed_owner",
  category: "category",
  reason: "reason",
  evidence: "evidence",
  opportunityLink: "opportunity_link",
} as const;

export const DECISION_BLOCK = { text: "decision_text", scope: "rule_scope" } as const;
export const ASK_BLOCK = { question: "question" } as const;

export const inputAction = (block: string) => `${block}_input`;
