// Match accuracy on the labelled set, and in-memory lookup latency on a 100k-account synthetic
// book. Run: npx tsx bench/matching-accuracy.ts

import { performance } from "node:perf_hooks";
import { buildMatchIndex, matchInMemory } from "../src/domain/matching/memory-index.ts";
import { parseLookupQuery } from "../src/domain/matching/query.ts";
import { type BookAccount, evaluate, loadBook, loadQueries } from "../test/fixtures/matching/evaluate.ts";

const print = (line = "") => process.stdout.write(`${line}\n`);
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

// --- accuracy -------------------------------------------------------------------------------
const book = loadBook();
const queries = loadQueries();
const result = evaluate(buildMatchIndex(book), queries);
print(`labelled set: ${book.length} accounts, ${result.total} queries`);
print(`top-1 accuracy:    ${pct(result.top1Accuracy)}`);
print(`wrong-answer rate: ${pct(result.wrongRate)} (${result.wrongs.length})`);
const positives = result.judged.filter((j) => j.expect !== "none" && j.expect !== "ambiguous-ok");
print(
  `positives answered right: ${pct(positives.filter((j) => j.outcome === "correct").length / positives.length)} of ${positives.length}`,
);
print(`misses (${result.misses.length}):`);
for (const m of result.misses) print(`  [${m.kind}] ${JSON.stringify(m.query)} -> ${m.answer}`);
print(`wrong answers (${result.wrongs.length}):`);
for (const w of result.wrongs)
  print(`  [${w.kind}] ${JSON.stringify(w.query)} expected ${w.expect} -> ${w.answer}`);

// --- latency on 100k ------------------------------------------------------------------------
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(7);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const SYLLABLES = [
  "ac",
  "ver",
  "lo",
  "tri",
  "na",
  "zen",
  "qua",
  "mor",
  "dex",
  "sol",
  "ka",
  "vi",
  "ro",
  "tel",
  "gen",
  "ar",
  "bel",
  "cor",
  "fin",
  "lux",
  "nor",
  "pax",
  "sen",
  "ul",
  "xa",
  "yo",
  "ze",
  "im",
  "os",
  "ta",
];
const SECOND = [
  "",
  "",
  "Systems",
  "Labs",
  "Foods",
  "Energy",
  "Logistics",
  "Health",
  "Capital",
  "Software",
  "Motors",
  "Bank",
  "Media",
  "Partners",
  "Retail",
  "Analytics",
  "Pharma",
  "Networks",
  "Air",
  "Insurance",
];
const SUFFIX = ["Inc.", "LLC", "Ltd", "GmbH", "S.A.", "Corp.", "PLC", "AG", "B.V.", "Pty Ltd", ""];
const TLD = ["com", "io", "co.uk", "de", "fr", "com.au", "net", "ca", "nl", "es"];

const synthetic: BookAccount[] = [...book];
const used = new Set(book.map((a) => a.name.toLowerCase()));
while (synthetic.length < 100_000) {
  const word = Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(SYLLABLES)).join("");
  const base = `${word[0]?.toUpperCase()}${word.slice(1)}${pick(SECOND) === "" ? "" : ` ${pick(SECOND)}`}`;
  if (used.has(base.toLowerCase())) continue;
  used.add(base.toLowerCase());
  const n = synthetic.length;
  synthetic.push({
    id: `syn-${n}`,
    crmId: `001${n.toString(36).padStart(12, "0")}AAA`,
    name: `${base} ${pick(SUFFIX)}`.trim(),
    domains: [`${base.toLowerCase().replace(/ /g, "")}.${pick(TLD)}`],
    parentId: null,
  });
}

let start = performance.now();
const index = buildMatchIndex(synthetic);
const buildMs = performance.now() - start;

const lookups: string[] = [];
for (let i = 0; i < 5000; i += 1) {
  const account = pick(synthetic);
  const name = account.name.replace(/ (Inc\.|LLC|Ltd|GmbH|S\.A\.|Corp\.|PLC|AG|B\.V\.|Pty Ltd)$/, "");
  const at = 1 + Math.floor(random() * (name.length - 2));
  lookups.push(
    pick([
      name,
      `${name.slice(0, at)}${name.slice(at + 1)}`,
      account.domains[0] ?? name,
      `jane@eu.${account.domains[0] ?? "x.com"}`,
      account.crmId,
      pick(queries).query,
    ]),
  );
}
for (const q of lookups.slice(0, 200)) matchInMemory(parseLookupQuery(q), index); // warm-up
const timings: number[] = [];
const statuses = { match: 0, ambiguous: 0, none: 0 };
for (const q of lookups) {
  start = performance.now();
  const r = matchInMemory(parseLookupQuery(q), index);
  timings.push(performance.now() - start);
  statuses[r.status] += 1;
}
const slowest = lookups
  .map((q, i) => ({ q, ms: timings[i] ?? 0 }))
  .sort((a, b) => b.ms - a.ms)
  .slice(0, 5);
timings.sort((a, b) => a - b);
const at = (p: number) => timings[Math.min(timings.length - 1, Math.floor(p * timings.length))] ?? Number.NaN;
print();
print(`in-memory book: ${synthetic.length} accounts, index built in ${buildMs.toFixed(0)} ms`);
print(
  `lookups: ${timings.length} (match ${statuses.match}, ambiguous ${statuses.ambiguous}, none ${statuses.none})`,
);
print(`lookup p50 ${at(0.5).toFixed(3)} ms, p99 ${at(0.99).toFixed(3)} ms, max ${at(1).toFixed(3)} ms`);
print(`slowest: ${slowest.map((s) => `${JSON.stringify(s.q)} ${s.ms.toFixed(1)} ms`).join(", ")}`);

// --- the same labelled set through the database path (/owner's SQL retrieval + ranker) ---------
const { openDatabase } = await import("../src/db/client.ts");
const { applyMigrations } = await import("../src/db/migrate.ts");
const { matchAccount } = await import("../src/services/ownership/lookup-owner.ts");
const { judge } = await import("../test/fixtures/matching/evaluate.ts");
const { loadLabelledBook } = await import("../test/fixtures/matching/load-into-db.ts");
const embedded = await openDatabase({ dataDir: null });
await applyMigrations(embedded);
await loadLabelledBook(embedded.prisma);
const dbTimings: number[] = [];
const dbOutcomes = { correct: 0, miss: 0, wrong: 0 };
for (const item of queries) {
  start = performance.now();
  const r = await matchAccount(embedded.prisma, item.query);
  dbTimings.push(performance.now() - start);
  dbOutcomes[judge(item, r)] += 1;
}
dbTimings.sort((a, b) => a - b);
const dbAt = (p: number) =>
  dbTimings[Math.min(dbTimings.length - 1, Math.floor(p * dbTimings.length))] ?? Number.NaN;
print();
print(
  `database path (PGlite, ${book.length} accounts): top-1 ${pct(dbOutcomes.correct / queries.length)}, wrong ${pct(dbOutcomes.wrong / queries.length)} (${dbOutcomes.wrong}), misses ${dbOutcomes.miss}`,
);
print(`database path match p50 ${dbAt(0.5).toFixed(2)} ms, p99 ${dbAt(0.99).toFixed(2)} ms`);
await embedded.close();
