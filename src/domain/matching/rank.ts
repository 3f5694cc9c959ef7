// Ranks the candidates a lookup retrieved. A wrong owner is worse than a question: "match" is
// answered only when one candidate is clearly ahead; otherwise the rep picks from buttons.

import damerauLevenshtein from "damerau-levenshtein";
import { distance } from "fastest-levenshtein";
import {
  compactKey,
  companyNameWords,
  coreKey,
  domainLabel,
  FILLER_WORDS,
  splitWeakTail,
  WEAK_TRAILING_WORDS,
  webNameKey,
} from "./normalize.ts";
import type { LookupQuery } from "./query.ts";
import { fingerSlips } from "./slips.ts";

export type MatchCandidate = {
  accountId: string;
  name: string;
  normalizedName: string;
  domains: string[];
  acronym: string | null;
  crmId: string;
  parentName?: string | null;
};

export type MatchReason =
  | "crm_id"
  | "domain"
  | "domain_label"
  | "exact_name"
  | "core_name"
  | "acronym"
  | "close_spelling"
  | "name_prefix"
  | "similar_name";

export type ScoredCandidate = MatchCandidate & { score: number; reason: MatchReason };

export type NoMatchReason = "empty" | "free_mail" | "no_candidate";

export type MatchResult =
  | { status: "match"; best: ScoredCandidate; runnersUp: ScoredCandidate[] }
  | { status: "ambiguous"; candidates: ScoredCandidate[] }
  | { status: "none"; reason: NoMatchReason };

export type RankOptions = {
  /** The best candidate must score at least this to be answered without asking. */
  matchThreshold: number;
  /** …and lead the runner-up by at least this much. */
  margin: number;
  /** Candidates below this are not worth offering as a choice. */
  askThreshold: number;
  /** How many choices an ambiguous answer offers (buttons). */
  maxChoices: number;
};

/**
 * What the book says about the query's words. Common words are in so many names that they say what
 * a company does, not which one it is ("Analytics" in a book of a hundred thousand): typed exactly,
 * such a word does not vouch for a name the way a rare one does. Known words are words of some name
 * in the book: a rep who typed one meant it, so it is no garbled spelling of another word.
 */
export type WordRarity = { commonWords: ReadonlySet<string>; knownWords: ReadonlySet<string> };

export const NO_RARITY: WordRarity = { commonWords: new Set(), knownWords: new Set() };

export const DEFAULT_RANK_OPTIONS: RankOptions = {
  matchThreshold: 0.88,
  margin: 0.04,
  askThreshold: 0.6,
  maxChoices: 5,
};

// Scores by signal. Exact keys sit above the match threshold, a close spelling just above it
// (so two close spellings tie and we ask), and loose similarity below it (ask, never answer).
const SCORE = {
  exact: 1,
  crmIdCaseInsensitive: 0.99,
  core: 0.96,
  acronymAndDomainLabel: 0.99,
  acronym: 0.95,
  domainLabel: 0.94,
  domainLabelFromQueryDomain: 0.9,
  closeSpellingOneEdit: 0.93,
  closeSpellingTwoEdits: 0.91,
  prefix: 0.75,
  similarCeiling: 0.85,
} as const;

/** Typos we forgive grow with length: none in a 3-letter name, one up to 7 letters, then two. */
export function allowedEdits(length: number): number {
  if (length < 4) return 0;
  if (length < 8) return 1;
  return 2;
}

/** Damerau–Levenshtein steps (a transposition counts once), or null when beyond `allowed`. */
function editsWithin(a: string, b: string, allowed: number): number | null {
  if (allowed === 0 || Math.abs(a.length - b.length) > allowed) return null;
  // The library stops early past four steps and then reports an understated count.
  const { steps } = damerauLevenshtein(a, b);
  return steps <= allowed && steps <= 4 ? steps : null;
}

function levenshteinRatio(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 0 : 1 - distance(a, b) / longest;
}

/** Share of `from`'s letters that sit in words found (exactly or with a typo) in `to`. */
function wordCoverage(from: readonly string[], to: readonly string[]): number {
  let covered = 0;
  let total = 0;
  for (const word of from) {
    total += word.length;
    const found = to.some(
      (other) => other === word || editsWithin(word, other, allowedEdits(word.length)) !== null,
    );
    if (found) covered += word.length;
  }
  return total === 0 ? 0 : covered / total;
}

// Candidates from an in-memory index are ranked again and again; derive their keys once.
type CandidateKeys = { labels: string[]; words: string[]; web: string | null };
const keyCache = new WeakMap<MatchCandidate, CandidateKeys>();

function keysOf(candidate: MatchCandidate): CandidateKeys {
  const cached = keyCache.get(candidate);
  if (cached !== undefined) return cached;
  const keys = {
    labels: candidate.domains
      .map((d) => (domainLabel(d) ?? "").replace(/-/g, ""))
      .filter((l) => l.length > 0),
    words: companyNameWords(candidate.name),
    web: webNameKey(candidate.name),
  };
  keyCache.set(candidate, keys);
  return keys;
}

const labelsOf = (candidate: MatchCandidate): string[] => keysOf(candidate).labels;

type Scored = { score: number; reason: MatchReason } | null;

function scoreCrmId(crmId: string, candidate: MatchCandidate): Scored {
  if (candidate.crmId === crmId) return { score: SCORE.exact, reason: "crm_id" };
  // 15-character Salesforce ids are case-sensitive: "a" and "A" are different records.
  if (crmId.length !== 15 && candidate.crmId.toLowerCase() === crmId.toLowerCase()) {
    return { score: SCORE.crmIdCaseInsensitive, reason: "crm_id" };
  }
  return null;
}

/**
 * How far one typed word may be from the word of a name it stands for. "plain": the typo any name
 * forgives. The others are forgiven only when another word of the name vouches for them (see
 * typoEdits). "slips": in a word of six letters or more, a second edit when both are slips of the
 * fingers ("Tlwkom" for Telekom, not "Cypress" for Express; see fingerSlips). "dropped": in a word of
 * two or three letters, one left out ("Re Hat"), never one changed (a changed letter makes another
 * acronym: "BEA" is not "BAE"). A filler ("and", "the") carries no identity, so a typo in one is plain.
 */
function wordSlip(typed: string, meant: string): "same" | "plain" | "slips" | "dropped" | null {
  if (typed === meant) return "same";
  if (FILLER_WORDS.has(meant)) return editsWithin(typed, meant, 1) === null ? null : "plain";
  const longest = Math.max(typed.length, meant.length);
  const plain = allowedEdits(longest);
  if (editsWithin(typed, meant, plain) !== null) return "plain";
  if (longest >= 6 && plain < 2) return fingerSlips(typed, meant, 2) === null ? null : "slips";
  const dropsOneLetter = typed.length === meant.length - 1 && fingerSlips(typed, meant, 1) !== null;
  return plain === 0 && dropsOneLetter ? "dropped" : null;
}

/** A word that tells this company from others: not a filler, a corporate shape or an industry word. */
function identifies(word: string, rarity: WordRarity): boolean {
  return !FILLER_WORDS.has(word) && !WEAK_TRAILING_WORDS.has(word) && !rarity.commonWords.has(word);
}

/**
 * Edits between two spellings when they are a plausible typo of each other, else null. Word by
 * word when both have the same number of words, so a changed word ("Deutsche Bahn" against
 * "Deutsche Bank") is not forgiven as a typo; a query whose spaces moved gets at most one edit.
 * More than a plain typo (see wordSlip) needs another word of the name typed exactly that identifies
 * it ("Mayo Xlnic" is Mayo Clinic, but "SK Group" is not "SKF Group"), and two slips never make a word
 * the book has ("Allied Materials" is not Applied Materials when Allied Telesis is a customer).
 */
function typoEdits(
  queryWords: readonly string[],
  candidateWords: readonly string[],
  rarity: WordRarity,
): number | null {
  const a = queryWords.join("");
  const b = candidateWords.join("");
  const sameShape = queryWords.length === candidateWords.length;
  const allowed = allowedEdits(Math.min(a.length, b.length));
  const total = editsWithin(a, b, sameShape ? allowed : Math.min(allowed, 1));
  if (total === null || !sameShape) return total;
  let needsVouching = false;
  let vouched = false;
  for (const [i, word] of queryWords.entries()) {
    const slip = wordSlip(word, candidateWords[i] ?? "");
    // Two slips rarely garble a long word into another word of the book; one that does was meant.
    // (A two-letter word is in some name by chance: "Re" of Munich Re tells nothing about "Re Hat".)
    if (slip === null || (slip === "slips" && rarity.knownWords.has(word))) return null;
    if (slip === "slips" || slip === "dropped") needsVouching = true;
    if (slip === "same" && identifies(word, rarity)) vouched = true;
  }
  return needsVouching && !vouched ? null : total;
}

function closeSpelling(edits: number | null): Scored {
  if (edits === null || edits === 0) return null;
  return {
    score: edits === 1 ? SCORE.closeSpellingOneEdit : SCORE.closeSpellingTwoEdits,
    reason: "close_spelling",
  };
}

function scoreDomain(domain: string, candidate: MatchCandidate): Scored {
  if (candidate.domains.includes(domain)) return { score: SCORE.exact, reason: "domain" };
  // walmart.ca for an account that only lists walmart.com: the label is the whole name.
  const label = (domainLabel(domain) ?? "").replace(/-/g, "");
  if (label.length < 4) return null;
  const compact = compactKey(candidate.normalizedName);
  const core = coreKey(candidate.normalizedName);
  if (label === compact || label === core || labelsOf(candidate).includes(label)) {
    return { score: SCORE.domainLabelFromQueryDomain, reason: "domain_label" };
  }
  // "amazonn.com" typed for Amazon; a domain has no word breaks, so one edit at most.
  return (
    closeSpelling(typoEdits([label], [compact], NO_RARITY)) ??
    closeSpelling(typoEdits([label], [core], NO_RARITY))
  );
}

function scoreName(
  query: { normalized: string; tokens: string[]; words: string[] },
  candidate: MatchCandidate,
  rarity: WordRarity,
): Scored {
  const queryCompact = compactKey(query.normalized);
  const candidateCompact = compactKey(candidate.normalizedName);
  if (queryCompact.length === 0) return null;
  const keys = keysOf(candidate);
  // "JDcom" for JD.com: the name as written, only its dot left out.
  if (queryCompact === candidateCompact || queryCompact === keys.web) {
    return { score: SCORE.exact, reason: "exact_name" };
  }

  // A rep may leave out "Group" or "Holdings", but a query that adds one names something else:
  // "Heineken Holding" is not Heineken N.V.
  const queryParts = splitWeakTail(query.normalized);
  const candidateParts = splitWeakTail(candidate.normalizedName);
  const omitsOnly = queryParts.weak.every((w) => candidateParts.weak.includes(w));
  if (omitsOnly && queryParts.core.join("") === candidateParts.core.join("")) {
    return { score: SCORE.core, reason: "core_name" };
  }

  if (query.tokens.length === 1 && queryCompact.length >= 2) {
    const acronym = candidate.acronym === queryCompact;
    // Short domains are usually the company's own acronym (ey.com, bcg.com, ge.com).
    const label = keys.labels.includes(queryCompact);
    if (acronym && label) return { score: SCORE.acronymAndDomainLabel, reason: "acronym" };
    if (acronym) return { score: SCORE.acronym, reason: "acronym" };
    if (label) return { score: SCORE.domainLabel, reason: "domain_label" };
  }

  const candidateWords = candidate.normalizedName.split(" ");
  const edits = [
    typoEdits(query.tokens, candidateWords, rarity),
    // Fillers kept on both sides, so "Dickinson snd" meets "Dickinson and".
    typoEdits(query.words, keys.words, rarity),
    omitsOnly ? typoEdits(queryParts.core, candidateParts.core, rarity) : null,
    keys.web === null ? null : typoEdits([queryCompact], [keys.web], rarity),
  ].filter((e): e is number => e !== null);
  const typo = closeSpelling(edits.length > 0 ? Math.min(...edits) : null);
  if (typo !== null) return typo;

  const candidateTokens = candidateWords;
  const isPrefix =
    query.tokens.length < candidateTokens.length && query.tokens.every((t, i) => candidateTokens[i] === t);
  const similarity = Math.max(
    levenshteinRatio(query.normalized, candidate.normalizedName),
    Math.min(wordCoverage(query.tokens, candidateTokens), wordCoverage(candidateTokens, query.tokens)),
  );
  const similar = similarity * SCORE.similarCeiling;
  if (isPrefix && SCORE.prefix >= similar) return { score: SCORE.prefix, reason: "name_prefix" };
  return { score: similar, reason: "similar_name" };
}

/** How well one candidate answers the query, or null when it does not answer it at all. */
export function scoreCandidate(
  query: LookupQuery,
  candidate: MatchCandidate,
  rarity: WordRarity = NO_RARITY,
): Scored {
  switch (query.kind) {
    case "crm_id":
      return scoreCrmId(query.crmId, candidate);
    case "domain":
      return scoreDomain(query.domain, candidate);
    case "name":
      return scoreName(query, candidate, rarity);
    case "free_mail":
    case "empty":
      return null;
  }
}

function byScoreThenName(a: ScoredCandidate, b: ScoredCandidate): number {
  return b.score - a.score || a.name.localeCompare(b.name) || a.accountId.localeCompare(b.accountId);
}

export function rankCandidates(
  query: LookupQuery,
  candidates: readonly MatchCandidate[],
  options: RankOptions = DEFAULT_RANK_OPTIONS,
  rarity: WordRarity = NO_RARITY,
): MatchResult {
  if (query.kind === "empty") return { status: "none", reason: "empty" };
  if (query.kind === "free_mail") return { status: "none", reason: "free_mail" };

  const seen = new Set<string>();
  const scored: ScoredCandidate[] = [];
  for (const candidate of candidates) {
    if (seen.has(candidate.accountId)) continue;
    seen.add(candidate.accountId);
    const result = scoreCandidate(query, candidate, rarity);
    if (result !== null && result.score >= options.askThreshold) scored.push({ ...candidate, ...result });
  }
  scored.sort(byScoreThenName);

  const [best, second] = scored;
  if (best === undefined) return { status: "none", reason: "no_candidate" };
  // The epsilon keeps float noise (0.99 - 0.95) from turning a clear lead into a question.
  const clearlyAhead = second === undefined || best.score - second.score >= options.margin - 1e-9;
  if (best.score >= options.matchThreshold && clearlyAhead) {
    return { status: "match", best, runnersUp: scored.slice(1, options.maxChoices) };
  }
  return { status: "ambiguous", candidates: scored.slice(0, options.maxChoices) };
}
