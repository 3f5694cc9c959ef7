// The registration table of `turf` commands: one line per module (pattern: top of src/cli/program.ts).
// Order here is the order in `turf --help`.

import { arbitersModule } from "./arbiters.ts";
import { backupModule } from "./backup.ts";
import type { CommandModule } from "./context.ts";
import { exportModule } from "./export.ts";
import { importModule } from "./import.ts";
import { migrateModule } from "./migrate.ts";
import { outboxModule } from "./outbox.ts";
import { rebalanceModule } from "./rebalance.ts";
import { reportModule } from "./report.ts";
import { rulesModule } from "./rules.ts";
import { sampleDataModule } from "./sample-data.ts";
import { signalsModule } from "./signals.ts";

export const COMMAND_MODULES: CommandModule[] = [
  migrateModule,
  importModule,
  sampleDataModule,
  rulesModule,
  rebalanceModule,
  reportModule,
  exportModule,
  backupModule,
  outboxModule,
  arbitersModule,
  signalsModule,
];
