// Who owns every account right now, by CRM id, so a command can report exactly which owners a run
// changed (before/after), dry or real.
import type { Db } from "./client.ts";

export type OwnerOfRecord = {
  crmId: string;
  name: string;
  repEmail: string | null;
  ruleId: string | null;
  note: string | null;
};

export async function ownerSnapshot(db: Db): Promise<Map<string, OwnerOfRecord>> {
  const rows = await db.$queryRawUnsafe<(OwnerOfRecord & { accountId: string })[]>(
    `SELECT a.id AS "accountId", a."crmId", a.name, r.email AS "repEmail", o."ruleId", o.note
     FROM "Account" a
     LEFT JOIN "Ownership" o ON o."accountId" = a.id AND o."effectiveTo" IS NULL
     LEFT JOIN "Rep" r ON r.id = o."repId"`,
  );
  return new Map(rows.map(({ accountId, ...o }) => [accountId, o]));
}

export type OwnerChange = {
  crmId: string;
  account: string;
  fromEmail: string | null;
  toEmail: string | null;
  ruleId: string | null;
  reason: string | null;
};

export function ownerChanges(
  before: Map<string, OwnerOfRecord>,
  after: Map<string, OwnerOfRecord>,
): OwnerChange[] {
  const out: OwnerChange[] = [];
  for (const [id, now] of after) {
    const was = before.get(id);
    if ((was?.repEmail ?? null) === now.repEmail) continue;
    out.push({
      crmId: now.crmId,
      account: now.name,
      fromEmail: was?.repEmail ?? null,
      toEmail: now.repEmail,
      ruleId: now.ruleId,
      reason: now.note,
    });
  }
  return out.sort((a, b) => a.crmId.localeCompare(b.crmId));
}
