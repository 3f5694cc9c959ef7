// Ids for the rows an import or a re-evaluation creates in bulk, growing in the order it creates them: version 7 UUIDs (RFC
// 9562; a millisecond timestamp, then a counter within the millisecond, then random bits), made by the
// uuid package, whose v7() keeps that order within a process even for thousands of ids a millisecond.
// A random (version 4) id puts each new row's entry on a random page of its table's primary key (and
// of AccountDomain's and Ownership's keys by account): at 1M accounts those pages no longer fit in
// PGlite's shared_buffers, so each insert reads a page from disk and later writes it back. Ids that
// grow land on the keys' right-most pages, which stay in memory. Any reader of an id sees a UUID.
import { v7 } from "uuid";

/** A UUID greater than every one made before it in this thread. */
export function orderedId(): string {
  return v7();
}
