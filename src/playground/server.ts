// The playground: `npm start` without Slack tokens. One loopback HTTP server serves the page, the
// local Slack Web API (/api/) and response_url links (/respond/); the real Bolt app runs in HTTP mode
// on another loopback port and receives signed requests exactly as from Slack. Jobs run on a clock
// the page can move, and run again right after it moves.

import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import { systemClock } from "../config/clock.ts";
import type { AppEnv, CoreEnv } from "../config/env.ts";
import type { Database } from "../db/client.ts";
import { JOBS, type JobDeps } from "../jobs/index.ts";
import { createServices } from "../services/index.ts";
import { rebalanceSettingsFromEnv } from "../services/rebalance/settings.ts";
import { createSlackApp } from "../slack/app.ts";
import { noticeMessages } from "../slack/listeners/disputes/send.ts";
import { outboxClient, slackTransport } from "../slack/outbox-transport.ts";
import { slackSignalDelivery } from "../slack/senders/signal-delivery.ts";
import { type MovableClock, movableClock } from "./clock.ts";
import { COMMANDS, MESSAGE_SHORTCUTS, Platform, PlaygroundInputError, type StateValues } from "./platform.ts";
import { decodeArgs, PlaygroundSlack } from "./slack-api.ts";
import {
  botUser,
  CHANNELS,
  dmChannelOf,
  ESCALATION_CHANNEL,
  REBALANCE_CHANNEL,
  WORKSPACE,
  workspaceUsers,
} from "./workspace.ts";

type Json = Record<string, unknown>;

export type PlaygroundOptions = {
  core: CoreEnv;
  db: Database;
  logger: Logger;
  /** Port for the page; 0 picks a free one. Always bound to 127.0.0.1. */
  port: number;
  /** How often jobs look for due work on their own, as in production (TURF_SWEEP_INTERVAL_SECONDS). */
  sweepIntervalSeconds?: number;
  /** Test hook: a clock other than real time plus the page's offset. */
  clock?: MovableClock;
};

export type Playground = {
  url: string;
  clock: MovableClock;
  slack: PlaygroundSlack;
  /** Runs every job once now (what the clock buttons do after moving time). */
  runJobs(): Promise<void>;
  stop(): Promise<void>;
};

const PAGE_DIR = fileURLToPath(new URL("./page/", import.meta.url));
const PAGE_FILES: Record<string, string> = {
  "/": "index.html",
  "/static/style.css": "style.css",
  "/static/app.js": "app.js",
  "/static/blocks.js": "blocks.js",
  "/static/mrkdwn.js": "mrkdwn.js",
};
const CONTENT_TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
};
const HOUR = 3_600_000;
/** Who the page shows first: a rep of the sample company. */
const DEFAULT_PERSON = "hannah";

function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new PlaygroundInputError("request too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const { core, db, logger } = options;
  // `npm run build` compiles TypeScript only; the page's files stay in the source tree.
  if (!existsSync(PAGE_DIR))
    throw new Error(
      'No Slack tokens are set, and the playground that runs without them is not part of this build (its page lives in src/playground/page; run `npm start` from the source checkout). To run this build, set SLACK_BOT_TOKEN and the other Slack settings (README: "Create the Slack app").',
    );
  const log = logger.child({ component: "playground" });
  const clock = options.clock ?? movableClock();
  const token = `xoxb-playground-${randomBytes(12).toString("hex")}`;
  const signingSecret = randomBytes(32).toString("hex");
  const users = await workspaceUsers(db.prisma, core.TURF_TIMEZONE);
  const slack = new PlaygroundSlack({ token, users: [...users, botUser()], clock, wallClock: systemClock });

  let origin = "";
  let appPort = 0;
  const platform = new Platform({
    slack,
    signingSecret,
    appUrl: () => `http://127.0.0.1:${appPort}/slack/events`,
    respondBase: () => `${origin}/respond/`,
    wallClock: systemClock,
  });

  // SSE: the page refetches its state whenever anything changes.
  const streams = new Set<ServerResponse>();
  let version = 0;
  let notifyTimer: NodeJS.Timeout | undefined;
  slack.onChange(() => {
    version++;
    // Several changes in one tick (a card and three DMs) become one notification.
    notifyTimer ??= setTimeout(() => {
      notifyTimer = undefined;
      for (const res of streams) res.write(`data: ${version}\n\n`);
    }, 10);
  });

  const page = Object.fromEntries(
    Object.entries(PAGE_FILES).map(([route, file]) => [route, readFileSync(`${PAGE_DIR}${file}`)]),
  );

  const env: AppEnv = {
    ...core,
    SLACK_MODE: "http",
    SLACK_BOT_TOKEN: token,
    SLACK_APP_TOKEN: undefined,
    SLACK_SIGNING_SECRET: signingSecret,
    PORT: 0,
    SLACK_API_URL: "",
    TURF_ESCALATION_CHANNEL: ESCALATION_CHANNEL.id,
    TURF_REBALANCE_CHANNEL: REBALANCE_CHANNEL.id,
    TURF_SWEEP_INTERVAL_SECONDS: options.sweepIntervalSeconds ?? 60,
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof PlaygroundInputError) {
        sendJson(res, 400, { ok: false, error: error.message });
        return;
      }
      log.error({ err: error, url: req.url }, "playground request failed");
      if (!res.headersSent)
        sendJson(res, 500, { ok: false, error: "The playground hit an error; see the log." });
    });
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    const file = page[path];
    if (file && req.method === "GET") {
      const ext = PAGE_FILES[path]?.split(".").pop() ?? "html";
      res.writeHead(200, { "content-type": CONTENT_TYPES[ext] ?? "text/plain", "cache-control": "no-cache" });
      res.end(file);
      return;
    }
    const api = /^\/api\/([\w.]+)$/.exec(path);
    if (api?.[1]) {
      const raw = await readBody(req);
      const args = decodeArgs(raw, String(req.headers["content-type"] ?? ""), url.searchParams);
      if (!args) return sendJson(res, 200, { ok: false, error: "invalid_json" });
      const auth = req.headers.authorization;
      const bearer = auth?.startsWith("Bearer ") ? auth.slice(7) : undefined;
      const answer = slack.call(
        api[1],
        args,
        bearer ?? (typeof args.token === "string" ? args.token : undefined),
      );
      if (!answer.ok)
        log.warn(
          { method: api[1], error: answer.error, detail: answer.response_metadata },
          "Slack API call refused",
        );
      return sendJson(res, 200, answer);
    }
    const respond = /^\/respond\/([0-9a-f]+)$/.exec(path);
    if (respond?.[1] && req.method === "POST") {
      const raw = await readBody(req);
      let body: Json;
      try {
        body = JSON.parse(raw) as Json;
      } catch {
        return sendJson(res, 400, { ok: false, error: "invalid_payload" });
      }
      const result = platform.respond(respond[1], body);
      return sendJson(res, result.status, result.answer);
    }
    if (path === "/pg/events" && req.method === "GET") {
      res.writeHead(200, {
        "content-type": "text/event-stream",
        "cache-control": "no-store",
        connection: "keep-alive",
      });
      res.write(`data: ${version}\n\n`);
      streams.add(res);
      req.on("close", () => streams.delete(res));
      return;
    }
    if (path === "/pg/state" && req.method === "GET") {
      return sendJson(res, 200, await snapshot(url.searchParams.get("user") ?? ""));
    }
    if (path.startsWith("/pg/") && req.method === "POST") {
      const body = JSON.parse((await readBody(req)) || "{}") as Json;
      const userId = String(body.user ?? "");
      switch (path) {
        case "/pg/send":
          await platform.send(userId, String(body.channel), String(body.text ?? ""), optional(body.threadTs));
          return sendJson(res, 200, { ok: true });
        case "/pg/shortcut":
          await platform.shortcut(userId, String(body.channel), String(body.ts), String(body.callbackId));
          return sendJson(res, 200, { ok: true });
        case "/pg/action":
          await platform.action({
            userId,
            blockId: String(body.blockId ?? ""),
            actionId: String(body.actionId ?? ""),
            element: (body.element ?? {}) as Json,
            state: (body.state ?? {}) as StateValues,
            ...(body.viewId ? { viewId: String(body.viewId) } : {}),
            ...(body.channel ? { channel: String(body.channel), ts: String(body.ts) } : {}),
          });
          return sendJson(res, 200, { ok: true });
        case "/pg/submit":
          return sendJson(res, 200, {
            ok: true,
            ...(await platform.submit(userId, String(body.viewId), (body.state ?? {}) as StateValues)),
          });
        case "/pg/close":
          await platform.close(userId, String(body.viewId));
          return sendJson(res, 200, { ok: true });
        case "/pg/home":
          await platform.openHome(userId);
          return sendJson(res, 200, { ok: true });
        case "/pg/clock": {
          if (body.to === "effective") {
            const due = await nextEffectiveDate();
            if (!due || !clock.jumpTo(due))
              return sendJson(res, 409, {
                ok: false,
                error: "No published rebalance is waiting for its date.",
              });
          } else {
            const hours = Number(body.hours);
            if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 366)
              return sendJson(res, 400, { ok: false, error: "hours must be a positive number" });
            clock.advance(hours * HOUR);
          }
          log.info({ now: clock.now().toISOString() }, "playground clock moved");
          await runJobs();
          slack.changed();
          return sendJson(res, 200, { ok: true, now: clock.now().toISOString() });
        }
      }
    }
    sendJson(res, 404, { ok: false, error: "not_found" });
  };

  const nextEffectiveDate = async (): Promise<Date | null> => {
    const next = await db.prisma.rebalance.findFirst({
      where: { status: "published", appliedAt: null },
      orderBy: { effectiveFrom: "asc" },
      select: { effectiveFrom: true },
    });
    return next?.effectiveFrom ?? null;
  };

  const snapshot = async (asked: string) => {
    const people = users.filter((u) => !u.isBot);
    const fallback = people.find((u) => u.name === DEFAULT_PERSON) ?? people[0];
    const userId = people.some((u) => u.id === asked) ? asked : fallback?.id;
    if (!userId) throw new PlaygroundInputError("The reps table has no one with a Slack id.");
    const dm = dmChannelOf(userId);
    const visible = new Set([...CHANNELS.map((c) => c.id), dm]);
    const stack = slack.modalStacks.get(userId) ?? [];
    const home = slack.views.get(slack.homes.get(userId) ?? "");
    const effective = await nextEffectiveDate();
    return {
      version,
      now: clock.now().toISOString(),
      offsetMs: clock.offsetMs(),
      effectiveDate: effective && effective > clock.now() ? effective.toISOString() : null,
      team: { id: WORKSPACE.teamId, domain: WORKSPACE.teamDomain },
      bot: { id: WORKSPACE.botUserId, name: WORKSPACE.botName },
      me: userId,
      users: [...slack.users.values()].map((u) => ({
        id: u.id,
        name: u.name,
        realName: u.realName,
        tz: u.tz,
        title: u.title,
        roles: u.roles,
        isBot: u.isBot,
      })),
      commands: COMMANDS,
      shortcuts: MESSAGE_SHORTCUTS,
      channels: [
        ...CHANNELS.map((c) => ({ ...c, kind: "channel" })),
        { id: dm, name: WORKSPACE.botName, topic: "", kind: "app" },
      ],
      messages: slack.messages
        .filter((m) => visible.has(m.channel) && (!m.ephemeralTo || m.ephemeralTo === userId))
        .map((m) => ({
          channel: m.channel,
          ts: m.ts,
          user: m.user,
          text: m.text,
          blocks: m.blocks ?? null,
          threadTs: m.threadTs ?? null,
          ephemeral: m.ephemeralTo !== undefined,
          edited: m.edited ?? false,
        })),
      home: home ? { id: home.id, view: home.view } : null,
      modals: stack.flatMap((id) => {
        const v = slack.views.get(id);
        return v ? [{ id: v.id, view: v.view, errors: v.errors }] : [];
      }),
    };
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: options.port, host: "127.0.0.1" }, () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  env.SLACK_API_URL = `${origin}/api/`;

  const services = createServices(db.prisma, clock, rebalanceSettingsFromEnv(env), {
    headOfRevOpsEmail: core.TURF_HEAD_OF_REVOPS_EMAIL,
  });
  const turf = createSlackApp({ env, services, logger, listenHost: "127.0.0.1" });
  // As in production: auth.test (against the local API), then the HTTP receiver, on loopback only.
  const started = await turf.start();
  appPort = started.port ?? 0;

  const jobDeps: JobDeps = {
    db: db.prisma,
    services,
    logger,
    env,
    clock,
    notifier: services.outbox.notifier(
      slackTransport(outboxClient(env.SLACK_BOT_TOKEN, env.SLACK_API_URL)),
      logger,
    ),
    composeNotice: noticeMessages,
    signalSlack: slackSignalDelivery(outboxClient(env.SLACK_BOT_TOKEN, env.SLACK_API_URL), services.timeZone),
  };
  // One queue for timer ticks and clock moves, so two sweeps never overlap.
  let running: Promise<void> = Promise.resolve();
  const runJobs = () => {
    running = running.then(async () => {
      for (const job of JOBS) {
        try {
          await job.run(jobDeps);
        } catch (error) {
          log.error({ err: error, job: job.name }, "job failed; it will run again at the next tick");
        }
      }
    });
    return running;
  };
  const timer = setInterval(() => void runJobs(), env.TURF_SWEEP_INTERVAL_SECONDS * 1000);
  timer.unref();
  void runJobs();

  return {
    url: `${origin}/`,
    clock,
    slack,
    runJobs,
    async stop() {
      clearInterval(timer);
      clearTimeout(notifyTimer);
      for (const res of streams) res.end();
      await running;
      await turf.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

const optional = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
