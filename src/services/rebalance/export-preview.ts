// The preview as text for the CLI: a readable table, CSV (one row per move, for a spreadsheet) or
// Markdown (summary, per-rep table and moves, for a wiki page or a PR).
import { isoDay } from "../../domain/dates/format.ts";
import type { MoveLine, RebalancePreview } from "./preview-rebalance.ts";
import type { RepFigures } from "./summary.ts";

export const EXPORT_FORMATS = ["table", "csv", "markdown"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const fixed = (x: number, d = 1): string => x.toFixed(d);
const spread = (x: number | null): string => (x === null ? "unbounded" : x.toFixed(2));
const coverage = (c: number | null): string => (c === null ? "n/a" : `${c.toFixed(2)}x`);

export const MOVE_COLUMNS = [
  "account_crm_id",
  "account_name",
  "from_rep",
  "to_rep",
  "allocation_index",
  "icp_fit",
  "icp_points",
  "size_band",
  "size_points",
  "open_opportunities",
  "opportunity_band",
  "opportunity_points",
  "from_capacity_weight",
  "to_capacity_weight",
  "reason",
] as const;

function moveCells(m: MoveLine): string[] {
  const f = m.factors;
  return [
    m.crmId,
    m.accountName,
    m.fromName ?? "",
    m.toName,
    fixed(m.index, 2),
    f.icpFit.raw === null ? "" : String(f.icpFit.raw),
    fixed(f.icpFit.points, 2),
    f.sizeBand.raw ?? "",
    fixed(f.sizeBand.points, 2),
    String(f.openOpportunities.raw),
    f.openOpportunities.band,
    fixed(f.openOpportunities.points, 2),
    f.fromCapacityWeight === null ? "" : String(f.fromCapacityWeight),
    String(f.toCapacityWeight),
    f.reason,
  ];
}

/**
 * RFC 4180 quoting, plus a leading apostrophe on cells a spreadsheet would run as a formula
 * (an account named "=HYPERLINK(…)" must stay text).
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csv(p: RebalancePreview): string {
  const lines = [MOVE_COLUMNS.join(",")];
  for (const m of p.moves) lines.push(moveCells(m).map(csvCell).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

function headline(p: RebalancePreview, timeZone: string): string[] {
  const s = p.summary;
  return [
    `Rebalance ${p.quarter} (${p.mode}, ${p.status}) — id ${p.id}`,
    `Takes effect ${isoDay(p.effectiveFrom, timeZone)} (${timeZone}). Moves: ${s.moveCount}${s.fromScratchMoveCount === null ? "" : ` (a from-scratch draft would move ${s.fromScratchMoveCount})`}.`,
    `Spread of capacity-adjusted totals (max ÷ min): ${spread(s.spreadBefore)} → ${spread(s.spreadAfter)}${s.withinTolerance ? "" : " (outside tolerance)"}.`,
    `Trigger: ${s.trigger.rebalance ? "fires" : "does not fire"}. ${s.trigger.reason}`,
    `Locked accounts (open opportunities or named): ${s.lockedAccounts}. Left out: ${s.excluded.unowned} white space, ${s.excluded.ownerOutsideDraft} owned by reps outside the draft.`,
  ];
}

const REP_HEADERS = [
  "Rep",
  "Capacity",
  "Index before",
  "Index after",
  "Adjusted before",
  "Adjusted after",
  "Accounts before",
  "Accounts after",
  "Coverage before",
  "Coverage after",
];
const MOVE_HEADERS = [
  "Account",
  "CRM id",
  "From",
  "To",
  "Index",
  "ICP fit",
  "Size band",
  "Open opps",
  "Capacity from → to",
];

function repRows(p: RebalancePreview): string[][] {
  const empty: RepFigures = {
    indexTotal: 0,
    adjustedTotal: 0,
    accountCount: 0,
    openPipeline: 0,
    coverage: null,
  };
  return p.summary.reps.map((r) => {
    const a = r.after ?? empty;
    return [
      r.name,
      fixed(r.capacityWeight),
      fixed(r.before.indexTotal),
      fixed(a.indexTotal),
      fixed(r.before.adjustedTotal),
      fixed(a.adjustedTotal),
      String(r.before.accountCount),
      String(a.accountCount),
      coverage(r.before.coverage),
      coverage(r.after ? a.coverage : null),
    ];
  });
}

function moveRows(p: RebalancePreview): string[][] {
  return p.moves.map((m) => {
    const f = m.factors;
    return [
      m.accountName,
      m.crmId,
      m.fromName ?? "(white space)",
      m.toName,
      fixed(m.index),
      `${f.icpFit.raw ?? "?"}/5 = ${fixed(f.icpFit.points)}`,
      `${f.sizeBand.raw ?? "?"} = ${fixed(f.sizeBand.points)}`,
      `${f.openOpportunities.raw} ${f.openOpportunities.band} = ${fixed(f.openOpportunities.points)}`,
      `${f.fromCapacityWeight ?? "–"} → ${f.toCapacityWeight}`,
    ];
  });
}

function padTable(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}

const mdCell = (c: string): string => c.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
function mdTable(headers: string[], rows: string[][]): string[] {
  return [
    `| ${headers.map(mdCell).join(" | ")} |`,
    `|${headers.map(() => " --- ").join("|")}|`,
    ...rows.map((r) => `| ${r.map(mdCell).join(" | ")} |`),
  ];
}

/** `timeZone` is TURF_TIMEZONE: the effective date is the company's calendar day. */
export function formatPreview(p: RebalancePreview, format: ExportFormat, timeZone: string): string {
  if (format === "csv") return csv(p);
  if (format === "markdown") {
    const [title, ...rest] = headline(p, timeZone);
    return [
      `# ${title}`,
      "",
      ...rest.map((l) => `- ${l}`),
      "",
      "## Before → after per rep",
      "",
      ...mdTable(REP_HEADERS, repRows(p)),
      "",
      "## Moves",
      "",
      ...(p.moves.length === 0 ? ["No account needs to move."] : mdTable(MOVE_HEADERS, moveRows(p))),
      "",
    ].join("\n");
  }
  return [
    ...headline(p, timeZone),
    "",
    ...padTable(REP_HEADERS, repRows(p)),
    "",
    ...(p.moves.length === 0 ? ["No account needs to move."] : padTable(MOVE_HEADERS, moveRows(p))),
    "",
  ].join("\n");
}
