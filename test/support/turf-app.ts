// Starts the real Turf Bolt app in HTTP mode against a fake Slack Web API and a fresh database, so
// Slack-level tests send signed requests built from Slack's payload shapes and read what Turf sent.
import type { AddressInfo } from "node:net";
import pino from "pino";
import { type Clock, fixedClock } from "../../src/config/clock.ts";
import { signalsRoute } from "../../src/http/signals-route.ts";
import type { DisputeConfig } from "../../src/services/disputes/index.ts";
import { createServices, type Services } from "../../src/services/index.ts";
import type { RebalanceSettings } from "../../src/services/rebalance/settings.ts";
import { loadSampleData } from "../../src/services/sample-data.ts";
import { createSlackApp, type SlackApp } from "../../src/slack/app.ts";
import { type AppResponse, type PostToAppOptions, postToApp } from "../harness/bolt-http.ts";
import { type FakeSlackApi, type FakeSlackUser, startFakeSlackApi } from "../harness/fake-slack-api.ts";
import type { SlackRequest } from "../harness/slack-payloads.ts";
import { type DatabaseKind, freshDatabase, type TestDatabase } from "./databases.ts";

export const SIGNING_SECRET = "test-signing-secret-0123456789abcdef";
export const BOT_TOKEN = "xoxb-1234567890-test";
export const REBALANCE_CHANNEL = "C0REBALANC1";

export type TurfUnderTest = {
  db: TestDatabase;
  fake: FakeSlackApi;
  slack: SlackApp;
  services: Services;
  clock: Clock & { set(at: Date): void; advance(ms: number): void };
  url: string;
  send(request: SlackRequest, options?: Partial<PostToAppOptions>): Promise<AppResponse>;
  stop(): Promise<void>;
};

export async function startTurf(
  options: {
    kind?: DatabaseKind;
    now?: Date;
    sampleData?: boolean;
    users?: Record<string, FakeSlackUser>;
    db?: TestDatabase;
    /** Rebalancing settings (memo channel, calendar, team quota); tests default to a memo channel. */
    settings?: Partial<RebalanceSettings>;
    /** Dispute routing and the decision's lock wait (the sample company's routing by default). */
    disputes?: DisputeConfig;
    /** Serves POST /signals with this shared secret. */
    signalSecret?: string;
    /** Runs on the fresh database after the sample data, before the app starts. */
    prepare?: (db: TestDatabase) => Promise<void>;
  } = {},
): Promise<TurfUnderTest> {
  const clock = fixedClock(options.now ?? new Date("2026-11-02T09:00:00Z"));
  const db = options.db ?? (await freshDatabase(options.kind ?? "embedded"));
  if (options.sampleData !== false && !options.db) await loadSampleData(db.prisma, clock.now());
  await options.prepare?.(db);
  const fake = await startFakeSlackApi({ users: options.users });
  const services = createServices(
    db.prisma,
    clock,
    { rebalanceChannel: REBALANCE_CHANNEL, ...options.settings },
    options.disputes,
  );
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
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
    logger,
    processBeforeResponse: true,
    customRoutes: options.signalSecret
      ? [signalsRoute({ signals: services.signals, secret: options.signalSecret, clock, logger })]
      : [],
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
      if (!options.db) await db.drop();
    },
  };
}

export type { AddressInfo };
