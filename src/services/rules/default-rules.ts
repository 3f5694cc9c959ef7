// The rule set a new Turf starts with: one territory rule per territory (from its written criteria),
// the named-account list, and the guide's three written overlap rules. RevOps edits from there.

import { loadTerritories } from "../../db/book.ts";
import type { Db } from "../../db/client.ts";
import { territoryRuleFromTerritory, writtenOverlapRules } from "../../domain/rules/rule.ts";
import { insertRule } from "./add-rule.ts";

export async function installDefaultRules(db: Db, now: Date, actor = "turf-defaults"): Promise<number> {
  const territories = await loadTerritories(db);
  const rules: unknown[] = [];
  for (const territory of territories) {
    const rule = territoryRuleFromTerritory(territory, {
      id: `territory-${slug(territory.name)}`,
      by: actor,
      at: now,
      text: `Territory rule: ${territory.name} covers ${describeCriteria(territory)}`,
    });
    if (rule.ok) rules.push(rule.value);
  }
  rules.push({
    id: "named-accounts",
    kind: "named",
    matcher: { field: "account.named", op: "eq", value: true },
    outcome: { type: "keep_current" },
    priority: 0,
    text: "Named account: it stays with its named rep whatever the territory rules say",
    provenance: { by: actor, at: now },
    active: true,
    createdAt: now,
  });
  rules.push(...writtenOverlapRules({ by: actor, at: now }));
  let added = 0;
  await db.$transaction(
    async (tx) => {
      for (const rule of rules) {
        const result = await insertRule(tx, rule, actor, now);
        if (!result.ok) throw new Error(`default rule does not validate: ${result.errors.join("; ")}`);
        added++;
      }
    },
    { timeout: 60_000 },
  );
  return added;
}

function describeCriteria(t: { regions: string[]; industries: string[]; sizeBands: string[] }): string {
  const parts = [
    t.regions.length ? `region ${t.regions.join("/")}` : null,
    t.industries.length && t.industries.length <= 3
      ? `industry ${t.industries.join("/")}`
      : t.industries.length
        ? `${t.industries.length} industries`
        : null,
    t.sizeBands.length ? `size ${t.sizeBands.join("/")}` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "its accounts";
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}
