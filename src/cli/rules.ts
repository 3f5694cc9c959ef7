// `turf rules list | add <file> | disable <id> | explain <account> | reevaluate [--dry-run] | export`
import { readFileSync } from "node:fs";
import { loadReps, loadRules, loadTerritories } from "../db/book.ts";
import { describeRule, type NameLookups } from "../domain/rules/describe.ts";
import { serializeRules } from "../domain/rules/rule-file.ts";
import { matchAccount } from "../services/ownership/lookup-owner.ts";
import { reevaluateBook } from "../services/ownership/reevaluate-book.ts";
import { whyOwner } from "../services/ownership/why-owner.ts";
import { disableRule } from "../services/rules/add-rule.ts";
import { addRulesFromFile } from "../services/rules/rule-file-import.ts";
import type { CliCommand, CliContext } from "./commands.ts";

const USAGE =
  "turf rules list [--all] | add <rules.yaml> | disable <rule-id> | explain <account> | reevaluate | export";

async function names(context: CliContext): Promise<NameLookups> {
  const [reps, territories] = await Promise.all([
    loadReps(context.db.prisma),
    loadTerritories(context.db.prisma),
  ]);
  const rep = new Map(reps.map((r) => [r.id, r.name]));
  const territory = new Map(territories.map((t) => [t.id, t.name]));
  return { rep: (id) => rep.get(id), territory: (id) => territory.get(id) };
}

export const rulesCommand: CliCommand = {
  name: "rules",
  usage: "rules <list|add|disable|…>",
  summary: "list, add, disable, explain, reevaluate, export: the rule set and how it decides",
  async run(args, context) {
    const [sub, ...rest] = args;
    const actor = `cli:${process.env.USER ?? "admin"}`;
    const db = context.db.prisma;
    switch (sub) {
      case "list": {
        const rules = await loadRules(db, { includeInactive: rest.includes("--all") });
        const lookup = await names(context);
        for (const rule of rules) context.out(`${rule.id.padEnd(40)} ${describeRule(rule, lookup)}`);
        context.out(`${rules.length} rule(s)`);
        return 0;
      }
      case "export": {
        context.out(serializeRules(await loadRules(db, { includeInactive: rest.includes("--all") })));
        return 0;
      }
      case "add": {
        const file = rest[0];
        if (!file) break;
        const result = await addRulesFromFile(db, readFileSync(file, "utf8"), actor, context.now);
        if (!result.ok) {
          context.err(`No rule was added: ${result.errors.length} problem(s) in ${file}:`);
          for (const e of result.errors) context.err(`  ${e}`);
          return 1;
        }
        for (const a of result.added) {
          context.out(`added ${a.id}: ${a.text}`);
          for (const r of a.analysis.shadowedBy)
            context.out(`  ! never fires: ${r.id} always decides first (${r.text})`);
          for (const r of a.analysis.shadows) context.out(`  ! makes ${r.id} unreachable (${r.text})`);
          for (const r of a.analysis.conflicts)
            context.out(`  ! conflicts with ${r.id}: same precedence, different outcome (${r.text})`);
        }
        if (result.unchanged.length) context.out(`unchanged: ${result.unchanged.join(", ")}`);
        return 0;
      }
      case "disable": {
        const id = rest[0];
        if (!id) break;
        const result = await disableRule(db, id, actor, context.now);
        if (!result.ok) {
          context.err(result.error);
          return 1;
        }
        context.out(`disabled ${id}`);
        return 0;
      }
      case "explain": {
        const query = rest.join(" ");
        if (!query) break;
        const match = await matchAccount(db, query);
        if (match.status !== "match") {
          context.err(
            match.status === "ambiguous"
              ? `"${query}" could be: ${match.candidates.map((c) => `${c.name} (${c.crmId})`).join(", ")}`
              : `No account matches "${query}".`,
          );
          return 1;
        }
        const calendar = {
          timeZone: context.env.TURF_TIMEZONE,
          startMonth: context.env.TURF_FISCAL_YEAR_START_MONTH,
        };
        const why = await whyOwner(db, match.best.accountId, { now: context.now, calendar });
        if (!why) return 1;
        context.out(
          `${why.card.account.name} (${why.card.account.crmId}): owned by ${why.card.owner?.name ?? "nobody"}`,
        );
        if (why.pending) context.out(`pending: ${why.pending.sentence}`);
        context.out(`rules today: ${why.verdict.reason}`);
        for (const t of why.verdict.trail)
          context.out(
            `  ${t.outcome.padEnd(11)} ${t.rule.id}: ${t.rule.text}${t.note ? ` — ${t.note}` : ""}`,
          );
        return 0;
      }
      case "reevaluate": {
        const calendar = {
          timeZone: context.env.TURF_TIMEZONE,
          startMonth: context.env.TURF_FISCAL_YEAR_START_MONTH,
        };
        const report = await reevaluateBook(db, { now: context.now, actor, calendar });
        context.out(
          `evaluated ${report.evaluated}: ${report.changed} changed owner, ${report.unchanged} unchanged, ${report.held.length} held by open opportunities, ${report.whiteSpace.length} white space, ${report.scheduled} newly scheduled for a later date`,
        );
        for (const h of report.held.slice(0, 20))
          context.out(`  held: ${h.name} (${h.crmId}), ${h.openOpportunities} open opportunities`);
        return 0;
      }
    }
    context.err(`Usage: ${USAGE}`);
    return 2;
  },
};
