// `turf outbox list | retry`: the Slack messages Turf could not deliver. A message is retried with
// backoff on Slack errors and gives up ("dead") after its last attempt or on an error retrying cannot
// fix (a channel the bot is not in, a deleted user); after fixing the cause, `retry` queues it again.
import { Option } from "commander";
import { act, type CommandModule } from "./context.ts";

const STATUSES = ["pending", "sent", "dead"] as const;

export const outboxModule: CommandModule = {
  register(program, context) {
    const outbox = program.command("outbox").description("Slack messages waiting, sent, or given up (dead)");
    outbox
      .command("list")
      .description(
        "list messages, newest first (tab-separated: id, status, attempts, purpose, to, created, last error)",
      )
      .addOption(new Option("--status <status>", "only this status").choices(STATUSES).default("dead"))
      .option("--limit <n>", "at most this many", "50")
      .action(
        act(context, async (options: { status: (typeof STATUSES)[number]; limit: string }) => {
          const limit = Number(options.limit);
          if (!Number.isInteger(limit) || limit < 1) {
            context.err(`--limit must be a whole number of 1 or more, got "${options.limit}".`);
            return 2;
          }
          const { createOutboxServices } = await import("../services/outbox/index.ts");
          const db = (await context.database()).prisma;
          const rows = await createOutboxServices(db, { now: () => context.now }).list({
            status: options.status,
            limit,
          });
          for (const r of rows)
            context.out(
              [
                r.id,
                r.status,
                r.attempts,
                r.purpose,
                `${r.kind}:${r.channel ?? r.subjectId ?? ""}`,
                r.createdAt.toISOString(),
                (r.lastError ?? "").replace(/\s+/g, " "),
              ].join("\t"),
            );
          if (rows.length === 0) context.err(`No ${options.status} messages.`);
          return 0;
        }),
      );
    outbox
      .command("retry")
      .description("queue dead messages again (all of them, or the ids given) with a fresh set of attempts")
      .argument("[ids...]", "message ids from `turf outbox list`")
      .action(
        act(context, async (ids: string[]) => {
          const { createOutboxServices } = await import("../services/outbox/index.ts");
          const db = (await context.database()).prisma;
          const count = await createOutboxServices(db, { now: () => context.now }).retryDead(
            ids.length > 0 ? ids : undefined,
          );
          context.out(String(count));
          context.err(
            count === 0
              ? "Nothing to retry: no dead message matched."
              : `Queued ${count} message(s) again; the app delivers them at its next sweep.`,
          );
          return 0;
        }),
      );
  },
};
