// `turf rules add <file>`: rules kept in version control as YAML or JSON. Files may name reps by
// e-mail and territories by name (`outcome: { type: rep, rep: dana@acme.com }`); ids are resolved
// here. All-or-nothing: one bad rule and nothing is added, with every error naming its rule and field.
import { isDeepStrictEqual } from "node:util";
import { parseDocument } from "yaml";
import { loadRules } from "../../db/book.ts";
import type { Db } from "../../db/client.ts";
import type { RuleAnalysis } from "../../domain/rules/analysis.ts";
import { insertRules } from "./add-rule.ts";

export type RuleFileResult =
  | { ok: true; added: { id: string; text: string; analysis: RuleAnalysis }[]; unchanged: string[] }
  | { ok: false; errors: string[] };

export async function addRulesFromFile(
  db: Db,
  text: string,
  actor: string,
  now: Date,
): Promise<RuleFileResult> {
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    return {
      ok: false,
      errors: doc.errors.map((e) => `not valid YAML or JSON: ${e.message.split("\n")[0]}`),
    };
  const data = doc.toJS() as unknown;
  const list = Array.isArray(data) ? data : (data as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(list))
    return { ok: false, errors: ['expected a list of rules, or an object with a "rules" list'] };

  const [reps, territories, existing] = await Promise.all([
    db.rep.findMany({ select: { id: true, email: true } }),
    db.territory.findMany({ select: { id: true, name: true } }),
    loadRules(db, { includeInactive: true }),
  ]);
  const repByEmail = new Map(reps.map((r) => [r.email.toLowerCase(), r.id]));
  const territoryByName = new Map(territories.map((t) => [t.name.toLowerCase(), t.id]));
  const existingById = new Map(existing.map((r) => [r.id, r]));
  const errors: string[] = [];
  const toAdd: { index: number; rule: Record<string, unknown> }[] = [];
  const unchanged: string[] = [];

  list.forEach((item: unknown, index) => {
    if (typeof item !== "object" || item === null) {
      errors.push(`rules[${index}]: expected a rule object`);
      return;
    }
    const rule = { ...(item as Record<string, unknown>) };
    if (typeof rule.id !== "string" || rule.id.trim() === "") {
      errors.push(
        `rules[${index}].id: every rule in a file needs an id, so the file can be re-applied safely`,
      );
      return;
    }
    const outcome = rule.outcome as Record<string, unknown> | undefined;
    if (outcome && typeof outcome.rep === "string") {
      const id = repByEmail.get(outcome.rep.toLowerCase());
      if (!id) errors.push(`rules[${index}].outcome.rep: no rep with e-mail ${outcome.rep}`);
      rule.outcome = { type: "rep", repId: id ?? "" };
    } else if (outcome && typeof outcome.territory === "string") {
      const id = territoryByName.get(outcome.territory.toLowerCase());
      if (!id) errors.push(`rules[${index}].outcome.territory: no territory named ${outcome.territory}`);
      rule.outcome = { type: "territory", territoryId: id ?? "" };
    }
    const stored = existingById.get(rule.id);
    if (stored) {
      const same =
        stored.kind === rule.kind &&
        isDeepStrictEqual(stored.matcher, rule.matcher) &&
        isDeepStrictEqual(stored.outcome, rule.outcome) &&
        stored.text === rule.text &&
        stored.priority === (rule.priority ?? 0);
      if (same) unchanged.push(rule.id);
      else
        errors.push(
          `rules[${index}].id: rule "${rule.id}" already exists with different content; disable it and add the new version under a new id`,
        );
      return;
    }
    toAdd.push({ index, rule });
  });
  if (errors.length > 0) return { ok: false, errors };

  const result = await insertRules(
    db,
    toAdd.map(({ rule }) => {
      const { provenance: _p, createdAt: _c, ...rest } = rule;
      return rest;
    }),
    actor,
    now,
    toAdd.map((t) => t.index),
  );
  if (!result.ok) return result;
  return {
    ok: true,
    added: result.rules.map(({ rule, analysis }) => ({ id: rule.id, text: rule.text, analysis })),
    unchanged,
  };
}
