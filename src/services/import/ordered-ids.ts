// Ids for the rows an import creates, growing in the order it creates them: the layout of a version 7
// UUID (RFC 9562), a millisecond timestamp, then a counter within the millisecond, then random bits.
// A random (version 4) id puts each new row's entry on a random page of its table's primary key (and
// of AccountDomain's and Ownership's keys by account): at 1M accounts those pages no longer fit in
// PGlite's shared_buffers, so each insert reads a page from disk and later writes it back. Ids that
// grow land on the keys' right-most pages, which stay in memory. Any reader of an id sees a UUID.
import { randomUUID } from "node:crypto";

const COUNTER_MAX = 0xfff;

let lastMs = 0;
let counter = 0;

/** A UUID greater than every one made before it in this thread. */
export function orderedId(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > COUNTER_MAX) {
    // More than 4,096 ids in one millisecond: borrow the next one, so the order holds.
    lastMs++;
    counter = 0;
  }
  const time = lastMs.toString(16).padStart(12, "0");
  // The random UUID's last two groups keep their variant bits, and its randomness.
  return `${time.slice(0, 8)}-${time.slice(8)}-7${counter.toString(16).padStart(3, "0")}-${randomUUID().slice(19)}`;
}
