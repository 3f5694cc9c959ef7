// One way to stop a Turf process, shared by `npm start` with Slack and the playground: on SIGTERM or
// SIGINT, run the stop steps once, then exit; a stop that hangs past the deadline exits non-zero,
// so an orchestrator restarting Turf never waits on it forever.
import type { Logger } from "pino";

const STOP_DEADLINE_MS = 10_000;

export function exitOnStopSignal(logger: Pick<Logger, "info">, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => process.exit(1), STOP_DEADLINE_MS).unref();
    try {
      await stop();
    } finally {
      clearTimeout(timer);
      process.exit(0);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
