// `turf signal add | import | queue`: buying signals from the command line — one by hand, a CSV
// file, and the RevOps queue of signals Turf could not place without a person.
import { createReadStream, existsSync } from "node:fs";
import { Option } from "commander";
import { SIGNAL_TYPES } from "../domain/signals/signal.ts";
import { act, type CliContext, type CommandModule } from "./context.ts";

export const signalsModule: CommandModule = {
  register(program, context) {
    const signal = program
      .command("signal")
      .description("buying signals: add one, import a file, see the RevOps queue");

    signal
      .command("add")
      .description("record one signal and route it to its rep (prints where it went)")
      .requiredOption("--account <account>", "CRM id, domain, e-mail, URL or name")
      .addOption(new Option("--type <type>", "kind of signal").choices(SIGNAL_TYPES).makeOptionMandatory())
      .option("--strength <1-5>", "1 weak … 5 strong", "3")
      .option("--source <source>", "where it came from", "cli")
      .option("--product-line <line>", "product line, for a second motion")
      .option("--occurred-at <iso>", "when it happened (ISO 8601; default now)")
      .option("--id <key>", "idempotency key (default: a new one)")
      .option("--detail <text>", "what happened, in a sentence")
      .option("--urgent", "deliver even in the rep's night")
      .action(
        act(context, async (options: Record<string, string | boolean | undefined>) => {
          const { ZSignalInput, signalProblems } = await import("../domain/signals/signal.ts");
          const parsed = ZSignalInput.safeParse({
            id: options.id ?? `cli-${context.now.getTime()}-${Math.random().toString(36).slice(2, 8)}`,
            account: options.account,
            type: options.type,
            strength: options.strength,
            occurred_at: options.occurredAt ?? context.now.toISOString(),
            source: options.source,
            product_line: options.productLine,
            urgent: options.urgent === true,
            detail: options.detail,
          });
          if (!parsed.success) {
            for (const p of signalProblems(parsed.error))
              context.err(`--${p.replace(/^(\w+)/, (f) => f.replace(/_/g, "-"))}`);
            return 2;
          }
          const { ingestSignal } = await import("../services/signals/ingest-signal.ts");
          const { signalSettingsFromEnv } = await import("../services/signals/settings.ts");
          const db = await context.database();
          const result = await ingestSignal(db.prisma, parsed.data, {
            now: context.now,
            settings: signalSettingsFromEnv(context.env),
          });
          if (!result.ok) {
            context.err(result.userMessage);
            return 1;
          }
          context.out(`${result.status}\t${result.signalId}\t${result.reason}`);
          return 0;
        }),
      );

    signal
      .command("import")
      .description(
        "import signals from a CSV file (checked whole first: nothing is stored if a row is wrong)",
      )
      .argument(
        "<file>",
        `CSV with columns id, account, type, strength, occurred_at, source[, product_line, urgent, detail]`,
      )
      .option("--dry-run", "check the file and match every account; store nothing")
      .action(
        act(context, (file: string, options: { dryRun?: boolean }) =>
          importSignalFile(context, file, options.dryRun === true),
        ),
      );

    signal
      .command("queue")
      .description("signals waiting for RevOps (no sure account match, or nobody to route to), as CSV")
      .action(
        act(context, async () => {
          const { queuedSignals } = await import("../db/signals.ts");
          const db = await context.database();
          context.out("received_at,id,account,type,source,reason");
          for (const s of await queuedSignals(db.prisma, 1000)) {
            const cells = [
              s.receivedAt.toISOString(),
              s.idempotencyKey,
              s.accountQuery,
              s.type,
              s.source,
              s.reason ?? "",
            ];
            context.out(cells.map(csvCell).join(","));
          }
          return 0;
        }),
      );
  },
};

function csvCell(value: string): string {
  // Spreadsheets run a cell that starts with = + - @ as a formula.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** `turf signal import FILE` and `turf import signals FILE`: the file checked whole, then stored. */
export async function importSignalFile(context: CliContext, file: string, dryRun: boolean): Promise<number> {
  if (!existsSync(file)) {
    context.err(`No such file: ${file}`);
    return 2;
  }
  const { importSignals } = await import("../services/signals/import-signals.ts");
  const { signalSettingsFromEnv } = await import("../services/signals/settings.ts");
  const db = await context.database();
  const result = await importSignals(db.prisma, createReadStream(file), {
    now: context.now,
    settings: signalSettingsFromEnv(context.env),
    dryRun,
  });
  if (!result.ok) {
    context.err(`Nothing was imported: ${result.problems.length} problem(s) in ${file}.`);
    for (const p of result.problems.slice(0, 50)) context.err(`  line ${p.line}: ${p.message}`);
    return 1;
  }
  context.out(
    dryRun
      ? `${result.rows} signals would be imported (dry run: nothing stored).`
      : `Imported ${result.rows} signals: ${result.routed} routed, ${result.recorded} recorded only, ${result.queued} queued for RevOps, ${result.duplicate} already received.`,
  );
  return 0;
}
