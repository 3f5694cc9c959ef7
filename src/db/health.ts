// The database half of readiness: does a query come back within a short time, and are all the
// migrations this build ships applied? A slow or unreachable database must make /readyz answer
// "not ready" quickly, not hang the load balancer's probe.
import type { Db } from "./client.ts";

export type DatabaseHealth =
  | { reachable: true; pendingMigrations: string[] }
  | { reachable: false; problem: string };

class ProbeTimeout extends Error {}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export async function databaseHealth(
  db: Db,
  expectedMigrations: readonly string[],
  options: { timeoutMs: number },
): Promise<DatabaseHealth> {
  try {
    await withTimeout(db.$queryRaw`SELECT 1`, options.timeoutMs);
  } catch (error) {
    // The cause, never the driver's message: it can carry the connection string.
    return { reachable: false, problem: error instanceof ProbeTimeout ? error.message : "query failed" };
  }
  const rows = await withTimeout(
    db.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM "_prisma_migrations"
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    options.timeoutMs,
  ).catch(() => [] as { migration_name: string }[]); // no history table yet: nothing applied
  const applied = new Set(rows.map((row) => row.migration_name));
  return { reachable: true, pendingMigrations: expectedMigrations.filter((name) => !applied.has(name)) };
}
