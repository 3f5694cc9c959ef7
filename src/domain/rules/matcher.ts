// Matchers are data, not code: a small condition tree over account and opportunity fields that an
// admin can keep in version control, that a dispute can write, and that the engine can compile,
// explain and reason about (implication, shadowing). Validation names the bad path in plain words.

import { z } from "zod";
import type { Account, Opportunity } from "../model.ts";
import { OPPORTUNITY_SOURCES, SIZE_BANDS } from "../model.ts";

export const MATCHER_FIELDS = [
  "account.crmId",
  "account.domain",
  "account.parentCrmId",
  "account.region",
  "account.country",
  "account.industry",
  "account.sizeBand",
  "account.employees",
  "account.icpFit",
  "account.named",
  "opportunity.source",
  "opportunity.reseller",
] as const;
export type MatcherField = (typeof MATCHER_FIELDS)[number];

export const MATCHER_OPS = ["eq", "in", "gte", "lte", "exists"] as const;
export type MatcherOp = (typeof MATCHER_OPS)[number];

export type MatcherScalar = string | number | boolean;

export type Condition =
  | { field: MatcherField; op: "eq"; value: MatcherScalar }
  | { field: MatcherField; op: "in"; value: MatcherScalar[] }
  | { field: MatcherField; op: "gte" | "lte"; value: string | number }
  | { field: MatcherField; op: "exists"; value: boolean };

export type Matcher = { all: Matcher[] } | { any: Matcher[] } | { not: Matcher } | Condition;

/** What a matcher can read of an opportunity (a whole Opportunity is one). */
export type OpportunityFacts = Pick<Opportunity, "source" | "reseller">;

/** What the rules can read of an account: all of it but the date of its last activity. */
export type AccountForRules = Omit<Account, "lastActivityAt">;

export type AccountFacts = {
  account: AccountForRules;
  parentCrmId: string | null;
  /**
   * Only open opportunities count; callers pass the account's open ones. Conditions on them hold when
   * any one satisfies them, so a list without repeats decides the same as the full list.
   */
  openOpportunities: readonly OpportunityFacts[];
};

/**
 * "single": the account has at most one value (null when unknown).
 * "existential": the account has several values (domains) or several open opportunities; a condition
 * holds when ANY of them satisfies it, and `exists: false` means none has a value.
 */
export type FieldShape = "single" | "existential";

type ValueType = "string" | "sizeBand" | "count" | "icpFit" | "boolean" | "source";

type FieldSpec = { shape: FieldShape; type: ValueType; ops: readonly MatcherOp[]; label: string };

export const FIELD_SPECS: Record<MatcherField, FieldSpec> = {
  "account.crmId": { shape: "single", type: "string", ops: ["eq", "in", "exists"], label: "CRM id" },
  "account.domain": { shape: "existential", type: "string", ops: ["eq", "in", "exists"], label: "domain" },
  "account.parentCrmId": {
    shape: "single",
    type: "string",
    ops: ["eq", "in", "exists"],
    label: "parent CRM id",
  },
  "account.region": { shape: "single", type: "string", ops: ["eq", "in", "exists"], label: "region" },
  "account.country": { shape: "single", type: "string", ops: ["eq", "in", "exists"], label: "country" },
  "account.industry": { shape: "single", type: "string", ops: ["eq", "in", "exists"], label: "industry" },
  "account.sizeBand": {
    shape: "single",
    type: "sizeBand",
    ops: ["eq", "in", "gte", "lte", "exists"],
    label: "size band",
  },
  "account.employees": {
    shape: "single",
    type: "count",
    ops: ["eq", "in", "gte", "lte", "exists"],
    label: "employees",
  },
  "account.icpFit": {
    shape: "single",
    type: "icpFit",
    ops: ["eq", "in", "gte", "lte", "exists"],
    label: "ICP fit",
  },
  "account.named": { shape: "single", type: "boolean", ops: ["eq"], label: "named account" },
  "opportunity.source": {
    shape: "existential",
    type: "source",
    ops: ["eq", "in", "exists"],
    label: "opportunity source",
  },
  "opportunity.reseller": {
    shape: "existential",
    type: "string",
    ops: ["eq", "in", "exists"],
    label: "reseller",
  },
};

const SCALAR_SCHEMAS: Record<ValueType, { schema: z.ZodType; expected: string }> = {
  string: { schema: z.string().trim().min(1), expected: "a non-empty text" },
  sizeBand: { schema: z.enum(SIZE_BANDS), expected: `a size band (${SIZE_BANDS.join(", ")})` },
  count: { schema: z.number().int().nonnegative(), expected: "a whole number, 0 or more" },
  icpFit: { schema: z.number().int().min(1).max(5), expected: "a whole number from 1 to 5" },
  boolean: { schema: z.boolean(), expected: "true or false" },
  source: { schema: z.enum(OPPORTUNITY_SOURCES), expected: `one of ${OPPORTUNITY_SOURCES.join(", ")}` },
};

/** The finite set of values a field can take, when there is one; used by analysis to complement sets. */
export function finiteDomainOf(field: MatcherField): readonly MatcherScalar[] | null {
  switch (FIELD_SPECS[field].type) {
    case "sizeBand":
      return SIZE_BANDS;
    case "icpFit":
      return [1, 2, 3, 4, 5];
    case "boolean":
      return [true, false];
    case "source":
      return OPPORTUNITY_SOURCES;
    default:
      return null;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

type Issue = { path: (string | number)[]; message: string };

function show(v: unknown): string {
  if (v === undefined) return "nothing";
  return JSON.stringify(v);
}

function validateNode(node: unknown, path: (string | number)[], issues: Issue[]): void {
  if (!isRecord(node)) {
    issues.push({ path, message: `expected a condition object, got ${show(node)}` });
    return;
  }
  const keys = Object.keys(node);
  const shapeKeys = ["all", "any", "not", "field"].filter((k) => k in node);
  if (shapeKeys.length !== 1) {
    issues.push({
      path,
      message:
        shapeKeys.length === 0
          ? `a condition needs exactly one of "all", "any", "not" or "field"/"op"/"value" (got keys ${keys.join(", ") || "none"})`
          : `a condition needs exactly one of "all", "any", "not" or "field"/"op"/"value", not ${shapeKeys.join(" and ")}`,
    });
    return;
  }
  const shape = shapeKeys[0] as "all" | "any" | "not" | "field";
  const allowed = shape === "field" ? ["field", "op", "value"] : [shape];
  for (const k of keys) {
    if (!allowed.includes(k)) issues.push({ path: [...path, k], message: `unexpected key "${k}"` });
  }
  if (shape === "all" || shape === "any") {
    const list = node[shape];
    if (!Array.isArray(list) || list.length === 0) {
      issues.push({ path: [...path, shape], message: "expected a non-empty list of conditions" });
      return;
    }
    list.forEach((child, i) => {
      validateNode(child, [...path, shape, i], issues);
    });
    return;
  }
  if (shape === "not") {
    validateNode(node.not, [...path, "not"], issues);
    return;
  }
  validateCondition(node, path, issues);
}

function validateCondition(node: Record<string, unknown>, path: (string | number)[], issues: Issue[]): void {
  const field = node.field;
  if (typeof field !== "string" || !(MATCHER_FIELDS as readonly string[]).includes(field)) {
    issues.push({
      path: [...path, "field"],
      message: `${show(field)} is not a known field (expected one of ${MATCHER_FIELDS.join(", ")})`,
    });
    return;
  }
  const spec = FIELD_SPECS[field as MatcherField];
  const op = node.op;
  if (typeof op !== "string" || !spec.ops.includes(op as MatcherOp)) {
    issues.push({
      path: [...path, "op"],
      message: `${show(op)} is not an operator for ${field} (expected one of ${spec.ops.join(", ")})`,
    });
    return;
  }
  const value = node.value;
  const scalar = SCALAR_SCHEMAS[spec.type];
  const bad = (message: string, at: (string | number)[] = []) =>
    issues.push({ path: [...path, "value", ...at], message });
  switch (op as MatcherOp) {
    case "exists":
      if (typeof value !== "boolean") bad(`expected true or false for ${field} exists, got ${show(value)}`);
      return;
    case "in":
      if (!Array.isArray(value) || value.length === 0) {
        bad(`expected a non-empty list of ${scalar.expected} for ${field} in, got ${show(value)}`);
        return;
      }
      value.forEach((v, i) => {
        if (!scalar.schema.safeParse(v).success)
          bad(`expected ${scalar.expected} for ${field}, got ${show(v)}`, [i]);
      });
      return;
    default:
      if (!scalar.schema.safeParse(value).success)
        bad(`expected ${scalar.expected} for ${field} ${op}, got ${show(value)}`);
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out;
}

/** Validates a condition tree; issues carry paths relative to the matcher so they nest inside ZRule. */
export const ZMatcher = z
  .unknown()
  .superRefine((value, ctx) => {
    const issues: Issue[] = [];
    validateNode(value, [], issues);
    for (const issue of issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
  })
  .transform((value) => value as Matcher);

export type TMatcher = z.infer<typeof ZMatcher>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Formats zod issues as `path: message`, with `root` as the first path segment (e.g. "matcher"). */
export function formatIssues(error: z.ZodError, root?: string): string[] {
  return error.issues.flatMap((issue) => {
    const base = root === undefined ? issue.path : [root, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) => `${formatPath([...base, k])}: unexpected key "${k}"`);
    }
    const path = formatPath(base);
    return [path === "" ? issue.message : `${path}: ${issue.message}`];
  });
}

/**
 * Per-parse messages an admin can act on ("provenance.at: expected a date such as …") instead of
 * zod's defaults; schema-level messages still take precedence.
 */
export const plainError: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === "invalid_type") {
    if (issue.input === undefined) return "is required";
    if (issue.expected === "date") {
      const got = issue.input instanceof Date ? "something that is not a date" : show(issue.input);
      return `expected a date such as 2026-01-05T09:00:00Z, got ${got}`;
    }
    return `expected ${issue.expected}, got ${show(issue.input)}`;
  }
  if (issue.code === "invalid_value") {
    return `${show(issue.input)} is not one of ${issue.values.map((v) => String(v)).join(", ")}`;
  }
  return undefined;
};

export function parseMatcher(json: unknown): ParseResult<Matcher> {
  const parsed = ZMatcher.safeParse(json, { error: plainError });
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, errors: formatIssues(parsed.error, "matcher") };
}

export function isAll(m: Matcher): m is { all: Matcher[] } {
  return "all" in m;
}
export function isAny(m: Matcher): m is { any: Matcher[] } {
  return "any" in m;
}
export function isNot(m: Matcher): m is { not: Matcher } {
  return "not" in m;
}
export function isCondition(m: Matcher): m is Condition {
  return "field" in m;
}

/** Whether any condition of the matcher reads the field (bulk readers skip what no rule reads). */
export function readsField(m: Matcher, field: MatcherField): boolean {
  if (isCondition(m)) return m.field === field;
  if (isNot(m)) return readsField(m.not, field);
  return (isAll(m) ? m.all : m.any).some((c) => readsField(c, field));
}

// ---- evaluation ---------------------------------------------------------------------------------

export type CompiledMatcher = (facts: AccountFacts) => boolean;

const SIZE_RANK: Record<string, number> = Object.fromEntries(SIZE_BANDS.map((b, i) => [b, i]));

function norm(field: MatcherField, v: MatcherScalar): MatcherScalar {
  // Domains are compared case-insensitively; everything else exactly as written.
  return field === "account.domain" && typeof v === "string" ? v.toLowerCase() : v;
}

/** A value predicate for one non-null field value; `exists` is handled by the caller. */
function valueTest(c: Condition): (v: MatcherScalar) => boolean {
  const { field } = c;
  switch (c.op) {
    case "eq": {
      const want = norm(field, c.value);
      return field === "account.domain" ? (v) => String(v).toLowerCase() === want : (v) => v === want;
    }
    case "in": {
      const set = new Set(c.value.map((x) => norm(field, x)));
      return field === "account.domain" ? (v) => set.has(String(v).toLowerCase()) : (v) => set.has(v);
    }
    case "gte":
    case "lte": {
      const sized = FIELD_SPECS[field].type === "sizeBand";
      const bound = sized ? (SIZE_RANK[String(c.value)] ?? Number.NaN) : Number(c.value);
      const rank = sized
        ? (v: MatcherScalar) => SIZE_RANK[String(v)] ?? Number.NaN
        : (v: MatcherScalar) => Number(v);
      return c.op === "gte" ? (v) => rank(v) >= bound : (v) => rank(v) <= bound;
    }
    case "exists":
      return () => true;
  }
}

function singleValue(field: MatcherField): (f: AccountFacts) => MatcherScalar | null {
  switch (field) {
    case "account.crmId":
      return (f) => f.account.crmId;
    case "account.parentCrmId":
      return (f) => f.parentCrmId;
    case "account.region":
      return (f) => f.account.region;
    case "account.country":
      return (f) => f.account.country;
    case "account.industry":
      return (f) => f.account.industry;
    case "account.sizeBand":
      return (f) => f.account.sizeBand;
    case "account.employees":
      return (f) => f.account.employees;
    case "account.icpFit":
      return (f) => f.account.icpFit;
    case "account.named":
      return (f) => f.account.named;
    default:
      throw new Error(`${field} is not a single-valued field`);
  }
}

function compileCondition(c: Condition): CompiledMatcher {
  const test = valueTest(c);
  if (c.field === "account.domain") {
    if (c.op === "exists")
      return c.value ? (f) => f.account.domains.length > 0 : (f) => f.account.domains.length === 0;
    return (f) => f.account.domains.some(test);
  }
  // Loops rather than some() with a new closure: these run for every account of a bulk re-evaluation.
  if (c.field === "opportunity.source") {
    if (c.op === "exists")
      return c.value ? (f) => f.openOpportunities.length > 0 : (f) => f.openOpportunities.length === 0;
    return (f) => {
      for (const o of f.openOpportunities) if (test(o.source)) return true;
      return false;
    };
  }
  if (c.field === "opportunity.reseller") {
    const has = (o: OpportunityFacts) => o.reseller !== null && o.reseller !== "";
    if (c.op === "exists")
      return c.value ? (f) => f.openOpportunities.some(has) : (f) => !f.openOpportunities.some(has);
    return (f) => {
      for (const o of f.openOpportunities) if (o.reseller !== null && test(o.reseller)) return true;
      return false;
    };
  }
  const get = singleValue(c.field);
  if (c.op === "exists") return c.value ? (f) => get(f) !== null : (f) => get(f) === null;
  return (f) => {
    const v = get(f);
    return v !== null && test(v);
  };
}

/** Compiles once so bulk evaluation does not re-walk the tree or rebuild sets per account. */
export function compileMatcher(m: Matcher): CompiledMatcher {
  if (isAll(m)) {
    const parts = m.all.map(compileMatcher);
    if (parts.length === 1) return parts[0] as CompiledMatcher;
    return (f) => {
      for (const p of parts) if (!p(f)) return false;
      return true;
    };
  }
  if (isAny(m)) {
    const parts = m.any.map(compileMatcher);
    return (f) => {
      for (const p of parts) if (p(f)) return true;
      return false;
    };
  }
  if (isNot(m)) {
    const inner = compileMatcher(m.not);
    return (f) => !inner(f);
  }
  return compileCondition(m);
}

export function matches(matcher: Matcher, facts: AccountFacts): boolean {
  return compileMatcher(matcher)(facts);
}

// ---- specificity --------------------------------------------------------------------------------

// Identity fields dwarf attribute fields so that no plausible conjunction of attributes outranks a
// rule about one named account: "CRM id eq" is always the most specific condition.
const FIELD_WEIGHT: Record<MatcherField, number> = {
  "account.crmId": 100_000,
  "account.domain": 20_000,
  "account.parentCrmId": 5_000,
  "opportunity.reseller": 40,
  "account.country": 30,
  "account.region": 20,
  "account.industry": 20,
  "account.sizeBand": 20,
  "account.named": 15,
  "opportunity.source": 15,
  "account.employees": 10,
  "account.icpFit": 10,
};

function conditionSpecificity(c: Condition): number {
  const w = FIELD_WEIGHT[c.field];
  switch (c.op) {
    case "eq":
      return w;
    case "in":
      // A list is less specific than one value, but still far more than the next field down.
      return c.value.length <= 1 ? w : Math.floor(w / 2);
    case "gte":
    case "lte":
      return Math.floor(w / 2);
    case "exists":
      return 1;
  }
}

/**
 * A number ordering rules of the same tier: more constrained is higher. Conjunctions add up, a
 * disjunction is only as specific as its loosest branch, and a negation constrains very little.
 */
export function specificity(m: Matcher): number {
  if (isAll(m)) return m.all.reduce((s, c) => s + specificity(c), 0);
  if (isAny(m)) return m.any.reduce((s, c) => Math.min(s, specificity(c)), Number.POSITIVE_INFINITY);
  if (isNot(m)) return 1;
  return conditionSpecificity(m);
}
