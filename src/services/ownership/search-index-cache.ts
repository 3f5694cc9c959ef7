// Each instance keeps its own fuzzy-search index (src/domain/matching/search-index.ts) per database.
// The first lookup waits for it; after that, every lookup learns the database's search-index version
// from its candidate statement, and a newer version (a write to account names or domains, by this
// instance or another) starts one rebuild in the background while lookups keep using the old index.
import pino from "pino";
import { loadSearchColumns, searchIndexVersion } from "../../db/account-search.ts";
import type { Db } from "../../db/client.ts";
import { buildSearchIndex, type SearchIndex } from "../../domain/matching/search-index.ts";

type State = {
  index: SearchIndex | null;
  version: string | null;
  building: Promise<void> | null;
  lastBuild: SearchIndexBuild | null;
};

/** How long the last build took: reading the book, and building the index from it. */
export type SearchIndexBuild = { accounts: number; readMs: number; buildMs: number };

const states = new WeakMap<object, State>();

/** Where a failed background rebuild is reported; the lookup itself never sees the error. */
let log: Pick<pino.Logger, "error"> = pino({ name: "turf", base: undefined }, pino.destination(2));

export function setSearchIndexLogger(logger: Pick<pino.Logger, "error">): void {
  log = logger;
}

/** The logger for work done off a lookup's path (index rebuilds, recent-lookup writes). */
export function searchIndexLog(): Pick<pino.Logger, "error"> {
  return log;
}

function stateOf(db: Db): State {
  let state = states.get(db);
  if (!state) {
    state = { index: null, version: null, building: null, lastBuild: null };
    states.set(db, state);
  }
  return state;
}

function rebuild(db: Db, state: State): Promise<void> {
  if (state.building) return state.building;
  state.building = (async () => {
    // The version is read before the rows: a write committed in between makes the index look older
    // than it is, so it is rebuilt once more, never the other way round.
    const version = await searchIndexVersion(db);
    const started = performance.now();
    const columns = await loadSearchColumns(db);
    const read = performance.now();
    state.index = buildSearchIndex(columns);
    state.version = version;
    state.lastBuild = {
      accounts: columns.ids.length,
      readMs: read - started,
      buildMs: performance.now() - read,
    };
  })().finally(() => {
    state.building = null;
  });
  return state.building;
}

/** The index and the version it reflects, building it first if this instance has none yet. */
export async function currentSearchIndex(db: Db): Promise<{ index: SearchIndex; version: string }> {
  const state = stateOf(db);
  if (!state.index) await rebuild(db, state);
  return { index: state.index as SearchIndex, version: state.version as string };
}

/**
 * The database is at `version`: true when this instance's index reflects it; otherwise a rebuild is
 * started in the background (at most one at a time) and false is returned.
 */
export function searchIndexIsCurrent(db: Db, version: string): boolean {
  const state = stateOf(db);
  if (state.version === version) return true;
  if (!state.building) {
    rebuild(db, state).catch((error: unknown) =>
      log.error({ err: error }, "rebuilding the fuzzy-search index failed; lookups keep the previous one"),
    );
  }
  return false;
}

/** The last build's figures, for benchmarks and operators. */
export function lastSearchIndexBuild(db: Db): SearchIndexBuild | null {
  return stateOf(db).lastBuild;
}

/** Waits for a rebuild in progress, if any (tests and benchmarks that need a settled index). */
export async function settledSearchIndex(db: Db): Promise<void> {
  const state = stateOf(db);
  if (state.building) await state.building;
}
