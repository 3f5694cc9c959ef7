// Filing input, validated with messages a rep can act on, keyed by field so the Slack modal can
// answer `response_action: errors` on the right block.

import { z } from "zod";
import type { Refusal, Result } from "../app-error.ts";
import { DISPUTE_CATEGORIES, type DisputeCategory } from "../model.ts";

export const REASON_MIN = 10;
export const REASON_MAX = 3000;
export const EVIDENCE_MAX = 3000;

export const DISPUTE_CATEGORY_LABELS: Record<DisputeCategory, string> = {
  international_expansion: "International expansion",
  reseller_channel: "Reseller channel",
  named_account: "Named account",
  parent_subsidiary: "Parent / subsidiary",
  segment_change: "Segment change",
  other: "Other",
};

// Slack sends null for an empty optional input, and reps paste stray spaces.
const blankToUndefined = (value: unknown) =>
  value === null || (typeof value === "string" && value.trim() === "") ? undefined : value;

function required(message: string) {
  return z.string({ error: message }).trim().min(1, message);
}

// Salesforce ids (15/18 chars), HubSpot numeric ids and similar: letters, digits, - and _.
const CRM_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/;

export function isOpportunityLink(value: string): boolean {
  if (CRM_ID.test(value)) return true;
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname.includes(".");
  } catch {
    return false;
  }
}

export const ZDisputeFiling = z.object({
  accountId: required("Pick the account you want to dispute."),
  claimantRepId: required("We couldn't tell who is filing; open the dispute again from Slack."),
  proposedOwnerRepId: required("Choose who should own this account."),
  category: z.enum(DISPUTE_CATEGORIES, {
    error: "Choose the kind of overlap; it tells the arbiter which written rule to look at.",
  }),
  reason: z
    .string({ error: `Tell the arbiter why, in at least ${REASON_MIN} characters.` })
    .trim()
    .min(REASON_MIN, `Tell the arbiter a little more: at least ${REASON_MIN} characters.`)
    .max(
      REASON_MAX,
      `Keep the reason under ${REASON_MAX.toLocaleString("en-US")} characters; put longer material in the evidence.`,
    ),
  opportunityLink: z.preprocess(
    blankToUndefined,
    z
      .string({ error: "Paste the opportunity's link or its CRM id." })
      .trim()
      .refine(
        isOpportunityLink,
        "Paste a link to the opportunity (https://…) or its CRM id, like 0065g00000AbCdE.",
      )
      .optional(),
  ),
  evidence: z.preprocess(
    blankToUndefined,
    z
      .string({ error: "Evidence should be text: notes, links, dates." })
      .trim()
      .max(
        EVIDENCE_MAX,
        `Keep the evidence under ${EVIDENCE_MAX.toLocaleString("en-US")} characters; link to longer documents.`,
      )
      .optional(),
  ),
});

export type TDisputeFiling = z.infer<typeof ZDisputeFiling>;
export type DisputeFilingField = keyof TDisputeFiling;
export const DISPUTE_FILING_FIELDS = Object.keys(ZDisputeFiling.shape) as DisputeFilingField[];

export type FilingFieldErrors = Partial<Record<DisputeFilingField, string>>;

export type FilingResult = Result<
  TDisputeFiling,
  Refusal<"invalid_filing"> & { fieldErrors: FilingFieldErrors }
>;

/** What the filer's modal cannot know but the check needs. */
export type FilingContext = { currentOwnerRepId: string | null };

/** Parses modal input into a filing; on failure, one message per field, first problem first. */
export function parseDisputeFiling(input: unknown, context?: FilingContext): FilingResult {
  const parsed = ZDisputeFiling.safeParse(input);
  const fieldErrors: FilingFieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (typeof field === "string" && isField(field)) fieldErrors[field] ??= issue.message;
    }
    // A malformed payload (not an object at all) has no field to point at; blame the account.
    if (Object.keys(fieldErrors).length === 0)
      fieldErrors.accountId = "Pick the account you want to dispute.";
  } else if (
    context?.currentOwnerRepId != null &&
    parsed.data.proposedOwnerRepId === context.currentOwnerRepId
  ) {
    fieldErrors.proposedOwnerRepId =
      "That rep already owns this account. Choose the rep who should own it instead.";
  }
  if (parsed.success && Object.keys(fieldErrors).length === 0) return { ok: true, value: parsed.data };
  return {
    ok: false,
    error: {
      code: "invalid_filing",
      message: `filing refused: ${Object.keys(fieldErrors).join(", ")}`,
      fieldErrors,
      userMessage: "Some answers need a fix before the dispute can be filed.",
    },
  };
}

function isField(name: string): name is DisputeFilingField {
  return (DISPUTE_FILING_FIELDS as string[]).includes(name);
}
