import { z } from "zod";
import { err, ok, type Result } from "./result.ts";

/**
 * Territory analytics from the guide: pipeline coverage, win rate, average deal size and quota
 * attainment per rep or territory, combined into a health score, plus quota per territory.
 */

/** Closed and open business of one rep or territory over one quota period. */
export type PipelineFigures = {
  /** Sum of open opportunity amounts expected to close in the period. */
  openPipeline: number;
  quota: number;
  wonAmount: number;
  wonCount: number;
  lostCount: number;
};

export const COVERAGE_BANDS = [
  "no_quota",
  "cannot_make_number",
  "thin",
  "healthy",
  "heavy",
  "stale",
] as const;
export type CoverageBand = (typeof COVERAGE_BANDS)[number];

/**
 * The guide's bands: below 2.5x the number cannot be made, 3–5x is healthy, above 6x the pipeline
 * is probably stale. The gaps get names of their own: 2.5–3x "thin" (makeable only with no slip),
 * 5–6x "heavy" (worth a look before it goes stale).
 */
export function coverageBand(coverage: number | null): CoverageBand {
  if (coverage === null) return "no_quota";
  if (coverage < 2.5) return "cannot_make_number";
  if (coverage < 3) return "thin";
  if (coverage <= 5) return "healthy";
  if (coverage <= 6) return "heavy";
  return "stale";
}

export const ZHealthOptions = z.object({
  /** Win rate that earns the full win-rate component. */
  targetWinRate: z.number().positive().max(1).default(0.25),
  /** Share of the quota period elapsed, 0–1; attainment is judged against this pace. */
  periodElapsed: z.number().min(0).max(1).default(1),
  /** Team average deal size, the yardstick for the deal-size component; null skips it (neutral). */
  teamAverageDealSize: z.number().positive().nullable().default(null),
  weights: z
    .object({
      coverage: z.number().nonnegative(),
      winRate: z.number().nonnegative(),
      attainment: z.number().nonnegative(),
      dealSize: z.number().nonnegative(),
    })
    .default({ coverage: 0.4, winRate: 0.2, attainment: 0.3, dealSize: 0.1 }),
});
export type HealthOptions = z.input<typeof ZHealthOptions>;

export type TerritoryHealth = {
  /** Open pipeline ÷ quota; null without a quota. */
  coverage: number | null;
  band: CoverageBand;
  /** Won ÷ (won + lost) by count; null before anything closed. */
  winRate: number | null;
  /** Won amount ÷ won count; null before a win. */
  averageDealSize: number | null;
  /** Won amount ÷ quota; null without a quota. */
  attainment: number | null;
  /** 0–100, see healthScore. */
  score: number;
  /** Each component 0–1 before weighting, so the score can be explained line by line. */
  components: { coverage: number; winRate: number; attainment: number; dealSize: number };
};

/**
 * Coverage component: 0 at ≤ 1x, rising linearly to 1 at 3x, 1 through 5x, then falling linearly
 * to 0.5 at 8x and staying there — stale pipeline is still pipeline, but it is not health.
 */
export function coverageComponent(coverage: number | null): number {
  if (coverage === null) return 0;
  if (coverage <= 1) return 0;
  if (coverage < 3) return (coverage - 1) / 2;
  if (coverage <= 5) return 1;
  if (coverage < 8) return 1 - ((coverage - 5) / 3) * 0.5;
  return 0.5;
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));
const safeDiv = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/**
 * Health score = 100 × (0.4 · coverage + 0.2 · win rate + 0.3 · attainment + 0.1 · deal size) with
 * default weights (normalised to their sum), where
 * - coverage = coverageComponent(coverage),
 * - win rate = min(win rate ÷ target win rate, 1), 0.5 before anything closed,
 * - attainment = min(attainment ÷ period elapsed, 1) (on pace counts as full), 1 at period start,
 * - deal size = min(average deal ÷ team average, 1), 0.5 without a win or a yardstick.
 * Coverage weighs most because the guide calls it the structural test of the quota.
 */
export function territoryHealth(figures: PipelineFigures, options: HealthOptions = {}): TerritoryHealth {
  const opts = ZHealthOptions.parse(options);
  const coverage = safeDiv(figures.openPipeline, figures.quota);
  const winRate = safeDiv(figures.wonCount, figures.wonCount + figures.lostCount);
  const averageDealSize = safeDiv(figures.wonAmount, figures.wonCount);
  const attainment = safeDiv(figures.wonAmount, figures.quota);
  const components = {
    coverage: coverageComponent(coverage),
    winRate: winRate === null ? 0.5 : clamp01(winRate / opts.targetWinRate),
    attainment:
      attainment === null ? 0 : opts.periodElapsed === 0 ? 1 : clamp01(attainment / opts.periodElapsed),
    dealSize:
      averageDealSize === null || opts.teamAverageDealSize === null
        ? 0.5
        : clamp01(averageDealSize / opts.teamAverageDealSize),
  };
  const w = opts.weights;
  const weightSum = w.coverage + w.winRate + w.attainment + w.dealSize;
  const raw =
    weightSum === 0
      ? 0
      : (w.coverage * components.coverage +
          w.winRate * components.winRate +
          w.attainment * components.attainment +
          w.dealSize * components.dealSize) /
        weightSum;
  return {
    coverage,
    band: coverageBand(coverage),
    winRate,
    averageDealSize,
    attainment,
    score: Math.round(100 * raw),
    components,
  };
}

/** A territory's figures are the sum of its reps'. */
export function sumFigures(all: readonly PipelineFigures[]): PipelineFigures {
  const sum: PipelineFigures = { openPipeline: 0, quota: 0, wonAmount: 0, wonCount: 0, lostCount: 0 };
  for (const f of all) {
    sum.openPipeline += f.openPipeline;
    sum.quota += f.quota;
    sum.wonAmount += f.wonAmount;
    sum.wonCount += f.wonCount;
    sum.lostCount += f.lostCount;
  }
  return sum;
}

export const TERRITORY_TYPES = [
  "new_low_density",
  "new_high_density",
  "mature_average",
  "mature_high_conversion",
] as const;
export type TerritoryType = (typeof TERRITORY_TYPES)[number];

/** The guide's coefficient table; defaults sit where the guide's own examples put them. */
export const QUOTA_COEFFICIENTS: Record<
  TerritoryType,
  { label: string; min: number; max: number; default: number; rationale: string }
> = {
  new_low_density: {
    label: "New, low-density",
    min: 0.6,
    max: 0.8,
    default: 0.7,
    rationale: "ramp dip plus thin TAM coverage",
  },
  new_high_density: {
    label: "New, high-density",
    min: 0.8,
    max: 1.0,
    default: 0.9,
    rationale: "strong TAM but rep still ramping",
  },
  mature_average: {
    label: "Mature, average",
    min: 1.0,
    max: 1.0,
    default: 1.0,
    rationale: "base case for the team",
  },
  mature_high_conversion: {
    label: "Mature, high-conversion",
    min: 1.1,
    max: 1.3,
    default: 1.2,
    rationale: "strong historical win rate justifies stretch",
  },
};

export const ZQuotaTerritory = z.object({
  territoryId: z.string().min(1),
  type: z.enum(TERRITORY_TYPES),
  repCount: z.number().int().nonnegative(),
  /** Overrides the type's default; must stay inside the type's range. */
  coefficient: z.number().min(0.6).max(1.3).optional(),
  /** Why this territory deviates, in the manager's words; appended to the rationale. */
  note: z.string().optional(),
});
export type QuotaTerritory = z.input<typeof ZQuotaTerritory>;

export type TerritoryQuota = {
  territoryId: string;
  coefficient: number;
  perRepQuota: number;
  territoryQuota: number;
  /** Quota after scaling so the territories add up to the team target (when reconcile is on). */
  reconciledQuota: number;
  rationale: string;
};

export type QuotaError = {
  code: "coefficient_out_of_range" | "no_reps";
  territoryId?: string;
  message: string;
};

const money = (x: number): string => Math.round(x).toLocaleString("en-US");

/**
 * Quota per territory = team quota ÷ number of reps × coefficient × reps in the territory.
 * The guide wants the coefficient-adjusted quotas to add up to the team target; they only do when
 * the coefficients average 1, so `reconciledQuota` scales them to the target and the rationale says
 * by how much.
 */
export function quotaByTerritory(
  teamQuota: number,
  territories: readonly QuotaTerritory[],
): Result<
  { baseQuotaPerRep: number; territories: TerritoryQuota[]; sumBeforeReconcile: number },
  QuotaError
> {
  const parsed = territories.map((t) => ZQuotaTerritory.parse(t));
  const reps = parsed.reduce((s, t) => s + t.repCount, 0);
  if (reps === 0) return err({ code: "no_reps", message: "Quota needs at least one rep in some territory." });
  const base = teamQuota / reps;
  const rows: Omit<TerritoryQuota, "reconciledQuota" | "rationale">[] = [];
  for (const t of parsed) {
    const table = QUOTA_COEFFICIENTS[t.type];
    const coefficient = t.coefficient ?? table.default;
    if (coefficient < table.min || coefficient > table.max) {
      return err({
        code: "coefficient_out_of_range",
        territoryId: t.territoryId,
        message: `${t.territoryId}: coefficient ${coefficient} is outside ${table.min}–${table.max} for a ${table.label.toLowerCase()} territory.`,
      });
    }
    rows.push({
      territoryId: t.territoryId,
      coefficient,
      perRepQuota: base * coefficient,
      territoryQuota: base * coefficient * t.repCount,
    });
  }
  const sum = rows.reduce((s, r) => s + r.territoryQuota, 0);
  const scale = sum > 0 ? teamQuota / sum : 1;
  return ok({
    baseQuotaPerRep: base,
    sumBeforeReconcile: sum,
    territories: rows.map((r, i) => {
      const t = parsed[i] as (typeof parsed)[number];
      const table = QUOTA_COEFFICIENTS[t.type];
      const range = table.min === table.max ? `${table.min}` : `${table.min}–${table.max}`;
      const scaled = r.territoryQuota * scale;
      const parts = [
        `${table.label} (coefficient ${r.coefficient}, range ${range}): ${table.rationale}.`,
        `${money(teamQuota)} ÷ ${reps} reps = ${money(base)} per rep × ${r.coefficient} = ${money(r.perRepQuota)} per rep × ${t.repCount} = ${money(r.territoryQuota)}.`,
      ];
      if (Math.abs(scale - 1) > 1e-9)
        parts.push(
          `Scaled × ${scale.toFixed(4)} so territories add up to the team target: ${money(scaled)}.`,
        );
      if (t.note) parts.push(t.note);
      return { ...r, reconciledQuota: scaled, rationale: parts.join(" ") };
    }),
  });
}
