// The whole lookup without a database: exact keys in maps, and a trigram inverted index over
// compact names to retrieve the few candidates worth ranking, so a lookup never scans the book.

import type { Account } from "../model.ts";
import { compactKey, coreKey, domainLabel, searchKeysFor, withoutWebSuffix } from "./normalize.ts";
import type { LookupQuery } from "./query.ts";
import {
  DEFAULT_RANK_OPTIONS,
  type MatchCandidate,
  type MatchResult,
  NO_RARITY,
  type RankOptions,
  rankCandidates,
  type WordRarity,
} from "./rank.ts";
import { commonWordThreshold } from "./search-index.ts";

export type MatchIndex = {
  readonly candidates: readonly MatchCandidate[];
  readonly byCrmId: ReadonlyMap<string, readonly number[]>;
  readonly byDomain: ReadonlyMap<string, readonly number[]>;
  readonly byNameKey: ReadonlyMap<string, readonly number[]>;
  readonly byAcronym: ReadonlyMap<string, readonly number[]>;
  readonly byTrigram: ReadonlyMap<string, Int32Array>;
  readonly trigramCounts: Uint16Array;
  /** How many names have each word, so a query's industry words are known as such. */
  readonly wordCounts: ReadonlyMap<string, number>;
  /** Per-lookup counters, zeroed again after each use, so a lookup allocates nothing book-sized. */
  readonly scratch: Uint16Array;
};

/** How many fuzzy candidates retrieval hands to the ranker. */
export const FUZZY_CANDIDATE_LIMIT = 40;

/** Padded trigrams of a compact name, so short names and word starts still yield some. */
export function trigramsOf(compact: string): string[] {
  const padded = `^${compact}$`;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i += 1) out.add(padded.slice(i, i + 3));
  return [...out];
}

export function toMatchCandidate(
  account: Pick<Account, "id" | "crmId" | "name" | "domains">,
  parentName: string | null,
): MatchCandidate {
  const keys = searchKeysFor(account);
  return {
    accountId: account.id,
    name: account.name,
    normalizedName: keys.normalizedName,
    domains: keys.domains,
    acronym: keys.acronym,
    crmId: account.crmId,
    parentName,
  };
}

function push(map: Map<string, number[]>, key: string, position: number): void {
  if (key.length === 0) return;
  const list = map.get(key);
  if (list === undefined) map.set(key, [position]);
  else if (list[list.length - 1] !== position) list.push(position);
}

export function buildMatchIndex(
  accounts: readonly Pick<Account, "id" | "crmId" | "name" | "domains" | "parentId">[],
): MatchIndex {
  const nameById = new Map(accounts.map((a) => [a.id, a.name]));
  const candidates = accounts.map((a) =>
    toMatchCandidate(a, a.parentId === null ? null : (nameById.get(a.parentId) ?? null)),
  );
  const byCrmId = new Map<string, number[]>();
  const byDomain = new Map<string, number[]>();
  const byNameKey = new Map<string, number[]>();
  const byAcronym = new Map<string, number[]>();
  const postings = new Map<string, number[]>();
  const trigramCounts = new Uint16Array(candidates.length);
  const wordCounts = new Map<string, number>();

  candidates.forEach((c, i) => {
    push(byCrmId, c.crmId.toLowerCase(), i);
    for (const d of c.domains) {
      push(byDomain, d, i);
      push(byNameKey, (domainLabel(d) ?? "").replace(/-/g, ""), i);
    }
    for (const word of new Set(c.normalizedName.split(" ")))
      wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
    const compact = compactKey(c.normalizedName);
    push(byNameKey, compact, i);
    push(byNameKey, coreKey(c.normalizedName), i);
    if (c.acronym !== null) push(byAcronym, c.acronym, i);
    const grams = trigramsOf(compact);
    trigramCounts[i] = Math.min(grams.length, 0xffff);
    for (const g of grams) push(postings, g, i);
  });

  const byTrigram = new Map<string, Int32Array>();
  for (const [g, list] of postings) byTrigram.set(g, Int32Array.from(list));
  const scratch = new Uint16Array(candidates.length);
  return {
    candidates,
    byCrmId,
    byDomain,
    byNameKey,
    byAcronym,
    byTrigram,
    trigramCounts,
    wordCounts,
    scratch,
  };
}

/** Below this trigram overlap (Dice) a name is too far to be a typo of the query. */
const MIN_TRIGRAM_DICE = 0.2;

function fuzzyPositions(index: MatchIndex, compact: string, limit: number): number[] {
  // Trigrams shared by a large part of the book ("sys", "ems" of every "… Systems") cost the most
  // and tell names apart the least; pg_trgm-style retrieval works on the distinctive ones.
  const grams = trigramsOf(compact);
  const common = Math.max(1000, Math.floor(index.candidates.length / 20));
  const postingLength = (g: string) => index.byTrigram.get(g)?.length ?? 0;
  const distinctive = grams.filter((g) => postingLength(g) <= common);
  const probe =
    distinctive.length >= Math.min(3, grams.length)
      ? distinctive
      : [...grams].sort((a, b) => postingLength(a) - postingLength(b)).slice(0, 3);
  // Typed counters and a touched list: common trigrams hit tens of thousands of names at 100k.
  const shared = index.scratch;
  const touched: number[] = [];
  for (const g of probe) {
    const list = index.byTrigram.get(g);
    if (list === undefined) continue;
    for (let k = 0; k < list.length; k += 1) {
      const position = list[k] ?? 0;
      if (shared[position] === 0) touched.push(position);
      shared[position] = (shared[position] ?? 0) + 1;
    }
  }
  // Keep the best `limit` by Dice in a small sorted buffer instead of sorting every hit.
  const best: { position: number; dice: number }[] = [];
  for (const position of touched) {
    const dice = (2 * (shared[position] ?? 0)) / (grams.length + (index.trigramCounts[position] ?? 0));
    if (dice < MIN_TRIGRAM_DICE) continue;
    const worst = best[best.length - 1];
    if (best.length >= limit && worst !== undefined && dice <= worst.dice) continue;
    let at = best.length;
    while (at > 0 && (best[at - 1]?.dice ?? 0) < dice) at -= 1;
    best.splice(at, 0, { position, dice });
    if (best.length > limit) best.pop();
  }
  for (const position of touched) shared[position] = 0;
  return best.map((b) => b.position);
}

/** The candidates worth ranking for a query: exact key hits plus the nearest names by trigrams. */
export function retrieveCandidates(
  index: MatchIndex,
  query: LookupQuery,
  limit = FUZZY_CANDIDATE_LIMIT,
): MatchCandidate[] {
  const positions = new Set<number>();
  const add = (list: readonly number[] | undefined) => {
    for (const p of list ?? []) positions.add(p);
  };
  switch (query.kind) {
    case "crm_id":
      add(index.byCrmId.get(query.crmId.toLowerCase()));
      break;
    case "domain": {
      add(index.byDomain.get(query.domain));
      const label = (domainLabel(query.domain) ?? "").replace(/-/g, "");
      add(index.byNameKey.get(label));
      // Only when the domain itself is unknown: a misspelt domain may still name a company.
      if (!index.byDomain.has(query.domain) && label.length >= 4) {
        for (const p of fuzzyPositions(index, label, limit)) positions.add(p);
      }
      break;
    }
    case "name": {
      const compact = compactKey(query.normalized);
      add(index.byNameKey.get(compact));
      add(index.byNameKey.get(coreKey(query.normalized)));
      add(index.byNameKey.get(withoutWebSuffix(compact) ?? ""));
      add(index.byAcronym.get(compact));
      for (const p of fuzzyPositions(index, compact, limit)) positions.add(p);
      break;
    }
    case "free_mail":
    case "empty":
      break;
  }
  const out: MatchCandidate[] = [];
  for (const p of positions) {
    const c = index.candidates[p];
    if (c !== undefined) out.push(c);
  }
  return out;
}

export function matchInMemory(
  query: LookupQuery,
  index: MatchIndex,
  options: RankOptions = DEFAULT_RANK_OPTIONS,
): MatchResult {
  return rankCandidates(query, retrieveCandidates(index, query), options, rarityOf(index, query));
}

/** What this book says about the query's words (see WordRarity). */
function rarityOf(index: MatchIndex, query: LookupQuery): WordRarity {
  if (query.kind !== "name") return NO_RARITY;
  const common = commonWordThreshold(index.candidates.length);
  return {
    commonWords: new Set(query.tokens.filter((t) => (index.wordCounts.get(t) ?? 0) > common)),
    knownWords: new Set(query.tokens.filter((t) => index.wordCounts.has(t))),
  };
}
