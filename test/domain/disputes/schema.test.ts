import { describe, expect, it } from "vitest";
import {
  DISPUTE_CATEGORY_LABELS,
  DISPUTE_FILING_FIELDS,
  parseDisputeFiling,
} from "../../../src/domain/disputes/schema.ts";
import { DISPUTE_CATEGORIES } from "../../../src/domain/model.ts";

const valid = {
  accountId: "acc-1",
  claimantRepId: "rep-claimant",
  proposedOwnerRepId: "rep-claimant",
  category: "reseller_channel",
  reason: "The reseller registered this deal, but I sourced the account in January.",
  opportunityLink: "https://acme.my.salesforce.com/lightning/r/Opportunity/0065g00000OPP001/view",
  evidence: "Email thread of 14 Jan with their CFO.",
};

describe("parseDisputeFiling", () => {
  it("accepts a complete filing and trims what the rep typed", () => {
    const result = parseDisputeFiling({ ...valid, reason: `  ${valid.reason}  ` });
    expect(result).toEqual({ ok: true, value: valid });
  });

  it.each([
    { what: "null (Slack's empty input)", value: null },
    { what: "an empty string", value: "" },
    { what: "only spaces", value: "   " },
  ])("treats an optional field left as $what as absent", ({ value }) => {
    const result = parseDisputeFiling({ ...valid, opportunityLink: value, evidence: value });
    expect(result.ok && result.value.opportunityLink).toBeUndefined();
    expect(result.ok && result.value.evidence).toBeUndefined();
  });

  it.each(["0065g00000OPP001", "006AbCdEfGhIjKl", "18273645", "http://crm.example.com/deals/42"])(
    "accepts %s as an opportunity link",
    (opportunityLink) => {
      expect(parseDisputeFiling({ ...valid, opportunityLink }).ok).toBe(true);
    },
  );

  it.each([
    { field: "accountId", input: { accountId: "" }, message: "Pick the account" },
    { field: "accountId", input: { accountId: undefined }, message: "Pick the account" },
    { field: "proposedOwnerRepId", input: { proposedOwnerRepId: "  " }, message: "Choose who should own" },
    { field: "category", input: { category: "poaching" }, message: "Choose the kind of overlap" },
    { field: "category", input: { category: undefined }, message: "Choose the kind of overlap" },
    { field: "reason", input: { reason: "mine!" }, message: "at least 10 characters" },
    { field: "reason", input: { reason: "         short    " }, message: "at least 10 characters" },
    { field: "reason", input: { reason: "x".repeat(3001) }, message: "under 3,000 characters" },
    { field: "reason", input: { reason: 42 }, message: "Tell the arbiter why" },
    { field: "opportunityLink", input: { opportunityLink: "see the deal" }, message: "Paste a link" },
    {
      field: "opportunityLink",
      input: { opportunityLink: "ftp://files.example.com/x" },
      message: "Paste a link",
    },
    { field: "evidence", input: { evidence: "e".repeat(3001) }, message: "under 3,000 characters" },
  ])("points at $field when it is $input", ({ field, input, message }) => {
    const result = parseDisputeFiling({ ...valid, ...input });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.error.fieldErrors)).toEqual([field]);
    expect(result.error.fieldErrors[field as keyof typeof result.error.fieldErrors]).toContain(message);
  });

  it("reports every wrong field at once, one message each", () => {
    const result = parseDisputeFiling({ ...valid, category: "x", reason: "", opportunityLink: "??" });
    expect(!result.ok && Object.keys(result.error.fieldErrors).sort()).toEqual([
      "category",
      "opportunityLink",
      "reason",
    ]);
  });

  it("refuses proposing the rep who already owns the account", () => {
    const result = parseDisputeFiling(valid, { currentOwnerRepId: "rep-claimant" });
    expect(!result.ok && result.error.fieldErrors.proposedOwnerRepId).toContain("already owns");
    expect(parseDisputeFiling(valid, { currentOwnerRepId: null }).ok).toBe(true);
  });

  it("answers a payload that is not an object with a field message, never a raw error", () => {
    const result = parseDisputeFiling("garbage");
    expect(!result.ok && result.error.fieldErrors).toEqual({
      accountId: "Pick the account you want to dispute.",
    });
  });

  it("lists the fields the modal has blocks for, and labels every category", () => {
    expect(DISPUTE_FILING_FIELDS).toEqual([
      "accountId",
      "claimantRepId",
      "proposedOwnerRepId",
      "category",
      "reason",
      "opportunityLink",
      "evidence",
    ]);
    for (const category of DISPUTE_CATEGORIES) expect(DISPUTE_CATEGORY_LABELS[category]).toMatch(/^[A-Z]/);
  });
});
