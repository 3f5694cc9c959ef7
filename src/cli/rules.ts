// `turf rules list | add | disable | explain | reevaluate | export`: the rule set and how it decides.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import type { Db } from "../db/client.ts";
import type { NameLookups } from "../domain/rules/describe.ts";
import { act, type CliContext, type CommandModule } from "./context.ts";

async function names(db: Db): Promise<NameLookups> {
  const { loadReps, loadTerritories } = await import("../db/book.ts");
  const [reps, territories] = await Promise.all([loadReps(db), loadTerritories(db)]);
  const rep = new Map(reps.map((r) => [r.id, r.name]));
  const territory = new Map(territories.map((t) => [t.id, t.name]));
  return { rep: (id) => rep.get(id), territory: (id) => territory.get(id) };
}

function registerList(rules: Command, context: CliContext) {
  rules
    .command("list")
    .description("the rule set in plain language")
    .option("--all", "include disabled rules")
    .option("--json", "print the rules as JSON (one document) instead of text")
    .action(
      act(context, async (options: { all?: boolean; json?: boolean }) => {
        const db = (await context.database()).prisma;
        const { loadRules } = await import("../db/book.ts");
        const { describeRule } = await import("../domain/rules/describe.ts");
        const list = await loadRules(db, { includeInactive: options.all === true });
        const lookup = await names(db);
        if (options.json) {
          context.out(
            JSON.stringify(
              list.map((rule) => ({ ...rule, description: describeRule(rule, lookup) })),
              null,
              2,
            ),
          );
          return 0;
        }
        for (const rule of list) context.out(`${rule.id.padEnd(40)} ${describeRule(rule, lookup)}`);
        context.err(`${list.length} rule(s)`);
        return 0;
      }),
    );
}

function registerAdd(rules: Command, context: CliContext) {
  rules
    .command("add")
    .description("add rules from a YAML or JSON file (all-or-nothing; re-applying is a no-op)")
    .argument("<file>", "rules file, e.g. the output of `turf rules export`")
    .option("--dry-run", "check the file and show what would be added; write nothing")
    .option("--out <changes.csv>", "write the rules that would be added (id, action, text) to a CSV file")
    .action(
      act(context, async (file: string, flags: { dryRun?: boolean; out?: string }) => {
        let text: string;
        try {
          text = readFileSync(file, "utf8");
        } catch {
          context.err(`Cannot read ${file}.`);
          return 2;
        }
        const db = (await context.database()).prisma;
        const { addRulesFromFile } = await import("../services/rules/rule-file-import.ts");
        const { inTransaction } = await import("../db/dry-run.ts");
        const result = await inTransaction(
          db,
          (tx) => addRulesFromFile(tx, text, context.actor, context.now),
          { dryRun: flags.dryRun === true },
        );
        if (!result.ok) {
          context.err(`No rule was added: ${result.errors.length} problem(s) in ${file}:`);
          for (const e of result.errors) context.err(`  ${e}`);
          return 1;
        }
        if (flags.dryRun)
          context.out(
            `Dry run, nothing written: would add ${result.added.length} rule(s), ${result.unchanged.length} unchanged.`,
          );
        const verb = flags.dryRun ? "would add" : "added";
        for (const a of result.added) {
          context.out(`${verb} ${a.id}: ${a.text}`);
          for (const r of a.analysis.shadowedBy)
            context.out(`  ! never fires: ${r.id} always decides first (${r.text})`);
          for (const r of a.analysis.shadows) context.out(`  ! makes ${r.id} unreachable (${r.text})`);
          for (const r of a.analysis.conflicts)
            context.out(`  ! conflicts with ${r.id}: same precedence, different outcome (${r.text})`);
        }
        if (result.unchanged.length) context.out(`unchanged: ${result.unchanged.join(", ")}`);
        if (flags.out) {
          const { writeCsvFile } = await import("../services/export/csv-file.ts");
          await writeCsvFile(
            flags.out,
            ["rule_id", "action", "text"],
            [
              ...result.added.map((a) => [a.id, "added", a.text]),
              ...result.unchanged.map((id) => [id, "unchanged", ""]),
            ],
          );
          context.err(`Wrote ${result.added.length + result.unchanged.length} rule(s) to ${flags.out}.`);
        }
        return 0;
      }),
    );
}

function registerDisable(rules: Command, context: CliContext) {
  rules
    .command("disable")
    .description("disable one rule (its history stays)")
    .argument("<rule-id>", "the rule's id, as `turf rules list` shows it")
    .action(
      act(context, async (id: string) => {
        const db = (await context.database()).prisma;
        const { disableRule } = await import("../services/rules/add-rule.ts");
        const result = await disableRule(db, id, context.actor, context.now);
        if (!result.ok) {
          context.err(result.error);
          return 1;
        }
        context.out(`disabled ${id}`);
        return 0;
      }),
    );
}

function registerExplain(rules: Command, context: CliContext) {
  rules
    .command("explain")
    .description("the rule trail for one account")
    .argument("<account...>", "account name, domain or CRM id")
    .action(
      act(context, async (words: string[]) => {
        const query = words.join(" ");
        const db = (await context.database()).prisma;
        const { matchAccount } = await import("../services/ownership/lookup-owner.ts");
        const { whyOwner } = await import("../services/ownership/why-owner.ts");
        const match = await matchAccount(db, query);
        if (match.status !== "match") {
          context.err(
            match.status === "ambiguous"
              ? `"${query}" could be: ${match.candidates.map((c) => `${c.name} (${c.crmId})`).join(", ")}`
              : `No account matches "${query}".`,
          );
          return 1;
        }
        const why = await whyOwner(db, match.best.accountId, {
          now: context.now,
          calendar: calendarOf(context),
        });
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
        for (const s of why.signals)
          context.out(
            `signal: ${s.occurredAt.toISOString()} ${s.type} strength ${s.strength} (${s.source}) ${s.status}${s.repName ? ` to ${s.repName}` : ""}`,
          );
        return 0;
      }),
    );
}

function registerReevaluate(rules: Command, context: CliContext) {
  rules
    .command("reevaluate")
    .description("apply the rules to the whole book")
    .option("--dry-run", "compute exactly which owners would change; write nothing")
    .option("--out <changes.csv>", "write every owner change to a CSV file")
    .option(
      "--yes",
      "apply even when more than TURF_REEVALUATE_MAX_CHANGE_SHARE of owned accounts would change owner",
    )
    .action(
      act(context, async (flags: { dryRun?: boolean; out?: string; yes?: boolean }) => {
        const db = (await context.database()).prisma;
        const { reevaluateBook } = await import("../services/ownership/reevaluate-book.ts");
        const emails = new Map(
          (await db.rep.findMany({ select: { id: true, email: true } })).map((r) => [r.id, r.email]),
        );
        const email = (repId: string | null) => (repId === null ? null : (emails.get(repId) ?? repId));
        // Run on the database itself, not inside one transaction: the book is then read and the
        // changes written by COPY in bounded memory (src/db/book.ts). A dry run first, so the guard
        // sees what a run would take before anything is written; the real run writes batch by batch
        // (interrupted, it has written whole batches, and the next run finishes the rest).
        const run = async (dryRun: boolean) => {
          const progress = context.progress("re-evaluating");
          const changes: {
            accountId: string;
            crmId: string;
            account: string;
            fromEmail: string | null;
            toEmail: string | null;
            ruleId: string | null;
            reason: string;
          }[] = [];
          try {
            const report = await reevaluateBook(db, {
              now: context.now,
              actor: context.actor,
              calendar: calendarOf(context),
              dryRun,
              onProgress: (done, total) => progress.update(done, total),
              onChange: (c) =>
                changes.push({
                  accountId: c.accountId,
                  crmId: c.crmId,
                  account: c.name,
                  fromEmail: email(c.fromRepId),
                  toEmail: email(c.toRepId),
                  ruleId: c.ruleId,
                  reason: c.reason,
                }),
            });
            changes.sort((a, b) => (a.crmId < b.crmId ? -1 : a.crmId > b.crmId ? 1 : 0));
            // Decided but not written: another change (a decision) came in while the run read the book.
            const meanwhile = new Set(report.changedMeanwhile);
            return {
              report,
              changes: changes.filter((c) => !meanwhile.has(c.accountId)),
              leftAlone: changes.filter((c) => meanwhile.has(c.accountId)),
            };
          } finally {
            progress.stop();
          }
        };
        let outcome = await run(true);
        let refused: string | null = null;
        if (!flags.dryRun && !flags.yes) {
          const { changeShareRefusal } = await import("../services/rules/reevaluate-guarded.ts");
          const refusal = await changeShareRefusal(
            db,
            outcome.report,
            context.env.TURF_REEVALUATE_MAX_CHANGE_SHARE,
          );
          refused = refusal?.message ?? null;
        }
        if (!flags.dryRun && !refused) outcome = await run(false);
        const { report, changes, leftAlone } = outcome;
        const wrote = !flags.dryRun && !refused;
        const verb = wrote ? "changed" : "would change";
        context.out(
          `${wrote ? "Changed" : flags.dryRun ? "Dry run, nothing written: would change" : "Nothing written: would change"} the owner of ${changes.length} account(s).`,
        );
        context.out(
          `evaluated ${report.evaluated}: ${report.changed} ${verb} owner (${report.reassigned} taken from a rep), ${report.unchanged} unchanged, ${report.held.length} held by open opportunities, ${report.whiteSpace.length} white space, ${report.scheduled} ${wrote ? "newly scheduled" : "would be scheduled"} for a later date`,
        );
        for (const c of changes.slice(0, 20))
          context.out(
            `  ${c.account} (${c.crmId}): ${c.fromEmail ?? "nobody"} → ${c.toEmail ?? "nobody"}${c.reason ? ` — ${c.reason}` : ""}`,
          );
        if (changes.length > 20) context.out(`  … and ${changes.length - 20} more`);
        for (const h of report.held.slice(0, 20))
          context.out(`  held: ${h.name} (${h.crmId}), ${h.openOpportunities} open opportunities`);
        for (const c of leftAlone)
          context.out(
            `  left alone: ${c.account} (${c.crmId}) would have gone to ${c.toEmail ?? "nobody"}, but its owner changed while Turf read the book (a dispute decision, say); the next run evaluates it again`,
          );
        if (flags.out) {
          const { writeCsvFile } = await import("../services/export/csv-file.ts");
          await writeCsvFile(
            flags.out,
            ["crm_id", "account", "from_owner_email", "to_owner_email", "rule_id", "reason"],
            changes.map((c) => [c.crmId, c.account, c.fromEmail, c.toEmail, c.ruleId, c.reason]),
          );
          context.err(`Wrote ${changes.length} change(s) to ${flags.out}.`);
        }
        if (refused) {
          context.err(refused);
          return 1;
        }
        return 0;
      }),
    );
}

function calendarOf(context: CliContext) {
  return { timeZone: context.env.TURF_TIMEZONE, startMonth: context.env.TURF_FISCAL_YEAR_START_MONTH };
}

function registerExport(rules: Command, context: CliContext) {
  rules
    .command("export")
    .description("the rule set as YAML on stdout, for version control (`> rules.yaml`)")
    .option("--all", "include disabled rules")
    .action(
      act(context, async (options: { all?: boolean }) => {
        const db = (await context.database()).prisma;
        const { loadRules } = await import("../db/book.ts");
        const { serializeRules } = await import("../domain/rules/rule-file.ts");
        context.out(serializeRules(await loadRules(db, { includeInactive: options.all === true })));
        return 0;
      }),
    );
}

export const rulesModule: CommandModule = {
  register(program, context) {
    const rules = program.command("rules").description("the rule set and how it decides");
    registerList(rules, context);
    registerAdd(rules, context);
    registerDisable(rules, context);
    registerExplain(rules, context);
    registerReevaluate(rules, context);
    registerExport(rules, context);
  },
};
