// `turf rebalance preview`: the same preview managers see in Slack, printed or exported.
import { writeFileSync } from "node:fs";
import { Option } from "commander";
import { EXPORT_FORMATS, type ExportFormat } from "../services/rebalance/export-preview.ts";
import type { previewRebalance } from "../services/rebalance/preview-rebalance.ts";
import type { RebalanceSettings } from "../services/rebalance/settings.ts";
import { act, type CliContext, type CommandModule } from "./context.ts";

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

type PreviewOptions = {
  quarter?: string;
  format: ExportFormat;
  out?: string;
  teamQuota?: string;
  leaver?: string;
  joiner?: string;
  force?: boolean;
};

async function runPreview(values: PreviewOptions, context: CliContext): Promise<number> {
  const format = values.format;
  const settings = settingsFromCli(context, values.teamQuota);
  if (typeof settings === "string") {
    context.err(settings);
    return 2;
  }
  const { previewRebalance, previewStructuralChange } = await import(
    "../services/rebalance/preview-rebalance.ts"
  );
  const { formatPreview } = await import("../services/rebalance/export-preview.ts");
  const db = (await context.database()).prisma;
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
      actor: context.actor,
    });
  } else {
    result = await previewRebalance(db, {
      now: context.now,
      settings,
      actor: context.actor,
      force: values.force === true,
      ...(values.quarter ? { quarter: values.quarter } : {}),
    });
  }
  if (!result.ok) {
    // Below the trigger is an answer, not a failure: stdout, exit 0, nothing stored.
    if (result.error.code === "below_trigger") {
      context.out(`${result.error.userMessage} (--force drafts it anyway.)`);
      return 0;
    }
    context.err(result.error.userMessage);
    return 1;
  }
  const text = formatPreview(result.value, format, context.env.TURF_TIMEZONE);
  if (values.out) {
    writeFileSync(values.out, text);
    context.err(
      `Wrote the ${format} preview of rebalance ${result.value.id} (${result.value.summary.moveCount} moves) to ${values.out}.`,
    );
  } else {
    context.out(text.replace(/\r?\n$/, ""));
  }
  return 0;
}

export const rebalanceModule: CommandModule = {
  register(program, context) {
    const rebalance = program.command("rebalance").description("quarterly rebalancing");
    rebalance
      .command("preview")
      .description("draft next quarter's rebalance; print it or export CSV/Markdown")
      .option("--quarter <quarter>", "fiscal quarter to draft, e.g. FY2027-Q2 (default: the next one)")
      .addOption(new Option("--format <format>", "output format").choices(EXPORT_FORMATS).default("table"))
      .option("--out <file>", "write to this file instead of stdout")
      .option(
        "--team-quota <amount>",
        "the team's annual quota, for coverage per rep (default TURF_TEAM_QUOTA)",
      )
      .addOption(new Option("--leaver <email>", "draft the moves for a rep who leaves").conflicts("joiner"))
      .option("--joiner <email>", "draft the moves for a rep who joins")
      .option("--force", "draft even when coverage variance is within the guide's 25 % trigger")
      .action(act(context, (options: PreviewOptions) => runPreview(options, context)));
  },
};
