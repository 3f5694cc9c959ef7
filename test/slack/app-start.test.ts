// The HTTP receiver's operational surface: liveness, readiness (database, migrations, Slack token),
// and Bolt authorising requests with the bot ids from the start-up auth.test instead of calling
// auth.test per request.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/config/clock.ts";
import type { Db } from "../../src/db/client.ts";
import { databaseHealth } from "../../src/db/health.ts";
import { readMigrations } from "../../src/db/migrate.ts";
import { databaseReadiness } from "../../src/services/health/readiness.ts";
import { createServices } from "../../src/services/index.ts";
import { createSlackApp, type SlackApp } from "../../src/slack/app.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../harness/fake-slack-api.ts";
import { eventCallback, slashCommand } from "../harness/slack-payloads.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";
import { startTurf, type TurfUnderTest } from "../support/turf-app.ts";

const SIGNING_SECRET = "app-start-test-signing-secret";

async function startApp(
  db: TestDatabase,
  fake: FakeSlackApi,
  readiness?: Parameters<typeof createSlackApp>[0]["readiness"],
): Promise<{ slack: SlackApp; url: string }> {
  const slack = createSlackApp({
    env: {
      SLACK_MODE: "http",
      SLACK_BOT_TOKEN: "xoxb-1234567890-app-start",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_APP_TOKEN: undefined,
      PORT: 0,
      SLACK_API_URL: fake.url,
    },
    services: createServices(db.prisma, fixedClock(new Date("2026-11-02T09:00:00Z"))),
    logger: pino({ level: "silent" }),
    readiness,
  });
  const started = await slack.start();
  return { slack, url: `http://127.0.0.1:${started.port}` };
}

describe("GET /healthz and /readyz", () => {
  let db: TestDatabase;
  let fake: FakeSlackApi;
  const running: SlackApp[] = [];
  beforeAll(async () => {
    db = await freshDatabase("embedded");
    fake = await startFakeSlackApi();
  });
  afterAll(async () => {
    for (const slack of running) await slack.stop();
    await fake.stop();
    await db.drop();
  });

  it("answers alive, and ready when the database answers, migrations are applied and the token was accepted", async () => {
    const { slack, url } = await startApp(db, fake, databaseReadiness(db.prisma));
    running.push(slack);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${url}/readyz`);
    expect(await ready.json()).toEqual({
      status: "ready",
      checks: [
        { name: "database", ok: true },
        { name: "migrations", ok: true },
        { name: "slack_token", ok: true },
      ],
    });
    expect(ready.status).toBe(200);
  });

  it("is not ready (503) when a migration this build ships is not applied", async () => {
    const migrations = [...readMigrations().map((m) => m.name), "29991231000000_from_a_newer_build"];
    const { slack, url } = await startApp(db, fake, databaseReadiness(db.prisma, { migrations }));
    running.push(slack);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { status: string; checks: { name: string; ok: boolean }[] };
    expect(body.status).toBe("not ready");
    expect(body.checks).toContainEqual({
      name: "migrations",
      ok: false,
      detail: "1 not applied: 29991231000000_from_a_newer_build",
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it("the database probe gives up after its timeout instead of hanging the caller", async () => {
    const hanging = { $queryRaw: () => new Promise(() => {}) } as unknown as Db;
    expect(await databaseHealth(hanging, ["m1"], { timeoutMs: 20 })).toEqual({
      reachable: false,
      problem: "no answer within 20 ms",
    });
    const failing = { $queryRaw: () => Promise.reject(new Error("password=secret")) } as unknown as Db;
    const probe = databaseReadiness(failing, { migrations: ["m1"], timeoutMs: 20 });
    expect(await probe()).toEqual([
      { name: "database", ok: false, detail: "query failed" },
      { name: "migrations", ok: false, detail: "database unreachable" },
    ]);
  });

  it("does not start (and so never reports ready) when Slack refuses the token", async () => {
    fake.failNext("auth.test", { error: "invalid_auth" });
    const slack = createSlackApp({
      env: {
        SLACK_MODE: "http",
        SLACK_BOT_TOKEN: "xoxb-1234567890-app-start",
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_APP_TOKEN: undefined,
        PORT: 0,
        SLACK_API_URL: fake.url,
      },
      services: createServices(db.prisma, fixedClock(new Date("2026-11-02T09:00:00Z"))),
      logger: pino({ level: "silent" }),
    });
    await expect(slack.start()).rejects.toMatchObject({ data: { error: "invalid_auth" } });
    expect(() => slack.app).toThrow(/verified the bot token/);
  });
});

describe("auth.test", () => {
  let turf: TurfUnderTest;
  beforeAll(async () => {
    turf = await startTurf();
  });
  afterAll(async () => {
    await turf.stop();
  });

  it("is called once, at start-up: 100 signed requests reuse the bot ids it returned", async () => {
    expect(turf.fake.callsTo("auth.test")).toHaveLength(1);
    for (let i = 0; i < 50; i++) {
      const command = await turf.send(
        slashCommand({
          command: "/owner",
          text: "help",
          userId: "U0REP00001",
          responseUrl: turf.fake.responseUrl(),
        }),
      );
      expect(command.status).toBe(200);
      const event = await turf.send(
        eventCallback({ type: "app_home_opened", user: "U0REP00001", tab: "home" }, { eventId: `Ev${i}` }),
      );
      expect(event.status).toBe(200);
    }
    expect(turf.fake.callsTo("views.publish").length).toBeGreaterThan(0);
    expect(turf.fake.callsTo("auth.test")).toHaveLength(1);
  }, 120_000);
});
