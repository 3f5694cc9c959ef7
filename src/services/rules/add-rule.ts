// Adding a rule: validate it, report which rules it shadows, is shadowed by or conflicts with, store
// it, and audit the change — all in one transaction so the report matches what was stored.
import { randomUUID } from "node:crypto";
import { recordAudit } from "../../db/audit.ts";
import { loadReps, loadRules, loadTerritories } from "../../db/book.ts";
import type { Db, Tx } from "../../db/client.ts";
import { analyzeNewRule, type RuleAnalysis } from "../../domain/rules/analysis.ts";
import { parseRule, type Rule } from "../../domain/rules/rule.ts";

export type NewRuleInput = Omit<Rule, "id" | "createdAt" | "provenance" | "active" | "priority"> & {
  id?: string;
  priority?: number;
  provenance?: { by: string; at?: Date; disputeId?: string };
};

export type AddRuleResult =
  | { ok: true; rule: Rule; analysis: RuleAnalysis }
  | { ok: false; errors: string[] };

/** Inserts a rule inside the caller's transaction (disputes write their decision rule this way). */
export async function insertRule(tx: Tx, input: unknown, actor: string, now: Date): Promise<AddRuleResult> {
  const raw = input as Record<string, unknown>;
  const parsed = parseRule({
    active: true,
    priority: 0,
    ...raw,
    id: raw.id ?? randomUUID(),
    createdAt: now,
    provenance: { by: actor, at: now, ...((raw.provenance as object | undefined) ?? {}) },
  });
  if (!parsed.ok) return parsed;
  const rule = parsed.value;
  const [existing, reps, territories] = await Promise.all([loadRules(tx), loadReps(tx), loadTerritories(tx)]);
  if (existing.some((r) => r.id === rule.id))
    return { ok: false, errors: [`id: a rule with id "${rule.id}" already exists`] };
  const analysis = analyzeNewRule(rule, existing, { reps, territories });
  await tx.rule.create({
    data: {
      id: rule.id,
      kind: rule.kind,
      overlap: (rule.overlap ?? undefined) as object | undefined,
      matcher: rule.matcher as object,
      outcome: rule.outcome as object,
      priority: rule.priority,
      text: rule.text,
      active: rule.active,
      createdBy: rule.provenance.by,
      createdAt: rule.createdAt,
      disputeId: rule.provenance.disputeId ?? null,
      effectiveAt: rule.effectiveAt ?? null,
    },
  });
  await recordAudit(tx, {
    actor,
    action: "rule.added",
    subjectType: "rule",
    subjectId: rule.id,
    ruleId: rule.id,
    details: {
      kind: rule.kind,
      text: rule.text,
      shadowedBy: analysis.shadowedBy.map((r) => r.id),
      shadows: analysis.shadows.map((r) => r.id),
      conflicts: analysis.conflicts.map((r) => r.id),
    },
    at: now,
  });
  return { ok: true, rule, analysis };
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
