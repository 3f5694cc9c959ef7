import { z } from "zod";

/**
 * Coverage variance, as the guide's trigger ("coverage variance above 25 %") means it here:
 * the relative range (max − min) ÷ mean of a per-rep measure — pipeline coverage (open pipeline ÷
 * quota) when a quota is set, otherwise the capacity-adjusted index totals the draft equalises,
 * named as such (see TRIGGER_MEASURES).
 *
 * Why the range and not the coefficient of variation: the guide's failure mode is one territory at
 * 1.8x that "cannot hit the number" while others sit at 4.1x. The range reacts to a single starved
 * rep however many reps are on the team; the CV dilutes that rep among the rest. The CV is still
 * returned for reports.
 */
export type CoverageVariance = {
  relativeRange: number;
  coefficientOfVariation: number;
  min: number;
  max: number;
  mean: number;
};

export function coverageVariance(values: readonly number[]): CoverageVariance {
  if (values.length === 0) return { relativeRange: 0, coefficientOfVariation: 0, min: 0, max: 0, mean: 0 };
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  const mean = sum / values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  const sd = Math.sqrt(sq / values.length);
  // With a zero mean every rep has nothing: no spread to speak of, unless values cancel out.
  if (mean <= 0) {
    const flat = max === min;
    return {
      relativeRange: flat ? 0 : Number.POSITIVE_INFINITY,
      coefficientOfVariation: flat ? 0 : Number.POSITIVE_INFINITY,
      min,
      max,
      mean,
    };
  }
  return { relativeRange: (max - min) / mean, coefficientOfVariation: sd / mean, min, max, mean };
}

/**
 * What the trigger measured per rep. The guide's trigger is on pipeline coverage (open pipeline ÷
 * quota), which needs a quota; without one the closest stand-in is the capacity-adjusted index
 * total the draft equalises — and every sentence says which of the two it is.
 */
export const TRIGGER_MEASURES = {
  coverage: { label: "Pipeline coverage", unit: (v: number) => `${v.toFixed(2)}x` },
  adjusted_total: {
    label: "Capacity-adjusted index total (no quota set, so not pipeline coverage)",
    unit: (v: number) => v.toFixed(1),
  },
} as const;
export type TriggerMeasure = keyof typeof TRIGGER_MEASURES;

export const ZTriggerOptions = z.object({
  /** The guide's tactical trigger. */
  threshold: z.number().positive().default(0.25),
  measure: z.enum(["coverage", "adjusted_total"]).default("coverage"),
});
export type TriggerOptions = z.input<typeof ZTriggerOptions>;

export type RepMeasure = { repId: string; value: number };

export type RebalanceSignal = {
  rebalance: boolean;
  variance: CoverageVariance;
  threshold: number;
  measure: TriggerMeasure;
  lowest: RepMeasure | null;
  highest: RepMeasure | null;
  /** One sentence a manager can read in the preview. */
  reason: string;
};

const pct = (x: number): string => (Number.isFinite(x) ? `${Math.round(x * 100)} %` : "unbounded");

/** Proposes a tactical rebalance when coverage variance across reps exceeds the threshold. */
export function shouldRebalance(
  measures: readonly RepMeasure[],
  options: TriggerOptions = {},
): RebalanceSignal {
  const { threshold, measure } = ZTriggerOptions.parse(options);
  const m = TRIGGER_MEASURES[measure];
  const variance = coverageVariance(measures.map((m) => m.value));
  let lowest: RepMeasure | null = null;
  let highest: RepMeasure | null = null;
  for (const m of measures) {
    if (lowest === null || m.value < lowest.value || (m.value === lowest.value && m.repId < lowest.repId))
      lowest = m;
    if (highest === null || m.value > highest.value || (m.value === highest.value && m.repId < highest.repId))
      highest = m;
  }
  const rebalance = measures.length >= 2 && variance.relativeRange > threshold;
  const reason =
    measures.length < 2
      ? "Fewer than two reps: nothing to balance."
      : `${m.label} varies ${pct(variance.relativeRange)} across reps ((max − min) ÷ mean, from ${m.unit(lowest?.value ?? 0)} for ${lowest?.repId} to ${m.unit(highest?.value ?? 0)} for ${highest?.repId}): ${rebalance ? "above" : "within"} the ${pct(threshold)} trigger.`;
  return { rebalance, variance, threshold, measure, lowest, highest, reason };
}
