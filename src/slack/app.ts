// The Bolt app: Socket Mode for development and small teams, HTTP behind a load balancer in production.
// Thin by design: it wires the logger, the Web API base URL, event de-duplication and the listeners.

import type { Server } from "node:http";
import { type AnyMiddlewareArgs, App, type CustomRoute, LogLevel, type Middleware } from "@slack/bolt";
import { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { AppEnv } from "../config/env.ts";
import type { Services } from "../services/index.ts";
import { boltLogger } from "./bolt-logger.ts";
import { rejectFutureTimestamps } from "./future-timestamps.ts";
import { healthRoutes, type ReadinessProbe } from "./health.ts";
import { registerListeners } from "./listeners/index.ts";

export type SlackAppOptions = {
  env: Pick<
    AppEnv,
    "SLACK_MODE" | "SLACK_BOT_TOKEN" | "SLACK_APP_TOKEN" | "SLACK_SIGNING_SECRET" | "PORT" | "SLACK_API_URL"
  >;
  services: Services;
  logger: Logger;
  /**
   * HTTP mode: run the listener before answering Slack's request. Tests use it so a request's effects
   * are complete when the response arrives; production leaves it off to answer within Slack's 3 s.
   */
  processBeforeResponse?: boolean;
  /** Extra HTTP routes on the same port (POST /signals). */
  customRoutes?: CustomRoute[];
  /** HTTP mode: the database checks behind GET /readyz (the Slack token check is added here). */
  readiness?: ReadinessProbe;
  /** HTTP mode: listen on this interface only (the playground keeps the app on 127.0.0.1); default all. */
  listenHost?: string;
};

export type SlackApp = {
  /** The Bolt app; it exists once start() has verified the token (it needs the bot's ids). */
  readonly app: App;
  /** Starts the receiver and checks the bot token with auth.test; returns who we are in Slack. */
  start(): Promise<{ botUserId: string; teamId: string; port?: number }>;
  stop(): Promise<void>;
};

export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { env, logger } = options;
  // Every Web API call has a deadline: a Slack that never answers must not hold a listener forever.
  const clientOptions = { timeout: 10_000, ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}) };
  const common = {
    token: env.SLACK_BOT_TOKEN,
    logger: boltLogger(logger),
    logLevel: LogLevel.INFO,
    clientOptions,
    // Bolt's own auth.test at construction would race our explicit one; we call it in start().
    tokenVerificationEnabled: false,
  };
  let tokenVerified = false;
  // Built in start(), after auth.test: given the bot's ids, Bolt never calls auth.test itself (without
  // them it calls it before every incoming request).
  const buildApp = (bot: { botId: string; botUserId: string }): App => {
    const app =
      env.SLACK_MODE === "socket"
        ? new App({
            ...common,
            ...bot,
            socketMode: true,
            appToken: env.SLACK_APP_TOKEN,
            // Socket Mode needs no public URL for Slack; POST /signals still listens on PORT.
            ...(options.customRoutes?.length
              ? { customRoutes: options.customRoutes, installerOptions: { port: env.PORT } }
              : {}),
          })
        : new App({
            ...common,
            ...bot,
            signingSecret: env.SLACK_SIGNING_SECRET as string,
            processBeforeResponse: options.processBeforeResponse ?? false,
            customRoutes: [
              ...healthRoutes({ probe: options.readiness, slackTokenVerified: () => tokenVerified }),
              ...(options.customRoutes ?? []),
            ],
          });

    app.use(dropRedeliveredEvents(options.services, logger));
    registerListeners(app, { services: options.services, logger });
    app.error(async (error) => {
      logger.error({ err: error }, "unhandled error in a Slack listener");
    });
    return app;
  };

  let app: App | undefined;
  let port: number | undefined;
  return {
    get app(): App {
      if (!app) throw new Error("The Slack app exists once start() has verified the bot token.");
      return app;
    },
    async start() {
      // A separate client with few retries: a wrong token or an unreachable Slack should stop start-up
      // within seconds with a clear message, not retry for half an hour like the app's own client.
      const checker = new WebClient(env.SLACK_BOT_TOKEN, {
        ...clientOptions,
        retryConfig: { retries: 2, factor: 1.5, minTimeout: 500, maxTimeout: 2000 },
      });
      const auth = await checker.auth.test();
      tokenVerified = true;
      app = buildApp({ botId: String(auth.bot_id), botUserId: String(auth.user_id) });
      if (env.SLACK_MODE === "socket") {
        await app.start();
      } else {
        const listen = options.listenHost ? { port: env.PORT, host: options.listenHost } : env.PORT;
        const server = (await app.start(listen)) as Server;
        rejectFutureTimestamps(server);
        const address = server.address();
        port = typeof address === "object" && address ? address.port : env.PORT;
      }
      return { botUserId: String(auth.user_id), teamId: String(auth.team_id), port };
    },
    async stop() {
      await app?.stop();
    },
  };
}

/**
 * Slack redelivers an event when it did not see our 200 in time (X-Slack-Retry-Num). The first
 * delivery of an event_id is recorded in the database, so a retry, or a copy reaching a second
 * instance, is acknowledged and dropped instead of answering twice.
 */
function dropRedeliveredEvents(services: Services, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if ((body as { type?: unknown }).type === "event_callback" && typeof eventId === "string") {
      if (!(await services.firstDelivery(eventId))) {
        logger.info({ eventId }, "dropped a redelivered Slack event");
        return;
      }
    }
    await next();
  };
}
