import { describe, expect, it } from "vitest";
import type { Account, Territory, TerritoryModel } from "../../../src/domain/model.ts";
import { matches } from "../../../src/domain/rules/matcher.ts";
import {
  parseRule,
  territoryRuleFromTerritory,
  writtenOverlapRules,
} from "../../../src/domain/rules/rule.ts";
import { facts, T0, territory } from "./fixtures.ts";

const valid = {
  id: "d-1",
  kind: "decision",
  matcher: { field: "account.crmId", op: "eq", value: "001A" },
  outcome: { type: "rep", repId: "r1" },
  priority: 5,
  text: "Acme stays with Jane",
  provenance: { by: "U-ARBITER", at: "2026-01-05T09:00:00Z", disputeId: "D-7" },
  active: true,
  createdAt: "2026-01-05T09:00:00Z",
};

describe("parseRule", () => {
  it("accepts JSON with ISO dates and defaults priority and active", () => {
    const { priority: _p, active: _a, ...rest } = valid;
    const result = parseRule(rest);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.createdAt).toEqual(new Date("2026-01-05T09:00:00Z"));
      expect(result.value.provenance.at).toBeInstanceOf(Date);
      expect(result.value.priority).toBe(0);
      expect(result.value.active).toBe(true);
    }
  });

  const cases: Array<{ name: string; input: unknown; error: string | RegExp }> = [
    {
      name: "bad matcher field is named by its path",
      input: {
        ...valid,
        matcher: {
          all: [
            { field: "account.region", op: "eq", value: "EMEA" },
            { field: "acount.region", op: "eq", value: "NA" },
          ],
        },
      },
      error: /^matcher\.all\[1\]\.field: "acount\.region" is not a known field \(expected one of /,
    },
    {
      name: "outcome without rep id",
      input: { ...valid, outcome: { type: "rep" } },
      error: /^outcome\.repId: /,
    },
    { name: "missing text", input: { ...valid, text: "  " }, error: /^text: / },
    { name: "bad date", input: { ...valid, createdAt: "not a date" }, error: /^createdAt: / },
    { name: "fractional priority", input: { ...valid, priority: 1.5 }, error: /^priority: / },
    {
      name: "overlap rule without overlap type",
      input: { ...valid, kind: "overlap", outcome: { type: "keep_current" } },
      error: /^overlap: an overlap rule needs an overlap type/,
    },
    {
      name: "overlap type on a decision rule",
      input: { ...valid, overlap: { type: "parent_subsidiary" } },
      error: "overlap: only overlap rules take an overlap type, not decision rules",
    },
    {
      name: "overlap rule with a rep outcome",
      input: { ...valid, kind: "overlap", overlap: { type: "parent_subsidiary" } },
      error: /^outcome\.type: overlap rules decide the owner/,
    },
    {
      name: "channel exception without sign-off time",
      input: {
        ...valid,
        kind: "overlap",
        outcome: { type: "keep_current" },
        overlap: {
          type: "reseller_channel",
          exceptions: [{ accountCrmId: "001A", repId: "r2", signedOffBy: "m1", registeredAt: "2026-01-01" }],
        },
      },
      error: /^overlap\.exceptions\[0\]\.signedOffAt: /,
    },
    {
      name: "unknown top-level key",
      input: { ...valid, colour: "red" },
      error: 'colour: unexpected key "colour"',
    },
    {
      name: "missing field says required",
      input: { ...valid, outcome: { type: "territory" } },
      error: "outcome.territoryId: is required",
    },
    {
      name: "unreadable date says what a date looks like",
      input: { ...valid, provenance: { by: "x", at: "last tuesday" } },
      error: "provenance.at: expected a date such as 2026-01-05T09:00:00Z, got something that is not a date",
    },
    {
      name: "enum lists the choices",
      input: { ...valid, kind: "magic" },
      error: 'kind: "magic" is not one of decision, named, overlap, territory, manual',
    },
  ];
  it.each(cases)("$name", ({ input, error }) => {
    const result = parseRule(input);
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

describe("territoryRuleFromTerritory", () => {
  const meta = { id: "t-rule", by: "admin", at: T0 };
  const cases: Array<{
    model: TerritoryModel;
    over: Partial<Territory>;
    yes: Partial<Account>;
    no: Partial<Account>;
  }> = [
    { model: "geographic", over: { regions: ["EMEA"] }, yes: { region: "EMEA" }, no: { region: "NA" } },
    {
      model: "vertical",
      over: { industries: ["Software", "Fintech"] },
      yes: { industry: "Fintech" },
      no: { industry: "Retail" },
    },
    { model: "size", over: { sizeBands: ["ENT"] }, yes: { sizeBand: "ENT" }, no: { sizeBand: "MM" } },
    {
      model: "hybrid",
      over: { regions: ["EMEA"], sizeBands: ["ENT", "MM"] },
      yes: { region: "EMEA", sizeBand: "MM" },
      no: { region: "EMEA", sizeBand: "SMB" },
    },
  ];
  it.each(cases)("$model criteria become a matcher", ({ model, over, yes, no }) => {
    const result = territoryRuleFromTerritory(territory("t1", { model, ...over }), meta);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.kind).toBe("territory");
    expect(result.value.outcome).toEqual({ type: "territory", territoryId: "t1" });
    expect(matches(result.value.matcher, facts(yes))).toBe(true);
    expect(matches(result.value.matcher, facts(no))).toBe(false);
    // The built rule is itself valid data.
    expect(parseRule(JSON.parse(JSON.stringify(result.value))).ok).toBe(true);
  });
  it("refuses named territories and territories without criteria", () => {
    expect(territoryRuleFromTerritory(territory("t1", { model: "named", regions: ["EMEA"] }), meta).ok).toBe(
      false,
    );
    expect(territoryRuleFromTerritory(territory("t1"), meta).ok).toBe(false);
  });
});

describe("writtenOverlapRules", () => {
  it("produces the guide's three overlap rules as valid data", () => {
    const rules = writtenOverlapRules({ by: "revops", at: T0 });
    expect(rules.map((r) => r.overlap?.type)).toEqual([
      "reseller_channel",
      "international_expansion",
      "parent_subsidiary",
    ]);
    for (const r of rules) expect(parseRule(JSON.parse(JSON.stringify(r)))).toMatchObject({ ok: true });
  });
});
