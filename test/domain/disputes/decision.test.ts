import { describe, expect, it } from "vitest";
import { planDecision } from "../../../src/domain/disputes/decision.ts";
import type { DisputeDecision } from "../../../src/domain/disputes/dispute.ts";
import { aDispute, anOpportunity, REPS } from "./fixtures.ts";

const TEXT = "EMEA expansions of ENT accounts go to the international team.\nThe US rep keeps the parent.";
const transfer: DisputeDecision = { choice: "transfer", text: TEXT, by: REPS.arbiter };
const keep: DisputeDecision = { choice: "keep", text: TEXT, by: REPS.arbiter };
const names = {
  account: "Acme GmbH",
  reps: { [REPS.claimant]: "Sam", [REPS.owner]: "Dana", [REPS.arbiter]: "Riley", [REPS.manager]: "Morgan" },
};

const opportunities = [
  anOpportunity({ id: "opp-owner", ownerRepId: REPS.owner }),
  anOpportunity({ id: "opp-unowned", ownerRepId: null }),
  anOpportunity({ id: "opp-claimant", ownerRepId: REPS.claimant, source: "reseller", reseller: "Initech" }),
  anOpportunity({ id: "opp-closed", ownerRepId: REPS.owner, isOpen: false }),
  anOpportunity({ id: "opp-elsewhere", accountId: "acc-2", ownerRepId: REPS.owner }),
];

describe("planDecision", () => {
  it.each([
    {
      decision: transfer,
      newOwnerRepId: REPS.claimant,
    },
    {
      decision: keep,
      newOwnerRepId: null,
    },
  ])(
    "$decision.choice → new owner $newOwnerRepId; in-flight deals keep their original rep",
    ({ decision, newOwnerRepId }) => {
      const plan = planDecision(aDispute(), decision, opportunities, names);
      expect(plan.newOwnerRepId).toBe(newOwnerRepId);
      expect(plan.opportunityCredit).toEqual([
        { opportunityId: "opp-owner", creditRepId: REPS.owner },
        { opportunityId: "opp-unowned", creditRepId: REPS.owner },
        { opportunityId: "opp-claimant", creditRepId: REPS.claimant },
      ]);
    },
  );

  it("credits nobody for an unowned deal on white space", () => {
    const plan = planDecision(aDispute({ currentOwnerRepId: null }), transfer, [
      anOpportunity({ ownerRepId: null }),
    ]);
    expect(plan.opportunityCredit).toEqual([]);
    expect(plan.newOwnerRepId).toBe(REPS.claimant);
  });

  it("tells both reps, quoting the decision text line by line", () => {
    const plan = planDecision(aDispute(), transfer, opportunities, names);
    expect(plan.messages.map((m) => m.to)).toEqual([REPS.claimant, REPS.owner]);
    const [toClaimant, toOwner] = plan.messages.map((m) => m.text);
    const quoted =
      "> EMEA expansions of ENT accounts go to the international team.\n> The US rep keeps the parent.";
    expect(toClaimant).toBe(
      [
        "Riley decided your dispute on Acme GmbH: it is yours.",
        quoted,
        "You keep the credit for your 1 open opportunity on it until it closes.",
      ].join("\n"),
    );
    expect(toOwner).toBe(
      [
        "Riley decided the dispute on Acme GmbH: it goes to Sam.",
        quoted,
        "You keep the credit for your 2 open opportunities on it until they close.",
      ].join("\n"),
    );
  });

  it("says the account stays on keep", () => {
    const plan = planDecision(aDispute(), keep, [], names);
    expect(plan.messages.map((m) => m.text.split("\n")[0])).toEqual([
      "Riley decided your dispute on Acme GmbH: it stays with Dana.",
      "Riley decided the dispute on Acme GmbH: it stays with you.",
    ]);
  });

  it("tells the new owner that deals in flight stay with the rep working them", () => {
    const plan = planDecision(aDispute(), transfer, [anOpportunity()], names);
    expect(plan.messages[0]?.text).toContain(
      "Deals already in flight (1) stay credited to the rep working them",
    );
  });

  it("also tells the proposed owner when a manager filed for them", () => {
    const plan = planDecision(aDispute({ claimantRepId: REPS.manager }), transfer, [], names);
    expect(plan.messages.map((m) => [m.to, m.text.split("\n")[0]])).toEqual([
      [REPS.manager, "Riley decided your dispute on Acme GmbH: it goes to Sam."],
      [REPS.owner, "Riley decided the dispute on Acme GmbH: it goes to Sam."],
      [REPS.claimant, "Riley decided the dispute on Acme GmbH: it is yours."],
    ]);
  });

  it("falls back to ids and 'the account' without names, so no message is ever blank", () => {
    const plan = planDecision(aDispute(), keep, []);
    expect(plan.messages[0]?.text.split("\n")[0]).toBe(
      `${REPS.arbiter} decided your dispute on the account: it stays with ${REPS.owner}.`,
    );
  });
});
