// `turf <command>`: RevOps admin commands. They use the same configuration and database as the app.
// The program itself is built in ./program.ts (see the pattern described there).
import dotenv from "dotenv";
import { projectRoot } from "../db/data-dir.ts";
import { runCli } from "./program.ts";

// .env of the project, from any working directory (the data folder resolves the same way).
dotenv.config({ path: `${projectRoot()}/.env`, quiet: true });

// `turf export ownership | head`: the reader went away; that is the end of the output, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

runCli(process.argv.slice(2)).then(
  // Exit only once stdout has flushed: a pipe that is full (a large export read slowly) would
  // otherwise lose the tail of the data when the process exits.
  (code) => process.stdout.write("", () => process.exit(code)),
  (error: unknown) => {
    process.stderr.write(`turf: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
