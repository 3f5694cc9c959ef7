// `turf arbiters list|set`: who hears disputes for each team and territory, and their backup.
import { parseArgs } from "node:util";
import { listArbiters, setArbiter } from "../services/disputes/arbiters.ts";
import type { CliCommand, CliContext } from "./commands.ts";

export const ARBITERS_USAGE = [
  "Usage: turf arbiters list",
  "       turf arbiters set (--team NAME | --territory NAME) --arbiter EMAIL [--backup EMAIL]",
  "",
  "Disputes go to the disputed account's territory arbiter, else the claimant's team arbiter, else the",
  "head of RevOps (TURF_HEAD_OF_REVOPS_EMAIL). A scope without a backup is backed up by the head of",
  "RevOps; the head of RevOps' backup is TURF_HEAD_OF_REVOPS_BACKUP_EMAIL. `turf import arbiters` sets many.",
].join("\n");

const config = (context: CliContext) => ({
  headOfRevOpsEmail: context.env.TURF_HEAD_OF_REVOPS_EMAIL,
  headOfRevOpsBackupEmail: context.env.TURF_HEAD_OF_REVOPS_BACKUP_EMAIL,
});

async function list(context: CliContext): Promise<number> {
  const lines = await listArbiters(context.db.prisma, config(context));
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
  context.out(
    [
      line(headers),
      widths.map((w) => "-".repeat(w)).join("  "),
      ...rows.map(line),
      "",
      "Routing: territory → team → head of RevOps; a scope without a backup is backed up by the head of RevOps.",
    ].join("\n"),
  );
  return 0;
}

async function set(args: string[], context: CliContext): Promise<number> {
  let values: { team?: string; territory?: string; arbiter?: string; backup?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        team: { type: "string" },
        territory: { type: "string" },
        arbiter: { type: "string" },
        backup: { type: "string" },
      },
      strict: true,
    }));
  } catch (error) {
    context.err(`${(error as Error).message}\n${ARBITERS_USAGE}`);
    return 2;
  }
  if ((values.team === undefined) === (values.territory === undefined) || !values.arbiter) {
    context.err(`Name exactly one of --team or --territory, and --arbiter.\n${ARBITERS_USAGE}`);
    return 2;
  }
  const scope =
    values.team !== undefined
      ? { kind: "team" as const, name: values.team }
      : { kind: "territory" as const, name: values.territory ?? "" };
  const result = await setArbiter(
    context.db.prisma,
    { scope, arbiterEmail: values.arbiter, backupEmail: values.backup ?? null },
    { now: context.now, actor: `cli:${process.env.USER ?? "admin"}` },
  );
  if (!result.ok) {
    context.err(`Nothing changed: ${result.message}.`);
    return 1;
  }
  const what = `${scope.kind} ${scope.name}`;
  context.out(
    result.changed
      ? `Disputes for ${what} now go to ${values.arbiter}; backup: ${values.backup ?? "the head of RevOps"}.`
      : `${what} already had that arbiter and backup; nothing changed.`,
  );
  return 0;
}

export async function runArbiters(args: string[], context: CliContext): Promise<number> {
  const [verb, ...rest] = args;
  if (verb === "list") return list(context);
  if (verb === "set") return set(rest, context);
  context.err(ARBITERS_USAGE);
  return 2;
}

export const arbitersCommand: CliCommand = {
  name: "arbiters",
  usage: "arbiters list | set …",
  summary: "who hears disputes per team and territory, and their backup",
  run: runArbiters,
};
