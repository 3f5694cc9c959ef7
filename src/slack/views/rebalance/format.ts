// Wording shared by the rebalance modal, memo and DMs, so a number reads the same everywhere.
import type { MoveFactors, RepFigures, RepLine } from "../../../services/rebalance/summary.ts";
import { clip, escapeMrkdwn } from "../limits.ts";

export const num = (x: number, digits = 1): string =>
  x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const spreadText = (spread: number | null): string => (spread === null ? "unbounded" : num(spread, 2));

export const coverageText = (c: number | null): string => (c === null ? "n/a" : `${num(c, 1)}x`);

export const money = (x: number): string => `$${Math.round(x).toLocaleString("en-US")}`;

export const name = (text: string): string => escapeMrkdwn(clip(text, 120));

/** The three account factors, each with its raw value and the points it earned. */
export function factorsText(f: MoveFactors): string {
  const icp = f.icpFit.raw === null ? "ICP fit unscored" : `ICP fit ${f.icpFit.raw}/5`;
  const size = f.sizeBand.raw === null ? "size unknown" : `size ${f.sizeBand.raw}`;
  const opps = f.openOpportunities.raw;
  const oppText = `${opps} open ${opps === 1 ? "opportunity" : "opportunities"} (${f.openOpportunities.band})`;
  return `${icp} → ${num(f.icpFit.points)} pts · ${size} → ${num(f.sizeBand.points)} pts · ${oppText} → ${num(f.openOpportunities.points)} pts`;
}

function figures(f: RepFigures): string {
  return `${num(f.adjustedTotal)} adj · ${f.accountCount} accts · ${coverageText(f.coverage)}`;
}

/** One rep's before → after line: index total, capacity-adjusted total, accounts and coverage. */
export function repLineText(r: RepLine): string {
  const after = r.after;
  const head = `*${name(r.name)}* (capacity ${num(r.capacityWeight)})`;
  if (!after) return `${head}: ${figures(r.before)} → leaves, book handed over`;
  const index = `index ${num(r.before.indexTotal)} → ${num(after.indexTotal)}`;
  const adj = `adjusted ${num(r.before.adjustedTotal)} → ${num(after.adjustedTotal)}`;
  const accts = `${r.before.accountCount} → ${after.accountCount} accounts`;
  const cov =
    r.quota === null
      ? ""
      : ` · coverage ${coverageText(r.before.coverage)} → ${coverageText(after.coverage)}`;
  return `${head}: ${index} · ${adj} · ${accts}${cov}`;
}

/** Packs lines into as few section texts as fit under Slack's per-section limit. */
export function packLines(lines: readonly string[], limit = 2900): string[] {
  const out: string[] = [];
  let current = "";
  for (const raw of lines) {
    const line = clip(raw, limit);
    if (current && current.length + 1 + line.length > limit) {
      out.push(current);
      current = line;
    } else {
      current = current ? `${current}\n${line}` : line;
    }
  }
  if (current) out.push(current);
  return out;
}
