// `turf rebalance preview`: the same preview managers see in Slack, printed or exported.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { EXPORT_FORMATS, type ExportFormat, formatPreview } from "../services/rebalance/export-preview.ts";
import { previewRebalance, previewStructuralChange } from "../services/rebalance/preview-rebalance.ts";
import type { RebalanceSettings } from "../services/rebalance/settings.ts";
import type { CliCommand, CliContext } from "./commands.ts";

export const REBALANCE_USAGE =
  "Usage: turf rebalance preview [--quarter FY2027-Q2] [--format table|csv|markdown] [--out file] [--team-quota N] [--leaver email | --joiner email] [--force]";

export function settingsFromCli(
  context: CliContext,
  teamQuota: string | undefined,
): Partial<RebalanceSettings> | string {
  const settings: Partial<RebalanceSettings> = {
    calendar: { startMonth: context.env.TURF_FISCAL_YEAR_START_MONTH, timeZone: context.env.TURF_TIMEZONE },
    ...(context.env.TURF_TEAM_QUOTA ? { teamQuota: context.env.TURF_TEAM_QUOTA } : {}),
  };
  if (teamQuota !== undefined) {
    const n = Number(teamQuota.replace(/[_,]/g, ""));
    if (!Number.isFinite(n) || n <= 0) return `--team-quota must be a positive amount, got "${teamQuota}".`;
    settings.teamQuota = n;
  }
  return settings;
}

export async function runRebalance(args: string[], context: CliContext): Promise<number> {
  const [verb, ...rest] = args;
  if (verb !== "preview") {
    context.err(REBALANCE_USAGE);
    return 2;
  }
  let values: {
    quarter?: string;
    format?: string;
    out?: string;
    "team-quota"?: string;
    leaver?: string;
    joiner?: string;
    force?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        quarter: { type: "string" },
        format: { type: "string", default: "table" },
        out: { type: "string" },
        "team-quota": { type: "string" },
        leaver: { type: "string" },
        joiner: { type: "string" },
        force: { type: "boolean" },
      },
      strict: true,
    }));
  } catch (error) {
    context.err(`${(error as Error).message}\n${REBALANCE_USAGE}`);
    return 2;
  }
  const format = values.format as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) {
    context.err(`--format must be one of ${EXPORT_FORMATS.join(", ")}.`);
    return 2;
  }
  const settings = settingsFromCli(context, values["team-quota"]);
  if (typeof settings === "string") {
    context.err(settings);
    return 2;
  }
  const actor = `cli:${process.env.USER ?? "admin"}`;
  const db = context.db.prisma;
  let result: Awaited<ReturnType<typeof previewRebalance>>;
  const structural = values.leaver
    ? { kind: "leaver" as const, email: values.leaver }
    : values.joiner
      ? { kind: "joiner" as const, email: values.joiner }
      : null;
  if (structural) {
    const rep = await db.rep.findUnique({ where: { email: structural.email.toLowerCase() } });
    if (!rep) {
      context.err(`No rep with e-mail ${structural.email}.`);
      return 1;
    }
    result = await previewStructuralChange(db, {
      change: { kind: structural.kind, repId: rep.id },
      now: context.now,
      settings,
      actor,
    });
  } else {
    result = await previewRebalance(db, {
      now: context.now,
      settings,
      actor,
      force: values.force === true,
      ...(values.quarter ? { quarter: values.quarter } : {}),
    });
  }
  if (!result.ok) {
    // Below the trigger is an answer, not a failure: stdout, exit 0, nothing stored.
    if (result.error.code === "below_trigger") {
      context.out(`${result.error.message} (--force drafts it anyway.)`);
      return 0;
    }
    context.err(result.error.message);
    return 1;
  }
  const text = formatPreview(result.value, format, context.env.TURF_TIMEZONE);
  if (values.out) {
    writeFileSync(values.out, text);
    context.out(
      `Wrote the ${format} preview of rebalance ${result.value.id} (${result.value.summary.moveCount} moves) to ${values.out}.`,
    );
  } else {
    context.out(text.replace(/\r?\n$/, ""));
  }
  return 0;
}

export const rebalanceCommand: CliCommand = {
  name: "rebalance",
  usage: "rebalance preview [--format …]",
  summary: "draft next quarter's rebalance; print it or export CSV/Markdown",
  run: runRebalance,
};
