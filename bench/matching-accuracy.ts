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

// --- issue 15's book: the labelled companies hidden among 100k generated accounts ---------------
// Generated "<Brand> <Industry word>" names, and a "<Company> Logistics Ltd" near-namesake for every
// other labelled company; then the labelled set again, and names that are in no account at all.
const { insertRows } = await import("../src/db/bulk-insert.ts");
const { compactKey, domainLabel, normalizeCompanyName, searchKeysFor } = await import(
  "../src/domain/matching/normalize.ts"
);
const { generateAccountRows } = await import("./book.ts");
const { ABSENT_NAMES } = await import("../test/fixtures/matching/absent-names.ts");
const hidden = await openDatabase({ dataDir: null });
await applyMigrations(hidden);
await loadLabelledBook(hidden.prisma);
const filler: { id: string; name: string; domains: string[] }[] = [];
book.forEach((a, i) => {
  if (i % 2 !== 0) return;
  const core = a.name.replace(
    /,? (Inc\.|Corporation|LLC|Ltd\.?|plc|AG|SE|S\.A\.|N\.V\.|Co\.|Company|Group)$/i,
    "",
  );
  filler.push({
    id: `near-${i}`,
    name: `${core} Logistics Ltd`,
    domains: [`${compactKey(normalizeCompanyName(core))}logistics.com`],
  });
});
for (const row of generateAccountRows({ accounts: 100_000, reps: 10, seed: 7 })) {
  filler.push({ id: `gen-${filler.length}`, name: row.name, domains: [row.domain] });
}
const loadedAt = new Date("2026-11-01T00:00:00Z");
const column = (name: string) => ({ name, type: name === "updatedAt" ? "timestamp(3)" : "text" });
await hidden.prisma.$transaction(
  async (tx) => {
    await insertRows(
      tx,
      "Account",
      ["id", "crmId", "name", "normalizedName", "compactName", "coreName", "acronym", "updatedAt"].map(
        column,
      ),
      filler.map((a, i) => {
        const k = searchKeysFor(a);
        return [a.id, `GEN-${i}`, a.name, k.normalizedName, k.compactName, k.coreName, k.acronym, loadedAt];
      }),
    );
    await insertRows(
      tx,
      "AccountDomain",
      ["accountId", "domain", "label"].map(column),
      filler.flatMap((a) =>
        searchKeysFor(a).domains.map((d) => [a.id, d, (domainLabel(d) ?? d).replace(/-/g, "")]),
      ),
    );
  },
  { timeout: 600_000 },
);
const { describeMatch } = await import("../test/fixtures/matching/evaluate.ts");
const hiddenOutcomes = { correct: 0, miss: 0, wrong: 0 };
const hiddenTimings: number[] = [];
const hiddenMisses: string[] = [];
for (const item of queries) {
  start = performance.now();
  const r = await matchAccount(hidden.prisma, item.query);
  hiddenTimings.push(performance.now() - start);
  const outcome = judge(item, r);
  hiddenOutcomes[outcome] += 1;
  if (outcome !== "correct") {
    hiddenMisses.push(
      `  ${outcome} [${item.kind}] ${JSON.stringify(item.query)} expected ${item.expect} -> ${describeMatch(r)}`,
    );
  }
}
const absent = { notFound: 0, answered: 0, askedOne: 0, askedSeveral: 0 };
for (const name of ABSENT_NAMES) {
  const r = await matchAccount(hidden.prisma, name);
  if (r.status === "none") absent.notFound++;
  else if (r.status === "match") {
    absent.answered++;
    print(`  answered ${JSON.stringify(name)} with ${r.best.name}`);
  } else {
    if (r.candidates.length === 1) absent.askedOne++;
    else absent.askedSeveral++;
    print(`  asked ${JSON.stringify(name)}: ${r.candidates.map((c) => c.name).join("; ")}`);
  }
}
hiddenTimings.sort((a, b) => a - b);
const hiddenAt = (p: number) =>
  hiddenTimings[Math.min(hiddenTimings.length - 1, Math.floor(p * hiddenTimings.length))] ?? Number.NaN;
print();
print(
  `labelled book among ${filler.length.toLocaleString()} generated accounts (PGlite): top-1 ${pct(hiddenOutcomes.correct / queries.length)}, wrong ${hiddenOutcomes.wrong}, misses ${hiddenOutcomes.miss}; p50 ${hiddenAt(0.5).toFixed(2)} ms, p99 ${hiddenAt(0.99).toFixed(2)} ms`,
);
for (const line of hiddenMisses) print(line);
print(
  `names in no account (${ABSENT_NAMES.length}): not found ${absent.notFound}, answered ${absent.answered}, asked with one candidate ${absent.askedOne}, asked with several ${absent.askedSeveral}`,
);
await hidden.close();
