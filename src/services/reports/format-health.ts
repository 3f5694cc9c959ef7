// The territory health report as text for the CLI (table or Markdown).
import type { CoverageBand } from "../../domain/rebalance/health.ts";
import type { HealthReport, HealthRow } from "./territory-health.ts";

export const BAND_LABEL: Record<CoverageBand, string> = {
  no_quota: "no quota",
  cannot_make_number: "below 2.5x: cannot make the number",
  thin: "2.5–3x: thin",
  healthy: "3–5x: healthy",
  heavy: "5–6x: heavy",
  stale: "above 6x: likely stale",
};

const money = (x: number | null): string =>
  x === null ? "n/a" : `$${Math.round(x).toLocaleString("en-US")}`;
const pct = (x: number | null): string => (x === null ? "n/a" : `${Math.round(x * 100)}%`);
const times = (x: number | null): string => (x === null ? "n/a" : `${x.toFixed(2)}x`);

const HEADERS = [
  "Name",
  "Scope",
  "Quarter quota",
  "Open pipeline",
  "Coverage",
  "Band",
  "Win rate",
  "Avg deal",
  "Attainment",
  "Health",
];

function cells(r: HealthRow): string[] {
  const h = r.health;
  return [
    r.name,
    r.detail,
    money(r.quarterQuota),
    money(r.figures.openPipeline),
    times(h.coverage),
    BAND_LABEL[h.band],
    pct(h.winRate),
    money(h.averageDealSize),
    pct(h.attainment),
    String(h.score),
  ];
}

function table(headers: string[], rows: string[][], markdown: boolean): string[] {
  if (markdown) {
    const esc = (c: string) => c.replace(/\|/g, "\\|");
    return [
      `| ${headers.join(" | ")} |`,
      `|${headers.map(() => " --- ").join("|")}|`,
      ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`),
    ];
  }
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cs: string[]) =>
    cs
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}

export function formatHealthReport(report: HealthReport, format: "table" | "markdown"): string {
  const md = format === "markdown";
  const heading = (t: string) => (md ? `## ${t}` : `${t}\n${"=".repeat(t.length)}`);
  const out: string[] = [
    md ? "# Territory health" : "Territory health",
    "",
    `Team quota: ${money(report.teamQuota)} a year. Coverage = open pipeline ÷ quarterly quota (bands: below 2.5x cannot make the number, 3–5x healthy, above 6x stale). Attainment = won ÷ annual quota, ${pct(report.periodElapsed)} of the fiscal year gone.`,
  ];
  if (report.quotaNote) out.push("", report.quotaNote);
  out.push("", heading("Territories"), "", ...table(HEADERS, report.territories.map(cells), md));
  out.push("", heading("Reps"), "", ...table(HEADERS, report.reps.map(cells), md));
  if (report.quotas.length > 0) {
    out.push(
      "",
      heading("Quota per territory"),
      "",
      ...table(
        ["Territory", "Type", "Coefficient", "Per rep", "Territory quota", "Reconciled"],
        report.quotas.map((q) => [
          q.name,
          q.type,
          String(q.coefficient),
          money(q.perRepQuota),
          money(q.territoryQuota),
          money(q.reconciledQuota),
        ]),
        md,
      ),
      "",
      ...report.quotas.map((q) => `${md ? "- " : ""}${q.name}: ${q.rationale}`),
    );
  }
  out.push("");
  return out.join("\n");
}
