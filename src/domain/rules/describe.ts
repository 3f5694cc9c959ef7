// Rules in the words a rep reads in Slack: "Accounts with region EMEA and size band ENT → Jane Doe
// (territory rule, priority 10)". Names come from lookups so this stays free of any data access.

import type { Condition, Matcher, MatcherScalar } from "./matcher.ts";
import { FIELD_SPECS, isAll, isAny, isNot } from "./matcher.ts";
import type { Rule } from "./rule.ts";

export type NameLookups = {
  rep: (repId: string) => string | undefined;
  territory: (territoryId: string) => string | undefined;
};

function list(values: readonly MatcherScalar[]): string {
  const parts = values.map(String);
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} or ${parts[parts.length - 1]}`;
}

function describeCondition(c: Condition): string {
  const label = FIELD_SPECS[c.field].label;
  if (c.field === "account.named")
    return c.value === true ? "named-account status" : "no named-account status";
  const opportunity = c.field.startsWith("opportunity.");
  const subject = opportunity ? `an open opportunity with ${label}` : label;
  switch (c.op) {
    case "eq":
      return `${subject} ${c.value}`;
    case "in":
      return `${subject} ${list(c.value)}`;
    case "gte":
      return FIELD_SPECS[c.field].type === "sizeBand"
        ? `${subject} ${c.value} or larger`
        : `${subject} of at least ${c.value}`;
    case "lte":
      return FIELD_SPECS[c.field].type === "sizeBand"
        ? `${subject} ${c.value} or smaller`
        : `${subject} of at most ${c.value}`;
    case "exists":
      if (opportunity) {
        const any =
          c.field === "opportunity.source" ? "an open opportunity" : "an open opportunity with a reseller";
        return c.value ? any : `no ${any.replace(/^an /, "")}`;
      }
      return c.value ? `a known ${label}` : `no known ${label}`;
  }
}

function describeNode(m: Matcher, nested: boolean): string {
  if (isAll(m) || isAny(m)) {
    const parts = isAll(m) ? m.all : m.any;
    const text = parts.map((p) => describeNode(p, true)).join(isAll(m) ? " and " : " or ");
    return nested && parts.length > 1 ? `(${text})` : text;
  }
  if (isNot(m)) return `not ${describeNode(m.not, true)}`;
  return describeCondition(m);
}

/** "region EMEA and size band ENT or larger" — reads after "Accounts with …". */
export function describeMatcher(matcher: Matcher): string {
  return describeNode(matcher, false);
}

const KIND_LABEL: Record<Rule["kind"], string> = {
  decision: "decision",
  manual: "manual override",
  named: "named-account rule",
  overlap: "overlap rule",
  territory: "territory rule",
};

function describeTarget(rule: Rule, names: NameLookups): string {
  switch (rule.overlap?.type) {
    case "reseller_channel":
      return "the direct rep stays rep of record (channel exceptions need manager sign-off)";
    case "international_expansion":
      return "the original rep keeps it, unless a separate international team with a different size band owns the region";
    case "parent_subsidiary":
      return "the parent account's owner";
    default:
      break;
  }
  const o = rule.outcome;
  switch (o.type) {
    case "rep":
      return names.rep(o.repId) ?? `rep ${o.repId}`;
    case "territory":
      return `territory ${names.territory(o.territoryId) ?? o.territoryId}`;
    case "keep_current":
      return "the current owner keeps it";
  }
}

/** One line for Slack: matcher → target (kind, priority, provenance). */
export function describeRule(rule: Rule, names: NameLookups): string {
  const details = [KIND_LABEL[rule.kind], `priority ${rule.priority}`];
  if (rule.provenance.disputeId !== undefined) details.push(`from dispute ${rule.provenance.disputeId}`);
  if (!rule.active) details.push("disabled");
  return `Accounts with ${describeMatcher(rule.matcher)} → ${describeTarget(rule, names)} (${details.join(", ")})`;
}

/**
 * What changed between two versions of a rule, one plain phrase per change, for the audit event a
 * rule change writes ("priority 0 → 10", "disabled"). Empty when nothing that matters changed.
 */
export function describeRuleChange(before: Rule | null, after: Rule | null, names: NameLookups): string[] {
  if (before === null && after === null) return [];
  if (before === null && after !== null) return [`added: ${describeRule(after, names)}`];
  if (after === null && before !== null) return [`removed: ${describeRule(before, names)}`];
  const a = before as Rule;
  const b = after as Rule;
  const changes: string[] = [];
  if (a.kind !== b.kind) changes.push(`kind ${KIND_LABEL[a.kind]} → ${KIND_LABEL[b.kind]}`);
  const ma = describeMatcher(a.matcher);
  const mb = describeMatcher(b.matcher);
  if (JSON.stringify(a.matcher) !== JSON.stringify(b.matcher))
    changes.push(`accounts with ${ma} → accounts with ${mb}`);
  const ta = describeTarget(a, names);
  const tb = describeTarget(b, names);
  if (ta !== tb || JSON.stringify(a.overlap) !== JSON.stringify(b.overlap))
    changes.push(`outcome ${ta} → ${tb}`);
  if (a.priority !== b.priority) changes.push(`priority ${a.priority} → ${b.priority}`);
  if (a.text !== b.text) changes.push(`text "${a.text}" → "${b.text}"`);
  if (a.active !== b.active) changes.push(b.active ? "enabled" : "disabled");
  return changes;
}
