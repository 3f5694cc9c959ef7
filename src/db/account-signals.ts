// The buying signals an account received lately, for "/owner why" and `turf rules explain`: what
// arrived, when, and where Turf sent it (with the reason it gave at the time).
import type { Db } from "./client.ts";

export type AccountSignal = {
  type: string;
  strength: number;
  occurredAt: Date;
  source: string;
  detail: string | null;
  status: string;
  repName: string | null;
  reason: string | null;
};

export async function recentSignalsOfAccount(db: Db, accountId: string, limit = 5): Promise<AccountSignal[]> {
  return db.$queryRawUnsafe<AccountSignal[]>(
    `SELECT s.type, s.strength, s."occurredAt", s.source, s.detail, s.status, r.name AS "repName", s.reason
     FROM "Signal" s LEFT JOIN "Rep" r ON r.id = s."routedRepId"
     WHERE s."accountId" = $1
     ORDER BY s."occurredAt" DESC, s."receivedAt" DESC
     LIMIT $2`,
    accountId,
    limit,
  );
}
