// Ids for the rows an import or a re-evaluation creates in bulk, growing in the order it creates
// them: version 7 UUIDs (RFC 9562; a millisecond timestamp, then a counter within the millisecond,
// then random bits), made by the uuid package's v7(). A random (version 4) id puts each new row's
// entry on a random page of its table's primary key (and of AccountDomain's and Ownership's keys by
// account): at 1M accounts those pages no longer fit in PGlite's shared_buffers, so each insert reads
// a page from disk and later writes it back. Ids that grow land on the keys' right-most pages, which
// stay in memory. Any reader of an id sees a UUID.
import { randomFillSync } from "node:crypto";
import { v7 } from "uuid";

// v7() on its own asks the system for 16 random bytes per id, about 5 µs each: some 9 s of CPU in an
// import of a million accounts with their owners. Here the bytes come from a pool filled 256 ids at a
// time, so v7() is given its millisecond and counter, kept the way it keeps them itself: a new
// millisecond starts the counter at 31 random bits, a repeat adds one, and a counter that wraps moves
// on to the next millisecond.
const POOL = new Uint8Array(16 * 256);
let used = POOL.length;
let msecs = Number.NEGATIVE_INFINITY;
let seq = 0;

/** A UUID greater than every one made before it in this thread. */
export function orderedId(): string {
  if (used === POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
  const random = POOL.subarray(used, used + 16);
  used += 16;
  const now = Date.now();
  if (now > msecs) {
    msecs = now;
    seq =
      (((random[6] as number) & 0x7f) << 24) |
      ((random[7] as number) << 16) |
      ((random[8] as number) << 8) |
      (random[9] as number);
  } else {
    seq = (seq + 1) | 0;
    if (seq === 0) msecs++;
  }
  return v7({ random, msecs, seq });
}
