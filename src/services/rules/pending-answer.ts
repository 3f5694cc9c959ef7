// The pending move on an account, in the words every answer uses: "moves to Olga Strand on
// 1 Jan 2027 — named account list", with the date as a day in the company's time zone.
import type { Db } from "../../db/client.ts";
import { pendingMoveFor, pendingMovesForRep } from "../../db/pending-changes.ts";
import { describePendingMove } from "../../domain/rules/effective-dates.ts";

export type PendingNotice = {
  /** "moves to Olga Strand on 1 Jan 2027 — named account list" */
  sentence: string;
  effectiveAt: Date;
  toRepName: string | null;
  deferral: string;
};

export async function pendingNoticeFor(
  db: Db,
  accountId: string,
  timeZone: string,
): Promise<PendingNotice | null> {
  const move = await pendingMoveFor(db, accountId);
  if (move === null) return null;
  return {
    sentence: describePendingMove(move, timeZone),
    effectiveAt: move.effectiveAt,
    toRepName: move.toRepName,
    deferral: move.deferral,
  };
}

/** "Acme GmbH moves to Olga Strand on 1 Jan 2027 — named account list", for a rep's App Home. */
export async function pendingNoticesForRep(db: Db, repId: string, timeZone: string): Promise<string[]> {
  const moves = await pendingMovesForRep(db, repId);
  return moves.map((m) => `${m.accountName} ${describePendingMove(m, timeZone)}`);
}
