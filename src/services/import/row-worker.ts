// The import's reading thread (see batches.ts): reads the file, checks each row and shapes batches
// of COPY text, sending each with the problems found since the last; one batch ahead of the
// importer, which asks for more as it takes one.
import { createReadStream } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { stagedAccounts } from "./accounts.ts";
import { type Batch, batchesOf, type Shaper, type WorkerJob, type WorkerMessage } from "./batches.ts";
import type { RowError } from "./csv-reader.ts";
import { stagedOpportunities } from "./opportunities.ts";
import { validRows } from "./valid-rows.ts";

const job = workerData as WorkerJob;
const port = parentPort;
const shapers: Record<WorkerJob["kind"], Shaper<never>> = {
  accounts: stagedAccounts as Shaper<never>,
  opportunities: stagedOpportunities as Shaper<never>,
};

async function read(): Promise<void> {
  if (!port) return;
  // The importer holds the batch in the database and the next; one more is read meanwhile.
  let credit = 1;
  let wake: (() => void) | undefined;
  port.on("message", () => {
    credit++;
    wake?.();
    wake = undefined;
  });
  const errors: RowError[] = [];
  let sent = 0;
  const send = (message: WorkerMessage) => {
    // A batch's bytes move to the importer's thread (transferred, not copied).
    port.postMessage(message, message.type === "batch" ? [message.batch.bytes.buffer] : []);
    sent = errors.length;
  };
  const rows = validRows(job.kind, createReadStream(job.path), errors);
  const batches = batchesOf<never>(shapers[job.kind], rows as never, errors, job) as AsyncGenerator<Batch>;
  for (;;) {
    // Waits for credit before reading on: a batch read early would wait here, as a whole batch.
    while (credit === 0)
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    const next = await batches.next();
    if (next.done) break;
    credit--;
    send({ type: "batch", batch: next.value, errors: errors.slice(sent) });
  }
  send({ type: "end", errors: errors.slice(sent) });
  port.close();
}

read().catch((error: unknown) => {
  parentPort?.postMessage({ type: "failed", message: (error as Error).message ?? String(error) });
});
