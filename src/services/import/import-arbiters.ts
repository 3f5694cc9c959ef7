// `turf import arbiters arbiters.csv`: arbiter and backup per team or territory, by e-mail. Like
// every import it is all-or-nothing: every row is resolved first (reps and territories must exist),
// any problem aborts with its line, and re-importing the same file changes nothing.
import { recordAudit } from "../../db/audit.ts";
import type { Db } from "../../db/client.ts";
import {
  type ResolvedArbiter as Resolved,
  resolveArbiterSetting,
  writeArbiterSettings,
} from "../disputes/arbiters.ts";
import type { RowError } from "./csv-reader.ts";
import type { ArbiterRow } from "./row-schemas.ts";

// Structural copies of import-csv's types (importing them would make a module cycle).
type Parsed<T> = { line: number; row: T };
type ImportOptions = { now: Date; actor: string };
type ImportResult =
  | {
      ok: true;
      summary: { kind: "arbiters"; rows: number; created: number; updated: number; unchanged: number };
    }
  | { ok: false; errors: RowError[] };

export async function importArbiters(
  db: Db,
  rows: Parsed<ArbiterRow>[],
  options: ImportOptions,
): Promise<ImportResult> {
  const errors: RowError[] = [];
  const resolved: Resolved[] = [];
  for (const { line, row } of rows) {
    const scope =
      row.team !== null
        ? { kind: "team" as const, name: row.team }
        : { kind: "territory" as const, name: row.territory ?? "" };
    const r = await resolveArbiterSetting(db, {
      scope,
      arbiterEmail: row.arbiter_email,
      backupEmail: row.backup_arbiter_email,
    });
    if (r.ok) resolved.push(r.value);
    else errors.push({ line, message: r.message });
  }
  if (errors.length > 0) return { ok: false, errors };
  return db.$transaction(async (tx) => {
    const changed = await writeArbiterSettings(tx, resolved, { now: options.now, actor: options.actor });
    const summary = {
      kind: "arbiters" as const,
      rows: rows.length,
      created: 0,
      updated: changed,
      unchanged: rows.length - changed,
    };
    await recordAudit(tx, {
      actor: options.actor,
      action: "import.arbiters",
      subjectType: "import",
      subjectId: "arbiters",
      details: summary,
      at: options.now,
    });
    return { ok: true as const, summary };
  });
}
