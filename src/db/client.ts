// Opens Turf's database: embedded PGlite in a local folder by default, PostgreSQL when DATABASE_URL is set.
// Both speak the same SQL, so one schema and one migrations folder serve both.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { from as copyFromStdin, to as copyToStdout } from "pg-copy-streams";
import { PrismaClient } from "../generated/prisma/client.ts";
import { type LockRole, lockDataDir } from "./data-dir.ts";
import { preparedName } from "./prepared.ts";
import { CHECKPOINT_AFTER_MB, checkpointWhenDue, walStartParams } from "./wal.ts";

export type Db = PrismaClient;
/** A Prisma transaction client: repositories accept either this or the root client. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export type Database = {
  prisma: PrismaClient;
  kind: "embedded" | "postgres";
  /**
   * Runs fn on one raw driver connection (migrations need multi-statement scripts, which Prisma's raw
   * queries refuse, and a session-scoped advisory lock, which a pool would spread over connections).
   */
  withRawSession<T>(fn: (session: RawSession) => Promise<T>): Promise<T>;
  /**
   * Runs fn in one transaction on one raw driver connection: committed when fn resolves, rolled back
   * when it throws. Bulk work (imports) runs here: COPY, temporary tables, set-based SQL. Embedded,
   * Prisma's own statements wait until it ends (PGlite runs one transaction at a time), so fn must not
   * use Prisma.
   */
  withRawTransaction<T>(fn: (session: RawTransaction) => Promise<T>): Promise<T>;
  /** Embedded only: a snapshot of the whole data folder. */
  dumpDataDir?: () => Promise<Blob | File>;
  /** Where the data lives, without credentials, for logs. */
  describe: string;
  close(): Promise<void>;
};

export type RawSession = {
  execScript(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * `COPY (query) TO STDOUT` in COPY's text format, UTF-8 bytes chunk by chunk as the server sends
   * them (bulk reads of the whole book; no row objects on the way; see copyLines). Embedded, PGlite
   * writes the whole output to a blob first, so it arrives as one chunk.
   */
  copyOut(query: string): AsyncIterable<Uint8Array>;
  /** `COPY table (columns) FROM STDIN` with rows already in COPY's text format (bytes: UTF-8). */
  copyIn(target: string, text: string | Uint8Array): Promise<void>;
  /** fn inside one transaction on this session (embedded: PGlite's lock keeps Prisma's statements out). */
  transaction<T>(fn: (session: RawSession) => Promise<T>): Promise<T>;
  /**
   * Embedded: a checkpoint once enough WAL has been written since the last one, so PGlite's WAL stays
   * bounded (it has no checkpointer; see wal.ts). Call it after writing a lot. PostgreSQL: nothing,
   * its own checkpointer does this. Returns whether it checkpointed.
   */
  checkpointWhenDue(): Promise<boolean>;
};

export type RawTransaction = RawSession & {
  /** COPY text format (tab-separated, \N for null, one row a line) into table's columns. */
  copyFrom(table: string, columns: readonly string[], text: string | Uint8Array): Promise<void>;
};

/** One transaction on a raw session, with COPY addressed by table and columns (the importer's batches). */
function rawTransaction<T>(
  driver: Pick<Database, "withRawSession">,
  fn: (tx: RawTransaction) => Promise<T>,
): Promise<T> {
  return driver.withRawSession((session) =>
    session.transaction((tx) =>
      fn({
        ...tx,
        copyFrom: (table, columns, text) =>
          tx.copyIn(`${table} (${columns.map((c) => `"${c}"`).join(", ")})`, text),
      }),
    ),
  );
}

// The raw driver session behind each Prisma client, for the few bulk reads that Prisma's row mapping
// makes several times slower (re-evaluation reads the whole book). Registered by openDatabase.
const rawSessions = new WeakMap<object, RawDriver>();

type RawDriver = Pick<Database, "kind" | "withRawSession" | "withRawTransaction">;

/**
 * The raw driver behind `prisma` (null for a client openDatabase did not make). On PostgreSQL a raw
 * session is its own pool connection; embedded, it is the one connection Prisma also uses, so a
 * transaction held open on it would swallow Prisma's statements.
 */
export function rawDriverOf(prisma: Db): RawDriver | null {
  return rawSessions.get(prisma) ?? null;
}

/**
 * RawSession.checkpointWhenDue on the database behind `prisma`: false at once on PostgreSQL (no
 * connection taken for nothing) and for a client openDatabase did not make.
 */
export async function checkpointWhenDueOn(prisma: Db): Promise<boolean> {
  const driver = rawDriverOf(prisma);
  if (driver?.kind !== "embedded") return false;
  return driver.withRawSession((session) => session.checkpointWhenDue());
}

/**
 * dataDir null = in memory; loadDataDir = start from a dump (tests clone a migrated template this way).
 * A data folder is locked while open (one writer; see data-dir.ts); `role` names the holder in the
 * message a second opener gets.
 */
export type DatabaseTarget =
  | { databaseUrl: string; connectTimeoutMs?: number }
  | {
      dataDir: string | null;
      loadDataDir?: Blob;
      role?: LockRole;
      onLockLost?: (error: Error) => void;
      /** WAL written between checkpoints, in MB (see wal.ts; tests pass a small one). */
      checkpointAfterMb?: number;
      /** PGlite's shared_buffers in MB; PGlite's own 128 MB when not given (see IMPORT_SHARED_BUFFERS_MB). */
      sharedBuffersMb?: number;
    };

/**
 * shared_buffers for a process that opens the embedded database to import (`turf import`). PGlite
 * zeroes all of shared_buffers as it opens, so all of it is resident for the process's life. An import
 * now touches few index pages at a time (the secondary indexes are built at the end, see
 * db/import-indexes.ts, and new rows' ids grow, see db/ordered-ids.ts), so it no longer
 * needs them: 200k accounts on PGlite took 25.2 s at 32 MB (peak RSS 456 MB), 25.5 s at 64 MB
 * (480 MB), 25.5 s at 128 MB (534 MB). A serving process keeps PGlite's 128 MB (at 32 MB, `/owner`
 * lookups took 45% longer).
 */
export const IMPORT_SHARED_BUFFERS_MB = 32;

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if ("databaseUrl" in target) return openPostgres(target.databaseUrl, target.connectTimeoutMs);
  return openEmbedded(target);
}

const CONNECT_TIMEOUT_MS = 10_000;

async function openPostgres(databaseUrl: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<Database> {
  // A server that accepts connections but never answers must not hang start-up (or a request)
  // forever: connecting has a deadline, and the first query proves the server answers.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: timeoutMs });
  // An idle connection can be cut by the server (restart, failover, an admin's terminate). The pool
  // drops that client and the next query opens a new one; without a listener, Node would crash.
  pool.on("error", () => {});
  const url = new URL(databaseUrl);
  try {
    await pool.query({ text: "SELECT 1", query_timeout: timeoutMs } as pg.QueryConfig);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(
      `PostgreSQL at ${url.host} did not answer within ${timeoutMs / 1000} s (${(error as Error).message}). ` +
        "Check that the server is up and reachable from here, and DATABASE_URL's host, port and database.",
      { cause: error },
    );
  }
  // The lookup's hot statements are prepared per connection (see prepared.ts), unless a pooler in
  // transaction mode sits in between: Prisma's own `pgbouncer=true` says so.
  const pooled = url.searchParams.get("pgbouncer") === "true";
  const adapter = new PrismaPg(pool, {
    statementNameGenerator: (query) => (pooled ? "" : preparedName(query.sql)),
  });
  const prisma = new PrismaClient({ adapter });
  const database: Database = {
    prisma,
    kind: "postgres",
    describe: `postgres://${url.host}${url.pathname}`,
    async withRawSession(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        return await fn(
          postgresSession(client, (error) => {
            broken = error;
          }),
        );
      } finally {
        // A connection that could not roll back is not handed to the next caller.
        client.release(broken);
      }
    },
    withRawTransaction: (fn) => rawTransaction(database, fn),
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
  rawSessions.set(prisma, database);
  return database;
}

function postgresSession(client: pg.PoolClient, onBroken: (error: Error) => void): RawSession {
  const session: RawSession = {
    async execScript(sql) {
      await client.query(sql);
    },
    async query(sql, params) {
      const result = await client.query(sql, params as unknown[]);
      return result.rows;
    },
    async *copyOut(query) {
      for await (const chunk of client.query(copyToStdout(`COPY (${query}) TO STDOUT`)))
        yield chunk as Buffer;
    },
    async copyIn(target, text) {
      const chunk =
        typeof text === "string" ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
      await pipeline(Readable.from([chunk]), client.query(copyFromStdin(`COPY ${target} FROM STDIN`)));
    },
    async transaction(fn) {
      await client.query("BEGIN");
      try {
        const value = await fn(session);
        await client.query("COMMIT");
        return value;
      } catch (error) {
        await client.query("ROLLBACK").catch(onBroken);
        throw error;
      }
    },
    checkpointWhenDue: async () => false,
  };
  return session;
}

/**
 * What PGlite's COPY FROM '/dev/blob' reads. PGlite only asks a blob for its arrayBuffer(); bytes that
 * fill their buffer are handed over as they are, where a Blob would copy them twice (into the Blob,
 * then out of it), 16 MB more at once for an import batch.
 */
function copySource(text: string | Uint8Array): Blob {
  if (typeof text === "string" || text.byteOffset !== 0 || text.byteLength !== text.buffer.byteLength)
    return new Blob([text]);
  const buffer = text.buffer;
  return { arrayBuffer: async () => buffer } as Blob;
}

/** A raw session over PGlite or one of its transactions (both take the blob COPY needs). */
function embeddedSession(
  db: Pick<PGlite, "exec" | "query">,
  transaction: PGlite["transaction"],
  checkpointAfterMb: number,
): RawSession {
  return {
    async execScript(sql) {
      await db.exec(sql);
    },
    async query<T>(sql: string, params?: unknown[]) {
      const result = await db.query<T>(sql, params);
      return result.rows;
    },
    async *copyOut(query) {
      const result = await db.query(`COPY (${query}) TO '/dev/blob'`);
      if (result.blob) yield new Uint8Array(await result.blob.arrayBuffer());
    },
    async copyIn(target, text) {
      await db.query(`COPY ${target} FROM '/dev/blob'`, [], { blob: copySource(text) });
    },
    transaction: (fn) =>
      transaction((tx) =>
        fn(
          embeddedSession(
            tx,
            () => {
              throw new Error("PGlite transactions do not nest");
            },
            checkpointAfterMb,
          ),
        ),
      ),
    checkpointWhenDue: () =>
      checkpointWhenDue(
        async (sql) => (await db.query<Record<string, unknown>>(sql)).rows,
        checkpointAfterMb,
      ),
  };
}

async function openEmbedded({
  dataDir,
  loadDataDir,
  role = "app",
  onLockLost,
  checkpointAfterMb = CHECKPOINT_AFTER_MB,
  sharedBuffersMb,
}: Extract<DatabaseTarget, { dataDir: string | null }>): Promise<Database> {
  // Loaded here, not at the top: PGlite's modules take about half a second to load, which a process
  // on PostgreSQL (the app in production, each `turf` command) would otherwise pay for nothing. Before
  // the lock: a module that fails to load leaves the data folder unlocked.
  const [embedded, { pg_trgm }, { PrismaPGlite }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("@electric-sql/pglite/contrib/pg_trgm"),
    import("pglite-prisma-adapter"),
  ]);
  let path: string | undefined;
  let lock: { release(): Promise<void> } | undefined;
  if (dataDir) {
    path = resolve(dataDir);
    mkdirSync(path, { recursive: true });
    lock = await lockDataDir(path, role, onLockLost);
  }
  let pglite: PGlite;
  try {
    pglite = await embedded.PGlite.create({
      dataDir: path,
      loadDataDir,
      extensions: { pg_trgm },
      startParams: [
        ...embedded.PGlite.defaultStartParams,
        ...walStartParams(checkpointAfterMb),
        ...(sharedBuffersMb ? ["-c", `shared_buffers=${sharedBuffersMb}MB`] : []),
      ],
    });
  } catch (error) {
    await lock?.release();
    throw new Error(
      `The embedded database in ${path ?? "memory"} could not be opened (${(error as Error).message || String(error)}). ` +
        "Check free disk space and that the folder is readable and writable. If it was damaged (a full disk or a crash while writing), " +
        "restore the folder from your latest backup, or move it aside and start again to get an empty database.",
      { cause: error },
    );
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const database: Database = {
    prisma,
    kind: "embedded",
    dumpDataDir: () => pglite.dumpDataDir("none"),
    describe: path ? `embedded database in ${path}` : "in-memory embedded database",
    async withRawSession(fn) {
      return fn(embeddedSession(pglite, (callback) => pglite.transaction(callback), checkpointAfterMb));
    },
    withRawTransaction: (fn) => rawTransaction(database, fn),
    async close() {
      try {
        await prisma.$disconnect();
        await pglite.close();
      } finally {
        await lock?.release();
      }
    },
  };
  rawSessions.set(prisma, database);
  return database;
}
