// Admin commands beyond import: each is one entry here with its own module.
import type { Logger } from "pino";
import type { CoreEnv } from "../config/env.ts";
import type { Database } from "../db/client.ts";
import { arbitersCommand } from "./arbiters.ts";
import { rebalanceCommand } from "./rebalance.ts";
import { reportCommand } from "./report.ts";
import { rulesCommand } from "./rules.ts";

export type CliContext = {
  db: Database;
  env: CoreEnv;
  logger: Logger;
  now: Date;
  out(line: string): void;
  err(line: string): void;
};

export type CliCommand = {
  name: string;
  usage: string;
  summary: string;
  run(args: string[], context: CliContext): Promise<number>;
};

export const CLI_COMMANDS: CliCommand[] = [rulesCommand, rebalanceCommand, reportCommand, arbitersCommand];
