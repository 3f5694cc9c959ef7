// Writing rules in bulk: one INSERT … unnest per column array, so a file of 10,000 rules is a few
// statements rather than 20,000 round trips (rules add used to time out PostgreSQL's interactive
// transaction at 1,000).
import type { Rule } from "../domain/rules/rule.ts";
import type { BulkColumn } from "./bulk-insert.ts";
import { insertRows } from "./bulk-insert.ts";
import type { Db, Tx } from "./client.ts";

const RULE_COLUMNS: BulkColumn[] = [
  { name: "id", type: "text" },
  { name: "kind", type: '"RuleKind"' },
  { name: "overlap", type: "jsonb" },
  { name: "matcher", type: "jsonb" },
  { name: "outcome", type: "jsonb" },
  { name: "priority", type: "integer" },
  { name: "text", type: "text" },
  { name: "active", type: "boolean" },
  { name: "createdBy", type: "text" },
  { name: "createdAt", type: "timestamp(3)" },
  { name: "disputeId", type: "text" },
  { name: "effectiveAt", type: "timestamp(3)" },
];

export async function insertRuleRows(tx: Tx, rules: readonly Rule[]): Promise<void> {
  await insertRows(
    tx,
    "Rule",
    RULE_COLUMNS,
    rules.map((r) => [
      r.id,
      r.kind,
      r.overlap ?? null,
      r.matcher,
      r.outcome,
      r.priority,
      r.text,
      r.active,
      r.provenance.by,
      r.createdAt,
      r.provenance.disputeId ?? null,
      r.effectiveAt ?? null,
    ]),
  );
}

/** Which of these rule ids are stored already (active or not). */
export async function existingRuleIds(db: Db | Tx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id FROM "Rule" WHERE id = ANY($1::text[])`,
    ids,
  );
  return new Set(rows.map((r) => r.id));
}
