// `turf import <kind> <file.csv>`: one CSV kind at a time, all-or-nothing.
import { createReadStream, existsSync } from "node:fs";
import { Argument } from "commander";
import { IMPORT_KINDS, type ImportKind } from "../services/import/row-schemas.ts";
import { act, type CommandModule } from "./context.ts";

export const importModule: CommandModule = {
  register(program, context) {
    program
      .command("import")
      .description(`import a CSV file (${IMPORT_KINDS.join(", ")}); all-or-nothing, re-import is safe`)
      .addArgument(new Argument("<kind>", "what the file holds").choices(IMPORT_KINDS))
      .argument("<file>", "the CSV file")
      .action(
        act(context, async (kind: ImportKind, file: string) => {
          if (!existsSync(file)) {
            context.err(`No such file: ${file}`);
            return 2;
          }
          const { importCsv } = await import("../services/import/import-csv.ts");
          const db = await context.database();
          const progress = context.progress(kind);
          const result = await importCsv(db.prisma, kind, createReadStream(file), {
            now: context.now,
            actor: context.actor,
            onProgress: ({ done, total }) => {
              if (total >= 1000) progress.update(done, total);
            },
          });
          progress.stop();
          if (!result.ok) {
            context.err(
              `Nothing was imported: ${result.errors.length} problem(s) in ${file}. Fix them and run the import again.`,
            );
            for (const e of result.errors.slice(0, 50)) context.err(`  line ${e.line}: ${e.message}`);
            if (result.errors.length > 50) context.err(`  … and ${result.errors.length - 50} more`);
            return 1;
          }
          const s = result.summary;
          context.out(
            `Imported ${s.rows} ${s.kind}: ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged.`,
          );
          return 0;
        }),
      );
  },
};
