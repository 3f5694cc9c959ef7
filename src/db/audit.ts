// Audit events are append-only: every routing decision, rule change, dispute step, import and
// rebalance publication writes one, inside the same transaction as the change it describes.
import type { Tx } from "./client.ts";

export type AuditInput = {
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  ruleId?: string | null;
  details?: Record<string, unknown>;
  at: Date;
};

export async function recordAudit(tx: Tx, event: AuditInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actor: event.actor,
      action: event.action,
      subjectType: event.subjectType,
      subjectId: event.subjectId,
      ruleId: event.ruleId ?? null,
      details: (event.details ?? {}) as object,
      at: event.at,
    },
  });
}
