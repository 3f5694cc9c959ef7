// "Who owns this?": parse what the rep typed, propose close spellings from this instance's in-memory
// index, fetch the exact-key hits and those proposals from the database in one statement, let the
// pure ranker decide (or ask with choices when no candidate is clearly ahead), and load the answer.

import { closeNameCandidates, findCandidateAccounts } from "../../db/account-search.ts";
import { type Db, rawDriverOf } from "../../db/client.ts";
import { loadOwnerSnapshot, type OwnerCard } from "../../db/owner-card.ts";
import { parseLookupQuery } from "../../domain/matching/query.ts";
import {
  DEFAULT_RANK_OPTIONS,
  type MatchResult,
  rankCandidates,
  type ScoredCandidate,
} from "../../domain/matching/rank.ts";
import { fuzzyCandidates } from "../../domain/matching/search-index.ts";
import { currentRuleBook, RULE_BOOK_VERSION_SQL } from "./rule-set-cache.ts";
import { currentSearchIndex, searchIndexIsCurrent, searchIndexLog } from "./search-index-cache.ts";

export type LookupAnswer =
  | { status: "found"; query: string; card: OwnerCard }
  | { status: "choose"; query: string; candidates: ScoredCandidate[] }
  | { status: "not_found"; query: string; reason: "empty" | "free_mail" | "no_candidate" };

export async function matchAccount(db: Db, rawQuery: string): Promise<MatchResult> {
  const query = parseLookupQuery(rawQuery);
  if (query.kind === "empty" || query.kind === "free_mail") return rankCandidates(query, []);
  const { index } = await currentSearchIndex(db);
  const fuzzy = fuzzyCandidates(index, query);
  const found = await findCandidateAccounts(db, query, fuzzy.ids);
  const rarity = { commonWords: new Set(fuzzy.commonWords), knownWords: new Set(fuzzy.knownWords) };
  const ranked = rankCandidates(query, found.candidates, DEFAULT_RANK_OPTIONS, rarity);
  if (searchIndexIsCurrent(db, found.version) || ranked.status === "match" || found.exactNameHit) {
    return ranked;
  }
  // Account names changed since this instance built its index (a rebuild is under way): a name
  // written a moment ago may be missing from it, so this once the trigram index adds its proposals.
  const close = await closeNameCandidates(db, query);
  return rankCandidates(query, [...found.candidates, ...close], DEFAULT_RANK_OPTIONS, rarity);
}

export async function lookupOwner(
  db: Db,
  rawQuery: string,
  context: { slackUserId: string | null; now: Date },
): Promise<LookupAnswer> {
  const query = rawQuery.trim();
  const match = await matchAccount(db, query);
  let answer: LookupAnswer;
  if (match.status === "match") {
    const card = await loadExplainedCard(db, match.best.accountId);
    answer = card ? { status: "found", query, card } : { status: "not_found", query, reason: "no_candidate" };
  } else if (match.status === "ambiguous") {
    answer = { status: "choose", query, candidates: match.candidates };
  } else {
    answer = { status: "not_found", query, reason: match.reason };
  }
  if (context.slackUserId && query.length > 0) {
    // Recent lookups are a convenience for App Home: on PostgreSQL written after the answer, never
    // delaying it, a failure logged rather than failing the lookup. Embedded there is one connection,
    // so a write left running would only interleave with the next request's statements: awaited.
    const write = db.lookup
      .create({
        data: {
          slackUserId: context.slackUserId,
          query: query.slice(0, 500),
          accountId: answer.status === "found" ? answer.card.account.id : null,
          at: context.now,
        },
      })
      .catch((error: unknown) => searchIndexLog().error({ err: error }, "recording a recent lookup failed"));
    if (rawDriverOf(db)?.kind !== "postgres") await write;
  }
  return answer;
}

/** The rep picked one of the offered choices: answer for exactly that account. */
export async function lookupOwnerByAccountId(db: Db, accountId: string): Promise<OwnerCard | null> {
  return loadExplainedCard(db, accountId);
}

/**
 * The owner card, with the rule that decides it. An ownership row written by a rule names it; an
 * owner of record from the CRM is explained by the rule that agrees with it today, if one does.
 */
async function loadExplainedCard(db: Db, accountId: string): Promise<OwnerCard | null> {
  // The rule book's version rides along in the card's statement: one round trip for the answer.
  const snapshot = await loadOwnerSnapshot(db, accountId, RULE_BOOK_VERSION_SQL);
  if (!snapshot || snapshot.card.rule) return snapshot?.card ?? null;
  const { card, situation } = snapshot;
  const book = await currentRuleBook(db, snapshot.ruleBookVersion ?? undefined);
  const verdict = book.compiled.evaluate(
    situation.facts,
    situation.currentOwnerRepId,
    situation.parentOwnerRepId,
  );
  if (verdict.rule && (verdict.owner?.repId ?? null) === (card.owner?.id ?? null)) {
    card.rule = { id: verdict.rule.id, kind: verdict.rule.kind, text: verdict.rule.text };
  }
  return card;
}

export async function recentLookups(db: Db, slackUserId: string, limit = 5) {
  return db.lookup.findMany({ where: { slackUserId }, orderBy: { at: "desc" }, take: limit });
}
