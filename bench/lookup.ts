// /owner latency and accuracy on a generated book, each kind of query next to its floor measured in
// the same run on the same database: a raw B-tree probe (the least an exact lookup can cost), the owner
// card alone, and pg_trgm's top 5 at similarity 0.5 (what a trigram search costs). Also the in-memory
// fuzzy index's build time and size, and the run's peak RSS.
// npx tsx bench/lookup.ts [--large]   (100k on PGlite; --large: 1M on PostgreSQL, needs BENCH_DATABASE_URL
// or TEST_DATABASE_URL)
import { loadOwnerSnapshot } from "../src/db/owner-card.ts";
import { compactKey, normalizeCompanyName } from "../src/domain/matching/normalize.ts";
import { parseLookupQuery } from "../src/domain/matching/query.ts";
import { fuzzyCandidates } from "../src/domain/matching/search-index.ts";
import { lookupOwner } from "../src/services/ownership/lookup-owner.ts";
import { currentSearchIndex, lastSearchIndexBuild } from "../src/services/ownership/search-index-cache.ts";
import { bookAccountCrmId } from "./book.ts";
import { type BenchTarget, embeddedBook, postgresBook } from "./cached-book.ts";
import { fmt, latencies, peakRss, postgresAdminUrl, print, typo } from "./support.ts";

const LARGE = process.argv.includes("--large");
const ACCOUNTS = LARGE ? 1_000_000 : 100_000;
const REPS = LARGE ? 500 : 200;
const SEED = 20261123;
const SAMPLES = LARGE ? 1000 : 500;

type Sample = { id: string; crmId: string; name: string; domain: string };

/** Two edits: two in the longest word when it is long enough to forgive them, else one in each of two words. */
export function twoEditTypo(name: string, i: number): string {
  const once = typo(name, i);
  const words = once.split(" ");
  const order = words.map((w, j) => ({ w, j })).sort((a, b) => b.w.length - a.w.length);
  const longest = order[0];
  const second = order[1];
  const drop = (w: string, at: number) => w.slice(0, at) + w.slice(at + 1);
  if (longest && longest.w.length >= 9) {
    words[longest.j] = drop(longest.w, longest.w.length - 2);
  } else if (second && second.w.length >= 4) {
    words[second.j] = drop(second.w, 1 + (i % (second.w.length - 2)));
  }
  return words.join(" ");
}

/** The legal form dropped ("Quolopri Analytics Ltd." → "Quolopri Analytics"), or one added. */
function suffixChange(name: string): string {
  const words = name.split(" ");
  return words.length > 2 ? words.slice(0, -1).join(" ") : `${name} Inc`;
}

/** A doubled letter in the domain's label ("quolopri.com" → "quoloprri.com"). */
function domainTypo(domain: string, i: number): string {
  const dot = domain.indexOf(".");
  const at = 2 + (i % Math.max(1, dot - 3));
  return domain.slice(0, at) + domain[at] + domain.slice(at);
}

async function samples(target: BenchTarget): Promise<Sample[]> {
  const step = Math.floor(ACCOUNTS / SAMPLES);
  const crmIds = Array.from({ length: SAMPLES }, (_, k) => bookAccountCrmId(k * step + (k % step)));
  return target.db.prisma.$queryRawUnsafe<Sample[]>(
    `SELECT a.id, a."crmId", a.name, (SELECT min(domain) FROM "AccountDomain" d WHERE d."accountId" = a.id) AS domain
     FROM "Account" a WHERE a."crmId" = ANY($1::text[]) ORDER BY a."crmId"`,
    crmIds,
  );
}

async function measure(target: BenchTarget): Promise<void> {
  const prisma = target.db.prisma;
  const rows = await samples(target);
  const heapBefore = process.memoryUsage().heapUsed;
  const { index } = await currentSearchIndex(prisma);
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
  const build = lastSearchIndexBuild(prisma);
  const tries = [index.words.trie, index.backward.trie, index.labels.trie];
  const nodes = tries.reduce((n, t) => n + t.char.length, 0);
  const arrays = [
    ...tries.flatMap((t) => [t.firstChild, t.nextSibling, t.char, t.termAt]),
    ...[index.words, index.labels].flatMap((p) => [p.start, p.postings]),
    index.backward.forwardId,
  ];
  const arrayMb = arrays.reduce((n, a) => n + a.byteLength, 0) / 1e6;
  print(
    `  fuzzy index: ${index.accountIds.length.toLocaleString()} accounts, ${index.words.trie.termCount.toLocaleString()} words, ` +
      `${index.labels.trie.termCount.toLocaleString()} labels, ${nodes.toLocaleString()} trie nodes (${arrayMb.toFixed(0)} MB of typed arrays); ` +
      `read ${fmt(build?.readMs ?? Number.NaN)} + build ${fmt(build?.buildMs ?? Number.NaN)}, heap +${heapMb.toFixed(0)} MB`,
  );
  const ask = (q: string) => lookupOwner(prisma, q, { slackUserId: null, now: new Date() });
  for (const r of rows.slice(0, 30)) await ask(typo(r.name, 1));

  const floorProbe = await latencies(rows.length, (j) =>
    prisma.$queryRawUnsafe(
      `SELECT id FROM "Account" WHERE "compactName" = $1`,
      compactKey(normalizeCompanyName(rows[j]?.name ?? "")),
    ),
  );
  const floorCard = await latencies(rows.length, (j) => loadOwnerSnapshot(prisma, rows[j]?.id ?? ""));
  let trgmRecall = 0;
  const floorTrgm = await latencies(rows.length, async (j) => {
    const r = rows[j] as Sample;
    const q = compactKey(normalizeCompanyName(typo(r.name, j)));
    const [, found] = await prisma.$transaction([
      prisma.$executeRawUnsafe(`SET LOCAL pg_trgm.similarity_threshold = 0.5`),
      prisma.$queryRawUnsafe<{ id: string }[]>(
        `SELECT id FROM "Account" WHERE "compactName" % $1 ORDER BY similarity("compactName", $1) DESC LIMIT 5`,
        q,
      ),
    ]);
    if (found.some((f) => f.id === r.id)) trgmRecall++;
  });
  const line = (label: string, l: { p50: number; p99: number }, extra = "") =>
    print(`  ${label.padEnd(34)} p50 ${fmt(l.p50).padStart(9)}  p99 ${fmt(l.p99).padStart(9)}${extra}`);
  // The in-memory half of a fuzzy lookup alone (trie walks and postings), to split a figure below
  // into this and the database's part.
  const fuzzyOnly = await latencies(rows.length, async (j) =>
    fuzzyCandidates(index, parseLookupQuery(twoEditTypo((rows[j] as Sample).name, j))),
  );
  line("floor: raw B-tree probe", floorProbe);
  line("floor: owner card alone", floorCard);
  line("floor: pg_trgm top-5 at 0.5 (typo)", floorTrgm, `  recall ${trgmRecall}/${rows.length}`);
  line("part: fuzzy index alone (two-edit)", fuzzyOnly);
  const kinds: [string, (r: Sample, j: number) => string, boolean][] = [
    ["/owner exact name", (r) => r.name, false],
    ["/owner exact domain", (r) => r.domain, false],
    ["/owner one-edit typo", (r, j) => typo(r.name, j), true],
    ["/owner two-edit typo", (r, j) => twoEditTypo(r.name, j), true],
    ["/owner legal suffix dropped/added", (r) => suffixChange(r.name), true],
    ["/owner domain typo", (r, j) => domainTypo(r.domain, j), true],
  ];
  for (const [label, make, fuzzy] of kinds) {
    let right = 0;
    let wrong = 0;
    const l = await latencies(rows.length, async (j) => {
      const r = rows[j] as Sample;
      const a = await ask(make(r, j));
      if (a.status === "found") a.card.account.id === r.id ? right++ : wrong++;
    });
    const floor = fuzzy ? floorTrgm : floorProbe;
    line(
      label,
      l,
      `  ×${(l.p99 / floorProbe.p99).toFixed(1)} probe p99${fuzzy ? `, ×${(l.p99 / floor.p99).toFixed(2)} pg_trgm p99` : ""}  right ${right}/${rows.length}, wrong ${wrong}`,
    );
  }
}

async function main(): Promise<void> {
  const options = { accounts: ACCOUNTS, reps: REPS, seed: SEED };
  let target: BenchTarget;
  if (LARGE) {
    const admin = postgresAdminUrl();
    if (!admin) throw new Error("--large needs BENCH_DATABASE_URL or TEST_DATABASE_URL (PostgreSQL)");
    print(`[PostgreSQL] ${ACCOUNTS.toLocaleString()} accounts`);
    target = await postgresBook(admin, options);
  } else {
    print(`[PGlite] ${ACCOUNTS.toLocaleString()} accounts`);
    target = await embeddedBook(options);
  }
  try {
    await measure(target);
  } finally {
    await target.close();
  }
  print(`  peak RSS ${peakRss()}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
