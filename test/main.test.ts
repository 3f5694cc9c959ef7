// `npm start` as a process: it prepares the embedded database with the sample company, checks the
// bot token with auth.test, serves Slack over HTTP, and stops cleanly on SIGTERM. Without tokens it
// serves the playground instead.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeSlackApi, startFakeSlackApi } from "./harness/fake-slack-api.ts";

function runMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => {
    output += d;
  });
  child.stderr.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const waitFor = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(output)) resolve();
        else if (child.exitCode !== null)
          reject(new Error(`exited ${child.exitCode} before ${pattern}:\n${output}`));
        else setImmediate(() => child.stdout.once("data", check));
      };
      child.stdout.once("data", check);
      check();
    });
  return { child, exited, waitFor, output: () => output };
}

describe("npm start", () => {
  let fake: FakeSlackApi;
  let dataDir: string;
  beforeAll(async () => {
    fake = await startFakeSlackApi();
    dataDir = mkdtempSync(join(tmpdir(), "turf-main-"));
  });
  afterAll(async () => {
    await fake.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts on a fresh embedded database, checks the token, and stops cleanly on SIGTERM", async () => {
    const run = runMain({
      SLACK_MODE: "http",
      SLACK_BOT_TOKEN: "xoxb-1234567890-test",
      SLACK_SIGNING_SECRET: "test-signing-secret",
      SLACK_API_URL: fake.url,
      PORT: "0",
      TURF_DATA_DIR: dataDir,
      TURF_SWEEP_INTERVAL_SECONDS: "3600",
    });
    await run.waitFor(/Turf is running/);
    expect(run.output()).toContain('"loaded":{"territories":6,"reps":12,"accounts":300,"opportunities":228}');
    expect(fake.callsTo("auth.test")).toHaveLength(1);
    expect(run.output()).not.toContain("xoxb-1234567890-test");
    run.child.kill("SIGTERM");
    expect(await run.exited, run.output()).toBe(0);
    expect(run.output()).toContain("shutting down");
  }, 90_000);

  it("with the placeholder tokens, serves the playground on loopback, prints its URL, and stops on SIGTERM", async () => {
    const run = runMain({
      SLACK_BOT_TOKEN: "xoxb-your-bot-token",
      SLACK_APP_TOKEN: "xapp-your-app-token",
      TURF_DATA_DIR: dataDir,
      PORT: "0",
      TURF_SWEEP_INTERVAL_SECONDS: "3600",
    });
    await run.waitFor(/runs in the playground: open http:\/\/127\.0\.0\.1:\d+\//);
    const url = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(run.output())?.[1] as string;
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>Turf playground</title>");
    // The page's local Slack answers for the sample company's people.
    const state = (await (await fetch(`${url}pg/state?user=U0X46LDYZAB`)).json()) as {
      me: string;
      users: unknown[];
    };
    expect(state.me).toBe("U0X46LDYZAB");
    expect(state.users.length).toBeGreaterThanOrEqual(11);
    expect(run.output()).not.toMatch(/xoxb-playground-[0-9a-f]+/);
    run.child.kill("SIGTERM");
    expect(await run.exited, run.output()).toBe(0);
  }, 90_000);

  it("with a real-looking token but a setting missing, never starts the playground: names it and exits 1", async () => {
    const run = runMain({
      SLACK_MODE: "http",
      SLACK_BOT_TOKEN: "xoxb-1234567890-test",
      TURF_DATA_DIR: dataDir,
      PORT: "0",
    });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain("SLACK_SIGNING_SECRET is missing");
    expect(run.output()).not.toContain("playground");
    expect(run.output()).not.toMatch(/\n\s+at /);
  }, 90_000);
});
