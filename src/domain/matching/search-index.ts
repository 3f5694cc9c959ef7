// The fuzzy half of candidate retrieval, held in memory: the book's name words and domain labels in a
// trie (forwards and backwards) with, for each word, the accounts whose name has it. Exact keys stay in
// the database's B-tree indexes; this answers only "which accounts have a word within one or two
// edits of what was typed", from a bounded trie walk instead of a trigram scan. It holds ids, not
// accounts: the database returns the candidates' rows (and so never a deleted one).
import { compactKey, domainLabel } from "./normalize.ts";
import type { LookupQuery } from "./query.ts";
import { allowedEdits } from "./rank.ts";
import { buildTermTrie, reversed, type TermHit, type TermTrie, termId, termsWithin } from "./term-trie.ts";

export type SearchIndex = {
  readonly accountIds: readonly string[];
  readonly words: TermTrie;
  readonly backward: TermTrie;
  /** Accounts having word t: postings[postingStart[t] .. postingStart[t + 1]). */
  readonly postingStart: Int32Array;
  readonly postings: Int32Array;
  /** A word in more names than this says what a company does, not which one it is ("analytics"). */
  readonly commonAbove: number;
};

/** One account as the index sees it: its normalized name and its domain labels. */
export type SearchEntry = { id: string; normalizedName: string; labels: readonly string[] };

/** How many accounts fuzzy retrieval hands on; the ranker then scores them. */
export const FUZZY_CANDIDATE_LIMIT = 40;

function termsOf(entry: SearchEntry): string[] {
  const words = entry.normalizedName.split(" ").filter((w) => w.length > 0);
  return [...new Set([...words, ...entry.labels.filter((l) => l.length > 0)])];
}

export function buildSearchIndex(entries: readonly SearchEntry[]): SearchIndex {
  // Every entry's terms in one flat list (entry i owns all[entryStart[i] .. entryStart[i + 1])), so a
  // million accounts cost a few arrays rather than a million small ones.
  const all: string[] = [];
  const entryStart = new Int32Array(entries.length + 1);
  entries.forEach((e, i) => {
    for (const t of termsOf(e)) all.push(t);
    entryStart[i + 1] = all.length;
  });
  const words = buildTermTrie(all);
  const backward = buildTermTrie(words.terms.map(reversed));
  const termIds = Int32Array.from(all, (t) => termId(words, t));
  all.length = 0;
  // Two passes (count, then fill) so postings are two typed arrays instead of a million small lists.
  const postingStart = new Int32Array(words.terms.length + 1);
  for (const t of termIds) if (t >= 0) postingStart[t + 1] = (postingStart[t + 1] as number) + 1;
  for (let i = 1; i < postingStart.length; i++)
    postingStart[i] = (postingStart[i] as number) + (postingStart[i - 1] as number);
  const fill = postingStart.slice(0, words.terms.length);
  const postings = new Int32Array(postingStart[words.terms.length] as number);
  for (let position = 0; position < entries.length; position++) {
    for (let k = entryStart[position] as number; k < (entryStart[position + 1] as number); k++) {
      const t = termIds[k] as number;
      if (t < 0) continue;
      postings[fill[t] as number] = position;
      fill[t] = (fill[t] as number) + 1;
    }
  }
  return {
    accountIds: entries.map((e) => e.id),
    words,
    backward,
    postingStart,
    postings,
    commonAbove: Math.max(50, Math.floor(entries.length / 1000)),
  };
}

function frequency(index: SearchIndex, term: number): number {
  return (index.postingStart[term + 1] as number) - (index.postingStart[term] as number);
}

function accountsWith(index: SearchIndex, term: number): Int32Array {
  return index.postings.subarray(index.postingStart[term] as number, index.postingStart[term + 1] as number);
}

/**
 * Edits the ranker forgives in a word of this length, looking one letter ahead: a 7-letter query word
 * may be an 8-letter word missing a letter, which the ranker judges by the longer one.
 */
function retrievalEdits(length: number): number {
  return allowedEdits(length + 1);
}

type TokenHits = { token: string; hits: TermHit[]; frequency: number };

export type FuzzyCandidates = {
  /** Account ids worth ranking, most promising first. */
  ids: string[];
  /** Query words found only in many names: they may not, alone, make a candidate. */
  commonWords: string[];
};

/**
 * Accounts whose names have words close to the query's. Only words that tell companies apart pull in
 * candidates: "Quillmark Analytics" matches nothing when no name has a word near "quillmark", however
 * many names say "analytics".
 */
export function fuzzyCandidates(
  index: SearchIndex,
  query: LookupQuery,
  limit = FUZZY_CANDIDATE_LIMIT,
): FuzzyCandidates {
  if (query.kind === "domain") return { ids: labelCandidates(index, query.domain, limit), commonWords: [] };
  if (query.kind !== "name") return { ids: [], commonWords: [] };
  const tokens = [...new Set(query.tokens)];
  const found: TokenHits[] = tokens.map((token) => {
    const hits = termsWithin(index.words, token, retrievalEdits(token.length), index.backward);
    return { token, hits, frequency: hits.reduce((sum, h) => sum + frequency(index, h.term), 0) };
  });
  const commonWords = found.filter((f) => f.frequency > index.commonAbove).map((f) => f.token);
  const distinctive = found.filter((f) => f.hits.length > 0 && f.frequency <= index.commonAbove);
  // A query typed without its spaces ("quolopranalytics") is a label-shaped term.
  const compact = compactKey(query.normalized);
  const scores = new Map<number, number>();
  const add = (position: number, weight: number) =>
    scores.set(position, (scores.get(position) ?? 0) + weight);
  for (const f of distinctive) {
    for (const h of f.hits) {
      // Fewer edits first; every distinctive word a name shares adds to its rank.
      for (const p of accountsWith(index, h.term)) add(p, 4 - h.edits);
    }
  }
  if (distinctive.length === 0 && found.every((f) => f.hits.length > 0) && found.length > 1) {
    // Only common words ("Northern Logistics"): the names that have all of them, rarest word first.
    const [rarest, ...rest] = [...found].sort((a, b) => a.frequency - b.frequency);
    if (rarest) {
      const others = rest.map((f) => new Set(f.hits.flatMap((h) => [...accountsWith(index, h.term)])));
      for (const h of rarest.hits) {
        for (const p of accountsWith(index, h.term)) if (others.every((s) => s.has(p))) add(p, 4 - h.edits);
      }
    }
  }
  if (tokens.length > 1) for (const p of labelPositions(index, compact)) add(p, 4);
  return { ids: best(index, scores, limit), commonWords };
}

function best(index: SearchIndex, scores: Map<number, number>, limit: number): string[] {
  return [...scores]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, limit)
    .map(([p]) => index.accountIds[p] as string);
}

/** Accounts with a label (or one-word name) within one edit of a domain's label. */
function labelPositions(index: SearchIndex, label: string): number[] {
  if (label.length < 4) return [];
  const out: number[] = [];
  for (const h of termsWithin(index.words, label, 1)) {
    if (frequency(index, h.term) > index.commonAbove) continue;
    for (const p of accountsWith(index, h.term)) out.push(p);
  }
  return out;
}

function labelCandidates(index: SearchIndex, domain: string, limit: number): string[] {
  const label = (domainLabel(domain) ?? "").replace(/-/g, "");
  const scores = new Map<number, number>();
  for (const p of labelPositions(index, label)) scores.set(p, 1);
  return best(index, scores, limit);
}
