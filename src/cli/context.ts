// What a command module receives: see the pattern at the top of src/cli/program.ts.
import type { Command } from "commander";
import type { CoreEnv } from "../config/env.ts";
import type { Logger } from "../config/logger.ts";
import type { Database } from "../db/client.ts";

export type CliContext = {
  /** Parsed settings (.env); read lazily so `--help` works even with a broken .env. */
  readonly env: CoreEnv;
  /** Logs to stderr, never stdout. */
  readonly logger: Logger;
  readonly now: Date;
  /** Who the audit trail names for this command's writes. */
  readonly actor: string;
  /** One line of data on stdout. */
  out(line: string): void;
  /** One line for the person on stderr. */
  err(line: string): void;
  /**
   * The configured database, opened and migrated on first call; closed when the command ends.
   * importing: opened for `turf import` (embedded: with IMPORT_SHARED_BUFFERS_MB of shared_buffers).
   */
  database(options?: { importing?: boolean }): Promise<Database>;
  /** A progress reporter on stderr (a bar on a terminal, nothing otherwise). */
  progress(label: string): Progress;
};

export type Progress = { update(done: number, total: number): void; stop(): void };

export type CommandModule = { register(program: Command, context: CliContext): void };

export class UsageError extends Error {}

/** Wraps a handler so its returned exit code reaches the process. */
export function act<A extends unknown[]>(
  context: CliContext,
  handler: (...args: A) => Promise<number>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    (context as CliContextInternal).exitCode = await handler(...args);
  };
}

export type CliContextInternal = CliContext & { exitCode: number };
