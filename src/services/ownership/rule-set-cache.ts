// Lookups explain every answer with the rules engine, so the compiled rule set is cached per database
// and rebuilt only when rules, reps or territories change. The version check is one cheap query, so
// several instances stay consistent without any messaging between them.
import { loadReps, loadRules, loadTerritories } from "../../db/book.ts";
import type { Db, Tx } from "../../db/client.ts";
import type { Rep, Territory } from "../../domain/model.ts";
import { type CompiledRuleSet, compileRuleSet } from "../../domain/rules/engine.ts";

export type RuleBook = { compiled: CompiledRuleSet; reps: Rep[]; territories: Territory[] };

const cache = new WeakMap<object, { version: string; book: RuleBook }>();

/** A SQL expression for the rule book's version; other statements may carry it to save a round trip. */
export const RULE_BOOK_VERSION_SQL = `concat_ws('|',
      (SELECT count(*) FROM "Rule"), (SELECT count(*) FROM "Rule" WHERE active),
      (SELECT max(greatest("createdAt", coalesce("disabledAt", "createdAt"))) FROM "Rule"),
      (SELECT count(*) FROM "Rep"), (SELECT max("updatedAt") FROM "Rep"),
      (SELECT count(*) FROM "Territory"), (SELECT max("updatedAt") FROM "Territory"),
      (SELECT count(*) FROM "RepTerritory"))`;

async function bookVersion(db: Db | Tx): Promise<string> {
  const rows = await db.$queryRawUnsafe<{ v: string }[]>(`SELECT ${RULE_BOOK_VERSION_SQL} AS v`);
  return rows[0]?.v ?? "";
}

/** The compiled rule book; `knownVersion`, when a statement already read it, saves the version query. */
export async function currentRuleBook(db: Db | Tx, knownVersion?: string): Promise<RuleBook> {
  const version = knownVersion ?? (await bookVersion(db));
  const hit = cache.get(db);
  if (hit && hit.version === version) return hit.book;
  const [rules, reps, territories] = await Promise.all([loadRules(db), loadReps(db), loadTerritories(db)]);
  const book = { compiled: compileRuleSet(rules, territories, reps), reps, territories };
  cache.set(db, { version, book });
  return book;
}
