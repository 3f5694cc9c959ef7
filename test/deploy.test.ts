// Docker cannot run on every machine that runs these tests, so the deploy files are held to what the
// app needs here: .ci/run performs the Dockerfile's runtime stage without Docker (npm ci --omit=dev,
// node dist/main.js), and these checks keep the Dockerfile, .dockerignore and compose.yaml in step
// with the repository and with that CI step.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const REPO = resolve(import.meta.dirname, "..");
const read = (file: string) => readFileSync(resolve(REPO, file), "utf8");

type Instruction = { keyword: string; args: string };

function instructions(dockerfile: string): Instruction[] {
  const joined = dockerfile.replace(/\\\n/g, " ");
  return joined
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const [keyword = "", ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    });
}

function stages(dockerfile: string): Instruction[][] {
  const out: Instruction[][] = [];
  for (const instruction of instructions(dockerfile)) {
    if (instruction.keyword === "FROM") out.push([]);
    out.at(-1)?.push(instruction);
  }
  return out;
}

/** Sources of a COPY from the build context (not `--from=`), without the destination. */
function contextSources(stage: Instruction[]): string[] {
  return stage
    .filter((i) => i.keyword === "COPY" && !i.args.startsWith("--from"))
    .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
}

describe("Dockerfile", () => {
  const dockerfile = read("Dockerfile");
  const all = stages(dockerfile);
  const runtime = all.at(-1) ?? [];

  it("builds in one stage and runs in another, from production dependencies only", () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(all[0]?.some((i) => i.keyword === "RUN" && i.args.includes("npm run build"))).toBe(true);
    const installs = runtime.filter((i) => i.keyword === "RUN" && i.args.includes("npm ci"));
    expect(installs.map((i) => i.args)).toEqual([expect.stringContaining("--omit=dev")]);
    expect(runtime.some((i) => i.keyword === "COPY" && i.args.startsWith("--from=build /app/dist/"))).toBe(
      true,
    );
  });

  it("runs node dist/main.js as a non-root user, with a health check on /healthz", () => {
    const users = runtime.filter((i) => i.keyword === "USER").map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    const userAt = runtime.findLastIndex((i) => i.keyword === "USER");
    const cmdAt = runtime.findIndex((i) => i.keyword === "CMD");
    expect(userAt).toBeLessThan(cmdAt);
    expect(runtime[cmdAt]?.args).toBe('["node", "dist/main.js"]');
    const healthcheck = runtime.find((i) => i.keyword === "HEALTHCHECK");
    expect(healthcheck?.args).toContain("/healthz");
  });

  it("copies only files the repository has, and none that .dockerignore leaves out", () => {
    const ignored = read(".dockerignore")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("#") && !l.startsWith("!"))
      .map((l) => l.replace(/^\*\*\//, "").replace(/\/$/, ""));
    for (const source of all.flatMap(contextSources)) {
      expect(existsSync(resolve(REPO, source)), source).toBe(true);
      for (const pattern of ignored) {
        expect(source === pattern || source.startsWith(`${pattern}/`), `${source} vs ${pattern}`).toBe(false);
      }
    }
    expect(ignored).toEqual(expect.arrayContaining([".env", "node_modules"]));
  });

  it(".ci/run's deploy step installs the same files as the runtime stage", () => {
    const ciRun = read(".ci/run");
    const deployStep = ciRun.slice(ciRun.indexOf("# 6. deploy"));
    expect(deployStep).toContain("npm ci --omit=dev --ignore-scripts");
    const runtimeFiles = [
      ...contextSources(runtime),
      ...runtime
        .filter((i) => i.keyword === "COPY" && i.args.startsWith("--from=build"))
        .map((i) => (i.args.split(/\s+/)[1] ?? "").replace("/app/", "")),
    ].map((f) => f.replace(/\/$/, ""));
    expect(runtimeFiles.sort()).toEqual([
      "data/sample",
      "dist",
      "package-lock.json",
      "package.json",
      "prisma/migrations",
    ]);
    for (const file of runtimeFiles) expect(deployStep, file).toContain(file);
  });
});

type ComposeService = {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
};

describe("compose.yaml", () => {
  const compose = parse(read("compose.yaml"), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const turfs = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);

  it("starts PostgreSQL and two Turf instances in HTTP mode, each on its own host port, one database", () => {
    expect(compose.services.postgres?.image).toMatch(/^postgres:/);
    expect(turfs).toHaveLength(2);
    const hostPorts = turfs.map(([, s]) => s.ports?.[0]?.split(":")[0]);
    expect(new Set(hostPorts).size).toBe(2);
    for (const [name, service] of turfs) {
      expect(service.environment?.SLACK_MODE, name).toBe("http");
      expect(service.ports?.[0], name).toMatch(new RegExp(`:${service.environment?.PORT}$`));
      expect(new URL(service.environment?.DATABASE_URL ?? "").host, name).toBe("postgres:5432");
      expect(service.depends_on?.postgres?.condition, name).toBe("service_healthy");
    }
  });
});
