// On or after its date, a pending ownership change is applied exactly once: the claim and the
// ownership write share one transaction, so a crash leaves it pending and a second sweep or
// instance finds nothing to claim. Opportunities are not touched: the original rep stays credited
// for in-flight deals through closure (Opportunity.ownerRepId), as the guide's named-account rule says.
import { recordAudit } from "../../db/audit.ts";
import type { Db } from "../../db/client.ts";
import { changeOwner } from "../../db/ownership.ts";
import { claimDuePendingChanges, markClaimedCancelled } from "../../db/pending-changes.ts";

export type PendingApplyReport = { applied: number; cancelled: number };

const BATCH = 200;

export async function applyDuePendingChanges(
  db: Db,
  input: { now: Date; actor?: string },
): Promise<PendingApplyReport> {
  const actor = input.actor ?? "system";
  const report: PendingApplyReport = { applied: 0, cancelled: 0 };
  for (;;) {
    const claimed = await db.$transaction(
      async (tx) => {
        const due = await claimDuePendingChanges(tx, input.now, BATCH);
        for (const change of due) {
          const current = await tx.ownership.findFirst({
            where: { accountId: change.accountId, effectiveTo: null },
            select: { repId: true },
          });
          const owner = current?.repId ?? null;
          if (owner !== change.fromRepId) {
            // Someone else (a dispute, a rebalance, RevOps) moved it meanwhile: their decision stands.
            await markClaimedCancelled(tx, change.id, "the owner changed before the date", input.now);
            report.cancelled++;
            continue;
          }
          // History reads from the scheduled date, not from whenever the sweep ran.
          await changeOwner(tx, {
            accountId: change.accountId,
            repId: change.toRepId,
            ruleId: change.ruleId,
            cause: "rule",
            causeRef: change.id,
            note: change.note,
            at: change.effectiveAt,
          });
          await recordAudit(tx, {
            actor,
            action: "ownership.assigned",
            subjectType: "account",
            subjectId: change.accountId,
            ruleId: change.ruleId,
            details: {
              repId: change.toRepId,
              fromRepId: change.fromRepId,
              pendingChangeId: change.id,
              deferral: change.deferral,
              reason: change.note,
            },
            at: input.now,
          });
          report.applied++;
        }
        return due.length;
      },
      { timeout: 60_000 },
    );
    if (claimed < BATCH) return report;
  }
}
