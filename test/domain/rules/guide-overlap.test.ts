// The guide's "Handling overlap" section, case by case. Rule one (international expansion): "When an
// existing account expands into a new region, the original rep retains ownership unless the new
// region is owned by a separate international team with a different account size band." A
// subsidiary in a region its parent's rep does not cover is such an expansion; every other
// subsidiary follows its parent.
import { describe, expect, it } from "vitest";
import { compileRuleSet, evaluateOwnership } from "../../../src/domain/rules/engine.ts";
import type { Rule } from "../../../src/domain/rules/rule.ts";
import { territoryRuleFromTerritory, writtenOverlapRules } from "../../../src/domain/rules/rule.ts";
import { facts, opp, rep, T0, territory } from "./fixtures.ts";

const naCommercial = territory("tNaCom", {
  name: "NA Commercial",
  model: "hybrid",
  regions: ["NA"],
  sizeBands: ["SMB", "MM"],
});
const emeaEnterprise = territory("tEmeaEnt", {
  name: "EMEA Enterprise",
  model: "hybrid",
  regions: ["EMEA"],
  sizeBands: ["ENT"],
});
const emeaAll = territory("tEmea", { name: "EMEA", regions: ["EMEA"], sizeBands: ["SMB", "MM", "ENT"] });

const dana = rep("dana", { name: "Dana Kim", territoryIds: ["tNaCom"] });
const olga = rep("olga", { name: "Olga Strand", territoryIds: ["tEmeaEnt"] });
const hans = rep("hans", { name: "Hans Weber", territoryIds: ["tEmea"] });

function territoryRules(list = [naCommercial, emeaEnterprise]): Rule[] {
  return list.map((t) => {
    const r = territoryRuleFromTerritory(t, { id: `terr-${t.id}`, by: "revops", at: T0 });
    if (!r.ok) throw new Error(r.error);
    return r.value;
  });
}

const overlaps = writtenOverlapRules({ by: "revops", at: T0 });

function decide(
  territories = [naCommercial, emeaEnterprise],
  reps = [dana, olga],
  account = facts(
    { crmId: "001DE", name: "Acme GmbH", region: "EMEA", country: "DE", sizeBand: "ENT" },
    [],
    "001US",
  ),
  current: string | null = null,
) {
  const rules = [...territoryRules(territories), ...overlaps];
  const verdict = evaluateOwnership(account, {
    rules,
    territories,
    reps,
    currentOwnerRepId: current,
    parentOwnerRepId: "dana",
  });
  const fast = compileRuleSet(rules, territories, reps).evaluate(account, current, "dana");
  expect(fast.owner).toEqual(verdict.owner);
  expect(fast.rule?.id).toBe(verdict.rule?.id);
  return verdict;
}

describe("rule one: international expansion decides foreign-region subsidiaries", () => {
  it("the issue's repro: a German ENT subsidiary of a US MM parent goes to the EMEA Enterprise team", () => {
    const v = decide();
    expect(v.owner?.repId).toBe("olga");
    expect(v.territoryId).toBe("tEmeaEnt");
    expect(v.rule?.id).toBe("overlap-international-expansion");
    expect(v.reason).toMatch(/^Olga Strand owns Acme GmbH by the overlap rule "International expansion/);
    expect(v.reason).toContain(
      "EMEA is a new region for Dana Kim (the parent's rep) and is owned by a separate international team with a different size band (EMEA Enterprise)",
    );
    // The parent rule was never asked: the expansion rule decided first.
    expect(v.trail.map((t) => t.rule.id)).not.toContain("overlap-parent-subsidiary");
  });

  it("the team's own assignment decides, and keeps the team rep who already owns it", () => {
    const olga2 = rep("olga2", { name: "Aino Berg", territoryIds: ["tEmeaEnt"], capacityWeight: 1.2 });
    const v = decide(undefined, [dana, olga, olga2], undefined, "olga");
    expect(v.owner?.repId).toBe("olga");
    expect(v.rule?.id).toBe("overlap-international-expansion");
  });

  it("without a separate team (same size band), the parent's rep keeps it, naming international expansion", () => {
    // EMEA covers every band, including the parent's rep's MM: not a team with a different band.
    const v = decide([naCommercial, emeaAll], [dana, hans]);
    expect(v.owner?.repId).toBe("dana");
    expect(v.rule?.id).toBe("overlap-international-expansion");
    expect(v.reason).toContain("Dana Kim (the parent's rep) keeps the expansion into EMEA");
  });

  it("without any team in the region, the parent's rep keeps it, naming international expansion", () => {
    const v = decide([naCommercial], [dana]);
    expect(v.owner?.repId).toBe("dana");
    expect(v.rule?.id).toBe("overlap-international-expansion");
  });

  it("a same-region subsidiary is parent/subsidiary: it follows the parent", () => {
    const v = decide(
      undefined,
      undefined,
      facts(
        { crmId: "001CA", name: "Acme Canada", region: "NA", country: "CA", sizeBand: "ENT" },
        [],
        "001US",
      ),
    );
    expect(v.owner?.repId).toBe("dana");
    expect(v.rule?.id).toBe("overlap-parent-subsidiary");
    expect(v.trail.find((t) => t.rule.id === "overlap-international-expansion")?.note).toBe(
      "NA is not a new region for Dana Kim (the parent's rep)",
    );
  });

  it("an account of one's own that moved region stays with its rep unless a separate team owns the region", () => {
    const own = facts({ crmId: "001X", name: "Acme Europe", region: "EMEA", sizeBand: "MM" });
    const rules = [...territoryRules(), ...overlaps];
    const v = evaluateOwnership(own, {
      rules,
      territories: [naCommercial, emeaEnterprise],
      reps: [dana, olga],
      currentOwnerRepId: "dana",
      parentOwnerRepId: null,
    });
    // EMEA Enterprise only takes ENT accounts: an MM account is no case for it.
    expect(v.owner?.repId).toBe("dana");
    expect(v.rule?.id).toBe("overlap-international-expansion");
  });

  it("rule two still comes first: a reseller deal keeps the direct rep whatever the region", () => {
    const v = decide(
      undefined,
      undefined,
      facts(
        { crmId: "001DE", name: "Acme GmbH", region: "EMEA", sizeBand: "ENT" },
        [opp({ source: "reseller", reseller: "ChannelCo" })],
        "001US",
      ),
      "dana",
    );
    expect(v.owner?.repId).toBe("dana");
    expect(v.rule?.id).toBe("overlap-reseller-channel");
  });

  it("the guide's order holds whatever priority a stored rule carries", () => {
    const swapped = overlaps.map((r) => ({
      ...r,
      priority: r.overlap?.type === "parent_subsidiary" ? 99 : 0,
    }));
    const territories = [naCommercial, emeaEnterprise];
    const v = evaluateOwnership(
      facts({ crmId: "001DE", name: "Acme GmbH", region: "EMEA", sizeBand: "ENT" }, [], "001US"),
      {
        rules: [...territoryRules(), ...swapped],
        territories,
        reps: [dana, olga],
        currentOwnerRepId: null,
        parentOwnerRepId: "dana",
      },
    );
    expect(v.rule?.id).toBe("overlap-international-expansion");
  });
});
