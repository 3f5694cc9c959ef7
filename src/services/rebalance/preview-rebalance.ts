// Preview: score the book, draft a minimal-churn capacity-weighted rebalance, say whether the guide's
// trigger fires, and store it as a draft Rebalance with one RebalanceMove (and its four factors) per
// account that changes hands. Nothing changes ownership here; publishing and the apply job do that.

import { recordAudit } from "../../db/audit.ts";
import type { Db } from "../../db/client.ts";
import { insertRebalance, loadRebalanceBook, type NewRebalanceMove } from "../../db/rebalance.ts";
import { type Refusal, type Refused, refuse } from "../../domain/app-error.ts";
import type { Rep } from "../../domain/model.ts";
import type { RepTotals } from "../../domain/rebalance/book.ts";
import { type DraftMove, draftRebalance } from "../../domain/rebalance/draft.ts";
import {
  type FiscalCalendarInput,
  type FiscalQuarter,
  fiscalQuarterOf,
  nextQuarterStart,
  parseQuarterLabel,
} from "../../domain/rebalance/quarters.ts";
import { redistributeBook, type StructuralChange } from "../../domain/rebalance/structural.ts";
import { shouldRebalance } from "../../domain/rebalance/trigger.ts";
import { draftReps, type PreparedDraft, prepareDraft } from "./draft-input.ts";
import { type RebalanceSettings, withDefaults } from "./settings.ts";
import {
  finiteOrNull,
  type MoveFactors,
  type RebalanceSummary,
  type RepFigures,
  type RepLine,
} from "./summary.ts";

export type RebalanceErrorCode =
  | "invalid_quarter"
  | "below_trigger"
  | "quarter_started"
  | "draft_failed"
  | "unknown_rep"
  | "not_found"
  | "no_channel";

export type RebalanceError = Refusal<RebalanceErrorCode>;

export type MoveLine = {
  accountId: string;
  accountName: string;
  crmId: string;
  fromRepId: string | null;
  fromName: string | null;
  toRepId: string;
  toName: string;
  index: number;
  factors: MoveFactors;
  appliedAt: Date | null;
  heldReason: string | null;
};

export type RebalancePreview = {
  id: string;
  quarter: string;
  mode: string;
  status: "draft" | "published" | "applied";
  effectiveFrom: Date;
  createdAt: Date;
  createdBy: string;
  summary: RebalanceSummary;
  /** Biggest allocation index first. */
  moves: MoveLine[];
};

type Ok<T> = { ok: true; value: T };
type Err = Refused<RebalanceError>;

/** A draft the model refused names accounts and reps by id: the operator reads that, a manager reads this. */
const DRAFT_FAILED =
  "Turf couldn't draft a rebalance from the current book, so nothing was saved. RevOps can find the reason in Turf's log.";

/**
 * The quarter moves take effect in: the next one by default; a named quarter must not have started,
 * because the guide allows no mid-quarter moves outside a structural change.
 */
export function targetQuarter(
  now: Date,
  calendar: FiscalCalendarInput,
  label?: string,
): Ok<FiscalQuarter> | Err {
  if (!label) return { ok: true, value: fiscalQuarterOf(nextQuarterStart(now, calendar), calendar) };
  const parsed = parseQuarterLabel(label, calendar);
  if (!parsed.ok) return refuse("invalid_quarter", parsed.error.message, parsed.error.message);
  if (parsed.value.start.getTime() <= now.getTime()) {
    const next = fiscalQuarterOf(nextQuarterStart(now, calendar), calendar).label;
    const why = `${parsed.value.label} has already started, and moves only take effect on the first day of a quarter. The next one is ${next}.`;
    return refuse("quarter_started", why, why);
  }
  return { ok: true, value: parsed.value };
}

export type PreviewOptions = {
  quarter?: string;
  now: Date;
  settings?: Partial<RebalanceSettings>;
  /** Who asked: a rep id, a Slack user id or "cli:<user>". */
  actor?: string;
  /**
   * Draft even when the guide's trigger does not fire (a ramp finished, capacity changed). Without
   * it, a book within the trigger gets a "no rebalance needed" answer and nothing is stored.
   */
  force?: boolean;
};

export async function previewRebalance(db: Db, options: PreviewOptions): Promise<Ok<RebalancePreview> | Err> {
  const settings = withDefaults(options.settings);
  const quarter = targetQuarter(options.now, settings.calendar, options.quarter);
  if (!quarter.ok) return quarter;
  const book = await loadRebalanceBook(db);
  const prepared = prepareDraft(book, settings.weights);
  const draft = draftRebalance(prepared.input, { mode: "minimal-churn", tolerance: settings.tolerance });
  if (!draft.ok) return refuse("draft_failed", draft.error.message, DRAFT_FAILED);
  const scratch = draftRebalance(prepared.input, { mode: "from-scratch" });
  const result = draft.value;
  const summary = summarise(prepared, result.before, result.after, result.moves, settings, {
    spreadBefore: result.spreadBefore,
    spreadAfter: result.spread,
    withinTolerance: result.withinTolerance,
    fromScratchMoveCount: scratch.ok ? scratch.value.moves.length : null,
  });
  if (!summary.trigger.rebalance && !options.force) {
    const why = `No rebalance is needed for ${quarter.value.label}. ${summary.trigger.reason} The guide rebalances quarterly only above that trigger; a manager can still draft one on purpose (a ramp finished, capacity changed).`;
    return refuse("below_trigger", why, why);
  }
  return store(db, prepared, result.moves, summary, {
    quarter: quarter.value.label,
    mode: "quarterly",
    effectiveFrom: quarter.value.start,
    parameters: {
      tolerance: settings.tolerance,
      weights: settings.weights,
      calendar: settings.calendar,
      teamQuota: settings.teamQuota,
    },
    actor: options.actor ?? "system",
    now: options.now,
  });
}

export type StructuralOptions = {
  change: StructuralChange;
  now: Date;
  settings?: Partial<RebalanceSettings>;
  actor?: string;
};

/**
 * A rep joins or leaves: the one case the guide allows mid-quarter, so it takes effect at once
 * (effectiveFrom = now) and only redistributes that rep's book (leaver) or fills the joiner's.
 */
export async function previewStructuralChange(
  db: Db,
  options: StructuralOptions,
): Promise<Ok<RebalancePreview> | Err> {
  const settings = withDefaults(options.settings);
  const book = await loadRebalanceBook(db);
  const rep = book.reps.find((r) => r.id === options.change.repId);
  if (!rep)
    return refuse(
      "unknown_rep",
      `No rep with id ${options.change.repId}.`,
      "That rep isn't in Turf's rep list.",
    );
  let reps = draftReps(book);
  // A leaver is often already inactive; they stay in the draft only so their book can be dealt out.
  if (!reps.some((r) => r.id === rep.id))
    reps = [...reps, { ...rep, capacityWeight: rep.capacityWeight > 0 ? rep.capacityWeight : 1 }];
  const prepared = prepareDraft(book, settings.weights, { reps });
  const result = redistributeBook(prepared.input, options.change, { tolerance: settings.tolerance });
  if (!result.ok)
    return result.error.code === "unknown_rep"
      ? refuse("unknown_rep", result.error.message, "That rep isn't in Turf's rep list.")
      : refuse("draft_failed", result.error.message, DRAFT_FAILED);
  const r = result.value;
  const summary = summarise(prepared, r.before, r.after, r.moves, settings, {
    spreadBefore: r.spreadBefore,
    spreadAfter: r.spread,
    withinTolerance: r.spread <= 1 + settings.tolerance,
    fromScratchMoveCount: null,
  });
  return store(db, prepared, r.moves, summary, {
    quarter: fiscalQuarterOf(options.now, settings.calendar).label,
    mode: `structural-${options.change.kind}`,
    effectiveFrom: options.now,
    parameters: { tolerance: settings.tolerance, weights: settings.weights, change: options.change },
    actor: options.actor ?? "system",
    now: options.now,
  });
}

function summarise(
  prepared: PreparedDraft,
  before: RepTotals[],
  after: RepTotals[],
  moves: DraftMove[],
  settings: RebalanceSettings,
  figures: {
    spreadBefore: number;
    spreadAfter: number;
    withinTolerance: boolean;
    fromScratchMoveCount: number | null;
  },
): RebalanceSummary {
  const pipelineBefore = new Map<string, number>();
  for (const a of prepared.byId.values()) {
    const owner = a.currentOwnerRepId as string;
    pipelineBefore.set(owner, (pipelineBefore.get(owner) ?? 0) + a.openPipeline);
  }
  const pipelineAfter = new Map(pipelineBefore);
  for (const m of moves) {
    const pipeline = prepared.byId.get(m.accountId)?.openPipeline ?? 0;
    if (m.fromRepId) pipelineAfter.set(m.fromRepId, (pipelineAfter.get(m.fromRepId) ?? 0) - pipeline);
    pipelineAfter.set(m.toRepId, (pipelineAfter.get(m.toRepId) ?? 0) + pipeline);
  }
  const totalCap = prepared.input.reps.reduce((s, r) => s + r.capacityWeight, 0);
  const quarterQuota = settings.teamQuota === null ? null : settings.teamQuota / 4;
  const afterOf = new Map(after.map((t) => [t.repId, t]));
  const figuresOf = (t: RepTotals, pipeline: number, quota: number | null): RepFigures => ({
    indexTotal: round2(t.indexTotal),
    adjustedTotal: round2(t.adjustedTotal),
    accountCount: t.accountCount,
    openPipeline: round2(pipeline),
    coverage: quota && quota > 0 ? round2(pipeline / quota) : null,
  });
  const reps: RepLine[] = before.map((b) => {
    const rep = prepared.repsById.get(b.repId) as Rep;
    const quota = quarterQuota === null ? null : (quarterQuota * b.capacityWeight) / totalCap;
    const a = afterOf.get(b.repId);
    return {
      repId: b.repId,
      name: rep.name,
      slackUserId: rep.slackUserId,
      capacityWeight: b.capacityWeight,
      quota: quota === null ? null : round2(quota),
      before: figuresOf(b, pipelineBefore.get(b.repId) ?? 0, quota),
      after: a ? figuresOf(a, pipelineAfter.get(b.repId) ?? 0, quota) : null,
    };
  });
  reps.sort((x, y) => x.name.localeCompare(y.name));
  const useCoverage = quarterQuota !== null;
  const signal = shouldRebalance(
    reps.map((r) => ({
      repId: r.name,
      value: useCoverage ? (r.before.coverage ?? 0) : r.before.adjustedTotal,
    })),
    { measure: useCoverage ? "coverage" : "adjusted_total" },
  );
  let locked = 0;
  for (const a of prepared.input.accounts) if (a.locked) locked++;
  return {
    reps,
    spreadBefore: finiteOrNull(figures.spreadBefore),
    spreadAfter: finiteOrNull(figures.spreadAfter),
    moveCount: moves.length,
    fromScratchMoveCount: figures.fromScratchMoveCount,
    withinTolerance: figures.withinTolerance,
    trigger: {
      rebalance: signal.rebalance,
      measure: useCoverage ? "coverage" : "adjusted_total",
      relativeRange: finiteOrNull(signal.variance.relativeRange),
      reason: signal.reason,
    },
    excluded: prepared.excluded,
    lockedAccounts: locked,
  };
}

async function store(
  db: Db,
  prepared: PreparedDraft,
  moves: DraftMove[],
  summary: RebalanceSummary,
  meta: {
    quarter: string;
    mode: string;
    effectiveFrom: Date;
    parameters: Record<string, unknown>;
    actor: string;
    now: Date;
  },
): Promise<Ok<RebalancePreview>> {
  const lines: MoveLine[] = [];
  const rows: NewRebalanceMove[] = [];
  for (const m of moves) {
    const score = prepared.scores.get(m.accountId);
    const a = prepared.byId.get(m.accountId);
    if (!score || !a) throw new Error(`move of unknown account ${m.accountId}`);
    const from = m.fromRepId ? prepared.repsById.get(m.fromRepId) : undefined;
    const to = prepared.repsById.get(m.toRepId) as Rep;
    const factors: MoveFactors = {
      ...score.factors,
      fromCapacityWeight: from?.capacityWeight ?? null,
      toCapacityWeight: to.capacityWeight,
      reason: m.reason,
      locked: m.locked,
      named: a.account.named,
    };
    rows.push({
      accountId: m.accountId,
      fromRepId: m.fromRepId,
      toRepId: m.toRepId,
      allocationIdx: m.index,
      factors,
    });
    lines.push({
      accountId: m.accountId,
      accountName: a.account.name,
      crmId: a.account.crmId,
      fromRepId: m.fromRepId,
      fromName: from?.name ?? null,
      toRepId: m.toRepId,
      toName: to.name,
      index: m.index,
      factors,
      appliedAt: null,
      heldReason: null,
    });
  }
  lines.sort(byIndexThenAccount);
  const id = await db.$transaction(async (tx) => {
    const created = await insertRebalance(tx, {
      quarter: meta.quarter,
      mode: meta.mode,
      parameters: meta.parameters,
      summary,
      effectiveFrom: meta.effectiveFrom,
      createdBy: meta.actor,
      createdAt: meta.now,
      moves: rows,
    });
    await recordAudit(tx, {
      actor: meta.actor,
      action: "rebalance.drafted",
      subjectType: "rebalance",
      subjectId: created,
      details: {
        quarter: meta.quarter,
        mode: meta.mode,
        moves: rows.length,
        spreadBefore: summary.spreadBefore,
        spreadAfter: summary.spreadAfter,
      },
      at: meta.now,
    });
    return created;
  });
  return {
    ok: true,
    value: {
      id,
      quarter: meta.quarter,
      mode: meta.mode,
      status: "draft",
      effectiveFrom: meta.effectiveFrom,
      createdAt: meta.now,
      createdBy: meta.actor,
      summary,
      moves: lines,
    },
  };
}

export function byIndexThenAccount(a: MoveLine, b: MoveLine): number {
  return b.index - a.index || (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0);
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
