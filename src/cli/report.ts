// `turf report health`: pipeline coverage with the guide's bands, win rate, average deal size,
// attainment and health score per rep and territory, and quota per territory.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { TERRITORY_TYPES, type TerritoryType } from "../domain/rebalance/health.ts";
import { formatHealthReport } from "../services/reports/format-health.ts";
import { territoryHealthReport } from "../services/reports/territory-health.ts";
import type { CliCommand, CliContext } from "./commands.ts";
import { settingsFromCli } from "./rebalance.ts";

export const REPORT_USAGE =
  'Usage: turf report health [--team-quota 24000000] [--type "EMEA=new_low_density" …] [--coefficient "EMEA=0.7" …] [--format table|markdown] [--out file]';

function pairs(list: string[] | undefined): Map<string, string> | string {
  const out = new Map<string, string>();
  for (const item of list ?? []) {
    const i = item.lastIndexOf("=");
    if (i <= 0) return `"${item}" should look like "Territory name=value".`;
    out.set(item.slice(0, i).trim(), item.slice(i + 1).trim());
  }
  return out;
}

export async function runReport(args: string[], context: CliContext): Promise<number> {
  const [what, ...rest] = args;
  if (what !== "health") {
    context.err(REPORT_USAGE);
    return 2;
  }
  let values: {
    "team-quota"?: string;
    type?: string[];
    coefficient?: string[];
    format?: string;
    out?: string;
  };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        "team-quota": { type: "string" },
        type: { type: "string", multiple: true },
        coefficient: { type: "string", multiple: true },
        format: { type: "string", default: "table" },
        out: { type: "string" },
      },
      strict: true,
    }));
  } catch (error) {
    context.err(`${(error as Error).message}\n${REPORT_USAGE}`);
    return 2;
  }
  if (values.format !== "table" && values.format !== "markdown") {
    context.err("--format must be table or markdown.");
    return 2;
  }
  const settings = settingsFromCli(context, values["team-quota"]);
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
  const report = await territoryHealthReport(context.db.prisma, {
    now: context.now,
    settings: settings as Exclude<typeof settings, string>,
    territoryTypes,
    coefficients: coefficientOf,
  });
  const text = formatHealthReport(report, values.format);
  if (values.out) {
    writeFileSync(values.out, text);
    context.out(`Wrote the territory health report to ${values.out}.`);
  } else {
    context.out(text.trimEnd());
  }
  return 0;
}

export const reportCommand: CliCommand = {
  name: "report",
  usage: "report health [--team-quota N]",
  summary: "territory health: coverage bands, win rate, deal size, attainment, quota",
  run: runReport,
};
