// App Home for managers: a compact territory health section (coverage band per territory), under
// the rep's own sections, so the plan's weak spots are one click away from /rebalance preview.
import type { CoverageBand } from "../../../domain/rebalance/health.ts";
import type { HealthReport } from "../../../services/reports/territory-health.ts";
import { type Block, context, divider, section } from "../blocks.ts";
import { name, packLines } from "./format.ts";

const BAND: Record<CoverageBand, { icon: string; label: string }> = {
  no_quota: { icon: ":white_circle:", label: "no quota set" },
  cannot_make_number: { icon: ":red_circle:", label: "below 2.5x, cannot make the number" },
  thin: { icon: ":large_orange_circle:", label: "thin (2.5–3x)" },
  healthy: { icon: ":large_green_circle:", label: "healthy (3–5x)" },
  heavy: { icon: ":large_yellow_circle:", label: "heavy (5–6x)" },
  stale: { icon: ":large_purple_circle:", label: "above 6x, likely stale" },
};

const pct = (x: number | null): string => (x === null ? "n/a" : `${Math.round(x * 100)}%`);

export function territoryHealthSection(report: HealthReport): Block[] {
  const lines = report.territories.map((t) => {
    const h = t.health;
    const band = BAND[h.band];
    const coverage = h.coverage === null ? "" : ` ${h.coverage.toFixed(1)}x`;
    return `${band.icon} *${name(t.name)}*${coverage} — ${band.label} · win rate ${pct(h.winRate)} · health ${h.score}`;
  });
  const blocks: Block[] = [divider(), section("*Territory health* (managers)")];
  if (lines.length === 0) blocks.push(context("No territories yet: `turf import territories` loads them."));
  else
    blocks.push(
      ...packLines(lines)
        .slice(0, 3)
        .map((t) => section(t)),
    );
  blocks.push(
    context(
      `${report.quotaNote ? `${report.quotaNote} ` : ""}Coverage is open pipeline ÷ quarterly quota. \`/rebalance preview\` drafts next quarter's moves; \`turf report health\` has per-rep figures.`,
    ),
  );
  return blocks;
}
