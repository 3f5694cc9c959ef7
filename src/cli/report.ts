// `turf report health`: pipeline coverage with the guide's bands, win rate, average deal size,
// attainment and health score per rep and territory, and quota per territory.
import { writeFileSync } from "node:fs";
import { Option } from "commander";
import { TERRITORY_TYPES, type TerritoryType } from "../domain/rebalance/health.ts";
import { act, type CliContext, type CommandModule } from "./context.ts";
import { settingsFromCli } from "./rebalance.ts";

function pairs(list: string[] | undefined): Map<string, string> | string {
  const out = new Map<string, string>();
  for (const item of list ?? []) {
    const i = item.lastIndexOf("=");
    if (i <= 0) return `"${item}" should look like "Territory name=value".`;
    out.set(item.slice(0, i).trim(), item.slice(i + 1).trim());
  }
  return out;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

type HealthOptions = {
  teamQuota?: string;
  type?: string[];
  coefficient?: string[];
  format: "table" | "markdown";
  out?: string;
};

async function runHealth(values: HealthOptions, context: CliContext): Promise<number> {
  const settings = settingsFromCli(context, values.teamQuota);
  const types = pairs(values.type);
  const coefficients = pairs(values.coefficient);
  for (const problem of [settings, types, coefficients]) {
    if (typeof problem === "string") {
      context.err(problem);
      return 2;
    }
  }
  const territoryTypes: Record<string, TerritoryType> = {};
  for (const [name, type] of types as Map<string, string>) {
    if (!(TERRITORY_TYPES as readonly string[]).includes(type)) {
      context.err(`${name}: territory type must be one of ${TERRITORY_TYPES.join(", ")}.`);
      return 2;
    }
    territoryTypes[name] = type as TerritoryType;
  }
  const coefficientOf: Record<string, number> = {};
  for (const [name, value] of coefficients as Map<string, string>) {
    const n = Number(value);
    if (!Number.isFinite(n)) {
      context.err(`${name}: coefficient must be a number, got "${value}".`);
      return 2;
    }
    coefficientOf[name] = n;
  }
  const { formatHealthReport } = await import("../services/reports/format-health.ts");
  const { territoryHealthReport } = await import("../services/reports/territory-health.ts");
  const db = (await context.database()).prisma;
  const report = await territoryHealthReport(db, {
    now: context.now,
    settings: settings as Exclude<typeof settings, string>,
    territoryTypes,
    coefficients: coefficientOf,
  });
  const text = formatHealthReport(report, values.format);
  if (values.out) {
    writeFileSync(values.out, text);
    context.err(`Wrote the territory health report to ${values.out}.`);
  } else {
    context.out(text.trimEnd());
  }
  return 0;
}

export const reportModule: CommandModule = {
  register(program, context) {
    const report = program.command("report").description("reports for RevOps");
    report
      .command("health")
      .description("territory health: coverage bands, win rate, deal size, attainment, quota")
      .option("--team-quota <amount>", "the team's quota, e.g. 24000000")
      .option(
        "--type <territory=type>",
        `a territory's type (${TERRITORY_TYPES.join(", ")}); repeatable`,
        collect,
      )
      .option("--coefficient <territory=number>", "a territory's quota coefficient; repeatable", collect)
      .addOption(
        new Option("--format <format>", "output format").choices(["table", "markdown"]).default("table"),
      )
      .option("--out <file>", "write to this file instead of stdout")
      .action(act(context, (options: HealthOptions) => runHealth(options, context)));
  },
};
