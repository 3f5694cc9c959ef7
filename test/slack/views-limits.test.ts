// The answers' Block Kit stays inside Slack's limits whatever the data: long names, many domains,
// long rule trails and histories. A builder that overflows would make Slack reject the message.
import { describe, expect, it } from "vitest";
import type { OwnerCard } from "../../src/db/owner-card.ts";
import type { Rule } from "../../src/domain/rules/rule.ts";
import type { WhyAnswer } from "../../src/services/ownership/why-owner.ts";
import { appHomeView, searchModal } from "../../src/slack/views/app-home.ts";
import { answerModal } from "../../src/slack/views/blocks.ts";
import { ownerHelp } from "../../src/slack/views/help.ts";
import { chooseAccount, notFound, ownerAnswer } from "../../src/slack/views/owner-answer.ts";
import { whyAnswer } from "../../src/slack/views/why-answer.ts";
import { blockKitProblems } from "../support/block-limits.ts";

const long = (n: number, s = "Very Long Company Name ") => s.repeat(Math.ceil(n / s.length)).slice(0, n);

function card(size: "small" | "huge"): OwnerCard {
  const huge = size === "huge";
  return {
    account: {
      id: "acc-1",
      crmId: huge ? long(300, "001X") : "001000000000GLOBEX",
      name: huge ? long(5000) : "Globex <Corporation> & Sons",
      domains: huge
        ? Array.from({ length: 500 }, (_, i) => `domain-number-${i}.example.com`)
        : ["globex.com"],
      region: "EMEA",
      country: "DE",
      industry: huge ? long(3000, "Industry ") : "Software",
      sizeBand: "ENT",
      named: true,
    },
    owner: {
      id: "r1",
      name: huge ? long(2000, "Dana ") : "Dana Whitfield",
      email: "dana@example.com",
      slackUserId: huge ? null : "U0DANA0001",
    },
    since: new Date("2026-01-01T00:00:00Z"),
    cause: "import",
    rule: { id: "r", kind: "territory", text: huge ? long(10_000, "because ") : "Territory rule" },
    note: null,
    territory: huge ? long(4000, "EMEA ") : "EMEA",
    openOpportunities: {
      count: 3,
      amount: 420_000,
      resellers: huge ? Array.from({ length: 300 }, (_, i) => `Reseller ${i}`) : [],
    },
    parent: { crmId: "P", name: huge ? long(4000) : "Globex Holding", owner: null },
    subsidiaries: 2,
  };
}

function rule(i: number, text: string): Rule {
  return {
    id: `rule-${i}`,
    kind: "territory",
    matcher: { field: "account.region", op: "eq", value: "EMEA" },
    outcome: { type: "keep_current" },
    priority: 0,
    text,
    provenance: { by: "x", at: new Date(0) },
    active: true,
    createdAt: new Date(0),
  };
}

describe("Block Kit builders stay inside Slack's limits", () => {
  it.each(["small", "huge"] as const)("the ownership answer (%s data)", (size) => {
    const message = ownerAnswer(card(size), { timeZone: "UTC" });
    expect(blockKitProblems(message, "message")).toEqual([]);
    const shared = ownerAnswer(card(size), { shared: true, sharedBy: "U0REP0001", timeZone: "UTC" });
    expect(blockKitProblems(shared, "message")).toEqual([]);
  });

  it("escapes Slack control characters in account names", () => {
    expect(JSON.stringify(ownerAnswer(card("small"), { timeZone: "UTC" }).blocks)).toContain(
      "Globex &lt;Corporation&gt; &amp; Sons",
    );
  });

  it("the choice between candidates, with long names", () => {
    const candidates = Array.from({ length: 8 }, (_, i) => ({
      accountId: `a${i}`.repeat(400),
      name: long(4000),
      normalizedName: "x",
      domains: [long(3000, "d.")],
      acronym: null,
      crmId: long(500, "0"),
      parentName: long(3000),
      score: 0.7,
      reason: "similar_name" as const,
    }));
    const message = chooseAccount(long(10_000, "query "), candidates);
    expect(blockKitProblems(message, "message")).toEqual([]);
    expect(message.blocks.length).toBe(6);
  });

  it("the why answer with a long trail and history", () => {
    const why: WhyAnswer = {
      card: card("huge"),
      verdict: {
        owner: { repId: "r2" },
        territoryId: null,
        rule: rule(0, long(5000)),
        effectiveAt: null,
        deferral: null,
        reason: long(5000, "reason "),
        trail: Array.from({ length: 300 }, (_, i) => ({
          rule: rule(i, long(500)),
          outcome: i % 3 === 0 ? ("skipped" as const) : ("not_matched" as const),
          note: long(300, "note "),
        })),
      },
      repName: () => long(300, "Rep "),
      territoryName: () => "T",
      history: Array.from({ length: 50 }, () => ({
        repName: long(200, "Rep "),
        from: new Date(0),
        to: new Date(1),
        cause: "rule",
        ruleText: long(1000),
        note: null,
      })),
      signals: Array.from({ length: 5 }, () => ({
        type: "third_party_intent",
        strength: 5,
        occurredAt: new Date(0),
        source: long(1000, "Source "),
        detail: long(3000, "detail "),
        status: "routed",
        repName: long(300, "Rep "),
        reason: long(1000),
      })),
    };
    expect(blockKitProblems(whyAnswer(why, "UTC"), "message")).toEqual([]);
  });

  it("help, not found, App Home and the search modals", () => {
    expect(blockKitProblems(ownerHelp(), "message")).toEqual([]);
    expect(blockKitProblems(notFound(long(9000), "no_candidate"), "message")).toEqual([]);
    const home = appHomeView({
      repName: long(500, "Name "),
      recentLookups: Array.from({ length: 200 }, () => ({ query: long(3000), at: new Date(0) })),
      timeZone: "UTC",
    });
    expect(blockKitProblems(home, "home")).toEqual([]);
    expect(blockKitProblems(searchModal() as never, "modal")).toEqual([]);
    expect(
      blockKitProblems(
        answerModal(long(100), ownerAnswer(card("huge"), { timeZone: "UTC" }).blocks) as never,
        "modal",
      ),
    ).toEqual([]);
  });
});

describe("the limit checker itself", () => {
  it("flags what Slack would reject", () => {
    const tooMuch = {
      text: "",
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: "x".repeat(3001) } },
        {
          type: "actions",
          elements: [
            {
              type: "button",
              text: { type: "plain_text", text: "y".repeat(76) },
              action_id: "a",
              value: "v".repeat(2001),
            },
          ],
        },
        { type: "header", text: { type: "plain_text", text: "h".repeat(151) } },
        ...Array.from({ length: 50 }, () => ({ type: "divider" })),
      ],
    };
    expect(blockKitProblems(tooMuch, "message")).toEqual([
      "53 blocks (at most 50 in a message)",
      "no text fallback",
      "blocks[0] (section): text over 3000",
      "blocks[1] (actions): button text over 75",
      "blocks[1] (actions): button value over 2000",
      "blocks[2] (header): header over 150",
    ]);
  });
});
