// What /readyz reports about the database: reachable within a short timeout, and every migration this
// build ships applied (an instance started from a newer image than the schema must not take traffic).

import type { Db } from "../../db/client.ts";
import { databaseHealth } from "../../db/health.ts";
import { readMigrations } from "../../db/migrate.ts";

/** One readiness condition; `detail` is shown to anyone who can reach the port, so never a secret. */
export type ReadinessCheck = { name: string; ok: boolean; detail?: string };

export function databaseReadiness(
  db: Db,
  options: { timeoutMs?: number; migrations?: readonly string[] } = {},
): () => Promise<ReadinessCheck[]> {
  const expected = options.migrations ?? readMigrations().map((m) => m.name);
  const timeoutMs = options.timeoutMs ?? 2000;
  return async () => {
    const health = await databaseHealth(db, expected, { timeoutMs });
    if (!health.reachable) {
      return [
        { name: "database", ok: false, detail: health.problem },
        { name: "migrations", ok: false, detail: "database unreachable" },
      ];
    }
    const pending = health.pendingMigrations;
    return [
      { name: "database", ok: true },
      pending.length === 0
        ? { name: "migrations", ok: true }
        : { name: "migrations", ok: false, detail: `${pending.length} not applied: ${pending.join(", ")}` },
    ];
  };
}
