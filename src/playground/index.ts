// `npm start` without Slack tokens: serve the playground until SIGTERM/SIGINT.
import type { Logger } from "pino";
import type { CoreEnv } from "../config/env.ts";
import { exitOnStopSignal } from "../config/shutdown.ts";
import type { Database } from "../db/client.ts";
import { startPlayground } from "./server.ts";

export { startPlayground } from "./server.ts";

export async function servePlayground(options: {
  core: CoreEnv;
  db: Database;
  logger: Logger;
  port: number;
  sweepIntervalSeconds: number;
}): Promise<void> {
  const { db, logger } = options;
  let playground: Awaited<ReturnType<typeof startPlayground>> | undefined;
  exitOnStopSignal(logger, async () => {
    await playground?.stop();
    await db.close();
  });
  try {
    playground = await startPlayground(options);
  } catch (error) {
    await db.close();
    const code = (error as { code?: string }).code;
    throw new Error(
      code === "EADDRINUSE"
        ? `port ${options.port} is in use; set PORT to another port (or 0 for any free one)`
        : (error as Error).message,
    );
  }
  logger.info(
    { url: playground.url },
    `No Slack tokens are set, so Turf runs in the playground: open ${playground.url} in your browser (README: "Playground")`,
  );
}
