// `turf signal import FILE.csv`: a file of signals, checked whole before any is stored — every row
// valid and every account found, else nothing is stored and each problem is named with its line.
import type { Readable } from "node:stream";
import { parse } from "csv-parse";
import type { Db } from "../../db/client.ts";
import { type SignalInput, signalProblems, ZSignalInput } from "../../domain/signals/index.ts";
import { matchAccount } from "../ownership/lookup-owner.ts";
import { ingestSignal } from "./ingest-signal.ts";
import type { SignalSettings } from "./settings.ts";

export const SIGNAL_COLUMNS = [
  "id",
  "account",
  "type",
  "strength",
  "occurred_at",
  "source",
  "product_line",
  "urgent",
  "detail",
] as const;
const REQUIRED = ["id", "account", "type", "strength", "occurred_at", "source"];

export type SignalImportResult =
  | { ok: true; rows: number; routed: number; recorded: number; queued: number; duplicate: number }
  | { ok: false; problems: { line: number; message: string }[] };

export async function importSignals(
  db: Db,
  input: Readable | string,
  context: { now: Date; settings: SignalSettings; dryRun?: boolean },
): Promise<SignalImportResult> {
  const problems: { line: number; message: string }[] = [];
  const rows: { line: number; signal: SignalInput }[] = [];
  let header: string[] = [];
  const parser = parse({
    bom: true,
    columns: (names: string[]) => {
      header = names.map((h) => h.trim().toLowerCase());
      return header;
    },
    skip_empty_lines: true,
    trim: true,
    info: true,
  });
  try {
    const reading = (async () => {
      for await (const item of parser as AsyncIterable<{
        record: Record<string, string>;
        info: { lines: number };
      }>) {
        if (rows.length === 0 && problems.length === 0) {
          const unknown = header.filter((h) => !(SIGNAL_COLUMNS as readonly string[]).includes(h));
          const missing = REQUIRED.filter((c) => !header.includes(c));
          if (unknown.length > 0 || missing.length > 0) {
            if (unknown.length > 0)
              problems.push({
                line: 1,
                message: `unknown column(s) ${unknown.join(", ")}; the columns are ${SIGNAL_COLUMNS.join(", ")}`,
              });
            if (missing.length > 0)
              problems.push({ line: 1, message: `missing column(s) ${missing.join(", ")}` });
            return;
          }
        }
        const r = item.record;
        const candidate = {
          id: r.id,
          account: r.account,
          type: r.type,
          strength: r.strength,
          occurred_at: r.occurred_at,
          source: r.source,
          product_line: r.product_line || undefined,
          urgent: r.urgent ? r.urgent.toLowerCase() === "true" : undefined,
          detail: r.detail || undefined,
        };
        const parsed = ZSignalInput.safeParse(candidate);
        if (!parsed.success) {
          for (const message of signalProblems(parsed.error))
            problems.push({ line: item.info.lines, message });
        } else rows.push({ line: item.info.lines, signal: parsed.data });
      }
    })();
    for await (const chunk of typeof input === "string" ? [input] : input) parser.write(chunk);
    parser.end();
    await reading;
  } catch (error) {
    const e = error as { lines?: number; message: string };
    return {
      ok: false,
      problems: [{ line: e.lines ?? 0, message: `the file is not valid CSV: ${e.message}` }],
    };
  }
  // Accounts are matched before anything is stored, so an unknown one stops the whole file.
  for (const row of rows) {
    const match = await matchAccount(db, row.signal.account);
    if (match.status === "none")
      problems.push({ line: row.line, message: `no account matches "${row.signal.account}"` });
  }
  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
  const result = { ok: true as const, rows: rows.length, routed: 0, recorded: 0, queued: 0, duplicate: 0 };
  if (context.dryRun) return result;
  for (const row of rows) {
    const outcome = await ingestSignal(db, row.signal, { now: context.now, settings: context.settings });
    if (outcome.ok) result[outcome.status]++;
  }
  return result;
}
