// The stored shape of a rebalance's summary and of each move's factors. Both live in JSON columns,
// so they are parsed with zod on the way out: a row written by an older version fails loudly.
import { z } from "zod";

const ZFigures = z.object({
  indexTotal: z.number(),
  adjustedTotal: z.number(),
  accountCount: z.number().int(),
  openPipeline: z.number(),
  /** Open pipeline ÷ quarterly quota; null without a quota. */
  coverage: z.number().nullable(),
});
export type RepFigures = z.infer<typeof ZFigures>;

export const ZRepLine = z.object({
  repId: z.string(),
  name: z.string(),
  slackUserId: z.string().nullable(),
  capacityWeight: z.number(),
  quota: z.number().nullable(),
  before: ZFigures,
  /** null for a leaver, who holds nothing afterwards. */
  after: ZFigures.nullable(),
});
export type RepLine = z.infer<typeof ZRepLine>;

export const ZRebalanceSummary = z.object({
  reps: z.array(ZRepLine),
  /** max ÷ min of capacity-adjusted totals; null when unbounded (a rep holds nothing). */
  spreadBefore: z.number().nullable(),
  spreadAfter: z.number().nullable(),
  moveCount: z.number().int(),
  /** How many accounts a from-scratch draft would have moved: the churn the minimal draft saved. */
  fromScratchMoveCount: z.number().int().nullable(),
  withinTolerance: z.boolean(),
  trigger: z.object({
    rebalance: z.boolean(),
    measure: z.enum(["coverage", "adjusted_total"]),
    relativeRange: z.number().nullable(),
    reason: z.string(),
  }),
  /** Accounts the draft left alone: white space (the hygiene job offers it) and owners outside the draft. */
  excluded: z.object({ unowned: z.number().int(), ownerOutsideDraft: z.number().int() }),
  lockedAccounts: z.number().int(),
});
export type RebalanceSummary = z.infer<typeof ZRebalanceSummary>;

export const ZMoveFactors = z.object({
  icpFit: z.object({ raw: z.number().nullable(), points: z.number() }),
  sizeBand: z.object({ raw: z.enum(["SMB", "MM", "ENT"]).nullable(), points: z.number() }),
  openOpportunities: z.object({ raw: z.number(), band: z.string(), points: z.number() }),
  /** Capacity weights of both reps at preview time: the fourth factor. */
  fromCapacityWeight: z.number().nullable(),
  toCapacityWeight: z.number(),
  reason: z.string(),
  locked: z.boolean(),
  named: z.boolean(),
});
export type MoveFactors = z.infer<typeof ZMoveFactors>;

/** JSON has no Infinity; an unbounded spread is stored as null. */
export const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);
