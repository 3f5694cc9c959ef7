// POST /signals: buying signals from a CRM, an intent provider or a product-usage pipeline. Signed
// (see signature.ts), validated whole before anything is stored, stored before it is acknowledged.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { z } from "zod";
import type { Clock } from "../config/clock.ts";
import { signalProblems, ZSignalInput } from "../domain/signals/index.ts";
import type { SignalServices } from "../services/signals/index.ts";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from "./signature.ts";

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_SIGNALS = 500;

const ZBody = z.union([
  z.object({
    signals: z
      .array(z.unknown())
      .min(1, "must hold at least one signal")
      .max(MAX_SIGNALS, `must hold at most ${MAX_SIGNALS} signals`),
  }),
  z.record(z.string(), z.unknown()),
]);

export type SignalsRouteDeps = {
  signals: Pick<SignalServices, "ingest">;
  secret: string | undefined;
  clock: Clock;
  logger: Logger;
  /** Requests ingesting at once; more are answered 429 (see signalsRoute). */
  maxInFlight?: number;
};

/**
 * Past this many requests ingesting at once, Turf is falling behind: a further request would only
 * wait for a database connection until it times out (a 500 after seconds). It is told at once to
 * come back instead, so the sender's retry (same id) arrives when there is room.
 */
export const DEFAULT_MAX_IN_FLIGHT = 48;

export const SIGNALS_PATH = "/signals";

export function signalsRoute(deps: SignalsRouteDeps) {
  const maxInFlight = deps.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  let inFlight = 0;
  return {
    path: SIGNALS_PATH,
    method: ["POST"],
    /** Requests ingesting now (for tests and health reporting). */
    inFlight: () => inFlight,
    handler: (req: IncomingMessage, res: ServerResponse) => {
      if (inFlight >= maxInFlight) {
        deps.logger.warn({ inFlight }, "signal request refused: too many in flight");
        req.resume();
        res.setHeader("retry-after", "1");
        reply(res, 429, {
          error: "busy",
          message: "Turf is busy storing other signals; nothing was stored. Retry with the same id.",
        });
        return;
      }
      inFlight += 1;
      handle(deps, req, res)
        .catch((error: unknown) => {
          deps.logger.error({ err: error }, "signal ingest failed");
          if (!res.headersSent)
            reply(res, 500, {
              error: "internal_error",
              message: "Turf could not store the signal; nothing was routed. Retry with the same id.",
            });
        })
        .finally(() => {
          inFlight -= 1;
        });
    },
  };
}

async function handle(deps: SignalsRouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!deps.secret) {
    reply(res, 503, {
      error: "not_configured",
      message: "Signals are not configured on this Turf: set TURF_SIGNAL_SECRET.",
    });
    return;
  }
  const body = await readBody(req);
  if (body === null) {
    reply(res, 413, {
      error: "too_large",
      message: `The body is larger than ${MAX_BODY_BYTES} bytes; send at most ${MAX_SIGNALS} signals per request.`,
    });
    return;
  }
  const check = verifySignature({
    secret: deps.secret,
    body,
    timestamp: header(req, TIMESTAMP_HEADER),
    signature: header(req, SIGNATURE_HEADER),
    now: deps.clock.now(),
  });
  if (!check.ok) {
    deps.logger.warn({ problem: check.problem }, "signal request refused");
    reply(res, 401, { error: "bad_signature", message: check.problem });
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    reply(res, 400, { error: "malformed_json", message: "The body is not valid JSON." });
    return;
  }
  const shape = ZBody.safeParse(json);
  if (!shape.success) {
    reply(res, 400, { error: "invalid", problems: signalProblems(shape.error) });
    return;
  }
  const batch = "signals" in shape.data && Array.isArray(shape.data.signals);
  const items = batch ? (shape.data.signals as unknown[]) : [json];
  // Every signal is checked before any is stored: a bad batch stores nothing.
  const problems: string[] = [];
  const inputs = items.map((item, index) => {
    const parsed = ZSignalInput.safeParse(item);
    if (!parsed.success) {
      for (const p of signalProblems(parsed.error)) problems.push(batch ? `signals[${index}].${p}` : p);
      return null;
    }
    return parsed.data;
  });
  if (problems.length > 0) {
    reply(res, 400, { error: "invalid", problems });
    return;
  }
  const results = [];
  for (const input of inputs) {
    if (!input) continue;
    const result = await deps.signals.ingest(input);
    results.push(
      result.ok
        ? { id: input.id, signal_id: result.signalId, status: result.status, reason: result.reason }
        : { id: input.id, status: "rejected", error: result.code, message: result.userMessage },
    );
  }
  if (!batch) {
    const only = results[0];
    reply(res, only?.status === "rejected" ? 422 : 202, only ?? {});
    return;
  }
  reply(res, 202, { results });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}
