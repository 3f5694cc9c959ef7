// `turf rules add` at scale: one YAML file of N rules (default 1,000, 5,000 and 10,000) added to a
// database holding the sample company and its default rules, through the same service the CLI
// calls. Most rules are per-account decisions and manual overrides keyed by CRM id or domain (what a
// year of disputes produces); a few are attribute rules, so the shadowing analysis has work to do.
// `npx tsx bench/rules-add.ts [N…]`; PostgreSQL too when BENCH_DATABASE_URL or TEST_DATABASE_URL is set.
import { stringify } from "yaml";
import { addRulesFromFile } from "../src/services/rules/rule-file-import.ts";
import { loadSampleData } from "../src/services/sample-data.ts";
import { benchDatabases, fmt, print, timeIt } from "./support.ts";

const NOW = new Date("2026-11-02T09:00:00Z");

function ruleFile(n: number, reps: string[], territories: string[]): string {
  const rules = Array.from({ length: n }, (_, i) => {
    const id = `bench-${String(i).padStart(6, "0")}`;
    const rep = reps[i % reps.length] as string;
    if (i % 50 === 49)
      return {
        id,
        kind: "territory",
        matcher: {
          all: [
            { field: "account.region", op: "eq", value: ["NA", "EMEA", "APAC"][i % 3] },
            { field: "account.icpFit", op: "gte", value: 1 + (i % 5) },
          ],
        },
        outcome: { type: "territory", territory: territories[i % territories.length] },
        priority: i % 7,
        text: `Bench attribute rule ${i}`,
      };
    const byDomain = i % 3 === 0;
    return {
      id,
      kind: i % 2 === 0 ? "decision" : "manual",
      matcher: byDomain
        ? { field: "account.domain", op: "eq", value: `bench-${i}.example` }
        : { field: "account.crmId", op: "eq", value: `001BENCH${String(i).padStart(8, "0")}` },
      outcome: { type: "rep", rep },
      text: `Bench account rule ${i}`,
    };
  });
  return stringify({ rules }, { lineWidth: 0 });
}

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
for (const make of await benchDatabases()) {
  for (const n of sizes.length > 0 ? sizes : [1_000, 5_000, 10_000]) {
    const bench = await make();
    try {
      await loadSampleData(bench.db.prisma, NOW);
      const reps = (await bench.db.prisma.rep.findMany({ where: { roles: { has: "rep" } } })).map(
        (r) => r.email,
      );
      const territories = (
        await bench.db.prisma.territory.findMany({ where: { model: { not: "named" } } })
      ).map((t) => t.name);
      const text = ruleFile(n, reps, territories);
      const { ms, value } = await timeIt(() => addRulesFromFile(bench.db.prisma, text, "bench", NOW));
      if (!value.ok) throw new Error(value.errors.slice(0, 3).join("; "));
      const again = await timeIt(() => addRulesFromFile(bench.db.prisma, text, "bench", NOW));
      print(
        `${bench.name}: rules add ${n.toLocaleString("en-US")} rules ${fmt(ms)} (${((ms / n) * 1000).toFixed(0)} µs/rule); re-applying the same file (all unchanged) ${fmt(again.ms)}`,
      );
    } finally {
      await bench.drop();
    }
  }
}
