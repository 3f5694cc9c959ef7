// Rule sets as text an admin keeps in version control (YAML, or JSON, which YAML reads too), with
// every error naming the rule and field it is about. Text in, rules out: no file access here.

import { parseDocument, stringify } from "yaml";
import type { ParseResult } from "./matcher.ts";
import type { Rule } from "./rule.ts";
import { parseRule } from "./rule.ts";

/** Accepts a list of rules or `{ rules: [...] }`; errors read `rules[3].matcher.all[1].field: …`. */
export function parseRuleFile(text: string): ParseResult<Rule[]> {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const at = e.linePos?.[0];
        // The pretty message repeats the position and quotes the source; keep the sentence only.
        const sentence = (e.message.split("\n")[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, "");
        return at === undefined
          ? `not valid YAML or JSON: ${sentence}`
          : `line ${at.line}, column ${at.col}: ${sentence}`;
      }),
    };
  }
  const data: unknown = doc.toJS();
  const list = Array.isArray(data)
    ? data
    : typeof data === "object" && data !== null && Array.isArray((data as { rules?: unknown }).rules)
      ? ((data as { rules: unknown[] }).rules as unknown[])
      : null;
  if (list === null)
    return { ok: false, errors: ['expected a list of rules, or an object with a "rules" list'] };
  return parseRuleList(list);
}

export function parseRuleList(list: readonly unknown[]): ParseResult<Rule[]> {
  const errors: string[] = [];
  const rules: Rule[] = [];
  const firstIndexOfId = new Map<string, number>();
  list.forEach((item, i) => {
    const parsed = parseRule(item);
    if (!parsed.ok) {
      for (const e of parsed.errors)
        errors.push(e.startsWith("expected") ? `rules[${i}]: ${e}` : `rules[${i}].${e}`);
      return;
    }
    const earlier = firstIndexOfId.get(parsed.value.id);
    if (earlier !== undefined) {
      errors.push(`rules[${i}].id: "${parsed.value.id}" is already used by rules[${earlier}]`);
      return;
    }
    firstIndexOfId.set(parsed.value.id, i);
    rules.push(parsed.value);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: rules };
}

function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, plain(v)]),
    );
  }
  return value;
}

/** YAML that `parseRuleFile` reads back to the same rules; dates as ISO 8601. */
export function serializeRules(rules: readonly Rule[]): string {
  return stringify({ rules: rules.map(plain) }, { lineWidth: 0 });
}
