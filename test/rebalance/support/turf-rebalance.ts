// startTurf with rebalancing settings: the same real Bolt app in HTTP mode, fake Web API and fresh
// database as test/support/turf-app.ts, but createServices gets a rebalancing channel and calendar.
import pino from "pino";
import { fixedClock } from "../../../src/config/clock.ts";
import { createServices } from "../../../src/services/index.ts";
import type { RebalanceSettings } from "../../../src/services/rebalance/settings.ts";
import { loadSampleData } from "../../../src/services/sample-data.ts";
import { createSlackApp } from "../../../src/slack/app.ts";
import { postToApp } from "../../harness/bolt-http.ts";
import { startFakeSlackApi } from "../../harness/fake-slack-api.ts";
import { freshDatabase } from "../../support/databases.ts";
import { BOT_TOKEN, SIGNING_SECRET, type TurfUnderTest } from "../../support/turf-app.ts";

export const REBALANCE_CHANNEL = "C0REBALANC1";

export async function startTurfWithSettings(
  options: {
    now?: Date;
    settings?: Partial<RebalanceSettings>;
    prepare?: (db: TurfUnderTest["db"]) => Promise<void>;
  } = {},
): Promise<TurfUnderTest> {
  const clock = fixedClock(options.now ?? new Date("2026-11-02T09:00:00Z"));
  const db = await freshDatabase("embedded");
  await loadSampleData(db.prisma, clock.now());
  await options.prepare?.(db);
  const fake = await startFakeSlackApi();
  const services = createServices(db.prisma, clock, {
    rebalanceChannel: REBALANCE_CHANNEL,
    ...options.settings,
  });
  const slack = createSlackApp({
    env: {
      SLACK_MODE: "http",
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_APP_TOKEN: undefined,
      PORT: 0,
      SLACK_API_URL: fake.url,
    },
    services,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
    processBeforeResponse: true,
  });
  const started = await slack.start();
  const url = `http://127.0.0.1:${started.port}`;
  return {
    db,
    fake,
    slack,
    services,
    clock,
    url,
    send: (request, extra = {}) =>
      postToApp(url, {
        body: request.body,
        contentType: request.contentType,
        signingSecret: SIGNING_SECRET,
        ...extra,
      }),
    async stop() {
      await slack.stop();
      await fake.stop();
      await db.drop();
    },
  };
}
