// Adding rules: validate them, report which rules each shadows, is shadowed by or conflicts with,
// store them and audit each — all in one transaction so the report matches what was stored. Writes
// are batched (one statement per table), and the analysis compares a rule keyed to CRM ids or domains
// only with rules that can match the same accounts, so a 10,000-rule file adds in seconds.
import { randomUUID } from "node:crypto";
import { recordAudit } from "../../db/audit.ts";
import { loadReps, loadRules, loadTerritories } from "../../db/book.ts";
import { AUDIT_COLUMNS } from "../../db/bulk-columns.ts";
import { insertRows } from "../../db/bulk-insert.ts";
import type { Db, Tx } from "../../db/client.ts";
import { existingRuleIds, insertRuleRows } from "../../db/rules.ts";
import { analyzeNewRules, type RuleAnalysis } from "../../domain/rules/analysis.ts";
import { parseRule, type Rule } from "../../domain/rules/rule.ts";

export type NewRuleInput = Omit<Rule, "id" | "createdAt" | "provenance" | "active" | "priority"> & {
  id?: string;
  priority?: number;
  provenance?: { by: string; at?: Date; disputeId?: string };
};

export type AddRuleResult =
  | { ok: true; rule: Rule; analysis: RuleAnalysis }
  | { ok: false; errors: string[] };

export type AddRulesResult =
  | { ok: true; rules: { rule: Rule; analysis: RuleAnalysis }[] }
  | { ok: false; errors: string[] };

/** Interactive transactions get room in proportion to the batch: 30 s plus 10 s per 1,000 rules. */
export function transactionTimeoutFor(count: number): number {
  return 30_000 + Math.ceil(count / 1000) * 10_000;
}

function parseInput(input: unknown, actor: string, now: Date) {
  const raw = input as Record<string, unknown>;
  return parseRule({
    active: true,
    priority: 0,
    ...raw,
    id: raw.id ?? randomUUID(),
    createdAt: now,
    provenance: { by: actor, at: now, ...((raw.provenance as object | undefined) ?? {}) },
  });
}

/**
 * Inserts rules inside the caller's transaction. Errors name the rule by its position in `inputs`
 * (`rules[3].matcher…`) when there is more than one, and nothing is written when any is invalid.
 */
export async function insertRulesIn(
  tx: Tx,
  inputs: readonly unknown[],
  actor: string,
  now: Date,
  /** Where each input sits in the admin's file, for error messages; defaults to its position here. */
  positions?: readonly number[],
): Promise<AddRulesResult> {
  const errors: string[] = [];
  const rules: Rule[] = [];
  const where = (i: number) =>
    positions === undefined && inputs.length === 1 ? "" : `rules[${positions?.[i] ?? i}].`;
  inputs.forEach((input, i) => {
    const parsed = parseInput(input, actor, now);
    if (parsed.ok) rules.push(parsed.value);
    else errors.push(...parsed.errors.map((e) => `${where(i)}${e}`));
  });
  if (errors.length > 0) return { ok: false, errors };
  const taken = await existingRuleIds(
    tx,
    rules.map((r) => r.id),
  );
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    if (taken.has(rule.id) || seen.has(rule.id))
      errors.push(`${where(i)}id: a rule with id "${rule.id}" already exists`);
    seen.add(rule.id);
  });
  if (errors.length > 0) return { ok: false, errors };
  const [existing, reps, territories] = await Promise.all([loadRules(tx), loadReps(tx), loadTerritories(tx)]);
  const analyses = analyzeNewRules(rules, existing, { reps, territories });
  await insertRuleRows(tx, rules);
  await insertRows(
    tx,
    "AuditEvent",
    AUDIT_COLUMNS,
    rules.map((rule, i) => {
      const analysis = analyses[i] as RuleAnalysis;
      return [
        now,
        actor,
        "rule.added",
        "rule",
        rule.id,
        rule.id,
        {
          kind: rule.kind,
          text: rule.text,
          shadowedBy: analysis.shadowedBy.map((r) => r.id),
          shadows: analysis.shadows.map((r) => r.id),
          conflicts: analysis.conflicts.map((r) => r.id),
        },
      ];
    }),
  );
  return { ok: true, rules: rules.map((rule, i) => ({ rule, analysis: analyses[i] as RuleAnalysis })) };
}

/** Inserts rules in a transaction of their own. */
export async function insertRules(
  db: Db,
  inputs: readonly unknown[],
  actor: string,
  now: Date,
  positions?: readonly number[],
): Promise<AddRulesResult> {
  return db.$transaction((tx) => insertRulesIn(tx, inputs, actor, now, positions), {
    timeout: transactionTimeoutFor(inputs.length),
    maxWait: 30_000,
  });
}

/** Inserts one rule inside the caller's transaction (disputes write their decision rule this way). */
export async function insertRule(tx: Tx, input: unknown, actor: string, now: Date): Promise<AddRuleResult> {
  const result = await insertRulesIn(tx, [input], actor, now);
  if (!result.ok) return result;
  const first = result.rules[0];
  if (first === undefined) return { ok: false, errors: ["no rule"] };
  return { ok: true, rule: first.rule, analysis: first.analysis };
}

export async function addRule(db: Db, input: unknown, actor: string, now: Date): Promise<AddRuleResult> {
  return db.$transaction((tx) => insertRule(tx, input, actor, now));
}

export async function disableRule(
  db: Db,
  ruleId: string,
  actor: string,
  now: Date,
): Promise<{ ok: true } | { ok: false; error: string }> {
  return db.$transaction(async (tx) => {
    const updated = await tx.rule.updateMany({
      where: { id: ruleId, active: true },
      data: { active: false, disabledAt: now, disabledBy: actor },
    });
    if (updated.count === 0) {
      const exists = await tx.rule.findUnique({ where: { id: ruleId } });
      return {
        ok: false as const,
        error: exists ? `rule ${ruleId} is already disabled` : `no rule with id ${ruleId}`,
      };
    }
    await recordAudit(tx, {
      actor,
      action: "rule.disabled",
      subjectType: "rule",
      subjectId: ruleId,
      ruleId,
      at: now,
    });
    return { ok: true as const };
  });
}
