// `turf export <what>`: ownership, owner changes since a date (the file for the CRM's owner field),
// audit, disputes, the newest rebalance, territory health; CSV or JSON, streamed.

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { Argument, Option } from "commander";
import { EXPORT_KINDS, type ExportKind } from "../services/export/kinds.ts";
import { parseIsoDate } from "../services/import/row-schemas.ts";
import { act, type CommandModule } from "./context.ts";

type ExportFlags = { since?: string; format: "csv" | "json"; out?: string; teamQuota?: string };

export const exportModule: CommandModule = {
  register(program, context) {
    program
      .command("export")
      .description("export data as CSV or JSON (columns documented in the README)")
      .addArgument(new Argument("<what>", "what to export").choices(EXPORT_KINDS))
      .option("--since <date>", "changes, audit: only from this date (2026-10-01); required for changes")
      .addOption(new Option("--format <format>", "output format").choices(["csv", "json"]).default("csv"))
      .option("--out <file>", "write to this file instead of stdout")
      .option("--team-quota <amount>", "health: the team's quota, for coverage")
      .action(
        act(context, async (what: ExportKind, flags: ExportFlags) => {
          let since: Date | null = null;
          if (flags.since !== undefined) {
            since = parseIsoDate(flags.since);
            if (!since) {
              context.err(`--since must be a date like 2026-10-01, got "${flags.since}".`);
              return 2;
            }
          } else if (what === "changes") {
            context.err("turf export changes needs --since DATE (the last time you updated the CRM).");
            return 2;
          }
          let teamQuota: number | undefined;
          if (flags.teamQuota !== undefined) {
            teamQuota = Number(flags.teamQuota.replace(/[_,]/g, ""));
            if (!Number.isFinite(teamQuota) || teamQuota <= 0) {
              context.err(`--team-quota must be a positive amount, got "${flags.teamQuota}".`);
              return 2;
            }
          }
          const { exportStream } = await import("../services/export/exports.ts");
          const { writeRows } = await import("../services/export/csv-file.ts");
          const db = (await context.database()).prisma;
          const stream = exportStream(db, {
            kind: what,
            now: context.now,
            since,
            ...(teamQuota !== undefined ? { teamQuota } : {}),
          });
          const target = flags.out ? createWriteStream(flags.out) : process.stdout;
          const count = await writeRows(target, flags.format, stream.columns, stream.rows);
          if (flags.out) {
            target.end();
            await once(target, "finish");
            context.err(`Wrote ${count} ${what} row(s) to ${flags.out}.`);
          }
          return 0;
        }),
      );
  },
};
