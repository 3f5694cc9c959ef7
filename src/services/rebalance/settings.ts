// What rebalancing and the territory reports need from configuration, as plain values: the services
// never read the environment, so tests and the CLI hand these in directly.
import type { FiscalCalendarInput } from "../../domain/rebalance/quarters.ts";
import { DEFAULT_SCORING_WEIGHTS, type ScoringWeights } from "../../domain/rebalance/scoring.ts";

export type RebalanceSettings = {
  calendar: FiscalCalendarInput;
  /** Where the publication memo goes; null means publishing is refused with a message naming the setting. */
  rebalanceChannel: string | null;
  /** Balance target: max ÷ min of capacity-adjusted totals within 1 + tolerance. */
  tolerance: number;
  weights: ScoringWeights;
  /**
   * Annual team quota. With it, each rep's quarterly quota is the team's quarter share in proportion
   * to capacity weight, and pipeline coverage (open pipeline ÷ quota) is shown and drives the trigger;
   * without it the trigger looks at capacity-adjusted index totals instead.
   */
  teamQuota: number | null;
  /** Accounts with no activity for this many days go back to the pool. */
  staleAfterDays: number;
  /** How long before the monthly return a rep is warned. */
  staleWarningDays: number;
  /** White space worth offering: ICP fit at least this. */
  whiteSpaceMinIcpFit: number;
};

export const DEFAULT_REBALANCE_SETTINGS: RebalanceSettings = {
  calendar: { startMonth: 1, timeZone: "UTC" },
  rebalanceChannel: null,
  tolerance: 0.03,
  weights: DEFAULT_SCORING_WEIGHTS,
  teamQuota: null,
  staleAfterDays: 90,
  staleWarningDays: 7,
  whiteSpaceMinIcpFit: 4,
};

/** From the validated environment (src/config/env.ts); anything not set keeps its default. */
export function rebalanceSettingsFromEnv(env: {
  TURF_TIMEZONE: string;
  TURF_FISCAL_YEAR_START_MONTH: number;
  TURF_REBALANCE_CHANNEL?: string | undefined;
  TURF_TEAM_QUOTA?: number | undefined;
}): RebalanceSettings {
  return {
    ...DEFAULT_REBALANCE_SETTINGS,
    calendar: { startMonth: env.TURF_FISCAL_YEAR_START_MONTH, timeZone: env.TURF_TIMEZONE },
    rebalanceChannel: env.TURF_REBALANCE_CHANNEL?.trim() || null,
    teamQuota: env.TURF_TEAM_QUOTA ?? null,
  };
}

export function withDefaults(settings: Partial<RebalanceSettings> = {}): RebalanceSettings {
  return { ...DEFAULT_REBALANCE_SETTINGS, ...settings };
}
