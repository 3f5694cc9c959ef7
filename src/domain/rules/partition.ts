// Narrows the rules worth trying on an account from its region, industry, size band and country, so
// bulk re-evaluation does not run every attribute rule against every account. Pure bookkeeping: the
// candidate list keeps the rules' order, and a rule is only left out when it provably cannot match.

import { SIZE_BANDS } from "../model.ts";
import type { AccountFacts, Matcher, MatcherScalar } from "./matcher.ts";
import { isAll, isCondition } from "./matcher.ts";

const PARTITION_FIELDS = [
  "account.region",
  "account.industry",
  "account.sizeBand",
  "account.country",
] as const;
type PartitionField = (typeof PARTITION_FIELDS)[number];

const NULL_KEY = "\u0000null";
const OTHER_KEY = "\u0000other";

/** The values a matcher requires of a field (from its top-level conjuncts), or null when unconstrained. */
function requiredValues(m: Matcher, field: PartitionField): Set<MatcherScalar> | null {
  const conds = isAll(m) ? m.all : [m];
  let required: Set<MatcherScalar> | null = null;
  for (const c of conds) {
    if (!isCondition(c) || c.field !== field) continue;
    let values: MatcherScalar[] | null = null;
    if (c.op === "eq") values = [c.value];
    else if (c.op === "in") values = c.value;
    else if (field === "account.sizeBand" && (c.op === "gte" || c.op === "lte")) {
      const i = SIZE_BANDS.indexOf(c.value as (typeof SIZE_BANDS)[number]);
      values = c.op === "gte" ? SIZE_BANDS.slice(i) : SIZE_BANDS.slice(0, i + 1);
    }
    if (values === null) continue;
    required = intersectWith(required, values);
  }
  return required;
}

function intersectWith(
  prev: Set<MatcherScalar> | null,
  values: readonly MatcherScalar[],
): Set<MatcherScalar> {
  return new Set(prev === null ? values : values.filter((v) => prev.has(v)));
}

function fieldValue(facts: AccountFacts, field: PartitionField): string | null {
  switch (field) {
    case "account.region":
      return facts.account.region;
    case "account.industry":
      return facts.account.industry;
    case "account.sizeBand":
      return facts.account.sizeBand;
    case "account.country":
      return facts.account.country;
  }
}

export type Partition<T> = (facts: AccountFacts) => readonly T[];

/** `items` in evaluation order; the returned lookup yields the subsequence that may match an account. */
export function buildPartition<T>(items: readonly { matcher: Matcher; item: T }[]): Partition<T> {
  const guards = items.map(({ matcher }) => PARTITION_FIELDS.map((f) => requiredValues(matcher, f)));
  const fields = PARTITION_FIELDS.map((field, fi) => {
    const mentioned = new Set<string>();
    for (const g of guards) for (const v of g[fi] ?? []) mentioned.add(String(v));
    return { field, fi, mentioned };
  }).filter((f) => f.mentioned.size > 0);
  if (fields.length === 0) {
    const all = items.map((i) => i.item);
    return () => all;
  }
  // One level of maps per field, keyed by the account's value (or NULL_KEY / OTHER_KEY): walking it
  // allocates nothing, where a combined string key cost a concatenation per account.
  type Level = Map<string, Level | readonly T[]>;
  const root: Level = new Map();
  const keyOf = (f: (typeof fields)[number], facts: AccountFacts): string => {
    const v = fieldValue(facts, f.field);
    return v === null ? NULL_KEY : f.mentioned.has(v) ? v : OTHER_KEY;
  };
  const last = fields.length - 1;
  return (facts) => {
    let level = root;
    for (let i = 0; i < last; i++) {
      const f = fields[i] as (typeof fields)[number];
      const key = keyOf(f, facts);
      let next = level.get(key) as Level | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(key, next);
      }
      level = next;
    }
    const key = keyOf(fields[last] as (typeof fields)[number], facts);
    let list = level.get(key) as readonly T[] | undefined;
    if (list === undefined) {
      list = mayMatch(facts);
      level.set(key, list);
    }
    return list;
  };

  // Apart from the lookup above, whose every call would otherwise allocate what these closures capture.
  function mayMatch(facts: AccountFacts): readonly T[] {
    return items
      .filter((_, ii) =>
        fields.every((f) => {
          const g = guards[ii]?.[f.fi] ?? null;
          if (g === null) return true;
          const v = fieldValue(facts, f.field);
          // A required value can only be met by a value some rule mentions.
          return v !== null && g.has(v);
        }),
      )
      .map((i) => i.item);
  }
}
