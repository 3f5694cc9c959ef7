// `npm start` as a process: it prepares the embedded database with the sample company, checks the
// bot token with auth.test, serves Slack over HTTP, and stops cleanly on SIGTERM. The production build
// (`npm run build`, then `node dist/main.js`) is started the same way. Without tokens it serves the
// playground instead.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { type FakeSlackApi, startFakeSlackApi } from "./harness/fake-slack-api.ts";

const REPO = resolve(import.meta.dirname, "..");

function runMain(env: Record<string, string>, argv: string[] = ["--import", "tsx", "src/main.ts"]) {
  const child = spawn(process.execPath, argv, {
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
      // A start-up failure may only write to stderr before exiting.
      child.once("exit", () => setImmediate(check));
      check();
    });
  // A test that fails or times out must not leave Turf running (it holds the data folder open).
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  return { child, exited, waitFor, stop, output: () => output };
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
    onTestFinished(run.stop);
    await run.waitFor(/Turf is running/);
    expect(run.output()).toMatch(
      /"loaded":\{"territories":6,"reps":12,"accounts":300,"opportunities":228[,}]/,
    );
    expect(fake.callsTo("auth.test")).toHaveLength(1);
    expect(run.output()).not.toContain("xoxb-1234567890-test");
    run.child.kill("SIGTERM");
    expect(await run.exited, run.output()).toBe(0);
    expect(run.output()).toContain("shutting down");
  }, 180_000);

  it("with the placeholder tokens, serves the playground on loopback, prints its URL, and stops on SIGTERM", async () => {
    const run = runMain({
      SLACK_BOT_TOKEN: "xoxb-your-bot-token",
      SLACK_APP_TOKEN: "xapp-your-app-token",
      TURF_DATA_DIR: dataDir,
      PORT: "0",
      TURF_SWEEP_INTERVAL_SECONDS: "3600",
    });
    onTestFinished(run.stop);
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
    onTestFinished(run.stop);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain("SLACK_SIGNING_SECRET is missing");
    expect(run.output()).not.toContain("playground");
    expect(run.output()).not.toMatch(/\n\s+at /);
  }, 180_000);
});

// What the Dockerfile's runtime stage holds: dist/, prisma/migrations, data/sample and production
// node_modules. .ci/run builds exactly that with `npm ci --omit=dev` and points TURF_DIST_ROOT at it;
// otherwise the build goes to a scratch folder (never the repo's dist/, which `npx turf` would prefer)
// beside links to this checkout's node_modules, prisma/ and data/.
function prepareDistRoot(): { root: string; cleanup(): void } {
  const given = process.env.TURF_DIST_ROOT;
  if (given) return { root: resolve(given), cleanup: () => {} };
  const root = mkdtempSync(join(tmpdir(), "turf-dist-"));
  const tsc = spawnSync(
    process.execPath,
    [
      join(REPO, "node_modules/typescript/bin/tsc"),
      "-p",
      join(REPO, "tsconfig.build.json"),
      "--outDir",
      join(root, "dist"),
    ],
    { encoding: "utf8" },
  );
  if (tsc.status !== 0) throw new Error(`npm run build failed:\n${tsc.stdout}${tsc.stderr}`);
  cpSync(join(REPO, "package.json"), join(root, "package.json"));
  for (const dir of ["node_modules", "prisma", "data"]) symlinkSync(join(REPO, dir), join(root, dir), "dir");
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

describe("node dist/main.js", () => {
  let fake: FakeSlackApi;
  let dataDir: string;
  let dist: { root: string; cleanup(): void };
  beforeAll(async () => {
    dist = prepareDistRoot();
    fake = await startFakeSlackApi();
    dataDir = mkdtempSync(join(tmpdir(), "turf-dist-data-"));
  }, 240_000);
  afterAll(async () => {
    await fake?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    dist?.cleanup();
  });

  it("starts the compiled app without TypeScript tooling, answers /healthz and /readyz, stops on SIGTERM", async () => {
    const run = runMain(
      {
        SLACK_MODE: "http",
        SLACK_BOT_TOKEN: "xoxb-1234567890-test",
        SLACK_SIGNING_SECRET: "test-signing-secret",
        SLACK_API_URL: fake.url,
        PORT: "0",
        TURF_DATA_DIR: dataDir,
        // The sample company is `npm start`'s business (tested above); here only the build is under test.
        TURF_LOAD_SAMPLE_DATA: "false",
        TURF_SWEEP_INTERVAL_SECONDS: "3600",
      },
      [join(dist.root, "dist/main.js")],
    );
    onTestFinished(run.stop);
    await run.waitFor(/Turf is running/);
    const port = Number(/"port":(\d+)[^\n]*Turf is running/.exec(run.output())?.[1]);
    expect(port).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(await ready.json()).toMatchObject({ status: "ready" });
    expect(ready.status).toBe(200);
    expect(fake.callsTo("auth.test")).toHaveLength(1);
    run.child.kill("SIGTERM");
    expect(await run.exited, run.output()).toBe(0);
  }, 180_000);
});
