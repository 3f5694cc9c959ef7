// Bulk ownership re-evaluation: 1M synthetic accounts held in memory, ~200 rules, one process.
// Target (issue 3): re-evaluating 1M accounts in ≤ 10 s. Run: npx tsx bench/rules-engine.ts [accounts]
// Prints figures only; nothing here asserts on time.

import type { Account, Opportunity, Rep, SizeBand, Territory } from "../src/domain/model.ts";
import type { FastVerdict } from "../src/domain/rules/engine.ts";
import { compileRuleSet } from "../src/domain/rules/engine.ts";
import type { AccountFacts, Matcher } from "../src/domain/rules/matcher.ts";
import type { Rule } from "../src/domain/rules/rule.ts";
import { territoryRuleFromTerritory, writtenOverlapRules } from "../src/domain/rules/rule.ts";
import { numberArgument } from "./args.ts";

const N = numberArgument(1_000_000, "the account count");
const AT = new Date("2026-01-05T09:00:00Z");

// Seeded so every run measures the same book.
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

const REGIONS = ["EMEA", "NA", "APAC", "LATAM", "MENA"] as const;
const INDUSTRIES = ["Software", "Retail", "Fintech", "Healthcare", "Manufacturing", "Media"] as const;
const BANDS: SizeBand[] = ["SMB", "MM", "ENT"];

// 15 hybrid region × band territories plus 3 verticals; 4 reps each.
const territories: Territory[] = [];
for (const region of REGIONS)
  for (const band of BANDS)
    territories.push({
      id: `t-${region}-${band}`,
      name: `${region} ${band}`,
      model: "hybrid",
      regions: [region],
      industries: [],
      sizeBands: [band],
    });
for (const industry of ["Fintech", "Healthcare", "Media"])
  territories.push({
    id: `t-v-${industry}`,
    name: `${industry} vertical`,
    model: "vertical",
    regions: [],
    industries: [industry],
    sizeBands: [],
  });

const reps: Rep[] = [];
territories.forEach((t, ti) => {
  for (let k = 0; k < 4; k++) {
    const id = `rep-${String(ti * 4 + k).padStart(3, "0")}`;
    reps.push({
      id,
      slackUserId: null,
      email: `${id}@example.com`,
      name: id,
      team: null,
      roles: k === 0 ? ["rep", "manager"] : ["rep"],
      capacityWeight: 1,
      active: rand() > 0.05,
      territoryIds: [t.id],
    });
  }
});

function buildAccounts(n: number): { facts: AccountFacts[]; parentIndex: Int32Array } {
  const facts: AccountFacts[] = new Array(n);
  const parentIndex = new Int32Array(n).fill(-1);
  const none: Opportunity[] = [];
  for (let i = 0; i < n; i++) {
    const crmId = `001${i.toString(36).padStart(7, "0")}`;
    const account: Account = {
      id: `a${i}`,
      crmId,
      name: `Company ${i}`,
      domains: [`company${i}.com`],
      parentId: null,
      country: null,
      region: rand() < 0.02 ? null : pick(REGIONS),
      industry: pick(INDUSTRIES),
      employees: Math.floor(rand() * 20_000),
      sizeBand: pick(BANDS),
      icpFit: 1 + Math.floor(rand() * 5),
      lastActivityAt: null,
      named: rand() < 0.01,
    };
    let opps = none;
    if (rand() < 0.15) {
      const reseller = rand() < 0.3;
      opps = [
        {
          id: `o${i}`,
          crmId: `006${i}`,
          accountId: account.id,
          ownerRepId: null,
          amount: 10_000,
          stage: "Discovery",
          isOpen: true,
          source: reseller ? "reseller" : "direct",
          reseller: reseller ? pick(["ChannelCo", "Partnr", "ResellAll"]) : null,
        },
      ];
    }
    // One in ten accounts beyond the first 10% is a subsidiary of an earlier account (parents first).
    let parentCrmId: string | null = null;
    if (i > n / 10 && rand() < 0.1) {
      const p = Math.floor(rand() * (n / 10));
      parentIndex[i] = p;
      parentCrmId = facts[p]?.account.crmId ?? null;
    }
    facts[i] = { account, parentCrmId, openOpportunities: opps };
  }
  return { facts, parentIndex };
}

function rule(
  id: string,
  kind: Rule["kind"],
  matcher: Matcher,
  outcome: Rule["outcome"],
  priority = 0,
): Rule {
  return {
    id,
    kind,
    matcher,
    outcome,
    priority,
    text: id,
    provenance: { by: "bench", at: AT },
    active: true,
    createdAt: AT,
  };
}

/** A realistic mix: territories, overlaps, named lists, per-account decisions, domain overrides. */
function realisticRules(facts: AccountFacts[]): Rule[] {
  const rules: Rule[] = [];
  for (const t of territories) {
    const r = territoryRuleFromTerritory(t, { id: `terr-${t.id}`, by: "bench", at: AT });
    if (r.ok) rules.push(r.value);
  }
  rules.push(...writtenOverlapRules({ by: "bench", at: AT }));
  const repIds = reps.map((r) => r.id);
  const crm = () => (pick(facts) as AccountFacts).account.crmId;
  for (let k = 0; k < 20; k++) {
    const ids = Array.from({ length: 50 }, crm);
    rules.push(
      rule(
        `named-${k}`,
        "named",
        { field: "account.crmId", op: "in", value: ids },
        { type: "rep", repId: pick(repIds) },
      ),
    );
  }
  rules.push(
    rule("named-flag", "named", { field: "account.named", op: "eq", value: true }, { type: "keep_current" }),
  );
  for (let k = 0; k < 140; k++)
    rules.push(
      rule(
        `dec-${k}`,
        "decision",
        { field: "account.crmId", op: "eq", value: crm() },
        { type: "rep", repId: pick(repIds) },
      ),
    );
  for (let k = 0; k < 10; k++) {
    const f = pick(facts);
    rules.push(
      rule(
        `man-${k}`,
        "manual",
        { field: "account.domain", op: "eq", value: f.account.domains[0] ?? "" },
        { type: "rep", repId: pick(repIds) },
      ),
    );
  }
  return rules;
}

/** Worst case for the index: every rule is an attribute rule the engine must try on every account. */
function attributeOnlyRules(): Rule[] {
  const rules: Rule[] = [];
  const repIds = reps.map((r) => r.id);
  for (let k = 0; k < 197; k++) {
    const matcher: Matcher = {
      all: [
        { field: "account.region", op: "eq", value: pick(REGIONS) },
        { field: "account.industry", op: "eq", value: pick(INDUSTRIES) },
        { field: "account.employees", op: "gte", value: 15_000 + Math.floor(rand() * 5_000) },
        { field: "account.icpFit", op: "eq", value: 1 + Math.floor(rand() * 5) },
      ],
    };
    rules.push(
      rule(`attr-${k}`, pick(["decision", "named", "territory"] as const), matcher, {
        type: "rep",
        repId: pick(repIds),
      }),
    );
  }
  rules.push(...writtenOverlapRules({ by: "bench", at: AT }));
  return rules;
}

function run(
  label: string,
  rules: Rule[],
  facts: AccountFacts[],
  parentIndex: Int32Array,
  owners: (string | null)[],
) {
  const t0 = performance.now();
  const set = compileRuleSet(rules, territories, reps);
  const t1 = performance.now();
  const verdicts: FastVerdict[] = new Array(facts.length);
  let assigned = 0;
  let changed = 0;
  for (let i = 0; i < facts.length; i++) {
    const p = parentIndex[i] ?? -1;
    const parentOwner = p >= 0 ? (verdicts[p]?.owner?.repId ?? null) : null;
    const v = set.evaluate(facts[i] as AccountFacts, owners[i] ?? null, parentOwner);
    verdicts[i] = v;
    if (v.owner !== null) assigned++;
    if ((v.owner?.repId ?? null) !== (owners[i] ?? null)) changed++;
  }
  const t2 = performance.now();
  const seconds = (t2 - t1) / 1000;
  const byRule = new Map<string, number>();
  for (const v of verdicts) {
    const k = v.rule === null ? "white space" : v.rule.kind;
    byRule.set(k, (byRule.get(k) ?? 0) + 1);
  }
  process.stdout.write(
    `${label}: ${rules.length} rules, compile ${(t1 - t0).toFixed(1)} ms, ${facts.length.toLocaleString("en-US")} accounts in ${seconds.toFixed(2)} s = ${Math.round(facts.length / seconds).toLocaleString("en-US")} accounts/s\n` +
      `  assigned ${assigned.toLocaleString("en-US")}, owner changed ${changed.toLocaleString("en-US")}, decided by ${[...byRule].map(([k, n]) => `${k} ${n}`).join(", ")}\n`,
  );
}

const g0 = performance.now();
const { facts, parentIndex } = buildAccounts(N);
const owners = facts.map(() => (rand() < 0.7 ? (pick(reps) as Rep).id : null));
process.stdout.write(
  `generated ${N.toLocaleString("en-US")} accounts in ${((performance.now() - g0) / 1000).toFixed(1)} s (not timed below)\n`,
);
run("realistic mix", realisticRules(facts), facts, parentIndex, owners);
run("attribute-only worst case", attributeOnlyRules(), facts, parentIndex, owners);
