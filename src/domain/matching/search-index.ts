// The fuzzy half of candidate retrieval, held in memory: the book's name words in a trie (forwards and
// backwards) and its domain labels in another, with, for each term, the accounts that have it. Exact
// keys stay in the database's B-tree indexes; this answers only "which accounts have a word within one
// or two edits of what was typed", from a bounded trie walk instead of a trigram scan. It holds ids,
// not accounts: the database returns the candidates' rows (and so never a deleted one).
import { compactKey, domainLabel, INDUSTRY_WORDS } from "./normalize.ts";
import type { LookupQuery } from "./query.ts";
import { allowedEdits } from "./rank.ts";
import {
  type BackwardTrie,
  type TermHit,
  type TermTrie,
  TermTrieBuilder,
  termId,
  termsWithin,
} from "./term-trie.ts";

/** A trie of terms and, for term t, the accounts having it: postings[start[t] .. start[t + 1]). */
export type TermPostings = {
  readonly trie: TermTrie;
  readonly start: Int32Array;
  readonly postings: Int32Array;
};

export type SearchIndex = {
  readonly accountIds: readonly string[];
  /** Name words. Typed with up to two edits, so they also have a backward trie (see termsWithin). */
  readonly words: TermPostings;
  readonly backward: BackwardTrie;
  /**
   * Domain labels ("quoloprianalytics"), kept apart: they are as many as the names and twice as long,
   * and only ever looked for within one edit (a domain, or a name typed without its spaces).
   */
  readonly labels: TermPostings;
  /** A word in more names than this says what a company does, not which one it is ("analytics"). */
  readonly commonAbove: number;
  /** The term ids of the book's INDUSTRY_WORDS: common whatever their count. */
  readonly industryTerms: ReadonlySet<number>;
};

/** One account as the index sees it: its normalized name and its domain labels. */
export type SearchEntry = { id: string; normalizedName: string; labels: readonly string[] };

/**
 * The book as the index is built from it, one column per field (a million accounts are three arrays,
 * not a million objects): account i has normalized name names[i] and the space-separated domain
 * labels labels[i].
 */
export type SearchColumns = { ids: string[]; names: string[]; labels: string[] };

/** Above how many names, in a book of this size, a word says what a company does, not which one. */
export function commonWordThreshold(accounts: number): number {
  return Math.max(50, Math.floor(accounts / 1000));
}

/** How many accounts fuzzy retrieval hands on; the ranker then scores them. */
export const FUZZY_CANDIDATE_LIMIT = 20;

export function searchColumns(entries: readonly SearchEntry[]): SearchColumns {
  return {
    ids: entries.map((e) => e.id),
    names: entries.map((e) => e.normalizedName),
    labels: entries.map((e) => e.labels.join(" ")),
  };
}

export function buildSearchIndex(entries: readonly SearchEntry[] | SearchColumns): SearchIndex {
  const columns = "ids" in entries ? entries : searchColumns(entries);
  const words = indexTerms(columns.names, true);
  return {
    accountIds: columns.ids,
    words: words.terms,
    backward: words.backward as BackwardTrie,
    labels: indexTerms(columns.labels, false).terms,
    commonAbove: commonWordThreshold(columns.ids.length),
    industryTerms: new Set(
      [...INDUSTRY_WORDS].map((w) => termId(words.terms.trie, w)).filter((id) => id >= 0),
    ),
  };
}

function growInt32(array: Int32Array<ArrayBuffer>, at: number): Int32Array<ArrayBuffer> {
  if (at < array.length) return array;
  const next = new Int32Array(array.length * 2);
  next.set(array);
  return next;
}

/**
 * The trie of the space-separated terms in `texts`, and which text (account) has each; the backward
 * trie too if asked. Terms are read in place and their (term, account) pairs kept in typed arrays:
 * no string or object per term or account.
 */
function indexTerms(
  texts: readonly string[],
  withBackward: boolean,
): { terms: TermPostings; backward: BackwardTrie | null } {
  let letters = 0;
  for (const text of texts) letters += text.length;
  const forward = new TermTrieBuilder(letters);
  const backward = withBackward ? new TermTrieBuilder(letters) : null;
  let forwardId = new Int32Array(1024);
  let termIds = new Int32Array(1024);
  let owners = new Int32Array(1024);
  let pairs = 0;
  for (let account = 0; account < texts.length; account++) {
    const text = texts[account] as string;
    const first = pairs;
    for (let from = 0; from < text.length; ) {
      let to = text.indexOf(" ", from);
      if (to === -1) to = text.length;
      if (to > from) {
        const known = forward.termCount;
        const id = forward.add(text, from, to);
        if (backward && id === known) {
          const b = backward.add(text, from, to, true);
          forwardId = growInt32(forwardId, b);
          forwardId[b] = id;
        }
        let repeated = false;
        for (let k = first; k < pairs; k++) if (termIds[k] === id) repeated = true;
        if (!repeated) {
          termIds = growInt32(termIds, pairs);
          owners = growInt32(owners, pairs);
          termIds[pairs] = id;
          owners[pairs] = account;
          pairs++;
        }
      }
      from = to + 1;
    }
  }
  // Two passes (count, then fill) so postings are two typed arrays instead of a million small lists;
  // each term's accounts come out in ascending order, as the pairs are in account order.
  const count = forward.termCount;
  const start = new Int32Array(count + 1);
  for (let k = 0; k < pairs; k++) {
    const t = termIds[k] as number;
    start[t + 1] = (start[t + 1] as number) + 1;
  }
  for (let i = 1; i <= count; i++) start[i] = (start[i] as number) + (start[i - 1] as number);
  const fill = start.slice(0, count);
  const postings = new Int32Array(pairs);
  for (let k = 0; k < pairs; k++) {
    const t = termIds[k] as number;
    postings[fill[t] as number] = owners[k] as number;
    fill[t] = (fill[t] as number) + 1;
  }
  return {
    terms: { trie: forward.build(), start, postings },
    backward: backward ? { trie: backward.build(), forwardId: forwardId.slice(0, backward.termCount) } : null,
  };
}

function frequency(terms: TermPostings, term: number): number {
  return (terms.start[term + 1] as number) - (terms.start[term] as number);
}

/** Whether the account at `position` has the term: a binary search of its (ascending) postings. */
function hasAccount(terms: TermPostings, term: number, position: number): boolean {
  let lo = terms.start[term] as number;
  let hi = (terms.start[term + 1] as number) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = terms.postings[mid] as number;
    if (at === position) return true;
    if (at < position) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function accountsWith(terms: TermPostings, term: number): Int32Array {
  return terms.postings.subarray(terms.start[term] as number, terms.start[term + 1] as number);
}

/**
 * Edits the ranker forgives in a word of this length, looking one letter ahead: a 7-letter query word
 * may be an 8-letter word missing a letter, which the ranker judges by the longer one.
 */
function retrievalEdits(length: number): number {
  return allowedEdits(length + 1);
}

/** `industry`: the word is, or is taken for, one of INDUSTRY_WORDS (common however few names have it). */
type TokenHits = { token: string; hits: TermHit[]; frequency: number; industry: boolean; known: boolean };

export type FuzzyCandidates = {
  /** Account ids worth ranking, most promising first. */
  ids: string[];
  /** Query words found only in many names (the ranker's WordRarity). */
  commonWords: string[];
  /** Query words that are, exactly, words of some name in the book. */
  knownWords: string[];
};

/** The query word's close spellings among the name words, and how many names have one of them. */
function tokenHits(index: SearchIndex, token: string): TokenHits {
  const industry = (term: number) => index.industryTerms.has(term);
  const common = (term: number) => industry(term) || frequency(index.words, term) > index.commonAbove;
  const count = (hits: readonly TermHit[]) =>
    hits.reduce((sum, h) => sum + frequency(index.words, h.term), 0);
  // A word typed exactly that is already common ("analytics") is common whatever its neighbours:
  // skip the walk, the costliest part of a lookup for a short word.
  const exact = termsWithin(index.words.trie, token, 0);
  const known = exact[0] !== undefined;
  if (INDUSTRY_WORDS.has(token) || (exact[0] && common(exact[0].term))) {
    return { token, hits: exact, frequency: count(exact), industry: INDUSTRY_WORDS.has(token), known };
  }
  let hits = termsWithin(index.words.trie, token, retrievalEdits(token.length), index.backward);
  // A rare word typed exactly means itself (or a rare neighbour), not the industry word one letter
  // away: "Tata" is not "Data", and must not be drowned by it into a common word. A mistyped word
  // with a common neighbour is taken for that common word.
  if (known) hits = hits.filter((h) => !common(h.term));
  return { token, hits, frequency: count(hits), industry: hits.some((h) => industry(h.term)), known };
}

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
  if (query.kind === "domain") {
    return { ids: labelCandidates(index, query.domain, limit), commonWords: [], knownWords: [] };
  }
  if (query.kind !== "name") return { ids: [], commonWords: [], knownWords: [] };
  const tokens = [...new Set(query.tokens)];
  const found = tokens.map((token) => tokenHits(index, token));
  const isCommon = (f: TokenHits) => f.industry || f.frequency > index.commonAbove;
  const common = found.filter(isCommon);
  const distinctive = found.filter((f) => f.hits.length > 0 && !isCommon(f));
  const scores = new Map<number, number>();
  const add = (position: number, weight: number) =>
    scores.set(position, (scores.get(position) ?? 0) + weight);
  for (const f of distinctive) {
    for (const h of f.hits) {
      // Fewer edits first; every distinctive word a name shares adds to its rank.
      for (const p of accountsWith(index.words, h.term)) add(p, 4 - h.edits);
    }
  }
  if (distinctive.length === 0 && found.every((f) => f.hits.length > 0) && found.length > 1) {
    // Only common words ("Northern Logistics"): the names that have all of them, rarest word first.
    const [rarest, ...rest] = [...found].sort((a, b) => a.frequency - b.frequency);
    const hasAll = (p: number) => rest.every((f) => f.hits.some((h) => hasAccount(index.words, h.term, p)));
    for (const h of rarest?.hits ?? []) {
      for (const p of accountsWith(index.words, h.term)) if (hasAll(p)) add(p, 4 - h.edits);
    }
  }
  // A common word cannot bring a name in, but among the names brought in it tells "Alderbank Labs"
  // from the forty other "Alderbank …" for "Alderbnak Labs".
  if (common.length > 0 && distinctive.length > 0) {
    for (const [p, score] of scores) {
      let bonus = 0;
      for (const f of common) if (f.hits.some((h) => hasAccount(index.words, h.term, p))) bonus++;
      if (bonus > 0) scores.set(p, score + bonus);
    }
  }
  // A query typed without its spaces ("quolopranalytics") is label-shaped; one typed with spaces may
  // be a one-word name ("wal mart").
  const compact = compactKey(query.normalized);
  for (const p of labelPositions(index, compact, tokens.length > 1)) add(p, 4);
  return {
    ids: best(index, scores, limit),
    // As this book counts them: an industry word in few names still vouches for a slip (rank.ts).
    commonWords: found.filter((f) => f.frequency > index.commonAbove).map((f) => f.token),
    knownWords: found.filter((f) => f.known).map((f) => f.token),
  };
}

function best(index: SearchIndex, scores: Map<number, number>, limit: number): string[] {
  return [...scores]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, limit)
    .map(([p]) => index.accountIds[p] as string);
}

/** Accounts with a label (and, if asked, a one-word name) within one edit of `label`. */
function labelPositions(index: SearchIndex, label: string, andWords: boolean): number[] {
  if (label.length < 4) return [];
  const out: number[] = [];
  const collect = (terms: TermPostings, hits: readonly TermHit[]) => {
    for (const h of hits) {
      if (frequency(terms, h.term) > index.commonAbove) continue;
      if (terms === index.words && index.industryTerms.has(h.term)) continue;
      for (const p of accountsWith(terms, h.term)) out.push(p);
    }
  };
  collect(index.labels, termsWithin(index.labels.trie, label, 1));
  if (andWords) collect(index.words, termsWithin(index.words.trie, label, 1, index.backward));
  return out;
}

function labelCandidates(index: SearchIndex, domain: string, limit: number): string[] {
  const label = (domainLabel(domain) ?? "").replace(/-/g, "");
  const scores = new Map<number, number>();
  for (const p of labelPositions(index, label, true)) scores.set(p, 1);
  return best(index, scores, limit);
}
