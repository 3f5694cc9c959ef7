// `npm start`: configuration → database (migrated, sample data on first run) → Slack → jobs.
// Stops gracefully on SIGTERM/SIGINT: Slack first (no new work), then jobs, then the database.

import dotenv from "dotenv";
import { systemClock } from "./config/clock.ts";
import {
  type AppEnv,
  ConfigError,
  type CoreEnv,
  loadAppEnv,
  loadCoreEnv,
  loadPlaygroundEnv,
  slackTokensMissing,
} from "./config/env.ts";
import { createLogger } from "./config/logger.ts";
import { exitOnStopSignal } from "./config/shutdown.ts";
import { projectRoot } from "./db/data-dir.ts";
import { openConfiguredDatabase } from "./db/open-configured.ts";
import { signalsRoute } from "./http/signals-route.ts";
import { startJobs } from "./jobs/index.ts";
import { servePlayground } from "./playground/index.ts";
import { databaseReadiness } from "./services/health/readiness.ts";
import { createServices } from "./services/index.ts";
import { rebalanceSettingsFromEnv } from "./services/rebalance/settings.ts";
import { linkRepsToSlackUsers } from "./services/reps/link-slack-users.ts";
import { loadSampleDataIfEmpty } from "./services/sample-data.ts";
import { signalSettingsFromEnv } from "./services/signals/settings.ts";
import { createSlackApp } from "./slack/app.ts";
import { noticeMessages } from "./slack/listeners/disputes/send.ts";
import { outboxClient, slackTransport } from "./slack/outbox-transport.ts";
import { slackSignalDelivery } from "./slack/senders/signal-delivery.ts";
import { slackUserByEmail } from "./slack/users-by-email.ts";

dotenv.config({ path: `${projectRoot()}/.env`, quiet: true });

function fail(message: string): never {
  process.stderr.write(`\n${message}\n\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let core: CoreEnv;
  try {
    core = loadCoreEnv(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const logger = createLogger({ level: core.LOG_LEVEL });
  let env: AppEnv | undefined;
  let slackProblem: ConfigError | null = null;
  try {
    env = loadAppEnv(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    slackProblem = error;
  }

  const db = await openConfiguredDatabase(core, logger);
  if (core.TURF_LOAD_SAMPLE_DATA) {
    await loadSampleDataIfEmpty(db.prisma, systemClock.now(), logger).catch(async (error: unknown) => {
      await db.close();
      throw error;
    });
  }
  if (!env || slackProblem) {
    // No Slack tokens at all: the same app runs against a local Slack in the browser (README: "Playground").
    if (slackTokensMissing(process.env)) {
      const { PORT, TURF_SWEEP_INTERVAL_SECONDS } = loadPlaygroundEnv(process.env);
      await servePlayground({
        core,
        db,
        logger,
        port: PORT,
        sweepIntervalSeconds: TURF_SWEEP_INTERVAL_SECONDS,
      });
      return;
    }
    await db.close();
    fail(
      `${slackProblem?.message}\n\nThe database is ready (${db.describe}); only the Slack settings are missing.\nCopy .env.example to .env if you have not, then paste your Slack app's tokens (README: "Create the Slack app").`,
    );
  }

  const services = createServices(
    db.prisma,
    systemClock,
    rebalanceSettingsFromEnv(env),
    {
      headOfRevOpsEmail: env.TURF_HEAD_OF_REVOPS_EMAIL,
      headOfRevOpsBackupEmail: env.TURF_HEAD_OF_REVOPS_BACKUP_EMAIL,
    },
    signalSettingsFromEnv(env),
  );
  const customRoutes = [
    signalsRoute({ signals: services.signals, secret: env.TURF_SIGNAL_SECRET, clock: systemClock, logger }),
  ];
  const slack = createSlackApp({
    env,
    services,
    logger,
    readiness: databaseReadiness(db.prisma),
    customRoutes,
  });
  let jobs: { stop(): Promise<void> } | undefined;
  // Registered before anything starts, so a stop signal during start-up also closes what is open.
  exitOnStopSignal(logger, async () => {
    await slack.stop().catch(() => undefined);
    await jobs?.stop();
    await db.close();
  });
  let identity: Awaited<ReturnType<typeof slack.start>>;
  try {
    identity = await slack.start();
  } catch (error) {
    await db.close();
    const code = (error as { data?: { error?: string } }).data?.error;
    if (
      code === "invalid_auth" ||
      code === "not_authed" ||
      code === "account_inactive" ||
      code === "token_revoked"
    ) {
      fail(
        `Slack refused SLACK_BOT_TOKEN (${code}). Copy the Bot User OAuth Token again from your app's OAuth & Permissions page.`,
      );
    }
    const where = env.SLACK_API_URL ?? "https://slack.com/api/";
    fail(
      `Turf could not reach Slack at ${where} to check SLACK_BOT_TOKEN: ${(error as Error).message}. Check the network (and SLACK_API_URL, if set).`,
    );
  }
  // The one way jobs reach Slack: the outbox, over a client with timeouts and no hidden retries.
  const notifier = services.outbox.notifier(
    slackTransport(outboxClient(env.SLACK_BOT_TOKEN, env.SLACK_API_URL)),
    logger,
  );
  jobs = startJobs({
    db: db.prisma,
    services,
    logger,
    env,
    clock: systemClock,
    notifier,
    composeNotice: noticeMessages,
    signalSlack: slackSignalDelivery(outboxClient(env.SLACK_BOT_TOKEN, env.SLACK_API_URL), services.timeZone),
  });
  // In the background: Turf answers while reps are being linked (reps without a Slack user id).
  void linkRepsToSlackUsers(db.prisma, slackUserByEmail(slack.app.client)).then(
    (report) =>
      logger.info(
        { linked: report.linked.length, unmatched: report.unmatched, failed: report.failed.length },
        "linked reps to Slack users by e-mail",
      ),
    (error: unknown) => logger.warn({ err: error }, "linking reps to Slack users by e-mail failed"),
  );
  logger.info(
    { mode: env.SLACK_MODE, port: identity.port, botUserId: identity.botUserId, team: identity.teamId },
    "Turf is running",
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`Turf failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
