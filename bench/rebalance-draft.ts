// Draft time and quality for the two sizes in issue 5. Prints figures; asserts nothing.
// Run alone: npx tsx bench/rebalance-draft.ts — or import { run } and print the lines it returns.
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { type DraftAccount, type DraftRep, draftRebalance } from "../src/domain/rebalance/draft.ts";
import { scoreAccount } from "../src/domain/rebalance/scoring.ts";

// Small deterministic PRNG so every run drafts the same book.
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Scenario = { name: string; accounts: number; reps: number; territories: number; seed: number };

/**
 * Mixed capacity weights (70 % full ramp, 15 % half ramp, 15 % over capacity), 20 % locked,
 * books skewed like a geographic plan gone stale (each rep's share of accounts drawn 0.5–1.5x).
 * Eligibility: reps sit in territories; an account is eligible for the reps of its territory
 * and of the next one (hybrid overlap), or, in the open variant, for every rep.
 */
function makeBook(s: Scenario, open: boolean): { accounts: DraftAccount[]; reps: DraftRep[] } {
  const rnd = mulberry32(s.seed);
  const reps: DraftRep[] = [];
  for (let i = 0; i < s.reps; i++) {
    const u = rnd();
    reps.push({
      repId: `rep-${String(i).padStart(4, "0")}`,
      capacityWeight: u < 0.15 ? 0.5 : u < 0.3 ? 1.2 : 1.0,
    });
  }
  const repsOf: string[][] = Array.from({ length: s.territories }, () => []);
  for (const [i, r] of reps.entries()) repsOf[i % s.territories]?.push(r.repId);
  const skew = reps.map((r) => (0.5 + rnd()) * r.capacityWeight);
  const bands = ["SMB", "MM", "ENT"] as const;
  const accounts: DraftAccount[] = [];
  for (let i = 0; i < s.accounts; i++) {
    const t = Math.floor(rnd() * s.territories);
    const eligible = [...(repsOf[t] ?? []), ...(repsOf[(t + 1) % s.territories] ?? [])];
    // Owner drawn from the territory's reps in proportion to the skew.
    const local = repsOf[t] ?? [];
    let sum = 0;
    for (const id of local) sum += skew[Number(id.slice(4))] ?? 0;
    let pick = rnd() * sum;
    let owner = local[0] ?? null;
    for (const id of local) {
      pick -= skew[Number(id.slice(4))] ?? 0;
      if (pick <= 0) {
        owner = id;
        break;
      }
    }
    const opps = rnd() < 0.2 ? 1 + Math.floor(rnd() * 4) : 0;
    const score = scoreAccount(
      { icpFit: 1 + Math.floor(rnd() * 5), sizeBand: bands[Math.floor(rnd() * 3)] ?? "SMB" },
      opps,
    );
    accounts.push({
      accountId: `acc-${String(i).padStart(6, "0")}`,
      index: score.index,
      currentOwnerRepId: owner,
      locked: opps > 0,
      eligibleRepIds: open ? null : eligible,
    });
  }
  return { accounts, reps };
}

const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(4) : String(x));

function measure(s: Scenario, open: boolean): string[] {
  const book = makeBook(s, open);
  const locked = book.accounts.filter((a) => a.locked).length;
  const t0 = performance.now();
  const churn = draftRebalance(book, { mode: "minimal-churn", tolerance: 0.03 });
  const t1 = performance.now();
  const scratch = draftRebalance(book, { mode: "from-scratch" });
  const t2 = performance.now();
  if (!churn.ok || !scratch.ok) throw new Error(JSON.stringify(churn.ok ? scratch : churn));
  const c = churn.value;
  const f = scratch.value;
  return [
    `${s.name} ${open ? "open eligibility" : "territory eligibility"} — ${s.accounts} accounts × ${s.reps} reps, ${locked} locked (${((100 * locked) / s.accounts).toFixed(1)} %)`,
    `  before:        max/min ${fmt(c.spreadBefore)}`,
    `  minimal-churn: ${(t1 - t0).toFixed(0)} ms, max/min ${fmt(c.spread)}, moved ${c.moves.length} accounts, ${c.iterations} iterations, converged ${c.converged}`,
    `  from-scratch:  ${(t2 - t1).toFixed(0)} ms, max/min ${fmt(f.spread)}, moved ${f.moves.length} accounts`,
  ];
}

const scenarios: Scenario[] = [
  { name: "10k×20", accounts: 10_000, reps: 20, territories: 4, seed: 7 },
  { name: "100k×200", accounts: 100_000, reps: 200, territories: 20, seed: 11 },
];
/** Drafts every scenario (territory and open eligibility) and returns the figures as printable lines. */
export function run(): string[] {
  // Warm the JIT on the small case so the first measured figure is not compile time.
  draftRebalance(makeBook(scenarios[0] as Scenario, true), {});
  const lines: string[] = [];
  for (const s of scenarios) lines.push(...measure(s, false), ...measure(s, true));
  return lines;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of run()) console.log(line);
}
