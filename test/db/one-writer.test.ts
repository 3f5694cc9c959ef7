// One writer per embedded database, as processes: a second `npm start` on the same data folder
// refuses naming the running pid, a CLI write while the app runs refuses instead of writing a second
// copy, and every row is there afterwards. Plus the lock's own rules in-process (stale holders,
// the data folder resolved from the project root whatever the working directory).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { DataDirLockedError, lockDataDir, projectRoot, resolveDataDir } from "../../src/db/data-dir.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../harness/fake-slack-api.ts";
import { freshDatabase } from "../support/databases.ts";

const ROOT = resolve(import.meta.dirname, "../..");

function run(entry: string, args: string[], env: Record<string, string>, cwd = ROOT) {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, entry), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const append = (d: Buffer) => {
    output += d;
  };
  child.stdout.on("data", append);
  child.stderr.on("data", append);
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  const waitFor = (pattern: RegExp) =>
    new Promise<void>((done, fail) => {
      const check = () => {
        if (pattern.test(output)) {
          child.stdout.off("data", check);
          done();
        } else if (child.exitCode !== null)
          fail(new Error(`exited ${child.exitCode} before ${pattern}:\n${output}`));
      };
      child.stdout.on("data", check);
      child.on("exit", check);
      check();
    });
  return { child, exited, waitFor, output: () => output };
}

describe("one writer per embedded database (processes)", () => {
  let fake: FakeSlackApi;
  let dir: string;
  let dataDir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    fake = await startFakeSlackApi();
    dir = mkdtempSync(join(tmpdir(), "turf-one-writer-"));
    dataDir = join(dir, "data");
    env = {
      SLACK_MODE: "http",
      SLACK_BOT_TOKEN: "xoxb-1234567890-test",
      SLACK_SIGNING_SECRET: "test-signing-secret",
      SLACK_API_URL: fake.url,
      PORT: "0",
      TURF_DATA_DIR: dataDir,
      TURF_SWEEP_INTERVAL_SECONDS: "3600",
      TURF_LOAD_SAMPLE_DATA: "false",
    };
    // A migrated copy of the shared test template, so no process spends seconds on initdb.
    const template = await freshDatabase("embedded");
    const dump = await (template.dumpDataDir as () => Promise<Blob>)();
    await template.drop();
    const seeded = await openDatabase({ dataDir, loadDataDir: dump, role: "test" });
    await seeded.prisma.rep.create({
      data: { email: "first@turf-demo.example", name: "First Rep", team: "Americas" },
    });
    await seeded.close();
    writeFileSync(
      join(dir, "reps.csv"),
      "email,name,slack_user_id,team,roles,capacity_weight,territory\nnew.rep@turf-demo.example,New Rep,U0NEWREP01,Americas,rep,1.0,\n",
    );
  });
  afterAll(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a second app and a CLI write refuse while the app runs; afterwards every row is there", async () => {
    const first = run("src/main.ts", [], env);
    await first.waitFor(/Turf is running/);
    const pid = String(first.child.pid);

    const second = run("src/main.ts", [], env);
    expect(await second.exited, second.output()).toBe(1);
    expect(second.output()).toContain(`in use by the Turf app (pid ${pid}`);
    expect(second.output()).not.toMatch(/\n\s+at /);

    // The README's admin flow while the app runs, from a subfolder: refused, with what to do.
    const cli = run("src/cli/index.ts", ["import", "reps", join(dir, "reps.csv")], env, join(ROOT, "src"));
    expect(await cli.exited, cli.output()).toBe(1);
    expect(cli.output()).toContain(`pid ${pid}`);
    expect(cli.output()).toContain("Stop the app first");

    first.child.kill("SIGTERM");
    expect(await first.exited, first.output()).toBe(0);

    // With the app stopped, the same command goes through on the same data.
    const again = run("src/cli/index.ts", ["import", "reps", join(dir, "reps.csv")], env);
    expect(await again.exited, again.output()).toBe(0);

    const db = await openDatabase({ dataDir, role: "test" });
    try {
      expect(await db.prisma.rep.count()).toBe(2);
      expect(await db.prisma.rep.count({ where: { email: "new.rep@turf-demo.example" } })).toBe(1);
    } finally {
      await db.close();
    }
  }, 120_000);
});

describe("the data folder's lock", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "turf-lock-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a second holder, naming the first, and is free again after release", async () => {
    const folder = join(dir, "a");
    mkdirSync(folder);
    const held = await lockDataDir(folder, "app");
    const second = await lockDataDir(folder, "cli").catch((e: unknown) => e);
    expect(second).toBeInstanceOf(DataDirLockedError);
    expect((second as Error).message).toContain(`pid ${process.pid}`);
    expect((second as Error).message).toContain("Stop the app first");
    await held.release();
    const third = await lockDataDir(folder, "cli");
    await third.release();
  });

  it("takes over a lock whose holder died without releasing it", async () => {
    const folder = join(dir, "b");
    mkdirSync(folder);
    const dead = spawn(process.execPath, ["-e", ""]);
    const deadPid = dead.pid as number;
    await new Promise((done) => dead.on("exit", done));
    mkdirSync(`${folder}.lock`);
    writeFileSync(
      join(`${folder}.lock`, "owner.json"),
      JSON.stringify({ pid: deadPid, host: hostname(), role: "app", since: new Date().toISOString() }),
    );
    const lock = await lockDataDir(folder, "app");
    await lock.release();
  });

  it("resolves a relative data folder from the project root, whatever the working directory", () => {
    expect(projectRoot(join(ROOT, "src", "slack"))).toBe(ROOT);
    expect(resolveDataDir(".turf-data", join(ROOT, "src", "slack"))).toBe(join(ROOT, ".turf-data"));
    expect(resolveDataDir(join(dir, "x"), join(ROOT, "src"))).toBe(join(dir, "x"));
  });
});
