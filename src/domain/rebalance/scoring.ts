import { z } from "zod";
import type { Account, SizeBand } from "../model.ts";

/**
 * Four-factor allocation scoring. Three factors describe the account and combine into one
 * allocation index (0–100); the fourth, the rep's capacity weight, does not score the account
 * but governs the draft (see draft.ts), which balances index total ÷ capacity weight.
 *
 * Defaults and why:
 * - ICP fit weighs most (50 of 100 points): fit decides whether the account can ever buy.
 * - Size band 30 points: an ENT account is worth more of a rep's week than an SMB one.
 * - Open opportunities 20 points: live deals matter, but they also lock the account to its
 *   owner, so they mostly shape totals rather than moves.
 * Each factor is first mapped to 0–1 and then multiplied by its weight, so the points of every
 * factor can be read and challenged on their own, and the index is their sum.
 */
export const ZScoringWeights = z.object({
  /** Points for a perfect ICP fit (5). Fit f scores f/5 of these. */
  icpFit: z.number().nonnegative().default(50),
  /** Points for the top size band. */
  sizeBand: z.number().nonnegative().default(30),
  /** Points for a hot account (3+ open opportunities). */
  openOpportunities: z.number().nonnegative().default(20),
  /** Share of the size-band points per band; unknown bands score like SMB (the cautious guess). */
  sizeBandShare: z
    .object({ SMB: z.number().min(0).max(1), MM: z.number().min(0).max(1), ENT: z.number().min(0).max(1) })
    .default({ SMB: 1 / 3, MM: 2 / 3, ENT: 1 }),
  /** Share of the open-opportunity points per activity band. */
  opportunityBandShare: z
    .object({
      cold: z.number().min(0).max(1),
      warm: z.number().min(0).max(1),
      active: z.number().min(0).max(1),
      hot: z.number().min(0).max(1),
    })
    .default({ cold: 0, warm: 0.5, active: 0.75, hot: 1 }),
});
export type ScoringWeights = z.infer<typeof ZScoringWeights>;

export const DEFAULT_SCORING_WEIGHTS: ScoringWeights = ZScoringWeights.parse({});

export const OPPORTUNITY_BANDS = ["cold", "warm", "active", "hot"] as const;
export type OpportunityBand = (typeof OPPORTUNITY_BANDS)[number];

export type AccountScore = {
  /** Allocation index, the sum of the three factors' points, rounded to 0.01. */
  index: number;
  factors: {
    icpFit: { raw: number | null; points: number };
    sizeBand: { raw: SizeBand | null; points: number };
    openOpportunities: { raw: number; band: OpportunityBand; points: number };
  };
};

/** The guide: 0 open opportunities is cold, 3 or more is hot; 1 and 2 sit in between. */
export function opportunityBand(openOpportunityCount: number): OpportunityBand {
  if (openOpportunityCount <= 0) return "cold";
  if (openOpportunityCount === 1) return "warm";
  if (openOpportunityCount === 2) return "active";
  return "hot";
}

// Points are rounded before summing so the index a rep sees equals the sum of the parts they see.
const round2 = (x: number): number => Math.round(x * 100) / 100;

export function scoreAccount(
  account: Pick<Account, "icpFit" | "sizeBand">,
  openOpportunityCount: number,
  weights: ScoringWeights = DEFAULT_SCORING_WEIGHTS,
): AccountScore {
  const fit = account.icpFit;
  // An unscored account gets no ICP points: missing data must not win accounts.
  const fitShare = fit === null ? 0 : Math.min(Math.max(fit, 0), 5) / 5;
  const icpPoints = round2(weights.icpFit * fitShare);

  const band = account.sizeBand;
  const sizePoints = round2(weights.sizeBand * weights.sizeBandShare[band ?? "SMB"]);

  const count = Math.max(0, Math.floor(openOpportunityCount));
  const oppBand = opportunityBand(count);
  const oppPoints = round2(weights.openOpportunities * weights.opportunityBandShare[oppBand]);

  return {
    index: round2(icpPoints + sizePoints + oppPoints),
    factors: {
      icpFit: { raw: fit, points: icpPoints },
      sizeBand: { raw: band, points: sizePoints },
      openOpportunities: { raw: count, band: oppBand, points: oppPoints },
    },
  };
}

/**
 * The fourth factor belongs to the rep: 1.0 at full ramp, 0.5 at half ramp, 1.2 over capacity
 * (with a plan to come down). The draft divides each rep's index total by it.
 */
export const CAPACITY_WEIGHTS = { fullRamp: 1.0, halfRamp: 0.5, overCapacity: 1.2 } as const;
export const ZCapacityWeight = z.number().positive().max(2);
