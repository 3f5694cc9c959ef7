// `turf import <kind> <file.csv>`: one CSV kind at a time, all-or-nothing, with a real dry run.
import { createReadStream, statSync } from "node:fs";
import { Argument } from "commander";
import { IMPORT_KINDS, type ImportKind } from "../services/import/row-schemas.ts";
import { act, type CommandModule } from "./context.ts";
import { importSignalFile } from "./signals.ts";

const SHOWN = 10;

async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return lines;
}

async function* mapRows<T>(items: AsyncIterable<T>, row: (item: T) => unknown[]): AsyncGenerator<unknown[]> {
  for await (const item of items) yield row(item);
}

type ImportFlags = { dryRun?: boolean; out?: string; disagreements?: string };

export const importModule: CommandModule = {
  register(program, context) {
    program
      .command("import")
      .description(
        `import a CSV file (${[...IMPORT_KINDS, "signals"].join(", ")}); all-or-nothing, re-import is safe`,
      )
      .addArgument(new Argument("<kind>", "what the file holds").choices([...IMPORT_KINDS, "signals"]))
      .argument("<file>", "the CSV file (UTF-8)")
      .option("--dry-run", "show what would change and write nothing")
      .option(
        "--out <changes.csv>",
        "write every row that changes (line, key, action, columns) to a CSV file",
      )
      .option("--disagreements <file.csv>", "accounts: write every row whose CRM owner Turf disagrees with")
      .action(
        act(context, async (kind: ImportKind | "signals", file: string, flags: ImportFlags) => {
          const found = statSync(file, { throwIfNoEntry: false });
          if (!found) {
            context.err(`No such file: ${file}`);
            return 2;
          }
          if (found.isDirectory()) {
            context.err(`${file} is a folder: give the path of the CSV file itself.`);
            return 2;
          }
          // Signals are events, not book rows: their own importer (src/services/signals/import-signals.ts).
          if (kind === "signals") return importSignalFile(context, file, flags.dryRun === true);
          const { importCsv } = await import("../services/import/import-csv.ts");
          const { writeCsvFile } = await import("../services/export/csv-file.ts");
          const db = await context.database({ importing: true });
          const progress = context.progress(kind);
          // The importer knows how many rows it has written, not how many the file holds: its lines
          // (less the header) are the bar's total, close enough (a quoted cell may span lines).
          const expected = (await countLines(file)) - 1;
          // --out and --disagreements are written as the import streams them, however long they are.
          let changesWritten = 0;
          let disagreementsWritten = 0;
          const result = await importCsv(db.prisma, kind, createReadStream(file), {
            now: context.now,
            actor: context.actor,
            dryRun: flags.dryRun === true,
            onProgress: ({ phase, done, total }) => {
              if (phase === "indexing") {
                // Every row is written; without a word the bar would sit at 100 % while they build.
                if (done === 0) {
                  progress.stop();
                  context.err(`Every row is written; building ${total} indexes of the book again…`);
                }
                return;
              }
              const of = total > 0 ? total : Math.max(expected, done);
              if (phase === "writing" && of >= 1000) progress.update(done, of);
            },
            writeChanges: flags.out
              ? async (changes) => {
                  changesWritten = await writeCsvFile(
                    flags.out as string,
                    ["line", "key", "action", "columns"],
                    mapRows(changes, (c) => [c.line, c.key, c.action, c.columns.join(";")]),
                  );
                }
              : undefined,
            writeDisagreements: flags.disagreements
              ? async (disagreements) => {
                  disagreementsWritten = await writeCsvFile(
                    flags.disagreements as string,
                    ["line", "crm_id", "account", "crm_owner_email", "turf_owner_email", "because"],
                    mapRows(disagreements, (d) => [
                      d.line,
                      d.crmId,
                      d.account,
                      d.crmOwner,
                      d.turfOwner,
                      d.because,
                    ]),
                  );
                }
              : undefined,
          });
          progress.stop();
          if (!result.ok) {
            context.err(
              `Nothing was imported: ${result.errors.length} problem(s) in ${file}. Fix them and run the import again.`,
            );
            for (const e of result.errors.slice(0, 50))
              context.err(e.line > 0 ? `  line ${e.line}: ${e.message}` : `  ${e.message}`);
            if (result.errors.length > 50) context.err(`  … and ${result.errors.length - 50} more`);
            return 1;
          }
          const s = result.summary;
          const changed = s.created + s.updated;
          context.out(
            `${s.dryRun ? "Dry run, nothing written: would import" : "Imported"} ${s.rows} ${s.kind}: ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged.`,
          );
          for (const c of s.changes.slice(0, SHOWN))
            context.out(
              `  line ${c.line}: ${c.action} ${c.key}${c.columns.length ? ` (${c.columns.join(", ")})` : ""}`,
            );
          if (changed > SHOWN) context.out(`  … and ${changed - SHOWN} more`);
          if (s.disagreementCount > 0) {
            context.out(
              `${s.disagreementCount} account(s) where the CRM's owner differs from Turf's; Turf's owner stands:`,
            );
            for (const d of s.disagreements.slice(0, SHOWN))
              context.out(
                `  line ${d.line}: ${d.account} (${d.crmId}): CRM says ${d.crmOwner}, Turf says ${d.turfOwner ?? "nobody"} because ${d.because}`,
              );
            if (s.disagreementCount > SHOWN) context.out(`  … and ${s.disagreementCount - SHOWN} more`);
          }
          if (flags.out) context.err(`Wrote ${changesWritten} change(s) to ${flags.out}.`);
          if (flags.disagreements)
            context.err(`Wrote ${disagreementsWritten} disagreement(s) to ${flags.disagreements}.`);
          return 0;
        }),
      );
  },
};
