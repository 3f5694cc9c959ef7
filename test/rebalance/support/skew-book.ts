// Makes the sample book lopsided enough that a rebalance needs several pages of moves: many NA SMB
// accounts (eligible for NA Commercial, i.e. Alex and Riley) all owned by Alex, none locked.
import type { Db } from "../../../src/db/client.ts";

export async function skewBook(db: Db, count: number, now: Date): Promise<void> {
  const alex = await db.rep.findUniqueOrThrow({ where: { email: "alex@turf-demo.example" } });
  const rows = Array.from({ length: count }, (_, i) => {
    const n = String(i).padStart(4, "0");
    return {
      crmId: `00SKEW00000000${n}`,
      name: `Skewfield Retail ${n}`,
      normalizedName: `skewfield retail ${n}`,
      compactName: `skewfieldretail${n}`,
      coreName: `skewfield retail ${n}`,
      country: "US",
      region: "NA",
      industry: "Retail",
      employees: 80,
      sizeBand: "SMB" as const,
      icpFit: 3,
      lastActivityAt: now,
    };
  });
  await db.account.createMany({ data: rows });
  const created = await db.account.findMany({
    where: { crmId: { startsWith: "00SKEW" } },
    select: { id: true },
  });
  await db.ownership.createMany({
    data: created.map((a) => ({
      accountId: a.id,
      repId: alex.id,
      cause: "import" as const,
      effectiveFrom: now,
    })),
  });
}
