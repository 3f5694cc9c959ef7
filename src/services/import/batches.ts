// The rows of a big import, read, checked and shaped into batches of COPY text: in this thread, or
// for a file, in a worker thread, so reading (csv-parse, the schema, search keys) runs on one core
// while the database (PGlite runs in this thread) works on the other.
import { Worker } from "node:worker_threads";
import { type CopyCell, copyLine } from "../../db/import-staging.ts";
import type { RowError } from "./csv-reader.ts";
import type { ValidRow } from "./valid-rows.ts";

/** COPY text of the rows seq from..to, in UTF-8; twice says a key appears twice within it. */
export type Batch = { bytes: Uint8Array<ArrayBuffer>; from: number; to: number; twice: boolean };

/** What batching needs of a kind: its rows' staging cells (or problems) and their keys. */
export type Shaper<Row> = {
  stage(row: Row, at: { seq: number; line: number }): { cells: CopyCell[] } | { problems: string[] };
  key(row: Row): string;
};

export const BATCH_ROWS = 25_000;
// The database waits for the first batch (at 100k accounts, 2 of 20 seconds for a batch of 25,000): it
// starts small and doubles. Reading a row takes about half what the database does with it, so each
// batch is read while the one half its size is written.
const FIRST_BATCH_ROWS = 2_500;
/**
 * A batch also ends at this much COPY text (a batch of 25,000 usual accounts is about 8 MB): rows of
 * long cells (up to 500 characters each) made batches of 140 MB, and the reader ran out of memory.
 */
export const BATCH_BYTES = 8 * 2 ** 20;

const encoder = new TextEncoder();

/**
 * A batch's COPY text, encoded line by line into one reused buffer. Kept as strings, 25,000 lines
 * (each a chain of cell strings) took 50 MB of heap for 8 MB of text; bytes are also what the
 * database's COPY reads, and they cross to the importer's thread without a copy.
 */
class CopyBytes {
  private buffer = new Uint8Array(BATCH_BYTES);
  length = 0;

  add(line: string): void {
    // UTF-8 takes at most 3 bytes for each UTF-16 unit.
    const most = this.length + line.length * 3;
    if (most > this.buffer.length) {
      const grown = new Uint8Array(Math.max(most, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.length += encoder.encodeInto(line, this.buffer.subarray(this.length)).written;
  }

  /** The text so far, in a buffer of its own size; the builder starts again empty. */
  take(): Uint8Array<ArrayBuffer> {
    const bytes = this.buffer.slice(0, this.length);
    this.length = 0;
    return bytes;
  }
}

/** Valid rows into batches; a row's own problems go to errors. Stops at maxErrors. */
export async function* batchesOf<Row>(
  shaper: Shaper<Row>,
  rows: AsyncIterable<ValidRow<Row>>,
  errors: RowError[],
  options: { batchRows?: number; maxErrors: number },
): AsyncGenerator<Batch> {
  const most = options.batchRows ?? BATCH_ROWS;
  let size = Math.min(FIRST_BATCH_ROWS, most);
  const text = new CopyBytes();
  let inBatch = 0;
  let keys = new Set<string>();
  let twice = false;
  let seq = 0;
  let from = 1;
  const take = (): Batch => {
    const batch = { bytes: text.take(), from, to: seq, twice };
    inBatch = 0;
    keys = new Set();
    twice = false;
    from = seq + 1;
    size = Math.min(size * 2, most);
    return batch;
  };
  for await (const { line, row } of rows) {
    const result = shaper.stage(row, { seq: seq + 1, line });
    if ("problems" in result) {
      for (const message of result.problems) errors.push({ line, message });
      if (errors.length >= options.maxErrors) break;
      continue;
    }
    seq++;
    text.add(copyLine(result.cells));
    inBatch++;
    const key = shaper.key(row).toLowerCase();
    if (keys.has(key)) twice = true;
    keys.add(key);
    if (inBatch >= size || text.length >= BATCH_BYTES) yield take();
  }
  if (inBatch > 0) yield take();
}

export type WorkerJob = {
  kind: "accounts" | "opportunities";
  path: string;
  batchRows?: number;
  maxErrors: number;
};
export type WorkerMessage =
  | { type: "batch"; batch: Batch; errors: RowError[] }
  | { type: "end"; errors: RowError[] }
  | { type: "failed"; message: string };

/** Batches read by a worker thread from the file at job.path; it stays one batch ahead. */
export async function* workerBatches(job: WorkerJob, errors: RowError[]): AsyncGenerator<Batch> {
  const worker = startWorker(job);
  const inbox: WorkerMessage[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  worker.on("message", (message: WorkerMessage) => {
    inbox.push(message);
    notify();
  });
  worker.on("error", (error) => {
    failure = error;
    notify();
  });
  worker.on("exit", (code) => {
    failure ??= new Error(`the import's reading thread stopped (exit code ${code})`);
    notify();
  });
  try {
    for (;;) {
      const message = inbox.shift();
      if (!message) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      if (message.type === "failed") throw new Error(message.message);
      errors.push(...message.errors);
      if (message.type === "end") return;
      worker.postMessage("more");
      yield message.batch;
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}

// After a collection the reader holds about 10 MB (its code, csv-parse, a batch's keys); the batch
// itself is bytes outside the heap (CopyBytes), and each row is garbage once encoded. A small heap
// makes it collect early, and a small young generation (V8's default grows to 48 MB, all of it
// resident) is collected more often at little cost, on a core the database does not use.
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 12 };

function startWorker(job: WorkerJob): Worker {
  if (!import.meta.url.endsWith(".ts"))
    return new Worker(new URL("./row-worker.js", import.meta.url), {
      workerData: job,
      resourceLimits: RESOURCE_LIMITS,
    });
  // Under tsx a worker does not inherit its loader (Node 20): register it, then load the TypeScript.
  const tsx = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./row-worker.ts", import.meta.url).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); })`,
    { eval: true, workerData: job, resourceLimits: RESOURCE_LIMITS },
  );
}

/** Whether a worker thread can load the reading code: compiled JavaScript, or TypeScript under tsx. */
export function workerCanRead(): boolean {
  return !import.meta.url.endsWith(".ts") || process.execArgv.some((a) => a.includes("tsx"));
}
