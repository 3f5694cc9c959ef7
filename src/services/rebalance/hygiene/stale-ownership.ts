// Stale ownership (the guide: no rep activity in 90 days → back to the pool, applied monthly).
// Once a month, on the first day in the company's time zone, accounts go back to the pool — but only
// accounts whose rep was warned for that date at least `staleWarningDays` before, so nobody loses an
// account without notice. Locked accounts (open opportunities, named) never go. Warnings and returns
// are audit events; a transaction-scoped advisory lock makes one sweep at a time write them, so
// several instances still warn and return each account once per month.
import { subDays } from "date-fns";
import { recordAudit } from "../../../db/audit.ts";
import type { Db, Tx } from "../../../db/client.ts";
import { changeOwner } from "../../../db/ownership.ts";
import { type BookAccount, loadRebalanceBook } from "../../../db/rebalance.ts";
import { isLocked } from "../draft-input.ts";
import { type RebalanceSettings, withDefaults } from "../settings.ts";
import { poolDates } from "./month.ts";

export const HYGIENE_LOCK = { stale: 7_301_001, whiteSpace: 7_301_002 } as const;

export type StaleAccount = { accountId: string; name: string; lastTouch: Date | null };
export type StaleNotice = {
  repId: string;
  repName: string;
  slackUserId: string | null;
  kind: "warning" | "returned";
  poolDate: Date;
  accounts: StaleAccount[];
};

/**
 * The later of the last recorded activity and the day the rep was handed the account: a rep who
 * just received an account is not judged on its previous owner's silence. An import only mirrors the
 * CRM, so it counts as a hand-over only when no activity was ever recorded.
 */
export function lastTouch(
  a: Pick<BookAccount, "ownedSince" | "ownedCause"> & { account: { lastActivityAt: Date | null } },
): Date | null {
  const handedOver = a.ownedCause === "import" && a.account.lastActivityAt !== null ? null : a.ownedSince;
  const times = [a.account.lastActivityAt, handedOver].filter((d): d is Date => d !== null);
  return times.length === 0 ? null : new Date(Math.max(...times.map((d) => d.getTime())));
}

export function isStaleAt(a: BookAccount, at: Date, staleAfterDays: number): boolean {
  if (a.currentOwnerRepId === null || isLocked(a)) return false;
  const touched = lastTouch(a);
  return touched === null || touched.getTime() < subDays(at, staleAfterDays).getTime();
}

export async function sweepStaleOwnership(
  db: Db,
  input: {
    now: Date;
    settings?: Partial<RebalanceSettings>;
    /** Writes the notices' messages (the outbox) in the same transaction as the audit rows. */
    notify?: (tx: Tx, notices: StaleNotice[]) => Promise<unknown>;
  },
): Promise<StaleNotice[]> {
  const settings = withDefaults(input.settings);
  const { current, next } = poolDates(input.now, settings.calendar.timeZone ?? "UTC");
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${HYGIENE_LOCK.stale})`;
      const book = await loadRebalanceBook(tx);
      const repOf = new Map(book.reps.map((r) => [r.id, r]));
      const notices = new Map<string, StaleNotice>();
      const add = (repId: string, kind: StaleNotice["kind"], poolDate: Date, account: StaleAccount) => {
        const key = `${kind}:${repId}`;
        let n = notices.get(key);
        if (!n) {
          const rep = repOf.get(repId);
          n = {
            repId,
            repName: rep?.name ?? repId,
            slackUserId: rep?.slackUserId ?? null,
            kind,
            poolDate,
            accounts: [],
          };
          notices.set(key, n);
        }
        n.accounts.push(account);
      };

      // Returns due this month: warned for this pool date, still with that rep, still stale, unlocked.
      const warned = await auditedFor(tx, "hygiene.stale_warning", current.label);
      const returned = new Set(
        (await auditedFor(tx, "hygiene.stale_returned", current.label)).map((e) => e.subjectId),
      );
      const byId = new Map(book.accounts.map((a) => [a.account.id, a]));
      for (const w of warned) {
        if (returned.has(w.subjectId)) continue;
        const a = byId.get(w.subjectId);
        const repId = (w.details as { repId?: string }).repId;
        if (
          !a ||
          !repId ||
          a.currentOwnerRepId !== repId ||
          !isStaleAt(a, current.at, settings.staleAfterDays)
        )
          continue;
        await changeOwner(tx, {
          accountId: a.account.id,
          repId: null,
          ruleId: null,
          cause: "stale",
          causeRef: `stale:${current.label}`,
          note: `No activity in ${settings.staleAfterDays} days; back to the pool`,
          at: input.now,
        });
        await recordAudit(tx, {
          actor: "system",
          action: "hygiene.stale_returned",
          subjectType: "account",
          subjectId: a.account.id,
          details: { cycle: current.label, repId, lastTouch: lastTouch(a)?.toISOString() ?? null },
          at: input.now,
        });
        add(repId, "returned", current.at, {
          accountId: a.account.id,
          name: a.account.name,
          lastTouch: lastTouch(a),
        });
        a.currentOwnerRepId = null;
      }

      // Warnings for next month's return, sent once the warning window has opened.
      if (input.now.getTime() >= subDays(next.at, settings.staleWarningDays).getTime()) {
        const already = new Set(
          (await auditedFor(tx, "hygiene.stale_warning", next.label)).map((e) => e.subjectId),
        );
        for (const a of book.accounts) {
          const repId = a.currentOwnerRepId;
          if (repId === null || already.has(a.account.id) || !isStaleAt(a, next.at, settings.staleAfterDays))
            continue;
          await recordAudit(tx, {
            actor: "system",
            action: "hygiene.stale_warning",
            subjectType: "account",
            subjectId: a.account.id,
            details: {
              cycle: next.label,
              repId,
              poolDate: next.at.toISOString(),
              lastTouch: lastTouch(a)?.toISOString() ?? null,
            },
            at: input.now,
          });
          add(repId, "warning", next.at, {
            accountId: a.account.id,
            name: a.account.name,
            lastTouch: lastTouch(a),
          });
        }
      }
      const sorted = [...notices.values()].sort(
        (x, y) => x.repName.localeCompare(y.repName) || x.kind.localeCompare(y.kind),
      );
      await input.notify?.(tx, sorted);
      return sorted;
    },
    { timeout: 120_000 },
  );
}

export async function auditedFor(tx: Tx, action: string, cycle: string) {
  return tx.auditEvent.findMany({
    where: { action, details: { path: ["cycle"], equals: cycle } },
    select: { subjectId: true, details: true },
  });
}
