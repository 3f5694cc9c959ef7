// `turf <command>`: RevOps admin commands. They use the same configuration and database as the app.
// The program itself is built in ./program.ts (see the pattern described there).
import dotenv from "dotenv";
import { runCli } from "./program.ts";

dotenv.config({ quiet: true });

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`turf: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
