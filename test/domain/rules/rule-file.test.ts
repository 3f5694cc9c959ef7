import { describe, expect, it } from "vitest";
import { writtenOverlapRules } from "../../../src/domain/rules/rule.ts";
import { parseRuleFile, serializeRules } from "../../../src/domain/rules/rule-file.ts";
import { rule, T0 } from "./fixtures.ts";

const yaml = `
rules:
  - id: emea-ent
    kind: territory
    matcher:
      all:
        - { field: account.region, op: eq, value: EMEA }
        - { field: account.sizeBand, op: eq, value: ENT }
    outcome: { type: territory, territoryId: t-emea-ent }
    priority: 10
    text: EMEA enterprise accounts
    provenance: { by: revops, at: 2026-01-05T09:00:00Z }
    createdAt: 2026-01-05T09:00:00Z
`;

describe("parseRuleFile", () => {
  it("reads YAML with dates as text", () => {
    const result = parseRuleFile(yaml);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value).toHaveLength(1);
      expect(result.value[0]?.createdAt).toEqual(new Date("2026-01-05T09:00:00Z"));
      expect(result.value[0]?.active).toBe(true);
    }
  });

  it("reads a bare JSON list", () => {
    const result = parseRuleFile(JSON.stringify([rule("a"), rule("b")]));
    expect(result.ok && result.value.map((r) => r.id)).toEqual(["a", "b"]);
  });

  const cases: Array<[string, string, string | RegExp]> = [
    [
      "a misspelt field names the rule and the path",
      yaml.replace("account.sizeBand", "account.sizeband"),
      /^rules\[0\]\.matcher\.all\[1\]\.field: "account\.sizeband" is not a known field/,
    ],
    [
      "a duplicate id names both rules",
      JSON.stringify([rule("a"), rule("b"), rule("a")]),
      'rules[2].id: "a" is already used by rules[0]',
    ],
    ["broken YAML gives the line", "rules:\n  - id: [unclosed\n", /^line \d+, column \d+: /],
    ["a scalar is not a rule set", "42", 'expected a list of rules, or an object with a "rules" list'],
    ["a non-object entry", "[1]", "rules[0]: expected object, got 1"],
  ];
  it.each(cases)("%s", (_name, text, error) => {
    const result = parseRuleFile(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      if (typeof error === "string") expect(result.errors).toContain(error);
      else
        expect(
          result.errors.some((e) => error.test(e)),
          result.errors.join("\n"),
        ).toBe(true);
    }
  });
});

describe("serializeRules", () => {
  it("round-trips every rule kind, overlap parameters and dispute provenance", () => {
    const rules = [
      ...writtenOverlapRules({ by: "revops", at: T0 }),
      rule("d", {
        kind: "decision",
        provenance: { by: "arb", at: T0, disputeId: "D-1" },
        outcome: { type: "keep_current" },
      }),
      {
        ...rule("x", { kind: "overlap", outcome: { type: "keep_current" } }),
        overlap: {
          type: "reseller_channel" as const,
          signOffHours: 48,
          exceptions: [
            { accountCrmId: "001A", repId: "r1", signedOffBy: "m1", registeredAt: T0, signedOffAt: T0 },
          ],
        },
      },
    ];
    const text = serializeRules(rules);
    expect(text).toContain("2026-01-05T09:00:00.000Z");
    expect(parseRuleFile(text)).toEqual({ ok: true, value: rules });
  });
});
