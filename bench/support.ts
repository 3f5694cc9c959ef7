// Shared by the benchmarks: percentiles, timing, and the databases to measure on.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { type Database, openDatabase } from "../src/db/client.ts";
import { applyMigrations } from "../src/db/migrate.ts";

export const print = (line = "") => process.stdout.write(`${line}\n`);

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const i = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[i] as number;
}

export async function timeIt<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

export async function latencies(
  samples: number,
  fn: (i: number) => Promise<unknown>,
): Promise<{ p50: number; p99: number; max: number }> {
  const ms: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await fn(i);
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), max: ms.at(-1) ?? Number.NaN };
}

export const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(2)} ms`);

/** PostgreSQL for benchmarks: BENCH_DATABASE_URL, else TEST_DATABASE_URL; null when neither is set. */
export function postgresAdminUrl(): string | null {
  return process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? null;
}

export type BenchDatabase = { name: string; db: Database; drop(): Promise<void> };

/** A fresh, migrated database of each kind available: embedded always, PostgreSQL when configured. */
export async function benchDatabases(): Promise<Array<() => Promise<BenchDatabase>>> {
  const makers: Array<() => Promise<BenchDatabase>> = [
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "turf-bench-"));
      const db = await openDatabase({ dataDir: dir });
      await applyMigrations(db);
      return {
        name: "PGlite (embedded)",
        db,
        async drop() {
          await db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  ];
  const admin = postgresAdminUrl();
  if (admin) {
    makers.push(async () => {
      const name = `turf_bench_${randomBytes(4).toString("hex")}`;
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      const url = new URL(admin);
      url.pathname = `/${name}`;
      const db = await openDatabase({ databaseUrl: url.toString() });
      await applyMigrations(db);
      return {
        name: "PostgreSQL",
        db,
        async drop() {
          await db.close();
          const c = new pg.Client({ connectionString: admin });
          await c.connect();
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await c.end();
        },
      };
    });
  }
  return makers;
}

/** Swaps two neighbouring letters in the longest word of a name: the commonest real typo. */
export function typo(name: string, i: number): string {
  const words = name.split(" ");
  const w = words.reduce((best, cur, j) => (cur.length > (words[best]?.length ?? 0) ? j : best), 0);
  const word = words[w] ?? "";
  const at = 1 + (i % Math.max(1, word.length - 2));
  words[w] = word.length > 3 ? word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2) : word;
  return words.join(" ");
}

/** The process's peak resident memory so far, for "memory of each run". */
export function peakRss(): string {
  return `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`;
}
