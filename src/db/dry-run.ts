// Runs a use case inside one transaction that is rolled back (a dry run) or committed. The use case
// gets a client whose own $transaction joins the outer one, so services that open transactions run
// unchanged and a dry run computes exactly what the real run would write, then writes nothing.
import type { Db, Tx } from "./client.ts";

class Rollback<T> extends Error {
  constructor(readonly value: T) {
    super("dry run: rolled back");
  }
}

const LONG = { timeout: 60 * 60_000, maxWait: 60_000 };

/** A Db view of a transaction: `$transaction(fn)` runs fn on the same transaction. */
export function joined(tx: Tx): Db {
  return new Proxy(tx, {
    get(target, prop) {
      if (prop === "$transaction")
        return (fn: unknown) => {
          if (typeof fn !== "function") throw new Error("only interactive transactions join a dry run");
          return fn(target);
        };
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as unknown as Db;
}

export async function inTransaction<T>(
  db: Db,
  run: (db: Db) => Promise<T>,
  options: { dryRun: boolean },
): Promise<T> {
  try {
    return await db.$transaction(async (tx) => {
      const value = await run(joined(tx));
      if (options.dryRun) throw new Rollback(value);
      return value;
    }, LONG);
  } catch (error) {
    if (error instanceof Rollback) return error.value as T;
    throw error;
  }
}
