// Territory health as the guide's dashboard has it: pipeline coverage with its bands, win rate,
// average deal size, attainment and a health score per rep and per territory, plus quota per
// territory (team quota ÷ reps × coefficient, reconciled to the team target, with a rationale).
//
// Periods: open opportunities carry no close date here, so all open pipeline counts toward the
// current quarter — coverage is open pipeline ÷ quarterly quota (annual ÷ 4) — and closed business
// toward the fiscal year: attainment is won ÷ annual quota, judged against the share of the year gone.
import type { Db } from "../../db/client.ts";
import { loadRebalanceBook, loadRepPipelines } from "../../db/rebalance.ts";
import {
  type PipelineFigures,
  quotaByTerritory,
  sumFigures,
  type TerritoryHealth,
  type TerritoryQuota,
  type TerritoryType,
  territoryHealth,
} from "../../domain/rebalance/health.ts";
import { fiscalQuarterOf, parseQuarterLabel } from "../../domain/rebalance/quarters.ts";
import { draftReps } from "../rebalance/draft-input.ts";
import { type RebalanceSettings, withDefaults } from "../rebalance/settings.ts";

export type HealthRow = {
  id: string;
  name: string;
  /** Territory names for a rep; the rep count for a territory. */
  detail: string;
  /** Quarterly quota used for coverage; null without a team quota. */
  quarterQuota: number | null;
  annualQuota: number | null;
  figures: PipelineFigures;
  health: TerritoryHealth;
};

export type QuotaRow = TerritoryQuota & { name: string; type: TerritoryType };

export type HealthReport = {
  teamQuota: number | null;
  periodElapsed: number;
  reps: HealthRow[];
  territories: HealthRow[];
  quotas: QuotaRow[];
  /** Why quotas are missing (no team quota, a coefficient outside its range…). */
  quotaNote: string | null;
};

export type HealthReportOptions = {
  now: Date;
  settings?: Partial<RebalanceSettings>;
  /** Overrides settings.teamQuota (the CLI's --team-quota). */
  teamQuota?: number | null;
  /** Territory name → the guide's territory type; unnamed territories are "mature_average". */
  territoryTypes?: Record<string, TerritoryType>;
  /** Territory name → a coefficient inside its type's range. */
  coefficients?: Record<string, number>;
};

export async function territoryHealthReport(db: Db, options: HealthReportOptions): Promise<HealthReport> {
  const settings = withDefaults(options.settings);
  const teamQuota = options.teamQuota === undefined ? settings.teamQuota : options.teamQuota;
  const [book, pipelines] = await Promise.all([loadRebalanceBook(db), loadRepPipelines(db)]);
  const reps = draftReps(book);
  const pipelineOf = new Map(pipelines.map((p) => [p.repId, p]));
  const territoryName = new Map(book.territories.map((t) => [t.id, t.name]));

  const quarter = fiscalQuarterOf(options.now, settings.calendar);
  const yearStart = parseQuarterLabel(`FY${quarter.fiscalYear}-Q1`, settings.calendar);
  const yearEnd = parseQuarterLabel(`FY${quarter.fiscalYear + 1}-Q1`, settings.calendar);
  const periodElapsed =
    yearStart.ok && yearEnd.ok
      ? Math.min(
          1,
          Math.max(
            0,
            (options.now.getTime() - yearStart.value.start.getTime()) /
              (yearEnd.value.start.getTime() - yearStart.value.start.getTime()),
          ),
        )
      : 1;

  const repsIn = new Map<string, typeof reps>();
  for (const r of reps) {
    // A rep in several territories counts in the first (id order) so quotas are not double-counted.
    const first = [...r.territoryIds].sort()[0];
    if (!first) continue;
    repsIn.set(first, [...(repsIn.get(first) ?? []), r]);
  }
  const quotaTerritories = book.territories.filter((t) => (repsIn.get(t.id)?.length ?? 0) > 0);
  let quotas: QuotaRow[] = [];
  let quotaNote: string | null = null;
  const annualQuotaOfRep = new Map<string, number>();
  if (teamQuota === null || teamQuota <= 0) {
    quotaNote =
      "No team quota set: pipeline coverage and attainment need one (TURF_TEAM_QUOTA=24000000, or turf report health --team-quota 24000000).";
  } else {
    const typeOf = (name: string): TerritoryType => options.territoryTypes?.[name] ?? "mature_average";
    const result = quotaByTerritory(
      teamQuota,
      quotaTerritories.map((t) => ({
        territoryId: t.id,
        type: typeOf(t.name),
        repCount: repsIn.get(t.id)?.length ?? 0,
        ...(options.coefficients?.[t.name] !== undefined
          ? { coefficient: options.coefficients[t.name] }
          : {}),
      })),
    );
    if (!result.ok) {
      quotaNote = result.error.message.replace(
        result.error.territoryId ?? "\u0000",
        territoryName.get(result.error.territoryId ?? "") ?? "",
      );
    } else {
      quotas = result.value.territories.map((q) => {
        const name = territoryName.get(q.territoryId) ?? q.territoryId;
        return { ...q, name, type: typeOf(name) };
      });
      for (const q of quotas) {
        const members = repsIn.get(q.territoryId) ?? [];
        const cap = members.reduce((s, r) => s + r.capacityWeight, 0);
        // Within a territory, quota follows capacity: a half-ramp rep carries half a share.
        for (const r of members)
          annualQuotaOfRep.set(r.id, cap > 0 ? (q.reconciledQuota * r.capacityWeight) / cap : 0);
      }
    }
  }

  const figuresOf = (repId: string): PipelineFigures => {
    const p = pipelineOf.get(repId);
    const annual = annualQuotaOfRep.get(repId);
    return {
      openPipeline: p?.openPipeline ?? 0,
      quota: annual === undefined ? 0 : annual / 4,
      wonAmount: p?.wonAmount ?? 0,
      wonCount: p?.wonCount ?? 0,
      lostCount: p?.lostCount ?? 0,
    };
  };
  const allFigures = reps.map((r) => figuresOf(r.id));
  const team = sumFigures(allFigures);
  const teamAverageDealSize = team.wonCount > 0 ? team.wonAmount / team.wonCount : null;
  // territoryHealth reads one quota for both coverage and attainment; attainment here is against the
  // annual quota, so it is worked out separately and the score recomputed with the right pace.
  const rowOf = (id: string, name: string, detail: string, f: PipelineFigures): HealthRow => {
    const annual = f.quota > 0 ? f.quota * 4 : null;
    const coverageHealth = territoryHealth(f, { teamAverageDealSize });
    const attainmentHealth = territoryHealth(
      { ...f, quota: annual ?? 0 },
      { teamAverageDealSize, periodElapsed },
    );
    const health: TerritoryHealth = {
      ...coverageHealth,
      attainment: attainmentHealth.attainment,
      components: { ...coverageHealth.components, attainment: attainmentHealth.components.attainment },
    };
    const c = health.components;
    health.score = Math.round(
      100 * (0.4 * c.coverage + 0.2 * c.winRate + 0.3 * c.attainment + 0.1 * c.dealSize),
    );
    return {
      id,
      name,
      detail,
      quarterQuota: f.quota > 0 ? f.quota : null,
      annualQuota: annual,
      figures: f,
      health,
    };
  };
  const repRows = reps
    .map((r, i) =>
      rowOf(
        r.id,
        r.name,
        r.territoryIds.map((t) => territoryName.get(t) ?? t).join(", "),
        allFigures[i] as PipelineFigures,
      ),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
  const territoryRows = book.territories
    .map((t) => {
      const members = repsIn.get(t.id) ?? [];
      return rowOf(
        t.id,
        t.name,
        `${members.length} rep${members.length === 1 ? "" : "s"}`,
        sumFigures(members.map((r) => figuresOf(r.id))),
      );
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return { teamQuota, periodElapsed, reps: repRows, territories: territoryRows, quotas, quotaNote };
}
