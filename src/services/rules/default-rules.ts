// The rule set a new Turf starts with: one territory rule per territory (from its written criteria),
// the named-account list, and the guide's three written overlap rules. RevOps edits from there.
// Every database gets them however it was filled (sample data, `turf import`): the overlap and
// named rules when the rule set is empty, and a territory rule for every territory no rule routes to
// yet — so a company loaded by import never re-evaluates into white space for want of rules.

import { loadTerritories } from "../../db/book.ts";
import type { Db } from "../../db/client.ts";
import type { Territory } from "../../domain/model.ts";
import { type Rule, territoryRuleFromTerritory, writtenOverlapRules } from "../../domain/rules/rule.ts";
import { insertRules } from "./add-rule.ts";

function namedListRule(actor: string, now: Date): Rule {
  return {
    id: "named-accounts",
    kind: "named",
    matcher: { field: "account.named", op: "eq", value: true },
    outcome: { type: "keep_current" },
    priority: 0,
    text: "Named account: it stays with its named rep whatever the territory rules say",
    provenance: { by: actor, at: now },
    active: true,
    createdAt: now,
  };
}

function territoryRules(territories: readonly Territory[], taken: Set<string>, actor: string, now: Date) {
  const rules: Rule[] = [];
  for (const territory of territories) {
    if (taken.has(territory.id) || taken.has(`territory-${slug(territory.name)}`)) continue;
    const rule = territoryRuleFromTerritory(territory, {
      id: `territory-${slug(territory.name)}`,
      by: actor,
      at: now,
      text: `Territory rule: ${territory.name} covers ${describeCriteria(territory)}`,
    });
    if (rule.ok) rules.push(rule.value);
  }
  return rules;
}

/**
 * Installs what is missing of the default rule set; returns how many rules it added. Idempotent: a
 * second call adds nothing, and a rule RevOps disabled is not brought back (its id is taken).
 */
export async function ensureDefaultRules(db: Db, now: Date, actor = "turf-defaults"): Promise<number> {
  const [stored, territories] = await Promise.all([
    db.$queryRawUnsafe<{ id: string; territoryId: string | null }[]>(
      `SELECT id, outcome->>'territoryId' AS "territoryId" FROM "Rule"`,
    ),
    loadTerritories(db),
  ]);
  const taken = new Set<string>();
  for (const r of stored) {
    taken.add(r.id);
    if (r.territoryId !== null) taken.add(r.territoryId);
  }
  const rules = territoryRules(territories, taken, actor, now);
  if (stored.length === 0)
    rules.push(namedListRule(actor, now), ...writtenOverlapRules({ by: actor, at: now }));
  if (rules.length === 0) return 0;
  const result = await insertRules(db, rules, actor, now);
  if (!result.ok) throw new Error(`default rules do not validate: ${result.errors.join("; ")}`);
  return result.rules.length;
}

/** The whole default set on a database without rules (kept for callers that want exactly that). */
export async function installDefaultRules(db: Db, now: Date, actor = "turf-defaults"): Promise<number> {
  return ensureDefaultRules(db, now, actor);
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
