// `turf arbiters list|set`: who hears disputes for each team and territory, and their backup.
import type { DisputeConfig } from "../services/disputes/route-arbiter.ts";
import { act, type CliContext, type CommandModule } from "./context.ts";

const ROUTING =
  "Routing: territory → team → head of RevOps (TURF_HEAD_OF_REVOPS_EMAIL); a scope without a backup is backed up by the head of RevOps, whose own backup is TURF_HEAD_OF_REVOPS_BACKUP_EMAIL.";

const config = (context: CliContext): DisputeConfig => ({
  headOfRevOpsEmail: context.env.TURF_HEAD_OF_REVOPS_EMAIL,
  headOfRevOpsBackupEmail: context.env.TURF_HEAD_OF_REVOPS_BACKUP_EMAIL,
});

async function runList(context: CliContext): Promise<number> {
  const { listArbiters } = await import("../services/disputes/arbiters.ts");
  const lines = await listArbiters((await context.database()).prisma, config(context));
  const person = (p: { name: string; email: string } | null) => (p ? `${p.name} <${p.email}>` : "none set");
  const rows = lines.map((l) => [
    l.scope.kind === "head_of_revops" ? "head of RevOps" : l.scope.kind,
    l.scope.name,
    person(l.arbiter),
    person(l.backup),
  ]);
  const headers = ["Scope", "Name", "Arbiter", "Backup"];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  for (const l of [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)])
    context.out(l);
  context.err(ROUTING);
  return 0;
}

type SetOptions = { team?: string; territory?: string; arbiter: string; backup?: string };

async function runSet(values: SetOptions, context: CliContext): Promise<number> {
  if ((values.team === undefined) === (values.territory === undefined)) {
    context.err("Name exactly one of --team or --territory.");
    return 2;
  }
  const { setArbiter } = await import("../services/disputes/arbiters.ts");
  const scope =
    values.team !== undefined
      ? { kind: "team" as const, name: values.team }
      : { kind: "territory" as const, name: values.territory ?? "" };
  const result = await setArbiter(
    (await context.database()).prisma,
    { scope, arbiterEmail: values.arbiter, backupEmail: values.backup ?? null },
    { now: context.now, actor: context.actor },
  );
  if (!result.ok) {
    context.err(`Nothing changed: ${result.message}.`);
    return 1;
  }
  const what = `${scope.kind} ${scope.name}`;
  context.err(
    result.changed
      ? `Disputes for ${what} now go to ${values.arbiter}; backup: ${values.backup ?? "the head of RevOps"}.`
      : `${what} already had that arbiter and backup; nothing changed.`,
  );
  return 0;
}

export const arbitersModule: CommandModule = {
  register(program, context) {
    const arbiters = program
      .command("arbiters")
      .description("who hears disputes per team and territory, and their backup");
    arbiters
      .command("list")
      .description("every scope with an arbiter, in routing order")
      .action(act(context, () => runList(context)));
    arbiters
      .command("set")
      .description("set the arbiter (and backup) for one team or territory")
      .option("--team <name>", "a team, as in reps.csv's team column")
      .option("--territory <name>", "a territory, by name")
      .requiredOption("--arbiter <email>", "the arbiter's e-mail")
      .option("--backup <email>", "the backup arbiter's e-mail (default: the head of RevOps)")
      .action(act(context, (options: SetOptions) => runSet(options, context)));
  },
};
